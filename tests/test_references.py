"""Cases that cite rate cards evaluate exactly like the same case with the numbers typed in."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from bpo_cost import InputError, RateRef, evaluate, load_cards

from .strategies import bare_case

WAGE = {"card": "wage", "function": "data_entry", "location": "US", "statistic": "typical"}
PRICE = {
    "card": "per_transaction",
    "function": "claims_processing",
    "location": "IN",
    "statistic": "low",
}


def test_card_references_equal_typed_numbers():
    cards = load_cards()
    start = dt.date(2027, 1, 1)
    wage = cards.resolve(RateRef(**WAGE), to=start).value
    price = cards.resolve(RateRef(**PRICE), to=start).value
    option = bare_case()["options"][0]
    by_ref = bare_case(
        inhouse={"wage_per_hour": WAGE},
        options=[{**option, "pricing": {"model": "per_transaction", "price": PRICE}}],
    )
    typed = bare_case(
        inhouse={"wage_per_hour": wage},
        options=[{**option, "pricing": {"model": "per_transaction", "price": price}}],
    )
    a, b = evaluate(by_ref), evaluate(typed)
    np.testing.assert_array_equal(a.monthly().to_numpy(), b.monthly().to_numpy())
    assert [u.path for u in a.rates_used] == ["inhouse.wage_per_hour", "options.0.pricing.price"]
    assert all(u.source and u.as_of for u in a.rates_used)
    assert b.rates_used == []


def test_reference_is_aged_from_its_date_to_the_case_start():
    cards = load_cards()
    rate = cards.lookup(RateRef(**WAGE))
    result = evaluate(bare_case(inhouse={"wage_per_hour": WAGE}))
    years = (dt.date(2027, 1, 1) - rate.as_of).days / 365.25
    inflation = cards.wage_inflation("US", "data_entry")
    assert result.rates_used[0].value == pytest.approx(
        rate.value * (1 + inflation) ** years, rel=1e-12
    )


def test_reference_in_another_currency_is_refused():
    with pytest.raises(InputError, match=r"inhouse.wage_per_hour.*EUR"):
        evaluate(bare_case(currency="EUR", inhouse={"wage_per_hour": WAGE}))


def test_unknown_reference_names_what_is_available():
    bad = {**PRICE, "location": "FR"}
    with pytest.raises(InputError, match="FR"):
        evaluate(bare_case(inhouse={"wage_per_hour": bad}))


def test_user_card_wins(tmp_path):
    card = tmp_path / "wages.csv"
    bundled = load_cards().frame(function="data_entry", location="US")
    row = bundled[bundled["card"] == "wage"].iloc[0]
    header = (
        "function,location,tier,currency,unit,low,typical,high,benefits_load,payroll_tax,"
        "wage_inflation_per_year,source,as_of,note"
    )
    card.write_text(
        f"{header}\ndata_entry,US,onshore,USD,hour,30,31,32,{row['benefits_load']},"
        f"{row['payroll_tax']},0,my survey,2027-01-01,own data\n"
    )
    result = evaluate(bare_case(inhouse={"wage_per_hour": WAGE}), rate_cards=card)
    assert result.rates_used[0].value == pytest.approx(31.0)
    assert result.rates_used[0].source == "my survey"
