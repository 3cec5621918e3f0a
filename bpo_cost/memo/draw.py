"""The memo's pages, drawn with matplotlib into one PDF (no browser, no LaTeX).

Titles, headings, chart titles and table headers are in title case (``core.text.title_case``);
names of options stay as the case spells them.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import IO, Any

import numpy as np

from ..core.text import title_case
from ..engine.run import NOT_MEANINGFUL, NOT_MEANINGFUL_LEAD
from .content import MemoContent, money, percent

__all__ = ["draw_memo"]

_A4 = (8.27, 11.69)  # inches, portrait
_NAVY, _GREEN, _RED, _GREY = "#1F4E78", "#548235", "#C00000", "#595959"
_PALETTE = ("#1F4E78", "#C55A11", "#548235", "#7030A0", "#BF9000", "#2E75B6", "#A5A5A5")


def _page(plt: Any, title: str, number: int, content: MemoContent) -> Any:
    fig = plt.figure(figsize=_A4)
    fig.text(0.06, 0.965, content.title, fontsize=9, color=_GREY)
    fig.text(0.94, 0.965, f"Decision memo, page {number}", fontsize=9, color=_GREY, ha="right")
    fig.text(0.06, 0.93, title_case(title), fontsize=16, weight="bold", color=_NAVY)
    return fig


def _table(
    fig: Any,
    rect: Sequence[float],
    header: list[str],
    rows: list[list[str]],
    widths: list[float],
    left: frozenset[int] = frozenset({0}),
    fontsize: float = 8,
) -> None:
    """A table; columns in ``left`` (text) read from the left, figures line up on the right."""
    ax = fig.add_axes(rect)
    ax.axis("off")
    table = ax.table(
        cellText=rows,
        colLabels=[title_case(h) for h in header],
        colWidths=widths,
        loc="upper center",
        cellLoc="right",
    )
    table.auto_set_font_size(False)
    table.set_fontsize(fontsize)
    table.scale(1.0, 1.35)
    for (r, c), cell in table.get_celld().items():
        cell.set_edgecolor("#D9D9D9")
        if r == 0:
            cell.set_facecolor(_NAVY)
            cell.get_text().set_color("white")
            cell.get_text().set_weight("bold")
        if r > 0 and c in left:
            cell.get_text().set_ha("left")
            cell._loc = "left"
            cell.PAD = 0.03


def _wrapped(fig: Any, x: float, y: float, text: str, width: int, **kw: Any) -> None:
    fig.text(x, y, "\n".join(textwrap.wrap(text, width)), va="top", **kw)


def _decision_page(plt: Any, c: MemoContent) -> Any:
    fig = _page(plt, "Recommendation", 1, c)
    _wrapped(fig, 0.06, 0.905, c.verdict, 70, fontsize=12, weight="bold")  # inside the margins
    fig.text(
        0.06,
        0.855,
        f"Term {c.term_months} months; figures in {c.currency}; NPV at the case's discount rate.",
        fontsize=9,
        color=_GREY,
    )
    header = ["Option", "Pricing", "TCO", "NPV of cost", "NPV of savings", "Savings %", "Payback"]
    header += ["IRR"]
    rows, notes = [], []  # an IRR that says nothing: "n.m." (not meaningful) and why, below
    for name, r in c.decision.iterrows():
        inhouse = r["pricing_model"] == "inhouse"
        rows.append(
            [
                str(name),
                str(r["pricing_model"]).replace("_", " ").replace("inhouse", "in-house"),
                money(r["tco"]),
                money(r["npv_cost"]),
                "" if inhouse else money(r["npv_savings"]),
                "" if inhouse else percent(r["savings_pct"]),
                ""
                if inhouse
                else ("never" if np.isnan(r["payback_month"]) else f"{r['payback_month']:.0f}"),
                ""
                if inhouse
                else (NOT_MEANINGFUL if r["irr_note"] is not None else percent(r["irr"])),
            ]
        )
        if not inhouse and r["irr_note"] is not None:
            notes.append(f"{name}: {r['irr_note']}")
    fig.text(0.06, 0.82, title_case("Decision table"), fontsize=11, weight="bold")
    widths = [0.18, 0.11, 0.12, 0.12, 0.16, 0.1, 0.08, 0.1]
    _table(fig, [0.06, 0.56, 0.88, 0.25], header, rows, widths, left=frozenset({0, 1}))
    if notes:
        below = 0.80 - 0.02 * (len(rows) + 1) - 0.012
        note = NOT_MEANINGFUL_LEAD + "; ".join(notes)
        _wrapped(fig, 0.06, below, note, 120, fontsize=7.5, color=_GREY)
    # the cost bridge right below the table (a row is about 0.02 of the page): in-house TCO,
    # each step, the recommended option's TCO
    top = 0.80 - 0.02 * (len(rows) + 1) - 0.07
    height = min(0.42, top - 0.08)  # few options: a chart of the usual shape, not a tower
    ax = fig.add_axes([0.12, top - height, 0.82, height])
    labels = [s for s, _ in c.bridge]
    level, bottoms, heights, colours = c.bridge[0][1], [], [], []
    for i, (_, v) in enumerate(c.bridge):
        if i in (0, len(c.bridge) - 1):
            bottoms.append(0.0)
            heights.append(v)
            colours.append(_NAVY)
        else:
            bottoms.append(min(level, level + v))
            heights.append(abs(v))
            colours.append(_GREEN if v < 0 else _RED)
            level += v
    ax.bar(range(len(labels)), heights, bottom=bottoms, color=colours)
    ax.set_xticks(range(len(labels)), ["\n".join(textwrap.wrap(s, 14)) for s in labels], fontsize=7)
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: money(v)))
    ax.tick_params(axis="y", labelsize=7)
    target = c.bridge[-1][0].removesuffix(" TCO")
    ax.set_title(
        title_case(f"Cost bridge: in-house TCO to {target} TCO ({c.currency})", keep=(target,)),
        fontsize=10,
        loc="left",
    )
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def _cost_page(plt: Any, c: MemoContent) -> Any:
    fig = _page(plt, "Cost over the term and the hidden costs", 2, c)
    ax = fig.add_axes([0.1, 0.55, 0.84, 0.33])
    for i, (name, series) in enumerate(c.cumulative.items()):
        ax.plot(np.arange(1, len(series) + 1), series, label=name, color=_PALETTE[i % 7], lw=1.6)
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: money(v)))
    ax.tick_params(labelsize=7)
    ax.set_xlabel("Month", fontsize=8)
    ax.set_title(title_case(f"Cumulative cost ({c.currency})"), fontsize=10, loc="left")
    ax.legend(fontsize=7, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    target = c.bridge[-1][0].removesuffix(" TCO")
    fig.text(
        0.06,
        0.47,
        title_case(f"Hidden costs included for {target} (term totals)", keep=(target,)),
        fontsize=11,
        weight="bold",
    )
    # 7 pt text, both text columns from the left, each cut to what its column holds
    rows = [
        [textwrap.shorten(label, 44), money(total), textwrap.shorten(how, 84)]
        for label, total, how in c.hidden
    ]
    _table(
        fig,
        [0.06, 0.05, 0.88, 0.4],
        ["Cost", c.currency, "How it is computed"],
        rows,
        [0.30, 0.10, 0.60],
        left=frozenset({0, 2}),
        fontsize=7,
    )
    return fig


def _risk_page(plt: Any, c: MemoContent) -> Any:
    fig = _page(plt, "What moves the answer, and the risk", 3, c)
    target = c.bridge[-1][0].removesuffix(" TCO")
    if c.tornado is not None and len(c.tornado):
        t = c.tornado.iloc[::-1]
        ax = fig.add_axes([0.34, 0.63, 0.6, 0.26])
        y = np.arange(len(t))
        ax.barh(y, t["low"] - t["base"], color=_RED, label="Input low")
        ax.barh(y, t["high"] - t["base"], color=_NAVY, label="Input high")
        names = [textwrap.shorten(a[0], 48) for a in c.assumptions][::-1]  # the inputs' labels
        ax.set_yticks(y, names, fontsize=7)
        ax.axvline(0, color="black", lw=0.8)
        ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: money(v)))
        ax.tick_params(axis="x", labelsize=7)
        ax.set_title(
            title_case(f"Change in NPV of savings of {target} ({c.currency})", keep=(target,)),
            fontsize=10,
            loc="left",
        )
        ax.legend(fontsize=7, frameon=False, loc="lower right")
    fig.text(
        0.06, 0.57, title_case("Assumptions that matter, with sources"), fontsize=11, weight="bold"
    )
    rows = [
        [textwrap.shorten(p, 52), v, u, textwrap.shorten(s, 52)] for p, v, u, s in c.assumptions
    ]
    _table(
        fig,
        [0.06, 0.31, 0.88, 0.25],
        ["Input", "Value", "Unit", "Source"],
        rows,
        [0.40, 0.09, 0.13, 0.38],
        frozenset({0, 2, 3}),
        fontsize=7,
    )
    if c.risk is not None:
        fig.text(
            0.06,
            0.27,
            title_case(f"Risk: {c.draws:,} Monte Carlo draws of the case's uncertain inputs"),
            fontsize=11,
            weight="bold",
        )
        rows = [
            [
                str(name),
                money(r["npv_savings_P10"]),
                money(r["npv_savings_P50"]),
                money(r["npv_savings_P90"]),
                percent(r["p_cheaper_than_inhouse"]),
                percent(r["p_cheapest"]),
            ]
            for name, r in c.risk.iterrows()
        ]
        header = ["Option", "NPV savings P10", "P50", "P90", "P(saving)", "P(cheapest)"]
        _table(fig, [0.06, 0.04, 0.88, 0.22], header, rows, [0.28, 0.18, 0.14, 0.14, 0.13, 0.13])
    else:
        fig.text(0.06, 0.27, "Risk: the case has no uncertainty block.", fontsize=9, color=_GREY)
    return fig


def draw_memo(content: MemoContent, path: Path | IO[bytes]) -> None:
    """Draw the memo's three pages into the PDF ``path`` (a file or a binary stream)."""
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    # Figures without pyplot: no global backend or figure registry touched
    plt = SimpleNamespace(
        figure=lambda figsize: Figure(figsize=figsize), FuncFormatter=FuncFormatter
    )

    # TrueType fonts: the text is selectable and extractable (Type 3 glyphs are not)
    with (
        matplotlib.rc_context({"pdf.fonttype": 42, "font.family": "DejaVu Sans"}),
        PdfPages(
            path,
            metadata={
                "Title": f"Decision memo: {content.title}",
                "Creator": "bpo-cost",
                "CreationDate": None,
            },
        ) as pdf,
    ):
        for make in (_decision_page, _cost_page, _risk_page):
            fig = make(plt, content)
            pdf.savefig(fig)
