"""Rate cards: bundled data integrity, lookups, aging, user cards and their errors."""

from __future__ import annotations

import ast
import csv
import math
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

import bpo_cost.rates.cards as rates
from bpo_cost._resources import data_dir
from bpo_cost.errors import InputError, RateCardError
from bpo_cost.rates.cards import (
    FUNCTION_IDS,
    Card,
    FunctionPreset,
    RateRef,
    RateRow,
    WageRow,
    age_rate,
    load_cards,
)

RATES = data_dir("rates")
TIERS = {
    "US": "onshore", "GB": "onshore", "CA": "onshore",
    "MX": "nearshore", "CO": "nearshore", "CR": "nearshore", "PL": "nearshore",
    "PH": "offshore", "IN": "offshore", "ZA": "offshore",
}  # fmt: skip
CARD_FILES = ["billing_hourly.csv", "per_transaction.csv", "wages.csv", "functions.csv"]
HEADER = "function,location,tier,currency,unit,low,typical,high,source,as_of,note\n"


def _voice(location: str, statistic: rates.Statistic = "typical") -> dict[str, str]:
    return {
        "card": "billing_hourly",
        "function": "customer_service_voice",
        "location": location,
        "statistic": statistic,
    }


def test_all_is_exactly_the_public_names() -> None:
    tree = ast.parse(Path(rates.__file__).read_text(encoding="utf-8"))
    defined: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            defined.add(node.name)
        elif isinstance(node, ast.Assign):
            defined |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            defined.add(node.target.id)
    assert {n for n in defined if not n.startswith("_")} == set(rates.__all__)


# ------------------------------------------------------------------------- bundled cards


def _raw(name: str) -> list[dict[str, str]]:
    with open(RATES / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("name", CARD_FILES)
def test_every_bundled_row_has_a_source_and_an_iso_date(name: str) -> None:
    rows = _raw(name)
    assert rows
    for row in rows:
        assert row["source"].strip(), row
        assert date.fromisoformat(row["as_of"]) <= date(2026, 12, 31), row


@pytest.mark.parametrize("name", CARD_FILES)
def test_every_bundled_row_validates(name: str) -> None:
    models: dict[str, type[BaseModel]] = {"wages.csv": WageRow, "functions.csv": FunctionPreset}
    model = models.get(name, RateRow)
    for row in _raw(name):
        model.model_validate(row)  # raises on any bad cell


def test_every_source_key_is_listed_in_sources_md() -> None:
    listed = set(re.findall(r"^\| `([a-z0-9-]+)` \|", (RATES / "SOURCES.md").read_text(), re.M))
    used = {key for name in CARD_FILES for row in _raw(name) for key in row["source"].split(";")}
    assert used <= listed, used - listed


@pytest.mark.parametrize("card", ["billing_hourly", "per_transaction", "wage"])
def test_low_typical_high_are_ordered_on_every_row(card: Card) -> None:
    for row in load_cards().rows(card):
        assert 0 <= row.low <= row.typical <= row.high, row.key


def test_presets_handle_times_are_ordered() -> None:
    for p in load_cards().presets.values():
        assert 0 < p.handle_minutes_low <= p.handle_minutes_typical <= p.handle_minutes_high


def test_every_function_and_location_has_a_billing_rate_and_a_wage() -> None:
    cards = load_cards()
    both: tuple[Card, ...] = ("billing_hourly", "wage")
    for card in both:
        keys = {(r.function, r.location) for r in cards.rows(card)}
        assert keys == {(f, loc) for f in FUNCTION_IDS for loc in TIERS}, card
    assert set(cards.presets) == set(FUNCTION_IDS)
    every: tuple[Card, ...] = ("billing_hourly", "per_transaction", "wage")
    for card in every:
        for row in cards.rows(card):
            assert row.tier == TIERS[row.location], row.key


def test_per_transaction_covers_the_common_units() -> None:
    units = {r.unit for r in load_cards().rows("per_transaction")}
    assert {"contact", "claim", "invoice", "payslip", "ticket"} <= units


def test_on_costs_and_wage_inflation_are_one_value_per_location() -> None:
    by_location: dict[str, set[tuple[float, float, float]]] = {}
    for row in load_cards().rows("wage"):
        assert isinstance(row, WageRow)
        by_location.setdefault(row.location, set()).add(
            (row.benefits_load, row.payroll_tax, row.wage_inflation_per_year)
        )
    assert all(len(v) == 1 for v in by_location.values()), by_location


def test_per_transaction_rows_follow_their_stated_derivation() -> None:
    # README: price = billing rate x handle minutes / 60 / occupancy, recomputed by hand from
    # the published billing card and presets (rounded to cents in the card).
    cards = load_cards()
    for row in cards.rows("per_transaction"):
        preset = cards.preset(row.function)
        assert row.unit == preset.unit
        for stat in ("low", "typical", "high"):
            rate = cards.lookup(
                card="billing_hourly", function=row.function, location=row.location, statistic=stat
            ).value
            minutes = getattr(preset, f"handle_minutes_{stat}")
            expected = rate * minutes / 60 / preset.occupancy
            assert getattr(row, stat) == pytest.approx(expected, abs=0.006), (row.key, stat)


# --------------------------------------------------------------------------------- lookups


def test_lookup_returns_the_published_figure_with_its_provenance() -> None:
    cards = load_cards()
    rate = cards.lookup(_voice("PH"))
    assert rate.value == 10.0  # ATSOutsource: Philippines customer service USD 8-12/h, midpoint
    assert (rate.currency, rate.unit, rate.tier) == ("USD", "hour", "offshore")
    assert rate.source == "ats-ph"
    assert rate.key == ("billing_hourly", "customer_service_voice", "PH", "hour")
    wage = cards.lookup(card="wage", function="payroll", location="US", statistic="high")
    assert wage.value == 30.45  # BLS OEWS May 2023, 43-3051 payroll clerks, 75th percentile
    assert wage.as_of == date(2023, 5, 1)


def test_lookup_accepts_a_ref_a_mapping_or_keywords() -> None:
    cards = load_cards()
    fields = dict(card="per_transaction", function="payroll", location="IN", statistic="low")
    ref = RateRef.model_validate(fields)
    assert cards.lookup(ref) == cards.lookup(fields) == cards.lookup(**fields)
    assert cards.lookup(ref, statistic="high").value > cards.lookup(ref).value
    assert cards.lookup(ref, unit="payslip").unit == "payslip"


def test_rate_ref_forbids_unknown_fields() -> None:
    with pytest.raises(ValidationError, match="extra"):
        RateRef.model_validate(
            {
                "card": "wage",
                "function": "payroll",
                "location": "US",
                "statistic": "typical",
                "currency": "USD",
            }
        )


def test_missing_rate_names_the_request_and_lists_what_is_available() -> None:
    cards = load_cards()
    with pytest.raises(RateCardError) as info:
        cards.lookup(card="per_transaction", function="legal", location="US", statistic="typical")
    message = str(info.value)
    assert "'legal at US'" in message
    assert "for legal: none" in message  # legal is billed by the hour
    assert "at US: customer_service_voice" in message and "payroll" in message
    with pytest.raises(RateCardError, match=r"for payroll: US, GB, CA, .*ZA; at BR: none"):
        cards.lookup(card="wage", function="payroll", location="BR", statistic="typical")
    with pytest.raises(RateCardError, match="units there: payslip"):
        cards.lookup(
            card="per_transaction",
            function="payroll",
            location="US",
            statistic="typical",
            unit="invoice",
        )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"statistic": "median"}, "rate reference statistic must be one of low, typical, high"),
        ({"card": "wages"}, "rate reference card must be one of billing_hourly"),
        ({"location": "usa"}, "rate reference location must be an ISO 3166"),
        ({"function": "helpdesk"}, "rate reference function must be one of customer_service"),
    ],
    ids=["statistic", "card", "location", "function"],
)
def test_malformed_reference_is_a_rate_card_error(fields: dict[str, str], message: str) -> None:
    ref = dict(card="wage", function="payroll", location="US", statistic="typical") | fields
    with pytest.raises(RateCardError, match=message):
        load_cards().lookup(ref)


# ----------------------------------------------------------------------------------- aging


def test_age_rate_against_a_hand_calculation() -> None:
    # 2024-03-01 -> 2026-03-01 is 365 (to 2025-03-01, across 2024-12-31) + 365 = 730 days,
    # 730 / 365.25 = 1.998631 years; 1.05 ** 1.998631 = 1.1025 * 1.05 ** -0.001369
    # = 1.1025 * 0.99993321 = 1.10242636 (hand, ln 1.05 = 0.0487902).
    aged = age_rate(100.0, as_of=date(2024, 3, 1), to=date(2026, 3, 1), inflation_per_year=0.05)
    assert aged == pytest.approx(110.242636, rel=1e-7)
    # A leap year ages by 366/365.25 = 1.0020534 years:
    # 1.04 ** 1.0020534 = 1.04 * exp(0.0020534 * 0.0392207) = 1.04 * 1.0000805 = 1.0400838.
    aged = age_rate(100.0, as_of=date(2024, 1, 1), to=date(2025, 1, 1), inflation_per_year=0.04)
    assert aged == pytest.approx(104.00838, rel=1e-6)


def test_age_rate_edges() -> None:
    day = date(2025, 6, 30)
    assert age_rate(12.5, as_of=day, to=day, inflation_per_year=0.5) == 12.5
    assert age_rate(12.5, as_of=day, to=day + timedelta(days=900), inflation_per_year=0.0) == 12.5
    assert age_rate(10.0, as_of=day, to=day - timedelta(days=365), inflation_per_year=0.1) < 10
    for bad in (-1.0, math.nan, math.inf):
        with pytest.raises(InputError, match="inflation_per_year must be"):
            age_rate(10.0, as_of=day, to=day, inflation_per_year=bad)


dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))


@given(dates, dates, dates, st.floats(min_value=-0.5, max_value=0.5))
def test_aging_is_path_independent(a: date, b: date, c: date, inflation: float) -> None:
    via_b = age_rate(
        age_rate(100.0, as_of=a, to=b, inflation_per_year=inflation),
        as_of=b,
        to=c,
        inflation_per_year=inflation,
    )
    assert via_b == pytest.approx(
        age_rate(100.0, as_of=a, to=c, inflation_per_year=inflation), rel=1e-9
    )


def test_resolve_ages_with_the_location_wage_inflation() -> None:
    cards = load_cards()
    ref = RateRef.model_validate(_voice("PH"))
    resolved = cards.resolve(ref, to=date(2026, 1, 1))
    # PH wage inflation 5.6% (WTW); 2024-01-01 -> 2026-01-01 is 366 + 365 = 731 days.
    assert resolved.inflation_per_year == 0.056
    assert resolved.value == pytest.approx(10.0 * 1.056 ** (731 / 365.25), rel=1e-12)
    assert (resolved.original_value, resolved.as_of, resolved.to) == (
        10.0,
        date(2024, 1, 1),
        date(2026, 1, 1),
    )
    assert resolved.source == "ats-ph"
    flat = cards.resolve(ref, to=date(2030, 1, 1), inflation_per_year=0.0)
    assert flat.value == 10.0 and flat.inflation_per_year == 0.0


# ------------------------------------------------------------------------------ user cards


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_user_rows_win_over_bundled_rows(tmp_path: Path) -> None:
    card = _write(
        tmp_path / "billing_hourly.csv",
        HEADER + "customer_service_voice,PH,offshore,USD,hour,7,9.5,11,Quote A 2025,"
        "2025-06-01,signed\n"
        + "customer_service_voice,BR,nearshore,USD,hour,9,11,13,Quote B,2025-06-01,\n",
    )
    cards = load_cards(card)
    mine = cards.lookup(_voice("PH"))
    assert (mine.value, mine.source, mine.as_of) == (9.5, "Quote A 2025", date(2025, 6, 1))
    assert cards.lookup(_voice("BR", "low")).value == 9.0
    assert cards.lookup(_voice("US")).value == 50.0  # bundled row, untouched
    assert len(cards.rows("billing_hourly")) == 201
    assert load_cards().lookup(_voice("PH")).value == 10.0  # the cached bundle is unchanged


def test_user_folder_with_wages_and_presets(tmp_path: Path) -> None:
    _write(
        tmp_path / "wages.csv",
        "function,location,tier,currency,unit,low,typical,high,benefits_load,payroll_tax,"
        "wage_inflation_per_year,source,as_of,note\n"
        "payroll,PH,offshore,USD,hour,3,3.4,4,0.4,0,0.08,Payroll extract 2025,2025-01-01,\n",
    )
    _write(
        tmp_path / "functions.csv",
        "function,label,family,unit,real_time,handle_minutes_low,handle_minutes_typical,"
        "handle_minutes_high,shrinkage,occupancy,source,as_of\n"
        "payroll,Payroll,finance,payslip,false,3,4,5,0.25,0.9,Time study,2025-02-01\n",
    )
    cards = load_cards(str(tmp_path))
    assert cards.wage_inflation("PH", "payroll") == 0.08
    assert cards.wage_inflation("PH", "legal") == 0.056  # other functions keep the bundled value
    assert cards.preset("payroll").handle_minutes_typical == 4.0
    resolved = cards.resolve(
        {"card": "wage", "function": "payroll", "location": "PH", "statistic": "typical"},
        to=date(2026, 1, 1),
    )
    assert resolved.value == pytest.approx(3.4 * 1.08 ** (365 / 365.25), rel=1e-12)


BAD_ROWS = [
    (
        "billing_hourly.csv",
        HEADER + "legal,US,onshore,USD,hour,1,2,3,s,2024-01-01,\n"
        "legal,PH,offshore,USD,hour,7,abc,11,s,2024-01-01,\n",
        "billing_hourly.csv row 3 column typical must be a number >= 0: got 'abc'",
    ),
    (
        "billing_hourly.csv",
        HEADER + "legal,USA,onshore,USD,hour,1,2,3,s,2024-01-01,\n",
        "row 2 column location must be an ISO 3166 alpha-2 code",
    ),
    (
        "billing_hourly.csv",
        HEADER + "legal,US,onshore,USD,hour,1,2,3,s,01/02/2024,\n",
        r"row 2 column as_of must be an ISO date \(YYYY-MM-DD\): got '01/02/2024'",
    ),
    (
        "billing_hourly.csv",
        HEADER + "legal,US,onshore,USD,hour,1,2,-3,s,2024-01-01,\n",
        "row 2 column high must be a number >= 0: got '-3'",
    ),
    (
        "billing_hourly.csv",
        HEADER + "legal,US,onshore,USD,hour,5,4,6,s,2024-01-01,\n",
        r"row 2 column typical must be a number >= low \(5\): got '4'",
    ),
    (
        "billing_hourly.csv",
        HEADER + "legal,US,offshoree,USD,hour,1,2,3,s,2024-01-01,\n",
        "row 2 column tier must be one of onshore, nearshore, offshore: got 'offshoree'",
    ),
    (
        "billing_hourly.csv",
        HEADER + "legal,US,onshore,USD,hour,1,2,3,,2024-01-01,\n",
        "row 2 column source must be a non-empty text",
    ),
    (
        "billing_hourly.csv",
        HEADER + "legal,US,onshore,USD,hour,1,2,3,s,2024-01-01,\n"
        "legal,US,onshore,USD,hour,1,2,3,s,2024-01-01,\n",
        r"row 3 key must be unique \(row 2 has it\): got 'legal/US/hour'",
    ),
    (
        "billing_hourly.csv",
        HEADER.replace(",note", ",comment") + "x\n",
        "header column 'comment' must be one of function, location",
    ),
    (
        "billing_hourly.csv",
        "function,location\nlegal,US\n",
        r"header must be complete \(add the columns tier, currency,",
    ),
    (
        "wages.csv",
        "function,location,tier,currency,unit,low,typical,high,benefits_load,"
        "payroll_tax,wage_inflation_per_year,source,as_of\n"
        "payroll,US,onshore,USD,hour,20,25,30,0.25,0.0765,4,s,2024-01-01\n",
        r"row 2 column wage_inflation_per_year must be a decimal rate per year in \(-1, 1\]",
    ),
    (
        "functions.csv",
        "function,label,family,unit,real_time,handle_minutes_low,"
        "handle_minutes_typical,handle_minutes_high,shrinkage,occupancy,source,as_of\n"
        "payroll,Payroll,finance,payslip,maybe,3,4,5,0.3,0.85,s,2024-01-01\n",
        "row 2 column real_time must be true or false: got 'maybe'",
    ),
]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    BAD_ROWS,
    ids=[
        "not-a-number",
        "location",
        "date",
        "negative",
        "order",
        "tier",
        "no-source",
        "duplicate",
        "unknown-column",
        "missing-columns",
        "percent-not-decimal",
        "bool",
    ],
)
def test_malformed_user_card_names_file_row_and_column(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    path = _write(tmp_path / name, text)
    with pytest.raises(RateCardError, match=message) as info:
        load_cards(path)
    assert str(info.value).startswith(str(path))


def test_user_card_paths_are_checked(tmp_path: Path) -> None:
    with pytest.raises(RateCardError, match="user_card must be an existing CSV file or folder"):
        load_cards(tmp_path / "nope.csv")
    with pytest.raises(RateCardError, match="user_card must be a folder holding card CSV"):
        load_cards(tmp_path)
    _write(tmp_path / "quotes.csv", HEADER)
    with pytest.raises(RateCardError, match=r"file name must be one of billing_hourly.csv"):
        load_cards(tmp_path)


# ------------------------------------------------------------------------------- listing


def test_frame_lists_rows_for_the_cli() -> None:
    cards = load_cards()
    everything = cards.frame()
    assert len(everything) == 200 + 100 + 200
    payroll = cards.frame(function="payroll")
    assert set(payroll["function"]) == {"payroll"}
    assert len(payroll) == 30  # billing, per-payslip and wage rows for 10 locations
    us = cards.frame(location="US")
    assert set(us["location"]) == {"US"} and set(us["card"]) == {
        "billing_hourly",
        "per_transaction",
        "wage",
    }
    wage = cards.frame(function="payroll", location="US").set_index("card").loc["wage"]
    assert (wage["typical"], wage["payroll_tax"]) == (25.11, 0.0765)
    assert list(everything.columns[:9]) == [
        "card",
        "function",
        "location",
        "tier",
        "unit",
        "currency",
        "low",
        "typical",
        "high",
    ]
    with pytest.raises(RateCardError, match="function must be one of customer_service_voice"):
        cards.frame(function="Payroll")
    with pytest.raises(RateCardError, match="location must be one of US, GB"):
        cards.frame(location="BR")
