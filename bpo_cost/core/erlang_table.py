"""Erlang C staffing by table lookup: many intervals that share one service-level target.

``required_agents`` walks the Erlang B recursion for every interval, about A + a few sqrt(A)
steps; over a Monte Carlo grid of (draws x months) intervals that walk is the cost of live
channels. For one target t the test "N agents meet it at load A" reads, in logs,

    (N - A) * tau >= L(N, A) = log C(N, A) - log(1 - t),

with C the Erlang C probability of waiting and tau = answer time / handle time. C grows with the
load and falls with N, so for loads in a cell [A_j, A_{j+1}) of a grid, L(N, A_j) <= L(N, A) <=
L(N, A_{j+1}). A table of L at the grid loads (computed once per target, by the Erlang B
recursion) then answers each interval with a binary search over N: the first N whose test passes
with the upper bound, when N - 1 fails with the lower one, is the first N passing at A, since
the service level rises with N. Both tests keep a margin (`MARGIN`) far above the rounding of
either computation, so a table answer is the count the recursion finds, exactly. An interval
whose cell holds a step of the count (a share of about h of them, for a grid step of h Erlangs),
beyond the table or at an extreme target is left to the recursion.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .._types import FloatArray
from .workspace import scratch

__all__ = [
    "MARGIN",
    "MIN_INTERVALS",
    "AgentTable",
    "agent_table",
    "agents_by_table",
    "clear_tables",
    "enabled",
]

# In log units, both roundings are below ~1e-12 for 1 - t >= 1e-4: the recursion's relative
# error in C is a few ulp (each step damps the last), and 1 - SL carries an absolute rounding
# of ~1e-16, i.e. 1e-12 relative at 1 - SL = 1e-4. Closer targets take the recursion.
MARGIN = 1e-9
_MIN_SHORTFALL = 1e-4  # 1 - target below this: the recursion decides (see MARGIN)
MIN_INTERVALS = 4096  # fewer intervals without a table at hand: the recursion is cheaper
_BLOCK = 1 << 15  # intervals looked up at a time: their temporaries stay in the CPU cache
_MAX_ENTRIES = 1 << 19  # cells x rows: two float32 tables of 2 MB each at most
_MAX_SCALE_BITS = 12  # grid step h = 2**-k, k <= 12: finer buys little
_MAX_LOAD = 4096.0  # Erlangs: the build walks every count from 0 to the largest load
_MAX_TABLES = 8  # a case has a target or a few, each over a range of loads or a few


@dataclass(frozen=True)
class AgentTable:
    """Bounds of L(N, A) per load cell and agent count, for one service-level target.

    Cell j holds loads [A_j, A_{j+1}) with A_j = (first + j) / 2**k; its row r is the agent count
    N = floor(A_j) + 1 + r, the r-th above every load of the cell. ``upper[j, r]`` is
    L(N, A_{j+1}) + MARGIN and ``lower[j, r]`` is L(N - 1, A_j) - MARGIN (+inf at r = 0), each
    rounded outward to single precision.
    """

    target: float
    scale: float  # 2**k: cells per Erlang
    first: int
    cells: int
    rows: int
    upper: npt.NDArray[np.float32]  # flat, cells x rows
    lower: npt.NDArray[np.float32]

    def covers(self, low: float, high: float) -> bool:
        """Whether every load in [low, high] falls in a cell."""
        return self.first <= low * self.scale and high * self.scale < self.first + self.cells


def _rows_for(target: float, high: float) -> int:
    """Rows enough for every interval with loads up to ``high``, a power of 2 for the search.

    Once C <= 1 - t every interval passes (the test's left side is >= 0), so no answer lies
    past that count; it is largest at the largest load (C grows with the load). Capped at
    ~3 sqrt(A) + 8 (enough below t = 0.9999 in practice): a count past it is left to the
    recursion.
    """
    cap = 1 << math.ceil(math.log2(3.0 * math.sqrt(high) + 8.0))
    top = math.floor(high) + 1  # a whole load at or above every cell top
    log_c = _log_c(np.array([float(top)]), np.array([float(top)]), cap)[0, 1:]
    passing = np.flatnonzero(log_c - math.log1p(-target) + MARGIN <= 0.0)
    if not passing.size:
        return cap
    # its row in the top cell is one less or the same; one more row for the search's last probe
    return max(4, 1 << math.ceil(math.log2(int(passing[0]) + 2)))


def agent_table(target: float, low: float, high: float) -> AgentTable | None:
    """The table for loads in [low, high] (Erlangs), or None when the grid would be too coarse.

    Parameters
    ----------
    target : float
        Service-level target in (0, 1 - 1e-4].
    low, high : float
        The loads to cover, 0 <= low <= high.

    Returns
    -------
    AgentTable or None
        None when the target is too close to 1, a load exceeds ``_MAX_LOAD`` or the loads
        span too many Erlangs for a grid step of at most one Erlang within the size limit.

    Notes
    -----
    L at each grid load comes from the Erlang B recursion B(n) = A B(n-1) / (n + A B(n-1)),
    from B(0) = 1 for every grid load (the warm start of `required_agents` is not needed: the
    table only has to be right to within its margin), and C = N B / (N - A (1 - B)); at N <= A,
    C = 1. The walks of all grid loads run side by side: at count n, the loads still walked are
    those whose last row is at n or above, a tail of the sorted grid.
    """
    if not 0.0 < target <= 1.0 - _MIN_SHORTFALL:
        return None
    if high > _MAX_LOAD:
        return None
    span = high - low + 1.0
    log_q = math.log1p(-target)
    rows = _rows_for(target, high)
    k = min(_MAX_SCALE_BITS, math.floor(math.log2(_MAX_ENTRIES / rows / span)))
    if k < 0:
        return None
    scale = float(1 << k)
    first = math.floor(low * scale)
    cells = math.floor(high * scale) - first + 1
    grid = (first + np.arange(cells + 1, dtype=float)) / scale  # exact: scale is a power of 2
    fl = np.floor(grid)
    log_c = _log_c(grid, fl, rows)
    # cell j: N = fl_j + 1 + r. Lower bound at A_j: column r + 1 of grid load j. Upper bound at
    # A_{j+1}: column r + fl_j + 1 - fl_{j+1} (0 when A_{j+1} is a whole number, else 1).
    r = np.arange(rows)
    # row r holds the lower bound for N - 1 (row 0: N - 1 = floor(A) <= A never passes)
    lower = np.concatenate(
        (np.full((cells, 1), np.inf), log_c[:-1, 1:rows] - log_q - MARGIN), axis=1
    )
    shift = (fl[:-1] + 1.0 - fl[1:]).astype(np.intp)
    upper = log_c[1:][np.arange(cells)[:, None], r[None, :] + shift[:, None]] - log_q + MARGIN
    return AgentTable(
        target=target,
        scale=scale,
        first=first,
        cells=cells,
        rows=rows,
        upper=_outward(upper, np.inf),
        lower=_outward(lower, -np.inf),
    )


def _outward(bound: FloatArray, toward: float) -> npt.NDArray[np.float32]:
    """A bound in single precision, rounded away from the values it bounds (half the memory:
    the search reads the table at random, so its size is its speed)."""
    single = bound.astype(np.float32).reshape(-1)
    off = single < bound.reshape(-1) if toward > 0 else single > bound.reshape(-1)
    single[off] = np.nextafter(single[off], np.float32(toward))
    return single


def _log_c(grid: FloatArray, fl: FloatArray, rows: int) -> FloatArray:
    """log C(floor(A) + m, A) for each grid load A and m = 0 .. rows (0 where N <= A)."""
    b = np.ones_like(grid)
    out = np.zeros((grid.size, rows + 1))  # m = 0: N = floor(A) <= A, C = 1
    end = fl + rows  # the last count each load needs
    for n in range(1, int(end.max()) + 1):
        lo = int(np.searchsorted(end, n, side="left"))  # the loads still walked: [lo:]
        a, bb = grid[lo:], b[lo:]
        ab = a * bb
        np.divide(ab, n + ab, out=bb)
        # record where floor(A) < n, i.e. m = n - floor(A) >= 1
        top = int(np.searchsorted(fl[lo:], n, side="left"))
        if top:
            ar, br = a[:top], bb[:top]
            with np.errstate(divide="ignore"):  # C underflows to 0 far above the load
                c = np.log(n * br / (n - ar * (1.0 - br)))
            out[np.arange(lo, lo + top), (n - fl[lo : lo + top]).astype(np.intp)] = c
    return out


# False: every interval takes the recursion (the baseline the benchmarks and tests compare with)
enabled = True
_tables: list[AgentTable] = []  # the newest last
_lock = threading.Lock()


def _padded(low: float, high: float) -> tuple[float, float]:
    """The loads a table for [low, high] covers: room for the next batch's spread."""
    return math.floor(low * 0.9), math.ceil(high * 1.1 + 1.0)


def _fine_scale(low: float, high: float) -> float:
    """About the grid step (cells per Erlang) a table for these loads gets: to tell a table
    far coarser than the loads deserve (built for a much wider range) from a fitting one."""
    rows = 1 << math.ceil(math.log2(math.sqrt(high) + 4.0))
    return 2.0 ** min(
        _MAX_SCALE_BITS, math.floor(math.log2(_MAX_ENTRIES / rows / (high - low + 1)))
    )


def _table_for(target: float, low: float, high: float, intervals: int) -> AgentTable | None:
    """A cached table covering [low, high] at a grid step fitting them, built when needed."""
    with _lock:
        wanted = _fine_scale(*_padded(low, high)) / 4.0
        for table in reversed(_tables):
            if table.target == target and table.covers(low, high) and table.scale >= wanted:
                return table
        if intervals < MIN_INTERVALS:
            return None
        # widen the newest table of the target when that keeps the grid fine (a Monte Carlo
        # run's batches drift a little); else a table for these loads alone
        old = next((t for t in reversed(_tables) if t.target == target), None)
        if old is not None:
            wide = min(low, old.first / old.scale), max(high, (old.first + old.cells) / old.scale)
            if _fine_scale(*_padded(*wide)) >= wanted:
                low, high = wide
                _tables.remove(old)
        built = agent_table(target, *_padded(low, high))
        if built is not None:
            if len(_tables) >= _MAX_TABLES:
                _tables.pop(0)
            _tables.append(built)
        return built


def clear_tables() -> None:
    """Forget the cached tables (they are rebuilt on the next large call)."""
    with _lock:
        _tables.clear()


def agents_by_table(
    a: FloatArray, tau: FloatArray, target: float
) -> tuple[FloatArray, npt.NDArray[np.bool_]] | None:
    """Fewest agents meeting one target for 1-D loads, where the table settles it exactly.

    Parameters
    ----------
    a : ndarray
        Offered loads in Erlangs (1-D, >= 0), intervals with calls only.
    tau : ndarray
        Answer time / handle time, per load (same shape).
    target : float
        The service-level target shared by every interval.

    Returns
    -------
    (agents, settled) or None
        The first N > A meeting the target (before any occupancy cap), valid where ``settled``;
        None when no table serves the call (too few intervals, target too close to 1).
    """
    if a.size == 0 or not enabled:
        return None
    table = _table_for(target, float(a.min()), float(a.max()), a.size)
    if table is None:
        return None
    agents, settled = scratch(a), scratch(a, dtype=bool)
    if agents is None or settled is None:  # no workspace (or a small batch): new arrays
        agents, settled = np.empty_like(a), np.empty(a.shape, dtype=bool)
    for lo in range(0, a.size, _BLOCK):  # blocks that stay in the CPU cache
        part = slice(lo, lo + _BLOCK)
        agents[part], settled[part] = _lookup(table, a[part], tau[part])
    return agents, settled


def _lookup(
    table: AgentTable, a: FloatArray, tau: FloatArray
) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """`agents_by_table` for one block of intervals."""
    # Per interval: the flat index of row 0 of its cell, and N - A at row 0, in (0, 1].
    first = np.floor(a * table.scale)
    first -= table.first
    first *= table.rows
    row0 = first.astype(np.intp)  # in range: the table covers a
    base = np.floor(a)
    base += 1.0
    over = base - a
    # Binary search of the first row passing with the upper bound (the left side rises with N,
    # the bound falls), in place: the batch is large and its temporaries would dominate.
    idx, probe, fails = row0.copy(), np.empty_like(row0), np.empty(a.shape, dtype=bool)
    lhs, bound = np.empty_like(a), np.empty(a.shape, dtype=np.float32)

    def left_side(at: npt.NDArray[np.intp]) -> FloatArray:
        """(N - A) tau at the flat indices ``at``."""
        np.subtract(at, row0, out=lhs)
        np.add(lhs, over, out=lhs)
        return np.multiply(lhs, tau, out=lhs)

    step = table.rows >> 1
    while step:
        np.add(idx, step - 1, out=probe)
        np.less(left_side(probe), table.upper.take(probe, out=bound), out=fails)
        idx += fails * step
        step >>= 1
    settled = left_side(idx) >= table.upper.take(idx, out=bound)
    lhs -= tau  # (N - 1 - A) tau: the count below must fail
    settled &= lhs < table.lower.take(idx, out=bound)
    idx -= row0
    base += idx
    return base, settled
