"""What the decision memo says, as numbers and sentences, from one evaluated case.

Kept apart from the drawing so that a test can compare every figure with the engine, and so that
the text a reader sees is written once: ``money`` and ``percent`` format every figure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..analysis import sensitivity, simulate
from ..case.fields import input_doc, input_label
from ..case.paths import canonical_path
from ..engine.components import COMPONENT_BY_KEY, INHOUSE, OPTION_COMPONENTS, display_name
from ..result import Result

__all__ = ["HIDDEN", "MemoContent", "memo_content", "money", "percent"]

# The costs a vendor's quote leaves out (docs/methodology.md#hidden-costs).
HIDDEN = tuple(
    k
    for k in OPTION_COMPONENTS
    if k.startswith(("transition.", "retained.", "termination."))
    or k in ("governance", "quality_leakage", "exit")
)
# The bridge from in-house TCO to an option's TCO: groups of option components.
BRIDGE = (
    ("Vendor vs in-house", ("vendor.", "fx.")),
    ("Kept in-house", ("inhouse.kept",)),
    ("Automation", ("automation",)),
    ("Transition", ("transition.",)),
    ("Governance", ("governance", "retained.")),
    ("Quality leakage", ("quality_leakage",)),
    ("Exit", ("exit", "termination.")),
    ("Dated costs and sales", ("dated_costs", "asset_sales")),
    ("VAT", ("tax.",)),
)
if sorted(c for c in OPTION_COMPONENTS if not c.startswith(tuple(p for _, g in BRIDGE for p in g))):
    raise RuntimeError("BRIDGE must cover every option component")
TOP_INPUTS = 8  # the tornado and the assumptions table: the inputs that move the answer most


def money(x: float) -> str:
    """A figure in the case currency, whole units: ``1,234,567`` (``-1,234`` when negative)."""
    return f"{x:,.0f}"


def percent(x: float) -> str:
    """A share as a percentage with one decimal: ``62.7%``; "n/a" for NaN."""
    return "n/a" if math.isnan(x) else f"{100 * x:.1f}%"


@dataclass(frozen=True)
class MemoContent:
    """Everything the memo prints; figures are the engine's, unrounded."""

    title: str
    currency: str
    term_months: int
    recommended: str | None  # None: keep in-house
    verdict: str
    decision: pd.DataFrame  # Result.summary() and irr_note, display names as the index
    bridge: list[tuple[str, float]]  # step, change; starts at in-house TCO, ends at the option's
    cumulative: dict[str, np.ndarray]  # owner -> cumulative cost per month
    hidden: list[tuple[str, float, str]]  # label, term total, how it is computed
    tornado: pd.DataFrame | None = None  # the recommended option's top inputs
    assumptions: list[tuple[str, str, str, str]] = field(default_factory=list)
    risk: pd.DataFrame | None = None  # Simulation.summary(), options only
    draws: int = 0


def memo_content(result: Result, *, draws: int = 10_000, seed: int = 1) -> MemoContent:
    """The memo's content: decision, bridge, cumulative cost, hidden costs, tornado and risk.

    ``draws`` Monte Carlo draws (with ``seed``) when the case has an uncertainty block; 0 leaves
    the risk section out.
    """
    case = result.case
    summary = result.summary()
    options = summary.drop(index=INHOUSE)
    best = options.sort_values("npv_cost", kind="stable").iloc[0]
    recommended = str(best.name) if best["npv_savings"] > 0 else None
    if recommended is None:
        verdict = "Keep in-house: no option costs less in NPV."
    else:
        payback = best["payback_month"]
        verdict = (
            f"{recommended} saves {money(best['npv_savings'])} {case.currency} in NPV "
            f"({percent(best['npv_savings'] / summary.loc[INHOUSE, 'npv_cost'])} of in-house "
            "NPV of cost), "
            + (
                f"payback in month {payback:.0f}."
                if not math.isnan(payback)
                else "no payback within the term."
            )
        )
    target = recommended or str(best.name)
    tidy = result.monthly(tidy=True)
    totals = tidy.groupby(["owner", "component"], sort=False)["cost"].sum()
    component_totals = {str(k): float(v) for k, v in totals[target].to_dict().items()}
    tco = summary["tco"].astype(float)
    inhouse_tco = float(tco[INHOUSE])
    bridge: list[tuple[str, float]] = [("In-house TCO", inhouse_tco)]
    for label, prefixes in BRIDGE:
        change = sum(v for c, v in component_totals.items() if c.startswith(prefixes))
        if label == "Vendor vs in-house":
            change -= inhouse_tco
        bridge.append((label, change))
    bridge.append((f"{target} TCO", float(tco[target])))
    monthly = tidy.groupby(["owner", "month"], sort=False)["cost"].sum()
    cumulative = {
        display_name(o): np.cumsum(monthly[o].to_numpy(dtype=float)) for o in result.owners
    }
    hidden = [
        (
            COMPONENT_BY_KEY[k].label,
            component_totals[k],
            COMPONENT_BY_KEY[k].description,
        )
        for k in HIDDEN
        if component_totals.get(k, 0.0) != 0.0
    ]
    table = sensitivity(case)
    tornado = table[table["owner"] == target].head(TOP_INPUTS).reset_index(drop=True)
    tree = case.model_dump(mode="json")
    cards = {r.path: f"Rate card: {r.source}, {r.as_of}" for r in result.rates_used}
    assumptions = []
    for path, value in zip(tornado["path"], tornado["value"], strict=True):
        key = canonical_path(tree, str(path))
        doc = input_doc(case, key)
        if key in cards:
            source = cards[key]
        elif doc.source and doc.default is not None and float(doc.default) == float(value):
            source = f"Default: {doc.source}"
        else:
            source = "Case (the analyst's input)"
        assumptions.append(
            (
                input_label(case, key, unit=False),
                money(value) if abs(value) >= 1000 else f"{value:.4g}",
                doc.unit,
                source,
            )
        )
    risk = None
    if draws and case.uncertainty:
        sim = simulate(case, n=draws, seed=seed)
        risk = sim.summary().drop(index=INHOUSE)
    decision = summary.rename(index=display_name)
    # an IRR that says nothing is shown as its reason, as in the workbook and the CLI
    notes = [result.irr_note(i) for i in range(len(summary))]
    decision["irr_note"] = pd.Series(notes, index=decision.index, dtype=object)  # None stays None
    return MemoContent(
        title=case.name,
        currency=case.currency,
        term_months=case.term_months,
        recommended=recommended,
        verdict=verdict,
        decision=decision,
        bridge=bridge,
        cumulative=cumulative,
        hidden=hidden,
        tornado=tornado,
        assumptions=assumptions,
        risk=risk,
        draws=draws if risk is not None else 0,
    )
