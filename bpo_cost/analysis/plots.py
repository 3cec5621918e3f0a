"""PNG charts of the analyses (matplotlib, an optional extra: ``pip install 'bpo-cost[plot]'``).

matplotlib is imported only when a chart is drawn, through its object-oriented API (no pyplot,
no global backend state), so the library works without it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..engine.components import INHOUSE, display_name
from ..errors import OutputError
from ..files import atomic_write
from ..result import Result
from .inputs import METRIC_LABELS
from .montecarlo import Simulation

__all__ = ["cumulative_cost_png", "savings_distribution_png", "tornado_png"]


def _figure(width: float, height: float) -> Any:
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise OutputError("charts need matplotlib: pip install 'bpo-cost[plot]'") from None
    return Figure(figsize=(width, height), dpi=110, layout="constrained")


def _save(fig: Any, path: str | Path) -> Path:
    return atomic_write(path, lambda tmp: fig.savefig(tmp, format="png"))


def _num(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.4g}"


def tornado_png(
    table: pd.DataFrame,
    path: str | Path,
    *,
    owner: str | None = None,
    top: int = 15,
    currency: str = "",
) -> Path:
    """Tornado chart of one owner from a ``sensitivity`` table (default: the first listed)."""
    owner = owner or str(table["owner"].iloc[0])
    rows = table[table["owner"] == owner].head(top).iloc[::-1]
    base = float(rows["base"].iloc[0]) if len(rows) else 0.0
    fig = _figure(9, 0.35 * len(rows) + 1.6)
    ax = fig.add_subplot()
    y = np.arange(len(rows))
    ax.barh(y, rows["low"] - base, left=base, color="#c0504d", label="input low")
    ax.barh(y, rows["high"] - base, left=base, color="#4f81bd", label="input high")
    ax.axvline(base, color="black", linewidth=0.8)
    ax.set_yticks(
        y,
        [
            f"{i} ({_num(lo)} / {_num(hi)})"
            for i, lo, hi in zip(rows["input"], rows["low_value"], rows["high_value"], strict=True)
        ],
        fontsize=8,
    )
    metric = METRIC_LABELS.get(str(table.attrs.get("metric", "")), "value")
    ax.set_xlabel(f"{metric} {currency}".strip())
    ax.set_title(f"{display_name(owner)}: what moves the {metric} most")
    ax.legend(loc="lower right", fontsize=8)
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
    return _save(fig, path)


def cumulative_cost_png(result: Result, path: str | Path) -> Path:
    """Cumulative cost of in-house and every option, month by month (payback where they cross)."""
    case = result.case
    totals = result.totals().cumsum()
    fig = _figure(9, 5)
    ax = fig.add_subplot()
    for owner in totals.columns:
        ax.plot(
            totals.index,
            totals[owner],
            label=display_name(str(owner)),
            linewidth=2.4 if owner == INHOUSE else 1.5,
            color="black" if owner == INHOUSE else None,
        )
    ax.set_xlabel("month of the term")
    ax.set_ylabel(f"cumulative cost ({case.currency})")
    ax.set_title(f"{case.name}: cumulative cost")
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return _save(fig, path)


def savings_distribution_png(sim: Simulation, path: str | Path) -> Path:
    """Distribution of the NPV of savings of each option (histograms), with P5/P50/P95 marks."""
    values = sim.values("npv_savings")
    options = [o for o in sim.owners if o != INHOUSE]
    fig = _figure(9, 5)
    ax = fig.add_subplot()
    lo, hi = np.percentile(values[:, 1:], [0.5, 99.5])
    bins = np.linspace(lo, hi, 60)
    for j, owner in enumerate(options, start=1):
        p5, p50, p95 = np.percentile(values[:, j], [5, 50, 95])
        ax.hist(
            values[:, j],
            bins=bins,
            alpha=0.45,
            label=f"{owner}: P50 {p50:,.0f} (P5 {p5:,.0f}, P95 {p95:,.0f})",
        )
    ax.axvline(0.0, color="black", linewidth=0.8)
    ax.set_xlabel(f"NPV of savings against in-house ({sim.case.currency})")
    ax.set_ylabel("draws")
    ax.set_title(f"{sim.case.name}: {sim.n:,} draws, seed {sim.seed}")
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
    ax.legend(fontsize=8)
    return _save(fig, path)
