"""Taxes, dated costs and asset sales (issue 15, items 1 and 3): the engine against hand
calculations, the neutral values that change nothing, every face that reads them, bad input."""

from __future__ import annotations

import copy
import json
from typing import Any

import numpy as np
import pytest

from bpo_cost import InvalidCaseError, evaluate, udfs
from bpo_cost.analysis import breakeven, sensitivity, simulate
from bpo_cost.case.examples import example_names, example_path
from bpo_cost.case.io import case_to_pairs, load_case, parse_case
from bpo_cost.cli import main
from bpo_cost.engine.compile import compile_case
from bpo_cost.engine.run import run
from tests.strategies import bare_case
from tests.test_udfs import excel_rows

VENDOR = bare_case()["options"][0]  # 1,000 units at 15: fees of 15,000 a month, no indices


def vendor(**extra: Any) -> dict[str, Any]:
    return {**copy.deepcopy(VENDOR), **extra}


def monthly(result: Any, owner: str, key: str) -> np.ndarray:
    return np.asarray(result.monthly()[(owner, key)].to_numpy(), dtype=float)


# ------------------------------------------------------------------------------ neutral values


@pytest.mark.parametrize("neutral", [{"vat_rate": 0.0}, {"vat_rate": 0.2, "recoverable_share": 1}])
@pytest.mark.parametrize("name", example_names())
def test_vat_that_costs_nothing_changes_nothing_exactly(name: str, neutral: dict[str, Any]) -> None:
    """A zero rate, or a rate wholly recovered: every figure and component bit for bit."""
    case = load_case(example_path(name)).model_dump(mode="json", exclude_none=True)
    for option in case["options"]:  # the untaxed case (the UK example carries VAT)
        option.pop("taxes", None)
    taxed = copy.deepcopy(case)
    for option in taxed["options"]:
        option["taxes"] = neutral
    before, after = evaluate(case), evaluate(taxed)
    for figure in ("tco", "npv_cost", "savings", "npv_savings", "payback_month", "irr", "rank"):
        got, want = getattr(after.summary_arrays, figure), getattr(before.summary_arrays, figure)
        np.testing.assert_array_equal(got, want, err_msg=figure)
    for owner, parts in before.components.by_owner.items():
        for key, values in parts.items():
            np.testing.assert_array_equal(after.components.by_owner[owner][key], values)
        if owner != "inhouse":
            assert not after.components.by_owner[owner]["tax.vat"].any()


def test_empty_lists_bring_no_component() -> None:
    result = evaluate(bare_case(options=[vendor(dated_costs=[], asset_sales=[])]))
    assert "dated_costs" not in result.components.by_owner["Vendor"]
    assert "inhouse.dated_costs" not in result.components.by_owner["inhouse"]


# ----------------------------------------------------------------------------------- VAT by hand


def test_vat_against_a_hand_calculation() -> None:
    """20 % VAT, a quarter recovered, on every vendor charge the methodology names.

    By hand (docs/methodology.md#taxes): in months 1-2 the vendor bills 1,000 x 15 = 15,000,
    credits -0.1 x 0.5 x 15,000 = -750, repeat contacts 0.02 x 15,000 = 300: VAT = 0.2 x 0.75 x
    14,550 = 2,182.50. From month 3 automation deflects 100 units: fees 13,500, credits -675,
    automation 100 x 2 = 200 (+1,000 build in month 3), repeats 270: VAT = 0.15 x 13,295 =
    1,994.25 a month, +150 in month 3. Selection and governance (client costs) are outside it.
    """
    option = vendor(
        taxes={"vat_rate": 0.2, "recoverable_share": 0.25},
        service_credits={"at_risk_share": 0.1, "expected_breach_share": 0.5},
        automation={"share": 0.1, "cost_per_unit": 2.0, "build_cost": 1000.0, "start_month": 3},
        transition={
            **VENDOR["transition"],
            "repeat_rate": 0.02,
            "vendor_selection_cost": 5000.0,
            "governance_share_of_fees": 0.04,
        },
    )
    result = evaluate(bare_case(options=[option]))
    want = np.full(12, 1994.25)
    want[:2] = 2182.5
    want[2] += 150.0
    np.testing.assert_allclose(monthly(result, "Vendor", "tax.vat"), want, rtol=1e-12)
    untaxed = evaluate(bare_case(options=[{**option, "taxes": None}]))
    tco = result.summary_arrays.tco[0, 1] - untaxed.summary_arrays.tco[0, 1]
    assert tco == pytest.approx(2 * 2182.5 + 10 * 1994.25 + 150.0, rel=1e-12)


def test_withholding_gross_up_against_a_hand_calculation() -> None:
    """A 10 % withholding the client bears, beside 20 % VAT (docs/methodology.md#taxes).

    By hand: the vendor bills 1,000 x 15 = 15,000 a month, repeat contacts 0.02 x 15,000 = 300:
    charges of 15,300, grossed up to 15,300 / 0.9 = 17,000, so the tax is 1,700 a month; the VAT
    is still 0.2 x 15,300 = 3,060 (its base is the charges as invoiced).
    """
    option = vendor(
        taxes={"vat_rate": 0.2, "withholding_rate": 0.1},
        transition={**VENDOR["transition"], "repeat_rate": 0.02},
    )
    result = evaluate(bare_case(options=[option]))
    np.testing.assert_allclose(monthly(result, "Vendor", "tax.withholding"), 1700.0, rtol=1e-12)
    np.testing.assert_allclose(monthly(result, "Vendor", "tax.vat"), 3060.0, rtol=1e-12)
    untaxed = evaluate(bare_case(options=[{**option, "taxes": None}]))
    tco = result.summary_arrays.tco[0, 1] - untaxed.summary_arrays.tco[0, 1]
    assert tco == pytest.approx(12 * (1700.0 + 3060.0), rel=1e-12)


def test_a_refund_below_the_collar_lowers_the_vat() -> None:
    """A collar's refund is a negative charge: the VAT base falls with it (a credit note)."""
    collar = {"base_fee_per_month": 10_000.0, "baseline_volume": 2000.0, "dead_band": 0.1}
    pricing = {"model": "per_transaction", "collar": {**collar, "arc": 5.0, "rrc": 4.0}}
    option = vendor(pricing=pricing, taxes={"vat_rate": 0.1})
    # 1,000 units, 800 below the band's floor of 1,800: 10,000 - 4 x 800 = 6,800, VAT 680
    result = evaluate(bare_case(options=[option]))
    np.testing.assert_allclose(monthly(result, "Vendor", "tax.vat"), 680.0, rtol=1e-12)


# ---------------------------------------------------------------------------------- dated costs


def dated_case() -> dict[str, Any]:
    return bare_case(
        inhouse={
            **bare_case()["inhouse"],
            "dated_costs": [
                {"name": "Refresh", "amount": 5000.0, "start_month": 7},
                {"name": "Lease", "amount": 300.0, "start_month": 3, "end_month": 5},
                {"name": "Licence", "amount": 40.0, "start_month": 10, "end_month": 30},
            ],
            "asset_sales": [{"name": "Old kit", "proceeds": 800.0, "month": 8}],
        },
        options=[
            vendor(
                transition={**VENDOR["transition"], "parallel_run_months": 8},
                dated_costs=[{"name": "Platform", "amount": 1200.0, "start_month": 2}],
                asset_sales=[{"name": "Building", "proceeds": 90_000.0, "month": 12}],
            )
        ],
    )


def test_a_dated_cost_lands_in_its_months() -> None:
    result = evaluate(dated_case())
    month = np.arange(1, 13)
    inhouse = (
        5000.0 * (month == 7) + 300.0 * ((month >= 3) & (month <= 5)) + 40.0 * (month >= 10)
    )  # the licence runs past the term: to its end
    np.testing.assert_array_equal(monthly(result, "inhouse", "inhouse.dated_costs"), inhouse)
    np.testing.assert_array_equal(
        monthly(result, "inhouse", "inhouse.asset_sales"), -800.0 * (month == 8)
    )
    np.testing.assert_array_equal(monthly(result, "Vendor", "dated_costs"), 1200.0 * (month == 2))
    np.testing.assert_array_equal(
        monthly(result, "Vendor", "asset_sales"), -90_000.0 * (month == 12)
    )
    # in-house pays them; its total is the 20,000 running cost plus the dated amounts
    np.testing.assert_array_equal(
        result.components.total("inhouse")[0], 20_000.0 + inhouse - 800.0 * (month == 8)
    )


def test_the_parallel_run_carries_the_running_cost_not_the_dated_costs() -> None:
    """A refresh outsourcing avoids is paid by in-house only (docs/methodology.md#dated-costs)."""
    result = evaluate(dated_case())
    month = np.arange(1, 13)
    np.testing.assert_array_equal(
        monthly(result, "Vendor", "transition.parallel_run"), 20_000.0 * (month <= 8)
    )


def test_a_batch_moves_a_dated_cost_per_scenario() -> None:
    """Month counts and amounts are numbers a batch varies: each scenario's cost in its month."""
    case = parse_case(dated_case())
    p = compile_case(
        case,
        {"inhouse.dated_costs.0.start_month": [2, 11], "inhouse.dated_costs.0.amount": [1.0, 2.0]},
    )
    grid = run(p, case.term_months).by_owner["inhouse"]["inhouse.dated_costs"]
    lease = 300.0 * ((np.arange(1, 13) >= 3) & (np.arange(1, 13) <= 5))
    licence = 40.0 * (np.arange(1, 13) >= 10)
    np.testing.assert_array_equal(grid[0], lease + licence + 1.0 * (np.arange(1, 13) == 2))
    np.testing.assert_array_equal(grid[1], lease + licence + 2.0 * (np.arange(1, 13) == 11))


@pytest.mark.parametrize(
    ("dated", "path", "expected"),
    [
        # bare case: in-house 20,000 a month, the vendor 15,000, nothing else, so the option
        # saves 5,000 x 12 = 60,000 over the term; a one-off cost of 60,000 spends it all
        ({"amount": 1.0, "start_month": 7}, "amount", 60_000.0),
        # ... or 60,000 / 9 a month from month 4 to month 12
        ({"amount": 1.0, "start_month": 4, "end_month": 12}, "amount", 60_000.0 / 9.0),
    ],
)
def test_break_even_on_a_dated_cost_against_a_hand_calculation(
    dated: dict[str, Any], path: str, expected: float
) -> None:
    case = bare_case(options=[vendor(dated_costs=[{"name": "Platform", **dated}])])
    b = breakeven(case, f"options.0.dated_costs.0.{path}", owner="Vendor", high=100_000.0)
    assert b.value == pytest.approx(expected, rel=1e-9)


def test_break_even_on_an_in_house_refresh_on_the_npv_basis() -> None:
    # The vendor costs 25,000 a month against in-house 20,000: 5,000 a month more. A refresh
    # in-house in month 7 of X evens the NPV when X v^7 = 5,000 sum_{m=1..12} v^m, with v the
    # monthly discount factor at 10 % a year: v = 1.1 ** (-1 / 12) (Excel's NPV, end of month).
    case = bare_case(discount_rate_annual=0.10)
    case["options"][0]["pricing"]["price"] = 25.0
    case["inhouse"]["dated_costs"] = [{"name": "Refresh", "amount": 1.0, "start_month": 7}]
    v = 1.1 ** (-1 / 12)
    expected = 5000.0 * sum(v**m for m in range(1, 13)) / v**7
    b = breakeven(
        case, "inhouse.dated_costs.0.amount", owner="Vendor", high=200_000.0, basis="npv_cost"
    )
    assert b.value == pytest.approx(expected, rel=1e-9)


# ------------------------------------------------------------------------------ analysis faces


def test_sensitivity_swings_the_vat_rate() -> None:
    case = bare_case(options=[vendor(taxes={"vat_rate": 0.2})])
    table = sensitivity(
        case,
        inputs=["options.0.taxes.vat_rate"],
        ranges={"options.0.taxes.vat_rate": (0.0, 0.25)},
        metric="tco",
    )
    row = table.set_index("owner").loc["Vendor"]
    # 12 months of 15,000: TCO 180,000 at no VAT, 225,000 at 25 %
    assert (row["low"], row["high"]) == pytest.approx((180_000.0, 225_000.0), rel=1e-12)


def test_monte_carlo_draws_a_dated_cost_and_its_month() -> None:
    """Each draw's TCO is the untaxed 12 x 18,000 plus the drawn amount, whatever its month."""
    case = bare_case(
        discount_rate_annual=0.1,
        options=[
            vendor(
                taxes={"vat_rate": 0.2},
                dated_costs=[{"name": "Platform", "amount": 1000.0, "start_month": 3}],
            )
        ],
        uncertainty={
            "options.0.dated_costs.0.amount": {"kind": "uniform", "low": 0, "high": 5000},
            "options.0.dated_costs.0.start_month": {
                "kind": "discrete",
                "values": [2, 9],
                "weights": [0.5, 0.5],
            },
        },
    )
    sim = simulate(case, n=64, seed=7)
    amount, month = sim.draws[:, 0], sim.draws[:, 1]
    assert set(month) == {2.0, 9.0}
    np.testing.assert_allclose(sim.tco[:, 1], 216_000.0 + amount, rtol=1e-12)
    # NPV: the later month discounts the same amount more
    rate = 1.1 ** (1 / 12) - 1
    without = {**case, "options": [vendor(taxes={"vat_rate": 0.2})], "uncertainty": {}}
    base = evaluate(without).summary_arrays
    want = base.npv_cost[0, 1] + amount * (1 + rate) ** -month
    np.testing.assert_allclose(sim.npv_cost[:, 1], want, rtol=1e-12)


# ---------------------------------------------------------------------------- the other faces


def money_case() -> dict[str, Any]:
    case = dated_case()
    case["options"][0]["taxes"] = {"vat_rate": 0.2, "recoverable_share": 0.1}
    return case


def test_excel_case_functions_read_taxes_and_dated_costs() -> None:
    """BPO_TCO of an Inputs range (key, value) holding the new inputs: the engine's columns."""
    case = parse_case(money_case())
    rows = excel_rows(case_to_pairs(case))
    keys = [r[0] for r in rows]
    assert "options.0.taxes.vat_rate" in keys and "inhouse.dated_costs.1.end_month" in keys
    result = evaluate(case)
    table = udfs.BPO_TCO(rows, "Vendor")
    header = table[0]
    for key in ("dated_costs", "asset_sales", "tax.vat"):
        column = [row[header.index(key)] for row in table[1:]]
        np.testing.assert_array_equal(column, monthly(result, "Vendor", key))
    summary = udfs.BPO_SUMMARY(rows)
    assert summary[2][2] == result.summary_arrays.tco[0, 1]  # owner, pricing model, TCO


def test_the_cli_evaluates_and_lists_the_new_components(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "money.json"
    path.write_text(json.dumps(money_case()), encoding="utf-8")
    assert main(["evaluate", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["options"][0]["tco"] == pytest.approx(
        evaluate(money_case()).summary_arrays.tco[0, 1]
    )
    assert main(["components"]) == 0
    listed = capsys.readouterr().out
    for key in ("tax.vat", "dated_costs", "asset_sales", "inhouse.dated_costs"):
        assert key in listed


# ------------------------------------------------------------------------------------ bad input


def _changed(change: Any) -> dict[str, Any]:
    data = parse_case(money_case()).model_dump(mode="json")
    change(data)
    return data


BAD = {
    "recoverable-share-above-one": (
        lambda d: d["options"][0]["taxes"].update(recoverable_share=1.5),
        "options.0.taxes.recoverable_share",
        "1.5",
    ),
    "vat-rate-as-a-percentage": (
        lambda d: d["options"][0]["taxes"].update(vat_rate=20),
        "options.0.taxes.vat_rate",
        "20",
    ),
    "dated-cost-after-the-term": (
        lambda d: d["inhouse"]["dated_costs"][0].update(start_month=13),
        "inhouse.dated_costs.0.start_month",
        "term_months = 12",
    ),
    "option-dated-cost-after-the-term": (
        lambda d: d["options"][0]["dated_costs"][0].update(start_month=40),
        "options.0.dated_costs.0.start_month",
        "after the term",
    ),
    "end-before-start": (
        lambda d: d["inhouse"]["dated_costs"][1].update(end_month=2),
        "inhouse.dated_costs.1.end_month",
        "before its start_month = 3",
    ),
    "sale-after-the-term": (
        lambda d: d["options"][0]["asset_sales"][0].update(month=13),
        "options.0.asset_sales.0.month",
        "after the term",
    ),
    "negative-proceeds": (
        lambda d: d["options"][0]["asset_sales"][0].update(proceeds=-5.0),
        "options.0.asset_sales.0.proceeds",
        "-5",
    ),
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_input_gives_one_line_naming_the_field(name: str) -> None:
    change, field, detail = BAD[name]
    with pytest.raises(InvalidCaseError) as info:
        parse_case(_changed(change))
    message = str(info.value)
    assert "\n" not in message
    assert field in message and detail in message, message


def test_the_cli_refuses_a_recoverable_share_above_one_in_one_line(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.json"
    bad = _changed(BAD["recoverable-share-above-one"][0])
    path.write_text(json.dumps(bad), encoding="utf-8")
    assert main(["evaluate", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "options.0.taxes.recoverable_share" in err[0], err


def test_the_workbook_explains_the_components_the_case_has(tmp_path: Any) -> None:
    """The Method sheet lists taxes and dated costs when an owner has them, and the In-house
    sheet gives the running cost its parallel run reads (the fidelity tests check the values)."""
    import openpyxl

    from bpo_cost.workbook import write_workbook

    wb = openpyxl.load_workbook(write_workbook(money_case(), tmp_path / "money.xlsx"))
    described = [r[0] for r in wb["Method & sources"].iter_rows(values_only=True)]
    for key in ("inhouse.dated_costs", "inhouse.asset_sales", "dated_costs", "tax.vat"):
        assert key in described
    ws = wb["In-house"]
    row = {r[0].value: r[0].row for r in ws.iter_rows(max_col=1) if r[0].value}
    first = row["inhouse.salaries"]
    # the running cost sums the components above the dated ones
    want = f"=SUM(D{first}:D{row['inhouse.dated_costs'] - 1})"
    assert ws.cell(row=row["running_total"], column=4).value == want
