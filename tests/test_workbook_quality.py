"""The workbook face of quality-adjusted volume and of who pays the productivity dip (#14 items
5 and 6): live formulas recalculated by LibreOffice reproduce the engine, every component every
month, on cases using both, and follow Inputs edits of the rework rates and of the payer."""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest
import yaml

from bpo_cost import evaluate
from bpo_cost.case.examples import example_path
from bpo_cost.engine.components import INHOUSE
from bpo_cost.result import Result
from bpo_cost.workbook import write_workbook
from bpo_cost.workbook.writer import option_titles
from tests.multi_workload import contact_centre
from tests.test_workbook_fidelity import _close, _edit, _months, _rows

pytestmark = pytest.mark.libreoffice

AUTOMATION = {"share": 0.15, "cost_per_unit": 0.6, "build_cost": 80000.0, "start_month": 7}


def _voice() -> dict[str, Any]:
    """The voice example (live, hourly: Erlang C pools) with rework in-house and on two
    options, the dip left to the pricing on one, to the vendor on another; a per-call
    option added so that the pricing rule has a schedule to spare."""
    case: dict[str, Any] = yaml.safe_load(
        example_path("voice_customer_service").read_text(encoding="utf-8")
    )
    case["inhouse"]["quality"] = {"rework_rate": 0.06}
    _, nearshore, offshore, *_ = case["options"]  # the 20/80 blend too, unchanged
    nearshore["quality"] = {"rework_rate": 0.12}
    nearshore["transition"]["dip_paid_by"] = "pricing"
    offshore["quality"] = {"rework_rate": 0.2}  # with automation: deflected before rework
    offshore["transition"] |= {"dip_paid_by": "vendor", "repeat_rate": 0.0}
    per_call = copy.deepcopy(nearshore)
    per_call |= {"name": "Per call", "pricing": {"model": "per_transaction", "price": 2.4}}
    case["options"].append(per_call)
    return case


def _multi() -> dict[str, Any]:
    """contact_centre (lines: hourly, per-transaction, outcome, collar, tiers) with rework on
    the in-house side (and its improvement path's automation), on an option and on lines, and
    the dip by pricing on the option mixing hourly and per-email schedules."""
    case = contact_centre()
    case["inhouse"]["quality"] = {"rework_rate": 0.05}
    case["inhouse"]["improvement"] = {"productivity_per_year": 0.03, "automation": AUTOMATION}
    _, nearshore, offshore, *_ = case["options"]  # the 20/80 blend too, unchanged
    nearshore["quality"] = {"rework_rate": 0.1}
    nearshore["lines"][1]["quality"] = {"rework_rate": 0.03}
    nearshore["transition"] = {"dip_paid_by": "pricing", "repeat_rate": 0.0}
    offshore["lines"][0]["quality"] = {"rework_rate": 0.08}
    offshore["transition"] = {"dip_paid_by": "pricing", "repeat_rate": 0.0}
    return case


EDITS = {
    "inhouse.quality.rework_rate": 0.15,
    "options.1.lines.1.quality.rework_rate": 0.2,
    "options.1.transition.dip_paid_by": "vendor",
    "options.2.transition.dip_paid_by": "client",
}


@pytest.fixture(scope="module")
def built(
    recalc: Callable[[Sequence[Path]], list[Path]], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[Result, Any]]:
    folder = tmp_path_factory.mktemp("quality")
    paths, results = [], {}
    for name, case in (("voice", _voice()), ("multi", _multi())):
        paths.append(write_workbook(case, folder / f"{name}.xlsx"))
        results[name] = evaluate(case)
    edited = folder / "edited.xlsx"
    _edit(folder / "multi.xlsx", edited, EDITS)
    paths.append(edited)
    results["edited"] = evaluate(edited)  # read back from the edited Inputs
    out = recalc(paths)
    return {
        name: (results[name], openpyxl.load_workbook(p, data_only=True))
        for name, p in zip(results, out, strict=True)
    }


def test_the_edits_were_read_back(built: dict[str, tuple[Result, Any]]) -> None:
    case = built["edited"][0].case
    assert case.inhouse.quality is not None and case.inhouse.quality.rework_rate == 0.15
    assert case.options[1].transition.dip_paid_by == "vendor"
    assert case.options[2].transition.dip_paid_by == "client"


@pytest.mark.parametrize("name", ["voice", "multi", "edited"])
def test_every_component_every_month(built: dict[str, tuple[Result, Any]], name: str) -> None:
    result, wb = built[name]
    comps, case = result.components, result.case
    term = case.term_months
    scale = float(np.abs(comps.total(INHOUSE)).max())
    titles = ["In-house", *option_titles(case)]
    for owner, title in zip(comps.owners, titles, strict=True):
        ws = wb[title]
        rows = _rows(ws)
        for component, values in comps.by_owner[owner].items():
            got = _months(ws, rows[(component, "")], term)
            _close(got, values[0], scale, f"{name}: {title} {component}")
        _close(_months(ws, rows[("total", "")], term), comps.total(owner)[0], scale, title)


@pytest.mark.parametrize("name", ["voice", "multi", "edited"])
def test_the_cases_exercise_both_rules(built: dict[str, tuple[Result, Any]], name: str) -> None:
    """Not vacuous: the rework moves the fees and the dip is zero somewhere, not everywhere."""
    result = built[name][0]
    plain = result.case.model_dump(mode="json", exclude_none=True)
    plain["inhouse"].pop("quality")
    for o in plain["options"]:
        o.pop("quality", None)
        for line in o.get("lines", []):
            line.pop("quality", None)
    without = evaluate(plain)
    assert (result.totals().to_numpy() != without.totals().to_numpy()).any(axis=0).all()
    dips = [
        result.components.by_owner[o.name]["transition.productivity_dip"]
        for o in result.case.options
    ]
    assert any(d.any() for d in dips)
    assert not all(d.any() for d in dips)
