"""Prices in a contract currency: the engine against hand calculations (#15 item 2)."""

from __future__ import annotations

import copy
import math
from typing import Any

import numpy as np
import pytest
import yaml

from bpo_cost import evaluate, example_path
from bpo_cost.case.io import parse_case
from bpo_cost.errors import InvalidCaseError

OPTION = 0  # claims: "Offshore IN tiers", per-transaction tiers


def claims() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(example_path("claims_back_office").read_text())
    return data


def parts(data: dict[str, Any]) -> dict[str, np.ndarray]:
    result = evaluate(parse_case(data))
    owner = result.case.options[OPTION].name
    return {k: np.asarray(v) for k, v in result.components.by_owner[owner].items()}


def priced_in(data: dict[str, Any], rate: float, **clause: Any) -> dict[str, Any]:
    """The option's prices written in rupees at ``rate`` USD per INR: the same prices / rate."""
    out = copy.deepcopy(data)
    option = out["options"][OPTION]
    for tier in option["pricing"]["tiers"]:
        tier["price"] = tier["price"] / rate
    option["contract_currency"] = {"code": "INR", "rate": rate, **clause}
    return out


def test_a_rate_of_1_in_the_case_currency_changes_nothing_exactly() -> None:
    data = claims()
    want = parts(data)
    data["options"][OPTION]["contract_currency"] = {"code": "USD", "rate": 1.0}
    got = parts(data)
    assert set(got) == set(want) | {"fx.adjustment"}
    for key, value in want.items():
        assert np.array_equal(got[key], value), key
    assert not got["fx.adjustment"].any()


def test_prices_in_rupees_at_a_constant_rate_cost_the_same() -> None:
    data = claims()
    want, got = parts(data), parts(priced_in(data, 0.012, clause="client"))
    for key, value in want.items():
        np.testing.assert_allclose(got[key], value, rtol=1e-12, err_msg=key)
    assert not got["fx.adjustment"].any()


def movement(month: np.ndarray, drift: float) -> np.ndarray:
    """The rate's movement by hand: (1 + drift)^((month - 1) / 12) - 1."""
    return (1.0 + drift) ** ((month - 1.0) / 12.0) - 1.0


@pytest.mark.parametrize("drift", [0.08, -0.08])
def test_the_client_clause_passes_the_whole_movement_on(drift: float) -> None:
    got = parts(priced_in(claims(), 0.012, clause="client", drift_per_year=drift))
    invoice = got["vendor.fees"] + got["vendor.service_credits"]  # no gainshare or KPI here
    month = np.arange(1, invoice.shape[1] + 1.0)
    np.testing.assert_allclose(got["fx.adjustment"], invoice * movement(month, drift), rtol=1e-12)


@pytest.mark.parametrize("drift", [0.08, -0.08])
def test_a_band_shares_only_the_movement_beyond_it_both_ways(drift: float) -> None:
    data = priced_in(
        claims(), 0.012, clause="band", drift_per_year=drift, band=0.05, client_share=0.5
    )
    got = parts(data)
    invoice = got["vendor.fees"] + got["vendor.service_credits"]
    month = np.arange(1, invoice.shape[1] + 1.0)
    m = movement(month, drift)
    # inside the band (|m| <= 5 %: the first ~8 months at 8 %/yr) nothing moves
    inside = np.abs(m) <= 0.05
    assert inside[:7].all() and not inside[-1]
    assert not got["fx.adjustment"][:, inside].any()
    want = invoice * 0.5 * np.sign(m) * np.maximum(np.abs(m) - 0.05, 0.0)
    np.testing.assert_allclose(got["fx.adjustment"], want, rtol=1e-12, atol=1e-9)
    assert math.copysign(1.0, got["fx.adjustment"][0, -1]) == math.copysign(1.0, drift)


def test_the_provider_clause_fixes_the_price_in_the_case_currency() -> None:
    got = parts(priced_in(claims(), 0.012, clause="provider", drift_per_year=-0.2))
    assert not got["fx.adjustment"].any()


def test_a_line_may_carry_its_own_currency() -> None:
    data = priced_in(claims(), 0.012, clause="client", drift_per_year=0.08)
    option = data["options"][OPTION]
    want = parts(data)
    option["lines"] = [
        {"pricing": option.pop("pricing"), "contract_currency": option.pop("contract_currency")}
    ]
    got = parts(data)
    for key, value in want.items():
        np.testing.assert_allclose(got[key], value, rtol=1e-12, err_msg=key)
    assert got["fx.adjustment"].any()


def test_the_case_currency_at_a_rate_other_than_1_is_refused() -> None:
    data = claims()
    data["options"][OPTION]["contract_currency"] = {"code": "USD", "rate": 0.9}
    with pytest.raises(InvalidCaseError, match=r"options\.0\.contract_currency\.rate = 0\.9"):
        parse_case(data)


@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        ("code", "rupees", "options.0.contract_currency.code"),
        ("band", -0.1, "options.0.contract_currency.band"),
        ("client_share", 1.5, "options.0.contract_currency.client_share"),
        ("rate", 0, "options.0.contract_currency.rate"),
        ("clause", "shared", "options.0.contract_currency.clause"),
    ],
)
def test_bad_currency_input_names_the_field(field: str, value: Any, said: str) -> None:
    data = claims()
    data["options"][OPTION]["contract_currency"] = {"code": "INR", "rate": 0.012, field: value}
    with pytest.raises(InvalidCaseError, match=said.replace(".", r"\.")):
        parse_case(data)


def test_the_exchange_rate_at_which_the_offshore_option_breaks_even() -> None:
    """The option's cost is linear in the rate (every vendor charge and what scales with it is
    proportional to it; the rest does not move), so two evaluations give the crossing by hand."""
    from bpo_cost.analysis.breakeven import breakeven
    from bpo_cost.engine.components import INHOUSE

    data = priced_in(claims(), 0.012, clause="band", drift_per_year=-0.05)

    def tco(rate: float) -> tuple[float, float]:
        case = copy.deepcopy(data)
        case["options"][OPTION]["contract_currency"]["rate"] = rate
        summary = evaluate(parse_case(case)).summary()
        name = case["options"][OPTION]["name"]
        return float(summary.loc[name, "tco"]), float(summary.loc[INHOUSE, "tco"])

    (at_1, inhouse), (at_2, _) = tco(0.01), tco(0.02)
    slope = (at_2 - at_1) / 0.01
    by_hand = 0.01 + (inhouse - at_1) / slope
    name = data["options"][OPTION]["name"]
    got = breakeven(data, f"options.{OPTION}.contract_currency.rate", owner=name)
    assert got.exact
    assert math.isclose(got.value, by_hand, rel_tol=1e-9)


def _card_priced(currency: dict[str, Any] | None) -> dict[str, Any]:
    """Claims with the hourly option billed per productive hour at the PH rate card (USD)."""
    data = claims()
    option = data["options"][3]
    option["pricing"] |= {
        "basis": "productive_hour",
        "minimum_billed_per_month": 0,
        "rate": {
            "card": "billing_hourly",
            "function": "claims_processing",
            "location": "PH",
            "statistic": "typical",
        },
    }
    if currency is not None:
        option["contract_currency"] = currency
    return data


def test_a_rate_card_in_the_case_currency_converts_to_the_contract_currency() -> None:
    from bpo_cost.api import resolve_rates

    usd, _ = resolve_rates(parse_case(_card_priced(None)))
    php, used = resolve_rates(
        parse_case(_card_priced({"code": "PHP", "rate": 0.018, "clause": "client"}))
    )
    want = usd.options[3].pricing.rate  # type: ignore[union-attr]
    got = php.options[3].pricing.rate  # type: ignore[union-attr]
    assert math.isclose(got, want / 0.018, rel_tol=1e-15)
    assert "converted at 0.018 USD" in used[-1].detail
    # and the option costs the same in dollars as before
    np.testing.assert_allclose(
        evaluate(php).components.by_owner[php.options[3].name]["vendor.fees"],
        evaluate(usd).components.by_owner[usd.options[3].name]["vendor.fees"],
        rtol=1e-12,
    )


def test_a_rate_card_in_the_contract_currency_is_taken_as_it_is() -> None:
    from bpo_cost.api import resolve_rates

    data = _card_priced({"code": "USD", "rate": 1.0})
    data["currency"] = "EUR"  # a euro case, the option priced in dollars from the dollar card
    data["options"][3]["contract_currency"]["rate"] = 0.92
    eur, _ = resolve_rates(parse_case(data))
    usd, _ = resolve_rates(parse_case(_card_priced(None)))
    assert eur.options[3].pricing.rate == usd.options[3].pricing.rate  # type: ignore[union-attr]


def test_a_rate_card_in_a_third_currency_is_refused_naming_the_field() -> None:
    from bpo_cost.api import resolve_rates
    from bpo_cost.errors import InputError

    data = _card_priced({"code": "INR", "rate": 0.0095})
    data["currency"] = "GBP"
    with pytest.raises(InputError, match=r"options\.3\.pricing\.rate .*USD rate card"):
        resolve_rates(parse_case(data))


def test_vat_falls_on_the_currency_movement_too() -> None:
    """VAT is on the moved price the vendor invoices (docs/methodology.md#taxes)."""
    data = priced_in(claims(), 0.012, clause="client", drift_per_year=0.08)
    data["options"][OPTION]["taxes"] = {"vat_rate": 0.2, "recoverable_share": 0.25}
    got = parts(data)
    charges = (
        got["vendor.fees"]
        + got["vendor.gainshare"]
        + got["vendor.kpi_adjustment"]
        + got["vendor.service_credits"]
        + got["automation"]
        + got["transition.productivity_dip"]
        + got["quality_leakage"]
        + got["fx.adjustment"]
    )
    np.testing.assert_allclose(got["tax.vat"], 0.2 * 0.75 * charges, rtol=1e-12)
    assert got["fx.adjustment"][0, -1] > 0


def test_monte_carlo_on_the_drift_shows_currency_risk() -> None:
    """A distribution on the drift spreads the option's cost; a zero-width one does not."""
    from bpo_cost.analysis.montecarlo import simulate

    data = priced_in(claims(), 0.012, clause="client")
    key = f"options.{OPTION}.contract_currency.drift_per_year"
    name = data["options"][OPTION]["name"]
    data["uncertainty"] = {key: {"kind": "uniform", "low": -0.15, "high": 0.15}}
    tco = simulate(data, n=400, seed=7).frame()[name]
    assert tco.std() > 0.01 * tco.mean()
    data["uncertainty"] = {key: {"kind": "triangular", "low": 0.0, "mode": 0.0, "high": 0.0}}
    deterministic = float(evaluate(parse_case(data)).summary().loc[name, "tco"])
    assert (simulate(data, n=50, seed=7).frame()[name] == deterministic).all()
