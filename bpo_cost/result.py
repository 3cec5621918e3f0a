"""The answer for one case: monthly components and the decision summary, as frames and JSON."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ._types import FloatArray
from .case.models import Case
from .core.timeline import yearly_index
from .engine.compile import compile_case
from .engine.components import INHOUSE
from .engine.run import Components, Summary, irr_caveat, workload_volumes
from .engine.scope import service_path
from .engine.vendor import billings, vendor_components
from .engine.workforce import staffing_figures

if TYPE_CHECKING:  # pandas loads on first use: it is half the import time of bpo_cost
    import pandas as pd

__all__ = ["RateUsed", "Result"]


@dataclass(frozen=True)
class RateUsed:
    """A rate-card value a case referred to: where it went, what it was, where it came from."""

    path: str
    value: float
    source: str
    as_of: str
    detail: str


def _num(x: float) -> float | None:
    return None if not math.isfinite(x) else float(x)  # JSON has no NaN or infinity


@dataclass(frozen=True)
class Result:
    """In-house and every option of a case, evaluated. ``owners``: ``"inhouse"`` then options."""

    case: Case
    components: Components
    summary_arrays: Summary
    rates_used: list[RateUsed] = field(default_factory=list)

    @property
    def owners(self) -> list[str]:
        return self.components.owners

    @property
    def months(self) -> FloatArray:
        return np.arange(1.0, self.case.term_months + 1.0)

    @property
    def dates(self) -> list[dt.date]:
        s = self.case.start
        return [
            dt.date(s.year + (s.month - 1 + i) // 12, (s.month - 1 + i) % 12 + 1, 1)
            for i in range(self.case.term_months)
        ]

    def pricing_model(self, owner: str) -> str:
        if owner == INHOUSE:
            return "inhouse"
        return next(self.case.pricing_model(o) for o in self.case.options if o.name == owner)

    def lines(self, owner: str) -> list[dict[str, Any]]:
        """How an option delivers the work, one record per delivery: ``workload``, ``share`` of
        its volume, ``provider`` and ``location`` (the line's, else the option's) and
        ``pricing_model``; a workload billed by the option's pricing is one record of share 1,
        and a workload's share not delivered stays in-house. Empty for in-house."""
        options = {o.name: o for o in self.case.options}
        if owner == INHOUSE:
            return []
        o = options[owner]
        out = []
        for w in self.case.workloads:
            for k, pricing in self.case.deliveries(o, w):
                line = None if k is None else o.lines[k]
                where = o.location if line is None or line.location is None else line.location
                out.append(
                    {
                        "workload": w.name,
                        "share": 1.0 if line is None else line.share,
                        "provider": (o.provider if line is None else line.provider) or o.provider,
                        "location": {"tier": where.tier, "country": where.country},
                        "pricing_model": pricing.model,
                    }
                )
        return out

    def vendor_spend_by_provider(self, owner: str) -> dict[str, float]:
        """An option's vendor invoices over the term (fees, gainshare, KPI adjustment and
        service credits: the ``vendor.*`` components) by provider, a line's provider else the
        option's (else its name): a split award pays each provider its lines. Empty for
        in-house."""
        if owner == INHOUSE:
            return {}
        p = compile_case(self.case)
        j = [o.name for o in p.options].index(owner)
        option, o = p.options[j], self.case.options[j]
        months = self.months[None, :]
        invoices: list[FloatArray] = []
        vendor_components(
            p,
            option,
            workload_volumes(p, months),
            months,
            yearly_index(p.inflation_per_year, months),
            invoices,
        )
        served = service_path(option, months)  # nothing after a termination
        out: dict[str, float] = {}
        for b, invoice in zip(billings(p, option), invoices, strict=True):
            invoice = invoice * served[:, : invoice.shape[1]]
            line = None if b.line is None else o.lines[b.line]
            who = (line.provider if line is not None else None) or o.provider or o.name
            out[who] = out.get(who, 0.0) + float(invoice[0].sum())
        return out

    def delivery(self, owner: str) -> str | None:
        """An option's delivery in a few words, or None for one place, one provider, the whole
        scope: ``80% PH offshore, 20% US onshore`` (``voice: …; chat: …`` with several
        workloads), a provider named where the lines' providers differ, what stays in-house
        (``10% in-house``), the waves, and an early end (``ends month 36, the work back
        in-house``)."""
        records = self.lines(owner)
        if not records:
            return None
        o = next(x for x in self.case.options if x.name == owner)
        places = {(r["provider"], r["location"]["country"], r["location"]["tier"]) for r in records}
        kept = any(self.case.line_shares(o, w) < 1.0 for w in self.case.workloads)
        simple = len(places) == 1 and not kept and not o.waves
        if simple and o.termination is None:
            return None
        several = len(self.case.workloads) > 1
        named = len({r["provider"] for r in records}) > 1
        parts = []
        for w in self.case.workloads if not simple else ():
            mine = [r for r in records if r["workload"] == w.name]
            text = [
                f"{r['share']:.0%} {r['location']['country']} {r['location']['tier']}"
                + (f" ({r['provider']})" if named and r["provider"] else "")
                for r in mine
            ]
            rest = 1.0 - sum(r["share"] for r in mine)
            if rest > 1e-9:
                text.append(f"{rest:.0%} in-house")
            parts.append((f"{w.name}: " if several else "") + ", ".join(text))
        if o.waves:
            parts.append("waves " + ", ".join(f"{x.share:.0%} by month {x.month}" for x in o.waves))
        if o.termination is not None:
            parts.append(f"ends month {o.termination.month}, the work back in-house")
        return "; ".join(parts)

    def summary(self) -> pd.DataFrame:
        """One row per owner: TCO, NPV of cost, savings, payback, IRR, cost per unit, rank."""
        import pandas as pd

        s = self.summary_arrays
        frame = pd.DataFrame(
            {
                "pricing_model": [self.pricing_model(o) for o in s.owners],
                "tco": s.tco[0],
                "npv_cost": s.npv_cost[0],
                "savings": s.savings[0],
                "savings_pct": s.savings_pct[0],
                "npv_savings": s.npv_savings[0],
                "payback_month": s.payback_month[0],
                "irr": s.irr[0],
                "cost_per_unit": s.cost_per_unit[0],
                "rank": s.rank[0].astype(int),
            },
            index=pd.Index(s.owners, name="owner"),
        )
        return frame

    def monthly(self, *, tidy: bool = False) -> pd.DataFrame:
        """Monthly components: wide (months × (owner, component)) or tidy (one row per value)."""
        import pandas as pd

        cols = {
            (owner, name): values[0]
            for owner, parts in self.components.by_owner.items()
            for name, values in parts.items()
        }
        wide = pd.DataFrame(cols, index=pd.Index(self.months.astype(int), name="month"))
        wide.columns = pd.MultiIndex.from_tuples(list(cols), names=["owner", "component"])
        if not tidy:
            return wide
        long = wide.stack(["owner", "component"], future_stack=True).rename("cost").reset_index()  # type: ignore[call-overload]
        dates = pd.to_datetime(self.dates)  # datetime64: resample, filter and plot by date
        long["date"] = dates[long["month"].to_numpy(dtype=int) - 1]
        return long[["owner", "component", "month", "date", "cost"]]

    def staffing(self, *, wide: bool = False) -> pd.DataFrame:
        """Staffing figures behind the costs, per month, owner and workload.

        Tidy (default): one row per month, owner, workload and measure, with columns ``month``,
        ``date``, ``owner``, ``workload``, ``measure``, ``value``. Workload ``all`` holds each
        owner's totals and the pooled in-house figures (supervisors, seats). Measures
        (``engine.workforce.MEASURES``): volume, deflected, agents (per interval, live
        channels), productive_fte, paid_fte, billed_hours or billed_fte (hourly vendors),
        supervisors, seats. ``wide=True``: months × (owner, workload, measure).
        """
        import pandas as pd

        figures = staffing_figures(compile_case(self.case), self.case.term_months)
        wide_frame = pd.DataFrame(
            {key: values[0] for key, values in figures.items()},
            index=pd.Index(self.months.astype(int), name="month"),
        )
        wide_frame.columns = pd.MultiIndex.from_tuples(
            list(figures), names=["owner", "workload", "measure"]
        )
        if wide:
            return wide_frame
        n = self.case.term_months
        keys = list(figures)
        dates = pd.to_datetime(self.dates)
        return pd.DataFrame(
            {
                "month": np.tile(np.arange(1, n + 1), len(keys)),
                "date": np.tile(dates, len(keys)),
                "owner": np.repeat([k[0] for k in keys], n),
                "workload": np.repeat([k[1] for k in keys], n),
                "measure": np.repeat([k[2] for k in keys], n),
                "value": np.concatenate([figures[k][0] for k in keys]),
            }
        )

    def totals(self) -> pd.DataFrame:
        """Monthly total cost per owner."""
        import pandas as pd

        return pd.DataFrame(
            {o: self.components.total(o)[0] for o in self.owners},
            index=pd.Index(self.months, name="month"),
        )

    def irr_note(self, owner: int) -> str | None:
        """Why the IRR of owner ``owner`` (column of the summary) is not meaningful, or None."""
        s = self.summary_arrays
        return irr_caveat(
            float(s.irr[0, owner]),
            float(s.payback_month[0, owner]),
            float(s.investment_share[0, owner]),
            float(s.savings[0, owner]),
        )

    def to_dict(self, *, staffing: bool = False) -> dict[str, Any]:
        """A JSON-ready result: case, currency, in-house figures, options ranked, rates used.

        ``discounting`` names the timing convention of every NPV. Each option carries its
        ``irr`` and, beside it, ``irr_meaningful`` (false when there is no IRR or it says
        nothing) and ``irr_note``, the reason (e.g. "payback in month 3, up-front cost under
        1% of savings"; null when meaningful or absent). An option with delivery lines carries
        its ``lines``; one ended early its ``termination_month``.

        ``staffing=True`` adds ``staffing``: one record per owner, workload and measure with
        its monthly ``values`` (as ``staffing()``).
        """
        s = self.summary_arrays

        def figures(i: int, *names: str) -> dict[str, Any]:
            return {name: _num(float(getattr(s, name)[0, i])) for name in names}

        options = []
        for i, name in enumerate(s.owners[1:], start=1):
            row = figures(
                i,
                "tco",
                "npv_cost",
                "savings",
                "savings_pct",
                "npv_savings",
                "payback_month",
                "irr",
                "cost_per_unit",
                "rank",
            )
            for key in ("payback_month", "rank"):
                row[key] = None if row[key] is None else int(row[key])
            note = self.irr_note(i)
            row |= {"irr_meaningful": row["irr"] is not None and note is None, "irr_note": note}
            lines = self.lines(name)  # delivery lines: only for an option that has them
            o = next(o for o in self.case.options if o.name == name)
            row |= {"lines": lines} if o.lines else {}
            if o.termination is not None:  # the last month of the vendor's service
                row["termination_month"] = o.termination.month
            options.append({"name": name, "pricing_model": self.pricing_model(name), **row})
        inhouse = figures(0, "tco", "npv_cost", "cost_per_unit", "rank")
        inhouse["rank"] = int(inhouse["rank"])
        return {
            "case": self.case.name,
            "currency": self.case.currency,
            "term_months": self.case.term_months,
            "start": self.case.start.isoformat(),
            "discounting": self.case.discounting,
            "inhouse": inhouse,
            "options": options,
            "rates_used": [r.__dict__ for r in self.rates_used],
        } | ({"staffing": self._staffing_records()} if staffing else {})

    def _staffing_records(self) -> list[dict[str, Any]]:
        figures = staffing_figures(compile_case(self.case), self.case.term_months)
        return [
            {
                "owner": owner,
                "workload": workload,
                "measure": measure,
                "values": [_num(float(x)) for x in values[0]],
            }
            for (owner, workload, measure), values in figures.items()
        ]
