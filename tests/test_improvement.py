"""The optimised in-house baseline: ``inhouse.improvement`` (productivity per year, automation).

Golden values are hand calculations on ``bare_case`` (tests/strategies.py): 1,000 forms a month
of 60 minutes each, in-house at $20/hour with no loads, no inflation, no supervision cost, so
today's in-house cost is exactly 1,000 h x $20 = $20,000 a month.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from bpo_cost import InvalidCaseError, evaluate, load_case, sensitivity, simulate
from bpo_cost.case.examples import example_path
from bpo_cost.cli import main
from bpo_cost.engine.compile import numeric_inputs
from bpo_cost.engine.components import INHOUSE, keys_of

from .strategies import bare_case

PATH = {
    "productivity_per_year": 0.10,
    "automation": {"share": 0.2, "cost_per_unit": 0.5, "build_cost": 1000.0, "start_month": 7},
}


def improved(improvement: dict[str, Any] | None = PATH, **overrides: Any) -> dict[str, Any]:
    case = bare_case(term_months=24, **overrides)
    case["inhouse"]["improvement"] = improvement
    return case


def test_month_by_month_hand_calculation() -> None:
    """Months 1-6: 1,000 h x $20 = 20,000. Month 7 (automation starts, year 1): the agents
    handle 800 forms = 800 h -> 16,000; automation 200 x 0.50 = 100, plus the 1,000 build.
    Months 8-12: 16,100. Year 2 (months 13-24): 800 h x (1 - 0.10) = 720 h -> 14,400, + 100."""
    want = [20_000.0] * 6 + [17_100.0] + [16_100.0] * 5 + [14_500.0] * 12
    r = evaluate(improved())
    np.testing.assert_allclose(r.components.total(INHOUSE)[0], want, rtol=1e-12)
    parts = r.components.by_owner[INHOUSE]
    automation = [0.0] * 6 + [1_100.0] + [100.0] * 17
    np.testing.assert_allclose(parts["inhouse.automation"][0], automation, rtol=1e-12)
    salaries = [20_000.0] * 6 + [16_000.0] * 6 + [14_400.0] * 12
    np.testing.assert_allclose(parts["inhouse.salaries"][0], salaries, rtol=1e-12)
    assert r.summary_arrays.tco[0, 0] == pytest.approx(391_600.0, rel=1e-12)
    # the staffing figures are the ones priced: 1,000, 800, 720 h over 2,080 / 12 paid hours
    staff = r.staffing()
    paid = staff[(staff.owner == INHOUSE) & (staff.workload == "main")]
    paid = paid[paid.measure == "paid_fte"].set_index("month")["value"]
    np.testing.assert_allclose(paid[[1, 7, 13]], np.array([1000, 800, 720]) / (2080 / 12))


def test_the_improvement_component_is_there_only_with_a_path() -> None:
    assert tuple(evaluate(improved()).components.by_owner[INHOUSE]) == (
        *keys_of("inhouse"),
        "inhouse.automation",
    )
    assert tuple(evaluate(bare_case()).components.by_owner[INHOUSE]) == keys_of("inhouse")


@pytest.mark.parametrize(
    "zero",
    [
        {"productivity_per_year": 0.0},
        {
            "productivity_per_year": 0.0,
            "automation": {"share": 0.0, "cost_per_unit": 0.0, "build_cost": 0.0},
        },
    ],
)
@pytest.mark.parametrize("name", ["voice_customer_service", "contact_centre_multichannel"])
def test_zero_improvement_is_no_improvement_exactly(name: str, zero: dict[str, Any]) -> None:
    today = load_case(example_path(name))
    data = today.model_dump(mode="json", exclude_none=True)
    data["inhouse"]["improvement"] = zero
    a, b = evaluate(today), evaluate(data)
    for figure in ("tco", "npv_cost", "savings", "npv_savings", "payback_month", "rank"):
        got, want = getattr(b.summary_arrays, figure), getattr(a.summary_arrays, figure)
        np.testing.assert_array_equal(got, want, err_msg=figure)
    for owner in a.components.owners:
        for key, values in a.components.by_owner[owner].items():
            np.testing.assert_array_equal(b.components.by_owner[owner][key], values, key)
    assert not b.components.by_owner[INHOUSE]["inhouse.automation"].any()


def test_the_transition_is_charged_on_todays_operation() -> None:
    """Outsourcing replaces the improvement path: the parallel run, transition team and
    severance cost the operation as it runs today, not one that builds automation."""
    transition = {
        "transition_months": 3,
        "transition_team_share": 0.1,
        "parallel_run_months": 8,
        "severance_months_of_pay": 2.0,
    }
    base = bare_case(term_months=24)
    base["options"][0]["transition"] |= transition
    better = improved()
    better["options"][0]["transition"] |= transition
    a, b = evaluate(base), evaluate(better)
    for key, values in a.components.by_owner["Vendor"].items():
        np.testing.assert_array_equal(b.components.by_owner["Vendor"][key], values, key)
    parallel = b.components.by_owner["Vendor"]["transition.parallel_run"][0]
    assert parallel[6] == pytest.approx(20_000.0)  # month 7: no build cost, today's team
    assert b.summary_arrays.tco[0, 0] < a.summary_arrays.tco[0, 0]


@pytest.mark.parametrize(
    ("improvement", "field", "value"),
    [
        ({"productivity_per_year": -0.05}, "inhouse.improvement.productivity_per_year", "-0.05"),
        ({"productivity_per_year": 1.0}, "inhouse.improvement.productivity_per_year", "1"),
        (
            {"automation": {"share": 1.0, "cost_per_unit": 0.5}},
            "inhouse.improvement.automation.share",
            "1",
        ),
        (
            {"automation": {"share": 0.2, "cost_per_unit": -1.0}},
            "inhouse.improvement.automation.cost_per_unit",
            "-1",
        ),
        (
            {"automation": {"share": 0.2, "cost_per_unit": 0.5, "start_month": 25}},
            "inhouse.improvement.automation.start_month",
            "25",
        ),
    ],
)
def test_bad_input_names_the_field(improvement: dict[str, Any], field: str, value: str) -> None:
    with pytest.raises(InvalidCaseError) as info:
        evaluate(improved(improvement))
    lines = [line for line in str(info.value).splitlines() if field in line]
    assert len(lines) == 1, str(info.value)
    assert value in lines[0]


def test_cli_bad_input_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(improved({"productivity_per_year": -0.05})), encoding="utf-8")
    assert main(["evaluate", str(path)]) == 2
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(err) == 1 and "inhouse.improvement.productivity_per_year" in err[0], err


def test_cli_json_and_csv_carry_the_component(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "improved.yaml"
    path.write_text(yaml.safe_dump(improved()), encoding="utf-8")
    assert main(["evaluate", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["inhouse"]["tco"] == pytest.approx(391_600.0, rel=1e-12)  # the hand calculation
    assert main(["evaluate", str(path), "--csv", str(tmp_path)]) == 0
    rows = (tmp_path / "components.csv").read_text(encoding="utf-8")
    assert sum("inhouse,inhouse.automation" in line for line in rows.splitlines()) == 24


def test_the_new_fields_vary_in_sensitivity_and_monte_carlo() -> None:
    case = improved()
    paths = {
        "inhouse.improvement.productivity_per_year",
        "inhouse.improvement.automation.share",
        "inhouse.improvement.automation.build_cost",
        "inhouse.improvement.automation.start_month",
    }
    assert paths <= set(numeric_inputs(load_case(case)))
    tornado = sensitivity(case, inputs=sorted(paths), metric="tco")
    ih = tornado[tornado["owner"] == INHOUSE].set_index("path")
    assert (ih.loc[sorted(paths), "swing"] > 0).all()
    # more productivity: a cheaper in-house (tco falls as the gain rises)
    row = ih.loc["inhouse.improvement.productivity_per_year"]
    assert row["high"] < row["base"] < row["low"]
    case["uncertainty"] = {
        "inhouse.improvement.productivity_per_year": {
            "kind": "triangular",
            "low": 0.0,
            "mode": 0.1,
            "high": 0.2,
        }
    }
    sim = simulate(case, n=200, seed=1)
    gain, ih_tco = sim.draws[:, 0], sim.tco[:, 0]
    assert np.corrcoef(gain, ih_tco)[0, 1] < -0.99  # the in-house TCO falls with the gain
    assert ih_tco.max() <= 20_000.0 * 24
