"""The Staffing sheet: Erlang C agents per interval, recomputed by live formulas.

For each staffing pool (each live workload in-house, and for each hourly option, with its own
handle time and occupancy) and each month: the handle time (chat: divided by the published
concurrency factor, ``core.concurrency``), the offered load A per interval, then the Erlang B
recursion ``B(n) = A B(n-1) / (n + A B(n-1))`` row by row, and per agent count an "ok" cell
that holds n when n > A, the service level ``1 - C exp(-(n - A) T / AHT)``
(``C = n B / (n - A (1 - B))``) meets the target and A / n is within the occupancy cap, 1E+9
otherwise. Required agents are the MIN of the ok cells; past the last row the sheet shows #N/A
rather than a wrong number.

Like ``staffing.required_agents``, the recursion starts at ``n0 = max(INT(A - 10 SQRT(A)), 0)``
from ``B = 1 - n0 / MAX(A, 1)`` (exact to double precision; n0 = 0 below 100 Erlangs), so rows
are counted from n0: row k is ``n = n0 + k``. The rows cover twice the engine's largest
``agents - n0`` plus 20, room for an analyst to raise the volume.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from openpyxl import Workbook

from .._types import FloatArray
from ..case.models import HourlyPricing, RealTime
from ..core.concurrency import CONCURRENCY_FACTORS, concurrency_factor_unchecked
from ..core.staffing import WARM_START_SIGMAS, required_agents, warm_start
from ..core.timeline import month_axis
from ..engine.compile import compile_case
from ..engine.components import INHOUSE
from ..engine.scope import handover_path, wave_path
from ..result import Result
from . import styles as st
from .costs import inhouse_volume_key
from .delivery import Delivery, deliveries, full_scope
from .grid import FIRST_ROW, Grid
from .refs import input_name as n
from .refs import quote
from .scope import KEPT, RUNNING
from .workloads import WorkloadRef, workload_refs, workload_volume

__all__ = ["INHOUSE_POOL", "StaffingPlan", "pool_owner"]


def pool_owner(option: str, d: Delivery) -> str:
    """The Staffing pool owner of an hourly delivery: the option, or the option's line."""
    return option if d.sole else f"{option} line {(d.line or 0) + 1}"


INHOUSE_POOL = INHOUSE  # the in-house staffing pool is keyed like its owner
STAFFING = "Staffing"
_DRIVERS = (
    "volume_per_interval",
    "handle_seconds",
    "offered_load",
    "answer_over_handle",
    "warm_start",
    "required_agents",
    "staffed_hours",
)
_NOT_OK = "1E+9"


@dataclass
class Pool:
    """One Erlang C staffing pool: a live workload of the in-house team, of an hourly vendor's
    line, or the in-house work an option keeps or still runs."""

    key: str  # the owner key (INHOUSE_POOL, the option name, ...), [workload] among several
    label: str
    workload: WorkloadRef
    handle: str  # the defined name of its handle minutes
    occupancy: str  # the defined name of its occupancy cap
    k: int  # rows of the recursion above the warm start
    source: tuple[str, str] = ("", "")  # (owner, row key) of its volume on a cost sheet
    first: int = 0  # row of its first driver


class StaffingPlan:
    """Where each pool's rows go, fixed before the cost sheets refer to its staffed hours."""

    def __init__(self, result: Result) -> None:
        case = result.case
        self.months = case.term_months
        months = month_axis(case.term_months)
        m = months[0]
        params = compile_case(case)  # the engine's wave and hand-over paths, to size the rows
        self.pools: list[Pool] = []
        better = case.inhouse.improvement
        ih_auto = None if better is None else better.automation
        for w in workload_refs(case):
            rt = w.real_time
            if rt is None:
                continue
            volume = workload_volume(case, w)
            handled = volume
            if ih_auto is not None:
                handled = volume * (1.0 - ih_auto.share * (m >= ih_auto.start_month))
            ih_handle, ih_occ = (
                w.inhouse_value("handle_minutes", case),
                w.inhouse_value("occupancy", case),
            )
            self.pools.append(
                Pool(
                    w.key(INHOUSE_POOL),
                    w.label("In-house"),
                    w,
                    w.inhouse("handle_minutes"),
                    w.inhouse("occupancy"),
                    _rows(handled, ih_handle, ih_occ, rt),
                    (INHOUSE_POOL, inhouse_volume_key(case, w)),
                )
            )
            for i, o in enumerate(case.options):
                s = wave_path(params.options[i], months)[0]
                for d in deliveries(case, i):
                    pr = d.pricing
                    if d.workload != w or not isinstance(pr, HourlyPricing):
                        continue
                    vv = volume * s * (1.0 if d.sole or d.model is None else d.model.share)
                    auto = d.automation(case)
                    if auto is not None:
                        vv = vv * (1.0 - auto.share * (m >= auto.start_month))
                    handle = (
                        w.model.handle_minutes if pr.handle_minutes is None else pr.handle_minutes
                    )
                    name = (
                        n(d.pricing_prefix + "handle_minutes")
                        if pr.handle_minutes is not None
                        else w.input("handle_minutes")
                    )
                    owner = pool_owner(o.name, d)
                    self.pools.append(
                        Pool(
                            w.key(owner),
                            w.label(owner),
                            w,
                            name,
                            n(d.pricing_prefix + "occupancy"),
                            _rows(vv, handle, pr.occupancy, rt),
                            (o.name, d.key("vendor_volume")),
                        )
                    )
                if full_scope(case, o):
                    continue
                scope = case.line_shares(o, w.model)
                served = s if o.termination is None else s * (m <= o.termination.month)
                for kind, path in (
                    (KEPT, served),
                    (RUNNING, handover_path(params.options[i], months)[0]),
                ):
                    owner = f"{o.name} {kind}"
                    key = w.key(f"{kind}_handled" if ih_auto is not None else f"{kind}_volume")
                    self.pools.append(
                        Pool(
                            w.key(owner),
                            w.label(f"{o.name}: in-house work {kind}"),
                            w,
                            w.inhouse("handle_minutes"),
                            w.inhouse("occupancy"),
                            _rows(handled * (1.0 - scope * path), ih_handle, ih_occ, rt),
                            (o.name, key),
                        )
                    )
        if not self.pools:
            raise ValueError("the case has no real-time workload")
        row = FIRST_ROW
        for pool in self.pools:
            pool.first = row + 2  # after Grid.section
            row = pool.first + len(_DRIVERS) + 2 + (pool.k + 1) + 2 + pool.k

    def hours(self, owner: str, w: WorkloadRef) -> str:
        """Template reference to a pool's staffed hours (``'Staffing'!{c}14``)."""
        return self._ref(owner, w, "staffed_hours")

    def agents(self, owner: str, w: WorkloadRef) -> str:
        """Template reference to a pool's required agents per interval."""
        return self._ref(owner, w, "required_agents")

    def has(self, owner: str, w: WorkloadRef) -> bool:
        """Whether the owner staffs the workload by Erlang C (a live workload, hourly)."""
        return any(p.key == w.key(owner) for p in self.pools)

    def _ref(self, owner: str, w: WorkloadRef, driver: str) -> str:
        pool = next(p for p in self.pools if p.key == w.key(owner))
        return f"{quote(STAFFING)}!{{c}}{pool.first + _DRIVERS.index(driver)}"

    def write(self, wb: Workbook, grids: dict[str, Grid]) -> Grid:
        """Write the sheet; ``grids`` maps each owner to its cost sheet (its pools' volumes)."""
        g = Grid(
            wb,
            STAFFING,
            self.months,
            heading="Staffing: Erlang C agents per interval",
            note="Per pool and month: offered load, Erlang B recursion, the agent counts "
            "meeting the service level and occupancy cap; the least is required.",
        )
        for pool in self.pools:
            rt = pool.workload.prefix + "real_time."
            oh, im = n(rt + "open_hours_per_month"), n(rt + "interval_minutes")
            volume = grids[pool.source[0]].here(pool.source[1], external=True)
            g.section(f"Pool: {pool.label}")
            if g.next != pool.first:
                raise RuntimeError(f"staffing pool {pool.key} planned at {pool.first}")
            at = g.layout([f"{d}|{pool.key}" for d in _DRIVERS])
            vpi, hs, a, tau, n0, agents, _ = (at[f"{d}|{pool.key}"] for d in _DRIVERS)
            b_first = pool.first + len(_DRIVERS) + 2
            ok_first = b_first + pool.k + 1 + 2
            ok = f"{{c}}{ok_first}:{{c}}{ok_first + pool.k - 1}"
            rows = [
                ("Volume per interval", f"={volume}/({oh}*60/{im})", st.NUMBER),
                (
                    "Handle time (seconds; chat: / the concurrency factor)",
                    f"={pool.handle}*60/{concurrency_factor(n(rt + 'concurrency'))}",
                    st.NUMBER,
                ),
                ("Offered load A (Erlangs)", f"={vpi}*{hs}/({im}*60)", st.NUMBER),
                (
                    "Answer time / handle time",
                    f"={n(rt + 'answer_seconds')}/{hs}",
                    st.FACTOR,
                ),
                (
                    f"Warm start n0 = max(INT(A - {WARM_START_SIGMAS:g} SQRT(A)), 0)",
                    f"=MAX(INT({a}-{WARM_START_SIGMAS:g}*SQRT({a})),0)",
                    st.MONTHS,
                ),
                (
                    "Required agents (least ok count; #N/A past the last row)",
                    f"=IF({vpi}<=0,0,IF(MIN({ok})>={_NOT_OK},NA(),MIN({ok})))",
                    st.MONTHS,
                ),
                ("Staffed hours (agents x open hours)", f"={agents}*{oh}", st.NUMBER),
            ]
            for d, (label, formula, fmt) in zip(_DRIVERS, rows, strict=True):
                g.add(d, label, formula, fmt=fmt, total=False, owner=pool.key)
            g.section("Erlang B: B(n0) = 1 - n0 / MAX(A, 1), then B(n) = A B(n-1) / (n + A B(n-1))")
            g.add(
                "erlang_b",
                "k = 0: n = n0",
                f"=1-{n0}/MAX({a},1)",
                fmt=st.FACTOR,
                total=False,
                owner=f"{pool.key}:0",
            )
            for k in range(1, pool.k + 1):
                prev = f"{{c}}{b_first + k - 1}"
                g.add(
                    "erlang_b",
                    f"k = {k}: n = n0 + {k}",
                    f"={a}*{prev}/(({n0}+{k})+{a}*{prev})",
                    fmt=st.FACTOR,
                    total=False,
                    owner=f"{pool.key}:{k}",
                )
            g.section(
                "n where n > A, service level >= target and A / n <= occupancy cap; else 1E+9"
            )
            target = n(rt + "service_level_target")
            for k in range(1, pool.k + 1):
                nk, b = f"({n0}+{k})", f"{{c}}{b_first + k}"
                sl = f"1-{nk}*{b}/({nk}-{a}*(1-{b}))*EXP(-({nk}-{a})*{tau})"
                g.add(
                    "agents_ok",
                    f"k = {k}: n = n0 + {k}",
                    f"=IF({nk}<={a},{_NOT_OK},IF(AND({sl}>={target},{a}/{nk}<={pool.occupancy}),"
                    f"{nk},{_NOT_OK}))",
                    fmt=st.MONTHS,
                    total=False,
                    owner=f"{pool.key}:{k}",
                )
            g.group(b_first, g.next - 1)  # the recursion: the working behind the drivers
        return g


def concurrency_factor(c: str) -> str:
    """``core.concurrency.concurrency_factor`` as a formula of the concurrency cell ``c``:
    the published factor at whole numbers (exactly), linear in between."""
    f = [f"{x:g}" for x in CONCURRENCY_FACTORS]
    top = len(f)
    expr = f[-1]
    for k in reversed(range(top - 1)):  # between k + 1 and k + 2 concurrent contacts
        expr = f"IF({c}<{k + 2},{f[k]}+({c}-{k + 1})*({f[k + 1]}-{f[k]}),{expr})"
    return expr


def _rows(volume: FloatArray, handle: float, occupancy: float, rt: RealTime) -> int:
    """Rows of the recursion: twice the engine's largest agents - n0, plus 20."""
    v = volume / (rt.open_hours_per_month * 60.0 / rt.interval_minutes)
    seconds = handle * 60.0 / float(concurrency_factor_unchecked(rt.concurrency))
    a = v * seconds / (rt.interval_minutes * 60.0)
    agents = required_agents(
        v,
        seconds,
        rt.interval_minutes,
        service_level_target=rt.service_level_target,
        answer_seconds=rt.answer_seconds,
        occupancy=occupancy,
    )
    n0, _ = warm_start(a)
    return int(2 * np.max(agents - n0, initial=0.0)) + 20
