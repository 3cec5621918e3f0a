"""How an option delivers each workload, as the option sheets refer to it: delivery lines with
their shares, the migration waves' path S(t) and the hand-over path H(t).

An option delivers a workload by the option's pricing (the whole workload, billed with the other
such workloads) or by its lines (each a share of the workload, billed on its own). An option
without waves whose every workload is delivered whole keeps the sheet of a v1 option: the same
rows and keys (``Delivery.whole``); otherwise a line's rows are keyed by its tag
(``vendor_volume[voice line 2]``) and the option's sheet shows its scope, its waves and the work
still in-house (docs/methodology.md#pricing, contract semantics in ``engine``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..case.models import Automation, Case, Line, Option, Pricing
from .grid import MONTH
from .refs import input_name as n
from .workloads import WorkloadRef, workload_refs

__all__ = [
    "Delivery",
    "deliveries",
    "full_scope",
    "handover_formula",
    "scope_formula",
    "wave_formula",
]


@dataclass(frozen=True)
class Delivery:
    """One way option ``option`` delivers a workload: a line, or the option's pricing."""

    option: int
    line: int | None  # the line's index; None: the option's pricing
    workload: WorkloadRef
    pricing: Pricing
    model: Line | None
    sole: bool  # the workload's only delivery, of the whole workload (a v1 row)

    @property
    def prefix(self) -> str:
        """Input prefix of the line (``options.0.lines.1.``), or of the option."""
        p = f"options.{self.option}."
        return p if self.line is None else f"{p}lines.{self.line}."

    @property
    def pricing_prefix(self) -> str:
        return self.prefix + "pricing."

    @property
    def tag(self) -> str:
        """The delivery in row keys: the workload's name, ``voice line 2`` among several lines."""
        if self.sole or self.line is None:
            return self.workload.name
        if not self.workload.several:
            return f"line {self.line + 1}"
        return f"{self.workload.name} line {self.line + 1}"

    def key(self, key: str) -> str:
        """A row key of this delivery: the workload's (``vendor_volume``, ``vendor_volume[chat]``)
        for a v1 row, else tagged (``vendor_volume[chat line 2]``)."""
        return self.workload.key(key) if self.sole else f"{key}[{self.tag}]"

    def label(self, text: str) -> str:
        return self.workload.label(text) if self.sole else f"{self.tag}: {text}"

    def clause(self, field: str) -> str:
        """Input prefix of a clause (escalator, service_credits, automation): the line's own
        where it sets one, else the option's."""
        own = self.model is not None and getattr(self.model, field) is not None
        return (self.prefix if own else f"options.{self.option}.") + field + "."

    def has_own(self, field: str) -> bool:
        return self.model is not None and getattr(self.model, field) is not None

    def automation(self, case: Case) -> Automation | None:
        """The automation clause that applies (the line's, else the option's)."""
        o = case.options[self.option]
        own = self.model.automation if self.model is not None else None
        return own if own is not None else o.automation


def full_scope(case: Case, o: Option) -> bool:
    """Whether the option moves every workload whole in month 1 and keeps it to the end of the
    term, as a v1 option does (the engine's ``scope.whole_scope``; a terminated option keeps
    the returned work): its in-house work and transition keep the v1 rows."""
    return (
        o.termination is None
        and not o.waves
        and all(case.line_shares(o, w) == 1.0 for w in case.workloads)
    )


def deliveries(case: Case, i: int) -> list[Delivery]:
    """Option ``i``'s deliveries, workload by workload in case order, lines in option order."""
    o = case.options[i]
    out: list[Delivery] = []
    for w in workload_refs(case):
        ways = case.deliveries(o, w.model)
        for j, pricing in ways:
            line = None if j is None else o.lines[j]
            sole = len(ways) == 1 and (line is None or line.share == 1.0)
            out.append(Delivery(i, j, w, pricing, line, sole))
    return out


def scope_formula(case: Case, i: int, w: WorkloadRef) -> str:
    """The option's scope s_w of a workload (``Case.line_shares``), live on the lines' shares."""
    o = case.options[i]
    shares = [
        n(f"options.{i}.lines.{j}.share") for j, x in enumerate(o.lines) if x.workload == w.name
    ]
    if shares:
        return "+".join(shares)
    return "0" if o.pricing is None else "1"


def wave_formula(i: int, o: Option) -> str:
    """S(t): the cumulative share of the last wave with month <= t (0 before the first)."""
    expr = "0"
    for k in range(len(o.waves)):
        w = f"options.{i}.waves.{k}."
        expr = f"IF({MONTH}>={n(w + 'month')},{n(w + 'share')},{expr})"
    return expr


def handover_formula(i: int, o: Option) -> str:
    """H(t) = sum_k d_k [t >= m_k + P]: the moved share whose parallel run has ended."""
    prm = n(f"options.{i}.transition.parallel_run_months")
    terms, before = [], "0"
    for k in range(len(o.waves)):
        w = f"options.{i}.waves.{k}."
        terms.append(f"({n(w + 'share')}-{before})*({MONTH}>={n(w + 'month')}+{prm})")
        before = n(w + "share")
    return "+".join(terms) if terms else f"({MONTH}>=1+{prm})*1"
