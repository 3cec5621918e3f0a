"""Migration waves (#14 item 2): each wave's transition costs, stranded costs after the last one.

The golden values are worked out by hand in the comments, month by month, from the formulas of
docs/methodology.md#migration-waves; the cut-over identity compares the general path with the
v1 one on every bundled example.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml
from pandas.testing import assert_frame_equal

from bpo_cost import InvalidCaseError, evaluate, sensitivity, simulate
from bpo_cost.case.distributions import Uniform
from bpo_cost.case.examples import example_path
from bpo_cost.case.io import parse_case
from bpo_cost.cli import main
from bpo_cost.engine import run, transition
from bpo_cost.engine.components import INHOUSE

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


def test_two_waves_month_by_month_against_a_hand_calculation() -> None:
    monthly = evaluate(waved_case()).monthly()
    option = {key: monthly[("Vendor", key)].to_numpy() for _, key in monthly if _ == "Vendor"}
    # S(t): 0 in months 1-2, 0.4 in 3-6, 1 from 7; the hand-over path H(t) (parallel run of
    # 2 months): 0 in 1-4, 0.4 in 5-8, 1 from 9. Staff cost: 1,000 h x 20 = 20,000 a month.
    np.testing.assert_allclose(  # 15 x 1,000 x S(t)
        option["vendor.fees"], [0, 0, *[6_000] * 4, *[15_000] * 6], rtol=1e-12
    )
    # kept: 20 x 1,000 x (1 - S) + the fixed 1,000 while any work is kept
    np.testing.assert_allclose(
        option["inhouse.kept"], [21_000] * 2 + [13_000] * 4 + [0] * 6, rtol=1e-12
    )
    # parallel run: 20 x 1,000 x (1 - H) + 1,000 while any runs in-house, less kept: wave 1
    # (0.4 x 20,000) in months 3-4, wave 2 (0.6 x 20,000 + the fixed 1,000) in months 7-8
    np.testing.assert_allclose(
        option["transition.parallel_run"], by_month(m3=8_000, m4=8_000, m7=13_000, m8=13_000)
    )
    # knowledge transfer, 2 months from each wave: 0.1 x d_k x 20,000 + 2,000 x d_k / 2;
    # wave 1 (d = 0.4): 800 + 400; wave 2 (d = 0.6): 1,200 + 600
    np.testing.assert_allclose(
        option["transition.knowledge_transfer"],
        by_month(m3=1_200, m4=1_200, m7=1_800, m8=1_800),
        rtol=1e-12,
    )
    # retention 0.05 x d_k x 20,000 during each wave's parallel run (400; 600); severance
    # 2 x d_k x 20,000 in its hand-over month m_k + 2 - 1: 16,000 in month 4, 24,000 in month 8
    np.testing.assert_allclose(
        option["transition.severance_retention"],
        by_month(m3=400, m4=16_400, m7=600, m8=24_600),
        rtol=1e-12,
    )
    # dip: each wave's share of the fees x (1/e - 1), e = 0.7, 0.8, 0.9 from the wave's month:
    # wave 1 on 0.4 x 15,000 = 6,000 in months 3-5, wave 2 on 0.6 x 15,000 = 9,000 in 7-9
    np.testing.assert_allclose(
        option["transition.productivity_dip"],
        by_month(
            m3=6_000 * 3 / 7,
            m4=6_000 * 0.25,
            m5=6_000 / 9,
            m7=9_000 * 3 / 7,
            m8=9_000 * 0.25,
            m9=1_000,
        ),
        rtol=1e-12,
    )
    # the lease is stranded from after the last hand-over (month 9) to its end (month 10)
    np.testing.assert_allclose(
        option["transition.stranded_costs"], by_month(m9=500, m10=500), rtol=1e-12
    )
    # nothing else: the bare case has no other hidden cost
    expected = sum(
        option[key]
        for key in (
            "vendor.fees",
            "inhouse.kept",
            "transition.parallel_run",
            "transition.knowledge_transfer",
            "transition.severance_retention",
            "transition.productivity_dip",
            "transition.stranded_costs",
        )
    )
    np.testing.assert_allclose(sum(option.values()), expected, rtol=1e-12)


def same_as_v1(v1: pd.DataFrame, general: pd.DataFrame, name: str) -> None:
    """The general path's components equal the v1 ones to 1e-12, and the work it keeps
    in-house (a component v1 does not have: proof the general path ran) is zero."""
    kept = [key for key in general.columns if key[1] == "inhouse.kept" and key[0] != INHOUSE]
    assert kept, f"{name}: the general path did not run"
    np.testing.assert_array_equal(general[kept].to_numpy(), 0.0)
    np.testing.assert_allclose(
        general[list(v1.columns)].to_numpy(), v1.to_numpy(), rtol=1e-12, atol=0.0, err_msg=name
    )


def test_one_wave_in_month_one_is_the_v1_cut_over_on_every_example(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in EXAMPLES:
        data = example(name)
        v1 = evaluate(data).monthly()
        waved = copy.deepcopy(data)
        for option in waved["options"]:
            option["waves"] = [{"month": 1, "share": 1.0}]
        assert_frame_equal(evaluate(waved).monthly(), v1)  # the v1 path, as the engine takes it
        with monkeypatch.context() as patch:
            for module in (run, transition):
                patch.setattr(module, "whole_scope", lambda p, option: False)
            same_as_v1(v1, evaluate(waved).monthly(), name)


def test_one_wave_in_month_one_is_the_v1_cut_over_with_every_transition_cost(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # every charge on, a lease stranded, a wave that starts in month 1
    data = waved_case(vendor_selection_share_of_acv=0.01, governance_share_of_fees=0.04)
    data["options"][0]["waves"] = [{"month": 1, "share": 1.0}]
    v1 = evaluate(data).monthly()
    assert v1[("Vendor", "transition.severance_retention")].iloc[1] > 0
    for module in (run, transition):
        monkeypatch.setattr(module, "whole_scope", lambda p, option: False)
    same_as_v1(v1, evaluate(data).monthly(), "bare")


def test_a_partial_scope_charges_the_moved_workloads_share_of_staff_by_salaries() -> None:
    # Two workloads: forms (1,000 h at 20 = 20,000 a month) moved whole by a line, letters
    # (500 h at 30 = 15,000) kept in-house. Staff cost 35,000; the scope's share of it by
    # salaries is 20,000 / 35,000, so severance is 2 x 20,000 (the forms team only) and the
    # transition team 0.1 x 20,000.
    case = bare_case()
    forms = dict(case.pop("workload"), name="forms")
    letters = dict(forms, name="letters", volume_per_month=500.0, inhouse={"wage_per_hour": 30.0})
    option = case["options"][0]
    pricing = option.pop("pricing")
    option["lines"] = [{"workload": "forms", "share": 1.0, "pricing": pricing}]
    option["transition"] |= {
        "transition_months": 1,
        "transition_team_share": 0.1,
        "parallel_run_months": 1,
        "severance_months_of_pay": 2.0,
    }
    case["workloads"] = [forms, letters]
    monthly = evaluate(case).monthly()
    np.testing.assert_allclose(
        monthly[("Vendor", "transition.severance_retention")], by_month(m1=40_000), rtol=1e-12
    )
    np.testing.assert_allclose(
        monthly[("Vendor", "transition.knowledge_transfer")], by_month(m1=2_000), rtol=1e-12
    )


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


def test_sensitivity_on_a_wave_month_moves_the_cost_the_right_way() -> None:
    # A later second wave keeps 60 % of the work in-house longer, at 20 a form against 15 with
    # the vendor, and the fixed 1,000 a month with it: month 7 -> 9 costs 2 x (0.6 x 1,000 x 5
    # + 1,000) = 8,000 more, less the lease no longer stranded in months 9-10 (1,000).
    table = sensitivity(
        waved_case(),
        inputs=["options.0.waves.1.month"],
        ranges={"options.0.waves.1.month": (5, 9)},
        metric="tco",
    )
    row = table[table["owner"] == "Vendor"].iloc[0]
    assert (row["low_value"], row["value"], row["high_value"]) == (5, 7, 9)
    assert row["low"] < row["base"] < row["high"], row
    assert row["high"] - row["base"] == pytest.approx(8_000 - 1_000, rel=1e-12)


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


def test_the_cli_shows_an_options_waves_at_80_columns(
    evaluate_at_80: Callable[[Mapping[str, Any]], str],
) -> None:
    data = example("voice_customer_service")
    data["options"][2]["waves"] = [{"month": 1, "share": 0.3}, {"month": 9, "share": 1.0}]
    lines = evaluate_at_80(data).splitlines()
    assert all(len(line.rstrip()) <= 80 for line in lines), lines
    words = " ".join(" ".join(lines).split())  # the delivery line may wrap at 80 columns
    assert "Offshore PH: 100% PH offshore; waves 30% by month 1, 100% by month 9" in words
    assert words.count("waves") == 1  # the other options move at once
