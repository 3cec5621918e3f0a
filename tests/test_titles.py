"""Headings in title case with proper acronyms, and wrapped text given the rows it needs (issue
"CFO-ready", items 2 and 5): the rules every sheet and the memo share."""

from __future__ import annotations

import pytest

from bpo_cost.core.text import title_case
from bpo_cost.workbook.styles import wrap_height


@pytest.mark.parametrize(
    ("text", "keep", "want"),
    [
        ("NPV of savings", (), "NPV of Savings"),
        ("npv of cost", (), "NPV of Cost"),  # a metric label lower-cased inside a sentence
        ("IRR (annual)", (), "IRR (Annual)"),
        ("P(cheaper than in-house)", (), "P(Cheaper than In-House)"),
        ("Cost per unit", (), "Cost per Unit"),
        ("Sensitivity: what moves the tco most", (), "Sensitivity: What Moves the TCO Most"),
        ("Risk: a view", (), "Risk: A View"),  # a small word after a colon starts a title
        (
            "Option: Offshore IN tiers (per_transaction)",
            ("Offshore IN tiers",),
            "Option: Offshore IN tiers (per_transaction)",
        ),  # a name and a code as written
        (
            "Bridge: in-house TCO to each option's TCO",
            (),
            "Bridge: In-House TCO to Each Option's TCO",
        ),
        ("Erlang B: B(n) for n0 agents", (), "Erlang B: B(n) for n0 Agents"),
        ("TCO P10", (), "TCO P10"),
        ("", (), ""),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_title_case(text: str, keep: tuple[str, ...], want: str) -> None:
    assert title_case(text, keep=keep) == want


def test_a_kept_name_is_kept_even_where_it_holds_small_words() -> None:
    assert title_case("Hidden costs for the in and out team", keep=("the in and out team",)) == (
        "Hidden Costs for the in and out team"
    )


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("", 40, 1),
        ("short text", 40, 1),
        ("word " * 20, 40, 3),  # 48 characters a line at width 40: 9 words of 5
        ("x" * 100, 40, 3),  # one word longer than a line takes lines of its own
        # 23 characters a line: "see", then the 53-character address on three lines of its own
        ("see https://example.org/a-long-path-without-spaces-at-all", 20, 4),
        ("one\ntwo", 40, 2),
    ],
)
def test_wrap_height_counts_the_lines_a_spreadsheet_wraps_to(
    text: str, width: float, lines: int
) -> None:
    assert wrap_height(text, width) == 15.0 * lines
