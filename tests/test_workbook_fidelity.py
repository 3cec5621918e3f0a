"""Proof of fidelity: LibreOffice, an independent spreadsheet engine, recalculates generated
workbooks and reproduces every engine component, monthly cash flow and summary figure.

All workbooks (the example cases, Hypothesis-generated cases, and an example whose Inputs sheet
was edited) go to ONE LibreOffice run: its start-up costs seconds.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings

from bpo_cost import evaluate, load_case
from bpo_cost.case.examples import example_names, example_path
from bpo_cost.case.models import HourlyPricing
from bpo_cost.core.staffing import required_agents
from bpo_cost.core.timeline import volume_path
from bpo_cost.result import Result
from bpo_cost.workbook import write_workbook
from bpo_cost.workbook.writer import option_titles
from tests.delivery_cases import DELIVERY
from tests.multi_workload import NAMED as MULTI
from tests.multi_workload import many_lines, multi_cases
from tests.strategies import cases
from tests.termination_cases import TERMINATION, TERMINATION_EDITS

pytestmark = pytest.mark.libreoffice

REL = 1e-9  # DESIGN.md: a recalculated workbook reproduces the engine to 1e-9 relative
IRR_ABS = 1e-8  # DESIGN.md: IRR to 1e-8 absolute on the rate
FIRST_MONTH_COL = 4  # column D


@dataclass
class Built:
    name: str
    result: Result  # the engine's answer for the case the workbook holds
    recalculated: Path
    values: Any  # the recalculated workbook, loaded once (openpyxl, data_only)


def _hypothesis_cases() -> list[dict[str, Any]]:
    """A few random valid cases, deterministic (derandomize): one workload, half of them live
    channels, then several workloads with lines and overrides."""
    drawn: list[dict[str, Any]] = []
    for strategy in (cases(real_time=False), cases(real_time=True), multi_cases()):

        @settings(
            max_examples=4,
            phases=[Phase.generate],
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def collect(case: dict[str, Any]) -> None:
            drawn.append(case)

        collect()
    return drawn


def _edit(source: Path, target: Path, edits: dict[str, Any]) -> None:
    """Change Inputs values as an analyst would in Excel (here through openpyxl)."""
    wb = openpyxl.load_workbook(source)
    ws = wb["Inputs"]
    for row in ws.iter_rows(min_row=5):
        if row[0].value in edits:
            row[1].value = edits[row[0].value]
    wb.save(target)


EDITS = {
    "inhouse.wage_per_hour": 26.5,
    "options.0.pricing.tiers.1.price": 7.1,
    "workload.seasonality.3": 1.2,
    "include_exit_costs": False,
}


# Several workloads: a chat's concurrency, an email volume, a workload's own wage, a line's rate.
MULTI_EDITS = {
    "workloads.1.real_time.concurrency": 3.4,
    "workloads.2.volume_per_month": 11000.0,
    "workloads.1.inhouse.wage_per_hour": 19.0,
    "options.1.lines.0.pricing.rate": 18.5,
}


# A retained organisation (#14 item 3): roles on two options (one with a share of fees and a
# rate-card wage), governance set to zero there as the methodology asks; and an Inputs edit of a
# role's FTE, read back.
RETAINED_EDITS = {"options.2.retained.roles.0.fte": 3.5}


def _retained_case() -> dict[str, Any]:
    case = yaml.safe_load(example_path("voice_customer_service").read_text(encoding="utf-8"))
    for j, roles, share in (
        (1, [{"name": "Vendor manager", "fte": 1.0, "wage_per_hour": 48.0}], 0.0),
        (
            2,
            [
                {"name": "Vendor manager", "fte": 2.0, "wage_per_hour": 45.0},
                {
                    "name": "Quality analyst",
                    "fte": 1.5,
                    "wage_per_hour": {
                        "card": "wage",
                        "function": "customer_service_voice",
                        "location": "US",
                        "statistic": "typical",
                    },
                },
            ],
            0.01,
        ),
    ):
        option = case["options"][j]
        option["retained"] = {"roles": roles, "share_of_fees": share}
        option.setdefault("transition", {})["governance_share_of_fees"] = 0.0
    return case


# The in-house improvement path (inhouse.improvement): productivity and automation, on several
# workloads (live and back-office) and on one; then its inputs edited on the Inputs sheet.
IMPROVEMENT = {
    "productivity_per_year": 0.04,
    "automation": {"share": 0.15, "cost_per_unit": 0.6, "build_cost": 80000.0, "start_month": 7},
}
IMPROVED_EDITS = {
    "inhouse.improvement.productivity_per_year": 0.07,
    "inhouse.improvement.automation.share": 0.25,
    "inhouse.improvement.automation.start_month": 14,
}


# Prices in another currency (options' and a line's contract_currency): a band beyond which
# the rupee falls, a provider clause, and an outcome line with a capped gainshare in pesos whose
# rate the client bears; then the drift and the rate edited on the Inputs sheet.
FX_EDITS = {
    "options.0.contract_currency.drift_per_year": -0.15,
    "options.0.contract_currency.rate": 0.0125,
    "options.0.contract_currency.band": 0.02,
}


def _fx_claims() -> dict[str, Any]:
    case = yaml.safe_load(example_path("claims_back_office").read_text(encoding="utf-8"))
    offshore, hourly = case["options"][0], case["options"][3]
    for tier in offshore["pricing"]["tiers"]:
        tier["price"] /= 0.012
    offshore["contract_currency"] = {
        "code": "INR",
        "rate": 0.012,
        "drift_per_year": -0.08,
        "clause": "band",
        "band": 0.05,
        "client_share": 0.5,
    }
    hourly["pricing"]["rate"] /= 0.018
    hourly["contract_currency"] = {"code": "PHP", "rate": 0.018, "clause": "provider"}
    return case


def _fx_lines() -> dict[str, Any]:
    case = MULTI["contact_centre"]()
    line = case["options"][2]["lines"][0]  # voice, outcome with a capped gainshare
    pricing = line["pricing"]
    for key in ("price_per_outcome", "base_fee_per_month"):
        pricing[key] /= 0.018
    for key in ("baseline_cost_per_month", "cap_per_month"):
        pricing["gainshare"][key] /= 0.018
    line["contract_currency"] = {
        "code": "PHP",
        "rate": 0.018,
        "drift_per_year": 0.06,
        "clause": "client",
    }
    return case


def _improved(case: dict[str, Any], improvement: dict[str, Any]) -> dict[str, Any]:
    return {**case, "inhouse": {**case["inhouse"], "improvement": improvement}}


# Taxes and dated costs (#15 items 1 and 3): VAT on two options (one partly recovered, one a
# collar), in-house dated costs (a one-off refresh, a lease over the parallel run, a licence past
# the term) and an asset sale, an option's dated costs and sales; then VAT and a month edited.
MONEY_EDITS = {
    "options.0.taxes.vat_rate": 0.15,
    "options.0.taxes.withholding_rate": 0.05,
    "inhouse.dated_costs.0.start_month": 40,
    "options.2.dated_costs.1.end_month": 30,
}


def _money_case() -> dict[str, Any]:
    case = yaml.safe_load(example_path("claims_back_office").read_text(encoding="utf-8"))
    case["inhouse"]["dated_costs"] = [
        {"name": "Technology refresh", "amount": 350_000.0, "start_month": 36},
        {"name": "Lease", "amount": 12_000.0, "start_month": 1, "end_month": 24},
        {"name": "Licence", "amount": 2_500.0, "start_month": 60, "end_month": 120},
    ]
    case["inhouse"]["asset_sales"] = [{"name": "Old servers", "proceeds": 40_000.0, "month": 37}]
    options = case["options"]
    options[0]["taxes"] = {"vat_rate": 0.2, "withholding_rate": 0.1}
    options[1]["taxes"] = {"vat_rate": 0.2, "recoverable_share": 0.35}
    options[2]["dated_costs"] = [
        {"name": "Integration", "amount": 80_000.0, "start_month": 2},
        {"name": "Hosting", "amount": 3_000.0, "start_month": 6, "end_month": 48},
    ]
    options[2]["asset_sales"] = [{"name": "Building", "proceeds": 600_000.0, "month": 9}]
    return case


@pytest.fixture(scope="module")
def built(
    recalc: Callable[[Sequence[Path]], list[Path]], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Built]:
    folder = tmp_path_factory.mktemp("workbooks")
    sources: dict[str, Any] = {name: example_path(name) for name in example_names()}
    sources |= {name: make() for name, make in MULTI.items()} | {"many_lines": many_lines()}
    sources |= {f"random-{i}": case for i, case in enumerate(_hypothesis_cases())}
    sources |= {name: make() for name, make in DELIVERY.items()}  # lines, scope, waves (#14)
    sources["improved-multi"] = _improved(MULTI["contact_centre"](), IMPROVEMENT)
    payroll = load_case(example_path("payroll")).model_dump(mode="json", exclude_none=True)
    sources["improved-payroll"] = _improved(payroll, {"productivity_per_year": 0.05})
    paths, results = [], {}
    for name, source in sources.items():
        paths.append(write_workbook(source, folder / f"{name}.xlsx"))
        results[name] = evaluate(source)
    # the claims case as release 0.1.0 had it (tests/baselines), whose options all pay back
    # before and after EDITS, so the Cash flows IRR has the engine's hint (see cashflows.py)
    claims_v1 = Path(__file__).parent / "baselines" / "claims_back_office" / "case.yaml"
    edited = folder / "edited.xlsx"
    _edit(write_workbook(claims_v1, folder / "claims-v1.xlsx"), edited, EDITS)
    paths.append(edited)
    results["edited"] = evaluate(edited)  # read back: load_case("edited.xlsx")
    edited_multi = folder / "edited-multi.xlsx"
    _edit(folder / "contact_centre.xlsx", edited_multi, MULTI_EDITS)
    paths.append(edited_multi)
    results["edited-multi"] = evaluate(edited_multi)
    edited_improved = folder / "edited-improved.xlsx"
    _edit(folder / "improved-multi.xlsx", edited_improved, IMPROVED_EDITS)
    paths.append(edited_improved)
    results["edited-improved"] = evaluate(edited_improved)
    overflow = folder / "overflow.xlsx"  # ten times the calls: beyond the Staffing rows
    _edit(
        folder / "voice_customer_service.xlsx", overflow, {"workload.volume_per_month": 300_000.0}
    )
    paths.append(overflow)
    results["overflow"] = evaluate(overflow)
    for timing in ("mid_month", "start_of_month"):  # the NPV formulas follow the input
        timed = folder / f"{timing}.xlsx"
        _edit(folder / "it_help_desk.xlsx", timed, {"discounting": timing})
        paths.append(timed)
        results[timing] = evaluate(timed)
    sources_retained = folder / "retained.xlsx"
    paths.append(write_workbook(_retained_case(), sources_retained))
    results["retained"] = evaluate(_retained_case())
    edited_retained = folder / "edited-retained.xlsx"
    _edit(sources_retained, edited_retained, RETAINED_EDITS)
    paths.append(edited_retained)
    results["edited-retained"] = evaluate(edited_retained)
    for name, source in (("fx", _fx_claims()), ("fx-lines", _fx_lines())):
        paths.append(write_workbook(source, folder / f"{name}.xlsx"))
        results[name] = evaluate(source)
    edited_fx = folder / "edited-fx.xlsx"
    _edit(folder / "fx.xlsx", edited_fx, FX_EDITS)
    paths.append(edited_fx)
    results["edited-fx"] = evaluate(edited_fx)
    money = folder / "money.xlsx"
    paths.append(write_workbook(_money_case(), money))
    results["money"] = evaluate(_money_case())
    edited_money = folder / "edited-money.xlsx"
    _edit(money, edited_money, MONEY_EDITS)
    paths.append(edited_money)
    results["edited-money"] = evaluate(edited_money)
    for name, make in TERMINATION.items():  # termination (#15 item 4)
        paths.append(write_workbook(make(), folder / f"{name}.xlsx"))
        results[name] = evaluate(make())
    edited_ended = folder / "edited-ended.xlsx"
    _edit(folder / "ended_voice.xlsx", edited_ended, TERMINATION_EDITS)
    paths.append(edited_ended)
    results["edited-ended"] = evaluate(edited_ended)
    out = recalc(paths)
    return {
        name: Built(name, results[name], p, openpyxl.load_workbook(p, data_only=True))
        for name, p in zip(results, out, strict=True)
    }


NAMES = [
    *example_names(),
    *MULTI,
    "many_lines",
    *[f"random-{i}" for i in range(12)],
    *DELIVERY,
    "improved-multi",
    "improved-payroll",
    "edited",
    "edited-multi",
    "edited-improved",
    "mid_month",
    "start_of_month",
    "retained",
    "edited-retained",
    "fx",
    "fx-lines",
    "edited-fx",
    "money",
    "edited-money",
    *TERMINATION,
    "edited-ended",
]


def _rows(ws: Any) -> dict[tuple[str, str], int]:
    """(column A, column B) -> row, and (column A, "") for the first row of each key."""
    out: dict[tuple[str, str], int] = {}
    for (a, b), r in (
        (row[:2], i) for i, row in enumerate(ws.iter_rows(max_col=2, values_only=True), start=1)
    ):
        if isinstance(a, str):
            out.setdefault((a, ""), r)
            out.setdefault((a, str(b)), r)
    return out


def _months(ws: Any, row: int, months: int) -> np.ndarray:
    cells = next(
        ws.iter_rows(
            min_row=row,
            max_row=row,
            min_col=FIRST_MONTH_COL,
            max_col=FIRST_MONTH_COL + months - 1,
            values_only=True,
        )
    )
    return np.array([np.nan if v is None or isinstance(v, str) else v for v in cells], float)


def _close(got: np.ndarray | float, want: np.ndarray | float, scale: float, what: str) -> None:
    got, want = np.asarray(got, float), np.asarray(want, float)
    # 1e-9 relative; values that cancel to ~0 (savings) are judged on the case's cost scale.
    bad = ~(np.abs(got - want) <= REL * np.maximum(np.abs(want), scale))
    assert not bad.any(), (
        f"{what}: first mismatch at {np.flatnonzero(bad)[:1]}: "
        f"workbook {got[bad][:3]} engine {want[bad][:3]}"
    )


_ERRORS = {"#N/A", "#VALUE!", "#DIV/0!", "#NUM!", "#REF!", "#NAME?", "#NULL!"}


@pytest.mark.parametrize("name", NAMES)
def test_opens_without_errors(built: dict[str, Built], name: str) -> None:
    """Every formula evaluates in LibreOffice: no error value anywhere."""
    errors = [
        (ws.title, c.coordinate, c.value)
        for ws in built[name].values.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and (c.value in _ERRORS or c.value.startswith("Err:"))
    ]
    assert not errors, errors[:5]


@pytest.mark.parametrize("name", NAMES)
def test_every_component_every_month(built: dict[str, Built], name: str) -> None:
    b = built[name]
    wb = b.values
    comps, case = b.result.components, b.result.case
    term = case.term_months
    scale = float(np.abs(comps.total("inhouse")).max())
    timeline = wb["Timeline"]
    _close(
        _months(timeline, _rows(timeline)[("volume", "")], term),
        comps.volume[0],
        1e-9,
        "Timeline volume",
    )
    titles = ["In-house", *option_titles(case)]
    checked = 0
    for owner, title in zip(comps.owners, titles, strict=True):
        ws = wb[title]
        rows = _rows(ws)
        for component, values in comps.by_owner[owner].items():
            _close(
                _months(ws, rows[(component, "")], term), values[0], scale, f"{title} {component}"
            )
            checked += 1
        _close(
            _months(ws, rows[("total", "")], term), comps.total(owner)[0], scale, f"{title} total"
        )
    assert checked == sum(len(v) for v in comps.by_owner.values())


@pytest.mark.parametrize("name", NAMES)
def test_every_monthly_cash_flow(built: dict[str, Built], name: str) -> None:
    b = built[name]
    ws = b.values["Cash flows"]
    comps, case = b.result.components, b.result.case
    rows = _rows(ws)
    scale = float(np.abs(comps.total("inhouse")).max())
    ih = comps.total("inhouse")[0]
    names = ["In-house", *[o.name for o in case.options]]
    for owner, label in zip(comps.owners, names, strict=True):
        total = comps.total(owner)[0]
        _close(
            _months(ws, rows[("total_cost", label)], case.term_months),
            total,
            scale,
            f"total cost {label}",
        )
        _close(
            _months(ws, rows[("cumulative_cost", label)], case.term_months),
            np.cumsum(total),
            scale * case.term_months,
            f"cumulative cost {label}",
        )
        if owner == "inhouse":
            continue
        savings = ih - total
        _close(
            _months(ws, rows[("savings", label)], case.term_months),
            savings,
            scale,
            f"savings {label}",
        )
        _close(
            _months(ws, rows[("cumulative_savings", label)], case.term_months),
            np.cumsum(savings),
            scale * case.term_months,
            f"cumulative savings {label}",
        )
    # Discount factors, independently: 1 / (1 + r_m)^(m - s) with r_m = (1 + annual)^(1/12) - 1
    # and s the months of the timing convention (docs/methodology.md#decision-figures).
    r_m = (1 + case.discount_rate_annual) ** (1 / 12) - 1
    s = {"end_of_month": 0.0, "mid_month": 0.5, "start_of_month": 1.0}[case.discounting]
    _close(
        _months(ws, rows[("discount_factor", "")], case.term_months),
        (1 + r_m) ** -(np.arange(1.0, case.term_months + 1) - s),
        0.0,
        "discount factors",
    )


def _figure(value: Any) -> float:
    """A decision figure as a number: the workbook's "never" and "n/a" are the engine's NaN."""
    return math.nan if value in ("never", "n/a") else float(value)


@pytest.mark.parametrize("sheet", ["Cash flows", "Summary"])
@pytest.mark.parametrize("name", NAMES)
def test_every_summary_figure(built: dict[str, Built], name: str, sheet: str) -> None:
    b = built[name]
    ws = b.values[sheet]
    s = b.result.summary_arrays
    header = _rows(ws)[("Option", "")]
    scale = float(abs(s.tco[0, 0]))
    table = list(
        ws.iter_rows(
            min_row=header + 1, max_row=header + len(s.owners), max_col=11, values_only=True
        )
    )
    assert [row[0] for row in table] == ["In-house", *s.owners[1:]]
    for j, row in enumerate(table):
        _close(row[2], s.tco[0, j], scale, f"TCO {s.owners[j]}")
        _close(row[3], s.npv_cost[0, j], scale, f"NPV of cost {s.owners[j]}")
        _close(row[9], s.cost_per_unit[0, j], 0.0, f"cost per unit {s.owners[j]}")
        assert row[10] == s.rank[0, j]
        if j == 0:
            assert row[4:9] == (None,) * 5  # savings against itself: blank, as in the CLI
            continue
        _close(row[4], s.savings[0, j], scale, f"savings {s.owners[j]}")
        np.testing.assert_equal(math.isnan(_figure(row[5])), math.isnan(s.savings_pct[0, j]))
        if not math.isnan(s.savings_pct[0, j]):
            _close(row[5], s.savings_pct[0, j], 1e-9, f"savings % {s.owners[j]}")
        _close(row[6], s.npv_savings[0, j], scale, f"NPV of savings {s.owners[j]}")
        np.testing.assert_equal(_figure(row[7]), s.payback_month[0, j])  # NaN == NaN here
        note = b.result.irr_note(j)
        if sheet == "Summary" and note is not None:
            assert row[8] == "n.m.", (s.owners[j], row[8], note)  # not the figure: why, below
            below = ws.cell(row=header + len(s.owners) + 1, column=1).value
            assert f"{s.owners[j]}: {note}" in below, (below, note)
            continue
        if sheet == "Cash flows":  # the reason beside the table, as the engine words it
            got = ws.cell(row=header + 1 + j, column=12).value
            assert (got or None) == note, (s.owners[j], got, note)
        irr = _figure(row[8])
        assert math.isnan(irr) == math.isnan(s.irr[0, j]), (s.owners[j], irr, s.irr[0, j])
        if not math.isnan(irr):
            assert abs(irr - s.irr[0, j]) <= IRR_ABS, (s.owners[j], irr, s.irr[0, j])


# The Summary's bridge steps as groups of engine components (docs/methodology.md#hidden-costs)
BRIDGE_STEPS = {
    "Vendor vs in-house": ("vendor.", "fx."),
    "Kept in-house": ("inhouse.kept",),
    "Automation": ("automation",),
    "Transition": ("transition.",),
    "Governance": ("governance", "retained."),
    "Quality leakage": ("quality_leakage",),
    "Exit": ("exit", "termination."),
    "Dated costs and sales": ("dated_costs", "asset_sales"),
    "Taxes": ("tax.",),
}


@pytest.mark.parametrize("name", NAMES)
def test_every_bridge_figure(built: dict[str, Built], name: str) -> None:
    """The bridge table: in-house TCO, each step (a group of the option's components; the
    vendor step less in-house TCO), the option's TCO, one column per option."""
    b = built[name]
    ws = b.values["Summary"]
    header = _rows(ws)[("Step", "")]
    s = b.result.summary_arrays
    scale = float(abs(s.tco[0, 0]))
    totals = b.result.monthly(tidy=True).groupby(["owner", "component"])["cost"].sum()
    table = {
        r[0]: r[1:]
        for r in ws.iter_rows(
            min_row=header + 1,
            max_row=header + 2 + len(BRIDGE_STEPS),
            max_col=len(s.owners),
            values_only=True,
        )
    }
    assert list(table) == ["In-house TCO", *BRIDGE_STEPS, "Option TCO"]
    for j, owner in enumerate(s.owners[1:]):
        assert ws.cell(row=header, column=2 + j).value == owner
        _close(table["In-house TCO"][j], s.tco[0, 0], scale, "in-house TCO")
        for step, prefixes in BRIDGE_STEPS.items():
            want = sum(v for c, v in totals[owner].items() if str(c).startswith(prefixes))
            want -= s.tco[0, 0] if step == "Vendor vs in-house" else 0.0
            _close(table[step][j], want, scale, f"{step} {owner}")
        _close(table["Option TCO"][j], s.tco[0, j + 1], scale, f"TCO {owner}")


@pytest.mark.parametrize("name", NAMES)
def test_recommendation_names_the_engines_choice(built: dict[str, Built], name: str) -> None:
    b = built[name]
    ws = b.values["Summary"]
    rows = _rows(ws)
    text = ws.cell(row=rows[("Recommendation", "")], column=2).value
    summary = b.result.summary().drop(index="inhouse")
    best = summary.sort_values("npv_cost", kind="stable").iloc[0]
    if best["npv_savings"] > 0:
        assert text.startswith(f"{best.name} saves "), text
    else:
        assert text == "Keep in-house: no option costs less in NPV"
    check = ws.cell(row=rows[("Structure check", "")], column=2).value
    assert check.startswith("OK"), check


def _pools(ws: Any) -> dict[tuple[str, str], int]:
    """(pool, column A) -> row on the Staffing sheet, pools by their "Pool: ..." section."""
    out: dict[tuple[str, str], int] = {}
    pool = ""
    for i, (a,) in enumerate(ws.iter_rows(max_col=1, values_only=True), start=1):
        if isinstance(a, str) and a.startswith("Pool: "):
            pool = a.removeprefix("Pool: ")
        elif isinstance(a, str):
            out.setdefault((pool, a), i)
    return out


@pytest.mark.parametrize("name", [n for n in NAMES if not n.startswith("edited")])
def test_staffing_matches_erlang_c(built: dict[str, Built], name: str) -> None:
    """Required agents of every pool on the Staffing sheet (each live workload, in-house and
    each hourly vendor) equal staffing.required_agents on the handle time divided by the
    published concurrency factor, month by month."""
    b = built[name]
    case = b.result.case
    live = [w for w in case.workloads if w.real_time is not None]
    if not live:
        pytest.skip("no live channel: workload FTE, no Staffing sheet")
    rows = _pools(b.values["Staffing"])
    months = np.arange(1.0, case.term_months + 1)[None, :]
    several = len(case.workloads) > 1
    checked = 0
    for w in live:
        rt = w.real_time
        assert rt is not None
        volume = volume_path(
            np.array([[w.volume_per_month]]),
            np.array([[w.growth_per_year]]),
            np.array([w.seasonality]),
            case.start,
            months,
        )[0]
        own = w.inhouse
        better = case.inhouse.improvement
        ih_auto = None if better is None else better.automation
        pools = [
            (
                "In-house",
                volume
                if ih_auto is None
                else volume * (1 - ih_auto.share * (months[0] >= ih_auto.start_month)),
                w.handle_minutes,
                own.occupancy if own and own.occupancy is not None else case.inhouse.occupancy,
            )
        ]
        for o in case.options:
            ways = case.deliveries(o, w)
            for j, pr in ways:
                if not isinstance(pr, HourlyPricing):
                    continue
                line = None if j is None else o.lines[j]
                sole = len(ways) == 1 and (line is None or line.share == 1.0)
                auto = o.automation if line is None or line.automation is None else line.automation
                moved = np.ones_like(volume) if not o.waves else np.zeros_like(volume)
                for wave in o.waves:  # S(t): the share of the last wave by month t
                    moved = np.maximum(moved, wave.share * (months[0] >= wave.month))
                vv = volume * (1.0 if line is None else line.share) * moved
                if auto is not None:
                    vv = vv * (1 - auto.share * (months[0] >= auto.start_month))
                handle = w.handle_minutes if pr.handle_minutes is None else pr.handle_minutes
                label = o.name if sole else f"{o.name} line {(j or 0) + 1}"
                pools.append((label, vv, handle, pr.occupancy))
        intervals = rt.open_hours_per_month * 60 / rt.interval_minutes
        factor = _published_factor(rt.concurrency)
        for label, vol, handle, occupancy in pools:
            want = required_agents(
                vol / intervals,
                handle * 60 / factor,
                rt.interval_minutes,
                service_level_target=rt.service_level_target,
                answer_seconds=rt.answer_seconds,
                occupancy=occupancy,
            )
            pool = f"{w.name}: {label}" if several else label
            got = _months(b.values["Staffing"], rows[(pool, "required_agents")], case.term_months)
            np.testing.assert_array_equal(got, want, err_msg=pool)
            checked += 1
    assert checked >= len(live)


def _published_factor(concurrency: float) -> float:
    """The published factor (1, 1.7, 2.5, 2.9, 3.5 for 1..5 chats), linear in between."""
    return float(np.interp(concurrency, [1, 2, 3, 4, 5], [1.0, 1.7, 2.5, 2.9, 3.5]))


def _staffing_summary(ws: Any, case: Any) -> dict[tuple[str, str, str], int]:
    """(owner, workload, measure) -> row of the Staffing summary: owners by their section,
    ``measure[workload]`` keys (a plain key: the one workload of the case)."""
    owners = {"In-house": "inhouse", **{o.name: o.name for o in case.options}}
    out: dict[tuple[str, str, str], int] = {}
    owner = ""
    for i, (a,) in enumerate(ws.iter_rows(max_col=1, values_only=True), start=1):
        if isinstance(a, str) and a in owners:
            owner = owners[a]
        elif isinstance(a, str) and owner:
            measure, _, workload = a.partition("[")
            out[(owner, workload.rstrip("]") or case.workloads[0].name, measure)] = i
    return out


@pytest.mark.parametrize("name", NAMES)
def test_the_staffing_summary_equals_the_engines_figures(
    built: dict[str, Built], name: str
) -> None:
    """Every staffing figure (per owner, workload and measure, pooled under "all") is on the
    Staffing summary sheet, and each month equals the engine's to 1e-9."""
    b = built[name]
    case = b.result.case
    figures = b.result.staffing(wide=True)
    ws = b.values["Staffing summary"]
    rows = _staffing_summary(ws, case)
    assert set(rows) == set(figures.columns)
    for key in figures.columns:
        want = figures[key].to_numpy()
        _close(_months(ws, rows[key], case.term_months), want, 1e-9, f"staffing {key}")


def test_staffing_past_its_rows_shows_na_not_a_wrong_number(built: dict[str, Built]) -> None:
    wb = built["overflow"].values
    staffing = wb["Staffing"]
    agents = next(
        staffing.iter_rows(
            min_row=_rows(staffing)[("required_agents", "")],
            max_row=_rows(staffing)[("required_agents", "")],
            min_col=FIRST_MONTH_COL,
            values_only=True,
        )
    )
    assert set(agents) == {"#N/A"}
    summary = wb["Summary"]
    header = _rows(summary)[("Option", "")]
    assert summary.cell(row=header + 1, column=3).value == "#N/A"  # in-house TCO


def test_the_edit_changed_the_answer(built: dict[str, Built]) -> None:
    """The edited workbook reads back with the edits, and its formulas follow them."""
    edited = load_case(built["edited"].recalculated)
    assert edited.inhouse.wage_per_hour == EDITS["inhouse.wage_per_hour"]
    assert edited.workloads[0].seasonality[3] == EDITS["workload.seasonality.3"]
    assert edited.include_exit_costs is False
    before = built["claims_back_office"].result.summary_arrays.tco
    after = built["edited"].result.summary_arrays.tco
    assert (np.abs(after - before) > 1.0).all()


def test_an_edited_workbook_of_several_workloads_reads_back(built: dict[str, Built]) -> None:
    """Edits of a workload, its in-house override and an option's line are read back by key,
    the formulas follow them (the fidelity tests above cover "edited-multi"), and the Erlang
    working recomputes the chat pool from the new concurrency."""
    edited = load_case(built["edited-multi"].recalculated)
    chat, email = edited.workloads[1], edited.workloads[2]
    assert chat.name == "chat" and chat.real_time is not None
    assert chat.real_time.concurrency == MULTI_EDITS["workloads.1.real_time.concurrency"]
    assert chat.inhouse is not None and chat.inhouse.wage_per_hour == 19.0
    assert email.volume_per_month == 11000.0
    line = edited.options[1].lines[0]
    assert line.workload == "chat" and isinstance(line.pricing, HourlyPricing)
    assert line.pricing.rate == 18.5
    before = built["contact_centre"].result.summary_arrays.tco
    after = built["edited-multi"].result.summary_arrays.tco
    assert (np.abs(after - before) > 1.0).all()


def test_an_edited_retained_role_reads_back(built: dict[str, Built]) -> None:
    """A retained role's FTE edited on the Inputs sheet is read back, its rate-card wage stays a
    number, and the option's retained organisation follows the edit (formulas checked above)."""
    edited = load_case(built["edited-retained"].recalculated)
    retained = edited.options[2].retained
    assert retained is not None and retained.roles[0].fte == 3.5
    assert retained.share_of_fees == 0.01
    assert isinstance(retained.roles[1].wage_per_hour, float)
    name = edited.options[2].name

    def organisation(b: Built) -> float:
        monthly = b.result.monthly(tidy=True)
        rows = monthly[(monthly.owner == name) & (monthly.component == "retained.organisation")]
        return float(rows["cost"].sum())

    card = retained.roles[1].wage_per_hour  # the quality analyst's wage, read from the card
    before, after = organisation(built["retained"]), organisation(built["edited-retained"])
    assert before > 0
    assert after == pytest.approx(
        before * (3.5 * 45 + 1.5 * card) / (2 * 45 + 1.5 * card), rel=1e-12
    )


def test_an_edited_improvement_path_reads_back(built: dict[str, Built]) -> None:
    """The improvement path's inputs edited on the Inputs sheet are read back, and the
    formulas follow them (the fidelity tests above cover "edited-improved")."""
    better = load_case(built["edited-improved"].recalculated).inhouse.improvement
    assert better is not None and better.automation is not None
    assert better.productivity_per_year == 0.07
    assert (better.automation.share, better.automation.start_month) == (0.25, 14)
    assert better.automation.build_cost == 80000.0
    before = built["improved-multi"].result.summary_arrays.tco[0, 0]
    after = built["edited-improved"].result.summary_arrays.tco[0, 0]
    assert after < before - 1.0  # more deflection and productivity: a cheaper in-house


def test_edited_taxes_and_dated_costs_read_back(built: dict[str, Built]) -> None:
    """VAT and dated months edited on the Inputs sheet are read back, and the formulas follow
    them (the fidelity tests above cover "edited-money")."""
    edited = load_case(built["edited-money"].recalculated)
    taxes = edited.options[0].taxes
    assert taxes is not None and (taxes.vat_rate, taxes.recoverable_share) == (0.15, 0.0)
    assert taxes.withholding_rate == 0.05
    assert edited.inhouse.dated_costs[0].start_month == 40
    assert edited.inhouse.dated_costs[1].end_month == 24
    assert edited.options[2].dated_costs[1].end_month == 30
    assert edited.options[2].asset_sales[0].proceeds == 600_000.0
    assert edited.options[1].taxes is not None
    assert edited.options[1].taxes.recoverable_share == 0.35

    def vat(b: Built) -> float:
        return float(b.result.monthly()[(edited.options[0].name, "tax.vat")].sum())

    assert vat(built["edited-money"]) == pytest.approx(vat(built["money"]) * 0.75, rel=1e-12)


def test_the_summary_names_each_workload_and_its_first_month(built: dict[str, Built]) -> None:
    b = built["contact_centre"]
    ws = b.values["Summary"]
    # the facts stand in two groups side by side: label in A, value in B; label in D, value in G
    facts = {
        ws.cell(row=r, column=c).value: ws.cell(row=r, column=v).value
        for r in range(1, 20)
        for c, v in ((1, 2), (4, 7))
    }
    assert facts["Workloads"] == "voice, chat, email"
    volume = b.result.staffing(wide=True)[("inhouse", "chat", "volume")].iloc[0]
    _close(facts["chat: Volume in month 1 (chat)"], volume, 0, "")


def test_an_edited_termination_reads_back(built: dict[str, Built]) -> None:
    """The termination month and a fee step edited on the Inputs sheet are read back, and the
    option's formulas follow them (the fidelity tests above cover "edited-ended")."""
    edited = load_case(built["edited-ended"].recalculated)
    end = edited.options[2].termination
    assert end is not None and end.month == 42
    assert [f.amount for f in end.fees] == [400_000.0, 250_000.0, 120_000.0]
    assert (end.ramp_months, end.ramp_start_efficiency) == (4, 0.75)
    for name, month, fee in (("ended_voice", 30, 250_000.0), ("edited-ended", 42, 120_000.0)):
        got = built[name].result.monthly()[("Offshore PH", "termination.fee")].to_numpy()
        assert np.flatnonzero(got).tolist() == [month - 1] and got[month - 1] == fee


@pytest.mark.parametrize(("name", "month"), [("ended_voice", 30), ("edited-ended", 42)])
def test_a_terminated_sheet_follows_the_spec(
    built: dict[str, Built], name: str, month: int
) -> None:
    """Read from the recalculated sheets alone, without the engine (docs/methodology.md
    #termination): the vendor's rows stop after T; the fee and the exit cost fall in T, the
    exit on the 12 months of fees up to T; rehiring in T + 1; the ramp over the R months after
    T from e0; before T the option costs what it costs without the block; after T what
    in-house costs, plus rehiring and the ramp."""
    wb = built[name].values
    case = built[name].result.case
    o = case.options[2]
    assert o.termination is not None and o.termination.month == month
    term, t = case.term_months, month - 1  # t: T's index
    ws, ih = wb[option_titles(case)[2]], wb["In-house"]
    rows, ih_rows = _rows(ws), _rows(ih)

    def row(key: str) -> np.ndarray:
        return _months(ws, rows[(key, "")], term)

    fees = row("vendor.fees")
    for key in ("vendor.fees", "vendor.service_credits", "automation", "retained.organisation"):
        assert (row(key)[:t] != 0).any() and (row(key)[t + 1 :] == 0).all(), key
    fee = row("termination.fee")
    assert np.flatnonzero(fee).tolist() == [t]
    exit_ = row("exit")
    assert np.flatnonzero(exit_).tolist() == [t]
    share = o.transition.exit_share_of_annual_spend
    assert exit_[t] == pytest.approx(share * fees[t - 11 : t + 1].sum(), rel=1e-12)
    staff_fte = _months(ih, ih_rows[("agent_fte", "")], term)
    price = _months(wb["Timeline"], _rows(wb["Timeline"])[("price_index", "")], term)
    hire = case.inhouse.cost_per_hire + case.inhouse.training_per_hire
    rehiring = row("termination.rehiring")
    assert np.flatnonzero(rehiring).tolist() == [t + 1]
    assert rehiring[t + 1] == pytest.approx(staff_fte[t + 1] * hire * price[t + 1], rel=1e-12)
    r, e0 = o.termination.ramp_months, o.termination.ramp_start_efficiency
    ramp = row("termination.ramp")
    assert np.flatnonzero(ramp).tolist() == list(range(t + 1, t + 1 + r))
    staff = _months(ih, ih_rows[("staff_cost", "")], term)
    efficiency = e0 + (1 - e0) * np.arange(r) / r
    want = staff[t + 1 : t + 1 + r] * (1 / efficiency - 1)
    np.testing.assert_allclose(ramp[t + 1 : t + 1 + r], want, rtol=1e-12)
    # before T, what the option without the block costs (the kept-work formulas of a cut-over
    # give the cut-over's numbers; the vendor selection is on the contract as signed)
    plain = built["voice_customer_service"].values["Offshore PH"]
    untreated = _months(plain, _rows(plain)[("total", "")], term)
    _close(row("total")[:t], untreated[:t], float(untreated.max()), "months before T")
    after = row("total")[t + 1 :] - rehiring[t + 1 :] - ramp[t + 1 :]
    np.testing.assert_allclose(
        after, _months(ih, ih_rows[("total", "")], term)[t + 1 :], rtol=1e-12
    )
