"""Termination (#15 item 4): ending a contract early, docs/methodology.md#termination.

The contract's checks: a termination month within the term and not before the transition ends,
fee steps in rising months; each refused in one line naming the field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bpo_cost import InvalidCaseError
from bpo_cost.case.io import parse_case
from bpo_cost.cli import main

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
