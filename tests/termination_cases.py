"""Cases with a termination (#15 item 4) for the workbook tests: an option ended early on a
live channel with the whole scope, one moved in waves and one partly moved (VAT on both), and
options priced in rupees under a band clause (docs/methodology.md#termination)."""

from __future__ import annotations

from typing import Any

import yaml

from bpo_cost.case.examples import example_path

from .delivery_cases import split_claims

# Three steps, falling as the vendor recovers its set-up cost (analyst assumption: the shape of
# a termination-for-convenience clause, not a quoted schedule).
FEES = [
    {"up_to_month": 24, "amount": 400_000.0},
    {"up_to_month": 36, "amount": 250_000.0},
    {"up_to_month": 48, "amount": 100_000.0},
]


def _example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(example_path(name).read_text(encoding="utf-8"))
    data.pop("uncertainty", None)
    return data


def ended_voice() -> dict[str, Any]:
    """Voice (live, Erlang C), 60 months: "Offshore PH" (the whole queue, a minimum, automation,
    stranded leases) ends in month 30 on the three-step schedule (the second step's fee),
    its own ramp; exit costs not included for the other options."""
    case = _example("voice_customer_service")
    assert case["term_months"] == 60 and case["include_exit_costs"] is False
    offshore = case["options"][2]
    offshore["termination"] = {
        "month": 30,
        "fees": FEES,
        "ramp_months": 4,
        "ramp_start_efficiency": 0.75,
    }
    return case


def ended_claims() -> dict[str, Any]:
    """Back office, 84 months: the split award moved in three waves (the last in month 13) ends
    in month 40 (the last step's fee), with 20 % VAT; the hourly option moving half the claims
    ends in month 20 (the first step's fee), with VAT partly recovered and the default ramp."""
    case = split_claims()
    split, hourly = case["options"][0], case["options"][3]
    split["termination"] = {"month": 40, "fees": FEES, "ramp_months": 6}
    split["taxes"] = {"vat_rate": 0.2}
    hourly["termination"] = {"month": 20, "fees": FEES}
    hourly["taxes"] = {"vat_rate": 0.2, "recoverable_share": 0.3}
    return case


def ended_rupees() -> dict[str, Any]:
    """The UK insurer, 60 months: the rupee-priced line under a band clause ends in month 54
    (after the last step: no fee; the exit cost still due), and the offer moved in waves ends
    at the term (no rehiring or ramp after it)."""
    case = _example("uk_insurer_contact_centre")
    offshore, waves = case["options"][0], case["options"][2]
    assert offshore["lines"][0]["contract_currency"]["clause"] == "band"
    offshore["termination"] = {"month": 54, "fees": FEES}
    waves["termination"] = {"month": 60, "fees": [{"up_to_month": 60, "amount": 50_000.0}]}
    return case


TERMINATION = {
    "ended_voice": ended_voice,
    "ended_claims": ended_claims,
    "ended_rupees": ended_rupees,
}

# The termination month and a fee edited on the Inputs sheet, as an analyst would: month 30 to
# month 42 moves the fee to the third step, the exit, rehiring and ramp with it.
TERMINATION_EDITS = {
    "options.2.termination.month": 42,
    "options.2.termination.fees.2.amount": 120_000.0,
}
