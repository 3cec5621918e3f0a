"""Termination (#15 item 4): ending a contract early, docs/methodology.md#termination.

The contract's checks: a termination month within the term and not before the transition ends,
fee steps in rising months; each refused in one line naming the field.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from bpo_cost import InvalidCaseError, evaluate
from bpo_cost.analysis import scenario_grid, sensitivity, simulate
from bpo_cost.case.examples import example_names, example_path
from bpo_cost.case.io import load_case, parse_case
from bpo_cost.cli import main
from bpo_cost.engine import run as engine_run
from bpo_cost.engine import transition
from bpo_cost.engine.compile import compile_case
from bpo_cost.engine.run import run

from .strategies import bare_case

# bare_case: a 12-month term; the transition below ends in month 4 (knowledge transfer 2
# months, parallel run 4 months from month 1: 1 - 1 + max(2, 4, 1)); with waves at months 3
# and 7, in month 7 - 1 + 4 = 10.
TRANSITION = {"transition_months": 2, "parallel_run_months": 4}
WAVES = [{"month": 3, "share": 0.4}, {"month": 7, "share": 1.0}]

BAD_TERMINATIONS: dict[str, tuple[dict[str, Any], list[dict[str, Any]], str]] = {
    "after-the-term": (
        {"month": 13},
        [],
        "options.0.termination.month = 13 must be within term_months = 12",
    ),
    "before-the-parallel-run-ends": (
        {"month": 3},
        [],
        "options.0.termination.month = 3 is before the transition ends (month 4: the last "
        "wave's knowledge transfer and parallel run): end the contract in month 4 or later",
    ),
    "before-the-last-wave-hands-over": (
        {"month": 9},
        WAVES,
        "options.0.termination.month = 9 is before the transition ends (month 10",
    ),
    "fee-steps-not-rising": (
        {"month": 6, "fees": [{"up_to_month": 6, "amount": 10.0}, {"up_to_month": 6, "amount": 5}]},
        [],
        "options.0.termination.fees.1.up_to_month = 6 must come after the step before it (month 6)",
    ),
    "negative-fee": (
        {"month": 6, "fees": [{"up_to_month": 6, "amount": -10.0}]},
        [],
        "options.0.termination.fees.0.amount",
    ),
    "month-zero": ({"month": 0}, [], "options.0.termination.month"),
    "no-month": ({"fees": []}, [], "options.0.termination.month"),
    "efficiency-above-one": (
        {"month": 6, "ramp_start_efficiency": 1.5},
        [],
        "options.0.termination.ramp_start_efficiency",
    ),
}


def terminated(termination: dict[str, Any], waves: list[dict[str, Any]]) -> dict[str, Any]:
    case = bare_case()
    case["options"][0]["transition"].update(TRANSITION)
    case["options"][0]["termination"] = termination
    if waves:
        case["options"][0]["waves"] = waves
    return case


@pytest.mark.parametrize("name", list(BAD_TERMINATIONS))
def test_bad_termination_is_refused_in_one_line_naming_the_field(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    termination, waves, message = BAD_TERMINATIONS[name]
    case = terminated(termination, waves)
    with pytest.raises(InvalidCaseError) as info:
        parse_case(case)
    assert message in str(info.value)
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case), encoding="utf-8")
    assert main(["evaluate", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert message in err


@pytest.mark.parametrize(("month", "waves"), [(4, []), (12, []), (10, WAVES)])
def test_a_termination_at_the_end_of_the_transition_or_of_the_term_is_valid(
    month: int, waves: list[dict[str, Any]]
) -> None:
    case = parse_case(terminated({"month": month}, waves))
    end = case.options[0].termination
    assert end is not None and end.month == month
    assert (end.ramp_months, end.ramp_start_efficiency, end.fees) == (6, 0.8, [])


# ------------------------------------------------------------------------------- the engine

MONTH = np.arange(1, 13)
HIRE = 1_000.0 + 500.0  # cost per hire + training per hire
AGENTS = 1_000.0 / (2_080.0 / 12.0)  # 1,000 hours a month / 173.33 paid hours: 5.769 FTE
STEPS = [
    {"up_to_month": 6, "amount": 30_000.0},
    {"up_to_month": 9, "amount": 20_000.0},
    {"up_to_month": 11, "amount": 10_000.0},
]


def hand_case(month: int = 8, **option: Any) -> dict[str, Any]:
    """``bare_case`` (1,000 forms of an hour at 20 in-house: 20,000 a month; 15 a form
    outsourced: fees 15,000 a month) with a two-month transition and a termination in
    ``month`` on the fee schedule ``STEPS``, rebuilt in-house over 2 months from 60 %."""
    case = bare_case()
    case["inhouse"] |= {"cost_per_hire": 1_000.0, "training_per_hire": 500.0}
    vendor = case["options"][0]
    vendor["transition"] |= {
        "transition_months": 2,
        "transition_team_share": 0.1,
        "parallel_run_months": 2,
        "severance_months_of_pay": 1.0,
        "governance_share_of_fees": 0.04,
        "repeat_rate": 0.02,
    }
    vendor["termination"] = {
        "month": month,
        "fees": copy.deepcopy(STEPS),
        "ramp_months": 2,
        "ramp_start_efficiency": 0.6,
    }
    vendor |= option
    return case


def row(result: Any, key: str, owner: str = "Vendor") -> np.ndarray:
    return np.asarray(result.components.by_owner[owner][key][0], dtype=float)


def test_a_termination_month_by_month_against_the_hand_calculation() -> None:
    """Terminated in month 8 of 12 (docs/methodology.md#termination), by hand:

    - months 1-8: fees 1,000 x 15 = 15,000; governance 0.04 x 15,000 = 600; quality leakage
      0.02 x 15,000 = 300; months 9-12: none of them (A(m) = [m <= 8]);
    - months 1-2: parallel run 20,000 (the whole in-house cost) and transition team 0.1 x
      20,000 = 2,000; severance 1 month of 20,000 in the hand-over month 2;
    - month 8: exit 0.33 x (8 x 15,000) x 12 / 8 = 0.33 x 180,000 = 59,400 (charged though the
      case leaves exit costs out); fee: the first step whose last month is 8 or later is the
      one up to month 9, 20,000;
    - month 9: rehiring 1,000 h / (2,080 / 12) h = 5.769 FTE x (1,000 + 500) = 8,653.85;
    - months 9-10: ramp, e(9) = 0.6, e(10) = 0.6 + 0.4 x 1 / 2 = 0.8: 20,000 x (1 / 0.6 - 1) =
      13,333.33 and 20,000 x (1 / 0.8 - 1) = 5,000;
    - months 9-12: in-house work kept 20,000 (all of it returned).
    """
    result = evaluate(parse_case(hand_case()))
    served = (MONTH <= 8).astype(float)
    want = {
        "vendor.fees": 15_000.0 * served,
        "governance": 600.0 * served,
        "quality_leakage": 300.0 * served,
        "transition.parallel_run": 20_000.0 * (MONTH <= 2),
        "transition.knowledge_transfer": 2_000.0 * (MONTH <= 2),
        "transition.severance_retention": 20_000.0 * (MONTH == 2),
        "exit": 59_400.0 * (MONTH == 8),
        "termination.fee": 20_000.0 * (MONTH == 8),
        "termination.rehiring": AGENTS * HIRE * (MONTH == 9),
        "termination.ramp": 20_000.0 * (2.0 / 3.0) * (MONTH == 9) + 5_000.0 * (MONTH == 10),
        "inhouse.kept": 20_000.0 * (MONTH >= 9),
    }
    for key, values in want.items():
        np.testing.assert_allclose(row(result, key), values, rtol=1e-12, atol=1e-9, err_msg=key)
    others = set(result.components.by_owner["Vendor"]) - set(want)
    for key in others:
        assert not row(result, key).any(), key
    total = np.asarray(result.components.total("Vendor")[0])
    by_hand = np.array(
        [
            37_900,
            57_900,
            *[15_900] * 5,
            95_300,
            20_000 + 8_653.846153846154 + 13_333.333333333334,
            25_000,
            20_000,
            20_000,
        ],
        dtype=float,
    )
    np.testing.assert_allclose(total, by_hand, rtol=1e-12)
    assert result.summary().loc["Vendor", "tco"] == pytest.approx(by_hand.sum(), rel=1e-12)


@pytest.mark.parametrize(
    ("month", "fee"),
    [(6, 30_000.0), (7, 20_000.0), (9, 20_000.0), (10, 10_000.0), (11, 10_000.0), (12, 0.0)],
)
def test_the_fee_is_the_step_of_the_termination_month(month: int, fee: float) -> None:
    """At a step's last month its fee, the month after the next step's; after the last: none."""
    result = evaluate(parse_case(hand_case(month)))
    np.testing.assert_array_equal(
        row(result, "termination.fee"), np.where(month == MONTH, fee, 0.0)
    )


def test_a_batch_varies_the_termination_month_scenario_by_scenario() -> None:
    """T is a number a batch varies ((n, 1)): each scenario as if evaluated alone, bit for bit."""
    months = [4, 6, 7, 9, 12]
    case = parse_case(hand_case())
    batch = run(compile_case(case, {"options.0.termination.month": months}), 12)
    for j, month in enumerate(months):
        alone = run(compile_case(parse_case(hand_case(month))), 12)
        for key, grid in alone.by_owner["Vendor"].items():
            np.testing.assert_array_equal(batch.by_owner["Vendor"][key][j], grid[0], key)


def test_vat_falls_on_the_fee_and_stops_with_the_service() -> None:
    """VAT 20 % unrecovered: 0.2 x (15,000 fees + 300 leakage) a month to month 8, plus 0.2 x
    20,000 on the fee in month 8; nothing after (the rehiring, ramp and kept work are the
    client's own costs)."""
    result = evaluate(parse_case(hand_case(taxes={"vat_rate": 0.2})))
    want = 0.2 * 15_300.0 * (MONTH <= 8) + 0.2 * 20_000.0 * (MONTH == 8)
    np.testing.assert_allclose(row(result, "tax.vat"), want, rtol=1e-12)


def test_a_termination_at_the_end_of_the_term_brings_no_rehiring_or_ramp() -> None:
    """T = term: the vendor serves every month; the exit on the last 12 months' fees and the
    fee (after the last step: none) fall in month 12; nothing comes back within the term."""
    result = evaluate(
        parse_case(
            hand_case(
                12, termination={"month": 12, "fees": [{"up_to_month": 12, "amount": 7_000.0}]}
            )
        )
    )
    np.testing.assert_allclose(row(result, "exit"), 0.33 * 180_000.0 * (MONTH == 12), rtol=1e-12)
    np.testing.assert_array_equal(row(result, "termination.fee"), 7_000.0 * (MONTH == 12))
    for key in ("termination.rehiring", "termination.ramp", "inhouse.kept"):
        assert not row(result, key).any(), key
    np.testing.assert_array_equal(row(result, "vendor.fees"), np.full(12, 15_000.0))


def untreated(case: dict[str, Any]) -> dict[str, Any]:
    case = copy.deepcopy(case)
    for option in case["options"]:
        option.pop("termination", None)
    return case


def same_before(got: Any, want: Any, owner: str, month: int) -> None:
    """Every component of ``owner`` in months 1 … T (the exit up to T − 1) the same, bit for
    bit, and no work kept in-house that the untreated option does not keep."""
    mine = got.components.by_owner[owner]
    for key, values in want.components.by_owner[owner].items():
        upto = month - 1 if key == "exit" else month
        np.testing.assert_array_equal(mine[key][:, :upto], values[:, :upto], f"{owner} {key}")
    if "inhouse.kept" not in want.components.by_owner[owner]:
        assert not mine["inhouse.kept"][:, :month].any()


@pytest.mark.parametrize("month", [4, 8, 12])
def test_before_the_termination_month_the_option_is_the_untreated_one(month: int) -> None:
    """Every component in months 1 … T − 1 (and all but the exit and the fee in T) as the
    option without the block computes them: the termination changes nothing before it."""
    case = hand_case(month)
    same_before(evaluate(parse_case(case)), evaluate(untreated(case)), "Vendor", month)


@pytest.mark.parametrize("name", example_names())
def test_on_every_example_a_termination_changes_nothing_before_its_month(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each option of each example terminated a year and a month before the end of its term,
    against the untreated option on the same path (a terminated option keeps work, so it takes
    the general path, ``scope.whole_scope``; the v1 cut-over is that path to round-off, as
    tests/test_waves.py checks)."""
    data = load_case(example_path(name)).model_dump(mode="json", exclude_none=True)
    for option in data["options"]:  # against each option run to the end of the term
        option.pop("termination", None)
    month = data["term_months"] - 13
    monkeypatch.setattr(engine_run, "whole_scope", lambda p, option: False)
    monkeypatch.setattr(transition, "whole_scope", lambda p, option: False)
    want = evaluate(data)
    for i, option in enumerate(data["options"]):
        case = copy.deepcopy(data)
        case["options"][i]["termination"] = {"month": month}
        same_before(evaluate(case), want, option["name"], month)


def test_with_waves_and_a_partial_line_the_returned_share_is_rehired_and_ramped() -> None:
    """A line takes 60 % of the forms (9,000 a month at full volume), moved in two waves (half
    in month 2, all in month 4); terminated in month 8. Kept in-house before T: 1,000 x (1 -
    0.6 x S(m)) hours at 20: 20,000 in month 1, 14,000 in months 2-3, 8,000 in months 4-8;
    after T, all of it, 20,000. The returned share s x S(T) = 0.6: rehiring 0.6 x 5.769 FTE x
    1,500 in month 9, ramp 0.6 x the hand figures above."""
    case = hand_case()
    vendor = case["options"][0]
    forms = dict(case.pop("workload"), name="forms")
    case["workloads"] = [forms]
    vendor["lines"] = [{"workload": "forms", "share": 0.6, "pricing": vendor.pop("pricing")}]
    vendor["waves"] = [{"month": 2, "share": 0.5}, {"month": 4, "share": 1.0}]
    result = evaluate(parse_case(case))
    moved = np.where(MONTH >= 4, 1.0, np.where(MONTH >= 2, 0.5, 0.0))
    np.testing.assert_allclose(
        row(result, "vendor.fees"), 9_000.0 * moved * (MONTH <= 8), rtol=1e-12
    )
    np.testing.assert_allclose(
        row(result, "inhouse.kept"),
        np.where(MONTH <= 8, 20_000.0 * (1.0 - 0.6 * moved), 20_000.0),
        rtol=1e-12,
    )
    np.testing.assert_allclose(
        row(result, "termination.rehiring"), 0.6 * AGENTS * HIRE * (MONTH == 9), rtol=1e-12
    )
    np.testing.assert_allclose(
        row(result, "termination.ramp"),
        0.6 * (20_000.0 * (2.0 / 3.0) * (MONTH == 9) + 5_000.0 * (MONTH == 10)),
        rtol=1e-12,
    )
    # the exit on the fees served: months 1-8, 4,500 x 2 + 9,000 x 5 = 54,000, x 12 / 8
    np.testing.assert_allclose(row(result, "exit"), 0.33 * 81_000.0 * (MONTH == 8), rtol=1e-12)


def test_monte_carlo_over_the_termination_month_is_the_same_in_any_chunk() -> None:
    """A drawn termination month: every draw's figures are its month's deterministic ones, bit
    for bit whatever the chunk size; a distribution with no spread is the deterministic case."""
    drawn = {"kind": "discrete", "values": [5, 8, 11], "weights": [0.3, 0.4, 0.3]}
    case = hand_case()
    case["uncertainty"] = {"options.0.termination.month": drawn}
    sims = [simulate(case, n=40, seed=11, chunk_size=size) for size in (7, 16, 40)]
    for sim in sims[1:]:
        np.testing.assert_array_equal(sim.tco, sims[0].tco)
        np.testing.assert_array_equal(sim.npv_cost, sims[0].npv_cost)
    sim = sims[0]
    assert set(sim.draws[:, 0]) == {5.0, 8.0, 11.0}
    for month in (5, 8, 11):
        alone = evaluate(parse_case(hand_case(month))).summary_arrays
        rows = sim.draws[:, 0] == month
        assert (sim.tco[rows] == alone.tco[0]).all()
        assert (sim.npv_cost[rows] == alone.npv_cost[0]).all()
    case["uncertainty"] = {"options.0.termination.month": {"kind": "discrete", "values": [8]}}
    still = simulate(case, n=9, seed=1)
    fixed = evaluate(parse_case(hand_case())).summary_arrays
    assert (still.tco == fixed.tco[0]).all() and (still.npv_cost == fixed.npv_cost[0]).all()


def test_sensitivity_swings_the_termination_month() -> None:
    """Whole months either side: the option's TCO at T = 6 and T = 10, each as evaluated alone."""
    table = sensitivity(
        hand_case(),
        inputs=["options.0.termination.month"],
        ranges={"options.0.termination.month": (6, 10)},
        metric="tco",
    )
    got = table.set_index("owner").loc["Vendor"]
    low, high = (evaluate(parse_case(hand_case(m))).summary().loc["Vendor", "tco"] for m in (6, 10))
    assert (got["low"], got["high"]) == (low, high)


# -------------------------------------------------------------------------------- the faces


def two_options() -> dict[str, Any]:
    """The hand case's terminated option beside the same offer run to the end of the term."""
    case = hand_case()
    whole = copy.deepcopy(case["options"][0])
    whole.pop("termination")
    case["options"].append(whole | {"name": "Whole term"})
    return case


def test_the_python_faces_carry_the_termination() -> None:
    result = evaluate(parse_case(two_options()))
    tidy = result.monthly(tidy=True)
    mine = tidy[(tidy["owner"] == "Vendor") & tidy["component"].str.startswith("termination.")]
    assert mine.groupby("component")["cost"].sum().to_dict() == pytest.approx(
        {
            "termination.fee": 20_000.0,
            "termination.rehiring": AGENTS * HIRE,
            "termination.ramp": 20_000.0 * 2.0 / 3.0 + 5_000.0,
        },
        rel=1e-12,
    )
    options = {o["name"]: o for o in result.to_dict()["options"]}
    assert options["Vendor"]["termination_month"] == 8
    assert "termination_month" not in options["Whole term"]
    # the provider is paid for the months it serves: 8 x 15,000 (credits nil)
    assert result.vendor_spend_by_provider("Vendor") == pytest.approx({"Vendor": 120_000.0})
    assert result.delivery("Vendor") == "ends month 8, the work back in-house"
    assert result.delivery("Whole term") is None


def test_the_cli_table_says_when_an_option_ends_in_80_columns(
    evaluate_at_80: Callable[[Mapping[str, Any]], str],
) -> None:
    out = evaluate_at_80(two_options())
    assert "Vendor: ends month 8, the work back in-house" in " ".join(out.split())
    assert "Whole term:" not in out
    assert max(len(line.rstrip()) for line in out.splitlines()) <= 80


def test_break_even_over_the_month_is_refused_and_the_grid_compares_months(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The break-even search is continuous; a month count is whole, so it is refused in one
    line naming the input, and scenario_grid compares the months instead."""
    path = tmp_path / "ends.yaml"
    path.write_text(yaml.safe_dump(two_options()), encoding="utf-8")
    args = ["breakeven", str(path), "--option", "Vendor", "--input"]
    assert main([*args, "options.0.termination.month"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "options[Vendor].termination.month" in err and "scenario_grid" in err
    grid = scenario_grid(two_options(), {"options.0.termination.month": [6, 10]})
    got = grid[grid["owner"] == "Vendor"].set_index("options.0.termination.month")["tco"]
    for month in (6, 10):
        alone = evaluate(parse_case(hand_case(month))).summary().loc["Vendor", "tco"]
        assert got[month] == alone


def test_the_memo_lists_the_termination_among_the_hidden_costs() -> None:
    from bpo_cost.memo.content import memo_content

    case = two_options()
    case["options"][1]["pricing"]["price"] = 25.0  # dearer than in-house: the terminated one
    case["options"][0]["pricing"]["price"] = 5.0  # is the recommendation
    content = memo_content(evaluate(parse_case(case)), draws=0)
    labels = {label for label, _total, _how in content.hidden}
    assert {"Termination fee", "Rehiring the returned work"} <= labels
    assert "Productivity ramp of the rebuilt in-house team" in labels


def test_excel_case_functions_read_the_termination_block() -> None:
    """The case range (key, value rows) carries the block; BPO_TCO spills its components."""
    from bpo_cost import udfs
    from bpo_cost.case.io import case_to_pairs

    from .test_udfs import excel_rows

    case = parse_case(hand_case())
    rows = excel_rows(case_to_pairs(case))
    keys = [r[0] for r in rows]
    assert "options.0.termination.month" in keys
    assert "options.0.termination.fees.2.amount" in keys
    result = evaluate(case)
    table = udfs.BPO_TCO(rows, "Vendor")
    header = table[0]
    for key in ("termination.fee", "termination.rehiring", "termination.ramp", "inhouse.kept"):
        column = [cells[header.index(key)] for cells in table[1:]]
        np.testing.assert_array_equal(column, row(result, key), key)
