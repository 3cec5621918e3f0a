"""Staffing: Erlang C for real-time work (calls, chats) and workload FTE for back-office work.

Every function is vectorised: its array arguments broadcast against each other (any shape), a
call with only scalars returns a ``float`` and a call with any array returns an array of the
broadcast shape. Intervals are independent, so a batch of scenarios × months is one call.

Erlang C (an M/M/N queue) assumes Poisson arrivals, exponential handle times and callers who never
abandon, so it slightly overstates the staff needed (Erlang A models patience).
"""

from __future__ import annotations

import math
from typing import Any, overload

import numpy as np

from .._types import ArrayLike, FloatArray
from ..errors import InputError, NoSolutionError
from .arguments import (
    NONNEGATIVE,
    POSITIVE,
    SHARE_BELOW_ONE,
    Range,
    checker,
    float_or_array,
    number,
    numbers,
    plain_numbers,
)
from .workspace import into, op, scratch, zeros

__all__ = [
    "MAX_AGENTS",
    "MAX_ERLANGS",
    "WARM_START_SIGMAS",
    "average_speed_of_answer",
    "required_agents",
    "scheduled_fte",
    "service_level",
    "wait_probability",
    "warm_start",
    "workload_fte",
]

# The Erlang B recursion forgets where it starts: below N = A each step scales the relative error
# by about N/A, so from N0 = A - k*sqrt(A) the error of the start value shrinks by about
# exp(-k**2 / 2) before N reaches A. Starting at N0 with B = 1 - N0/A (its limit for N0 < A,
# wrong by about 1/k**2) is exact to double precision for k = 10 and saves ~A - 10*sqrt(A) steps
# for loads above 100 Erlangs; below that N0 = 0 and B(0) = 1, the textbook recursion.
WARM_START_SIGMAS = 10.0

# ceil(N / (1 - shrinkage)) must not round 21 / (1 - 0.3) = 30.000000000000004 up to 31.
_CEIL_RELATIVE_SLACK = 1e-12


# ----------------------------------------------------------------------------- input conversion

MAX_ERLANGS = 1e6  # a million agents in one interval: far beyond any real contact centre
# the Erlang B recursion walks up to N: bound it like the load
MAX_AGENTS = 2 * MAX_ERLANGS  # the most agents a search may need: also bounds load / occupancy
_AGENTS = Range(low=0.0, high=MAX_AGENTS, whole=True)
_OCCUPANCY = Range(0.0, 1.0, low_strict=True)
_SERVICE_LEVEL_TARGET = Range(0.0, 1.0, low_strict=True, high_strict=True)
# Past the load the service level climbs to 1 within a few dozen agents: from the warm start the
# search needs ~10 sqrt(A) + a few dozen steps; anything near this bound is a bug, not a load.
_MAX_SEARCH_STEPS = int(MAX_AGENTS)


def _load(
    volume: ArrayLike, handle_seconds: ArrayLike, interval_minutes: ArrayLike
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Volume, handle seconds and offered load in Erlangs, A = volume * handle / interval."""
    v = numbers("volume", volume, NONNEGATIVE)
    h = numbers("handle_seconds", handle_seconds, POSITIVE)
    t = numbers("interval_minutes", interval_minutes, POSITIVE)
    a = op(np.multiply, v, h)
    a = np.asarray(into(a, np.divide, a, t * 60.0))
    if np.any(a > MAX_ERLANGS):  # the Erlang search runs ~10·sqrt(A) steps: refuse, not hang
        raise InputError(
            "offered load (volume x handle time / interval)",
            float(np.max(a)),
            f"at most {MAX_ERLANGS:,.0f} Erlangs per interval",
        )
    return v, h, a


def _load_scalar(
    volume: Any, handle_seconds: Any, interval_minutes: Any
) -> tuple[float, float, float]:
    """`_load` of plain numbers: the same checks, in the same order, on floats."""
    v = number("volume", volume, NONNEGATIVE)
    h = number("handle_seconds", handle_seconds, POSITIVE)
    t = number("interval_minutes", interval_minutes, POSITIVE)
    a = v * h / (t * 60.0)
    if a > MAX_ERLANGS:
        raise InputError(
            "offered load (volume x handle time / interval)",
            a,
            f"at most {MAX_ERLANGS:,.0f} Erlangs per interval",
        )
    return v, h, a


# ----------------------------------------------------------------------------- Erlang kernels


def warm_start(a: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Where the Erlang B recursion starts for an offered load, and Erlang B there.

    Parameters
    ----------
    a : ndarray
        Offered load in Erlangs (>= 0).

    Returns
    -------
    n0, b : ndarray
        The first agent count, ``max(floor(A - WARM_START_SIGMAS * sqrt(A)), 0)``, and the
        start value ``1 - n0 / max(A, 1)`` (1 at n0 = 0, the textbook start B(0) = 1).

    Notes
    -----
    See the comment at `WARM_START_SIGMAS`. The workbook's Staffing sheet writes the same start
    as a formula.

    Examples
    --------
    >>> n0, b = warm_start(np.array([5.0, 400.0]))
    >>> n0.tolist(), b.round(3).tolist()
    ([0.0, 200.0], [1.0, 0.5])
    """
    n0 = np.maximum(np.floor(a - WARM_START_SIGMAS * np.sqrt(a)), 0.0)
    return n0, 1.0 - n0 / np.maximum(a, 1.0)


def _erlang_b_step(n: FloatArray, a: FloatArray, b: FloatArray) -> None:
    """B(n) from B(n - 1) in place: B(n) = A B(n-1) / (n + A B(n-1)), every term in [0, 1]."""
    ab = a * b
    np.divide(ab, np.add(n, ab), out=b)


def _erlang_c(n: FloatArray, a: FloatArray, b: FloatArray) -> FloatArray:
    """Erlang C from Erlang B for N > A: C = N B / (N - A (1 - B))."""
    return np.asarray(n * b / (n - a * (1.0 - b)))


def _sl(c: FloatArray, n: FloatArray, a: FloatArray, tau: FloatArray) -> FloatArray:
    """Service level for N > A; tau is the answer time in units of the handle time."""
    return np.asarray(1.0 - c * np.exp(-(n - a) * tau))


def _erlang_c_flat(n: FloatArray, a: FloatArray) -> FloatArray:
    """Erlang C for 1-D arrays with N > A >= 0."""
    n0, b = warm_start(a)
    steps = (n - n0).astype(np.int64)
    # Longest recursions first, so the ones still running at step s are a prefix (a view).
    order = np.argsort(-steps)
    a_s, n0_s, b_s, steps_s = a[order], n0[order], b[order], steps[order]
    running = np.searchsorted(-steps_s, -np.arange(1, steps.max(initial=0) + 1), side="right")
    for s, m in enumerate(running, start=1):
        _erlang_b_step(n0_s[:m] + s, a_s[:m], b_s[:m])
    b[order] = b_s
    return _erlang_c(n, a, b)


def _wait(
    agents: FloatArray, volume: FloatArray, load: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """P(wait), 1 if N <= A and 0 without calls, with N, A and the calls mask, all broadcast."""
    n, a, calls = np.broadcast_arrays(agents, load, volume > 0)
    pw = np.where(calls, 1.0, 0.0)
    # Test the volume, not A: a positive volume whose load underflows to 0 still needs an agent.
    live = (n > a) & calls
    pw[live] = _erlang_c_flat(n[live], a[live])
    return pw, n, a, calls


def _required_flat(
    a: FloatArray, tau: FloatArray, target: FloatArray, occ: FloatArray
) -> FloatArray:
    """Fewest agents meeting the target and the occupancy cap, for 1-D arrays (volume > 0)."""
    # Sorted by the steps until N exceeds A (exact: A - N0 is a float difference of values on
    # the same grid), the elements past their load at step s are a prefix [0:past); within it
    # the satisfied ones move to the front [0:done), so each step works on views of [done:).
    # The occupancy cap alone needs N >= A / occupancy: taken in closed form, because stepping one
    # agent at a time to it never ends for a tiny occupancy. Both conditions only get easier as N
    # grows, so the first N meeting both is the larger of the first N meeting each.
    floor = _occupancy_floor(a, occ)
    n0, b = warm_start(a)
    order = np.argsort(a - n0)
    a, tau, target, n0, b = (x[order] for x in (a, tau, target, n0, b))
    steps_to_load = a - n0
    answer = np.empty_like(a)
    done, s = 0, 0
    while done < a.size:
        s += 1
        n = n0[done:] + s
        _erlang_b_step(n, a[done:], b[done:])
        past = int(np.searchsorted(steps_to_load, s, side="left"))
        if past == done:
            continue
        r, n_r = slice(done, past), n[: past - done]
        ok = _sl(_erlang_c(n_r, a[r], b[r]), n_r, a[r], tau[r]) >= target[r]
        if ok.any():
            first = np.concatenate((np.flatnonzero(ok), np.flatnonzero(~ok)))
            for x in (a, tau, target, n0, b, order):
                x[r] = x[r][first]
            done += int(np.count_nonzero(ok))
            answer[order[r.start : done]] = n0[r.start : done] + s
        if s > _MAX_SEARCH_STEPS:  # cannot happen for a target below 1: a guard, not a hang
            raise NoSolutionError(
                f"no agent count up to {_MAX_SEARCH_STEPS:,} meets the service-level target"
            )
    return np.maximum(answer, floor)


_FEW = 32  # intervals the table leaves: fewer are faster one by one (the same float steps)
_BATCH = 1024  # fewer intervals (a case, a tornado) always take the recursion


def _required_by_lookup(
    a: FloatArray, tau: FloatArray, target: FloatArray, occ: FloatArray
) -> FloatArray:
    """`_required_flat`, with the intervals a table of one target settles looked up there."""
    if a.size < _BATCH:  # one case's months: not worth a table (nor importing its module)
        return _required_flat(a, tau, target, occ)
    # Imported here: only a batch needs it, and a command's start does not pay for it.
    from .erlang_table import agents_by_table

    one = bool(target.min() == target.max())
    found = agents_by_table(a, tau, float(target[0])) if one else None
    if found is None:
        return _required_flat(a, tau, target, occ)
    agents, settled = found
    agents = into(agents, np.maximum, agents, _occupancy_floor(a, occ))
    rest = np.flatnonzero(~settled)
    if rest.size > _FEW:
        agents[rest] = _required_flat(a[rest], tau[rest], target[rest], occ[rest])
    for i in rest if rest.size <= _FEW else ():  # the same answers without the batch's setup
        agents[i] = _required_scalar(1.0, *(float(x[i]) for x in (a, tau, target, occ)))
    return agents


def _occupancy_floor(a: FloatArray, occ: FloatArray) -> FloatArray:
    """Fewest agents N >= 1 with A / N <= occupancy, as that test computes it in floats."""
    with np.errstate(over="ignore", divide="ignore"):
        n = op(np.divide, a, occ)
        n = np.asarray(into(n, np.maximum, into(n, np.ceil, n), 1.0))  # an array: worked in place
    too_many = ~(n <= MAX_AGENTS)
    if np.any(too_many):
        i = int(np.flatnonzero(too_many)[0])
        raise InputError(
            "occupancy",
            float(occ[i]),
            f"large enough that offered load / occupancy ({float(a[i]):,.6g} / "
            f"{float(occ[i]):.6g}) needs at most {MAX_AGENTS:,.0f} agents",
        )
    for _ in range(2):  # a / occ rounds: settle on the exact first count either way
        # in place where the test holds: the n ± 1.0 np.where would take, in n's own memory
        np.add(n, 1.0, out=n, where=op(np.divide, a, n) > occ)
        fewer = op(np.subtract, n, 1.0)
        fewer = into(fewer, np.divide, a, into(fewer, np.maximum, fewer, 1.0))
        np.subtract(n, 1.0, out=n, where=(n > 1.0) & (fewer <= occ))
    return n


# Scalar kernels: the array kernels above for one interval, on floats (a cell's call). Each
# step is the same IEEE operation in the same order, so the results are identical; np.exp (not
# math.exp, which differs in the last bit for a few percent of arguments) keeps the exponential
# the one the array path computes.


def _warm_start_scalar(a: float) -> tuple[float, float]:
    n0 = max(float(math.floor(a - WARM_START_SIGMAS * math.sqrt(a))), 0.0)
    return n0, 1.0 - n0 / max(a, 1.0)


def _sl_scalar(n: float, a: float, b: float, tau: float) -> float:
    """Service level at N agents from Erlang B there (`_erlang_c`, then `_sl`)."""
    c = n * b / (n - a * (1.0 - b))
    return float(1.0 - c * np.exp(-(n - a) * tau))


def _meets(n: float, a: float, b: float, tau: float, target: float) -> bool:
    """Whether the service level at N agents meets the target, as `_sl_scalar` decides it.

    math.exp is within 2 ulp of np.exp and the terms are at most 1 here (N > A), so the two
    service levels differ by under 1e-15: far from the target, math.exp decides; near it, np.exp.
    """
    c = n * b / (n - a * (1.0 - b))
    sl = 1.0 - c * math.exp(-(n - a) * tau)
    return sl >= target if abs(sl - target) > 1e-9 else _sl_scalar(n, a, b, tau) >= target


def _service_level_scalar(n: float, v: float, a: float, tau: float) -> float:
    if not v > 0:
        return 1.0
    if not n > a:
        return 0.0
    n0, b = _warm_start_scalar(a)
    for s in range(1, int(n - n0) + 1):
        ab = a * b
        b = ab / (n0 + s + ab)
    return _sl_scalar(n, a, b, tau)


def _required_scalar(v: float, a: float, tau: float, target: float, occ: float) -> float:
    if not v > 0:
        return 0.0
    floor = _occupancy_floor_scalar(a, occ)  # closed form, as _required_flat: never a hang
    n0, b = _warm_start_scalar(a)
    steps_to_load, s = a - n0, 0
    while True:
        s += 1
        n = n0 + s
        ab = a * b
        b = ab / (n + ab)
        if steps_to_load < s and _meets(n, a, b, tau, target):
            return max(n, floor)
        if s > _MAX_SEARCH_STEPS:  # as in _required_flat: a guard, not a hang
            raise NoSolutionError(
                f"no agent count up to {_MAX_SEARCH_STEPS:,} meets the service-level target"
            )


def _occupancy_floor_scalar(a: float, occ: float) -> float:
    """``_occupancy_floor`` for one interval, with the same float operations."""
    q = a / occ if occ > 0 else math.inf
    if not q <= MAX_AGENTS:
        _occupancy_floor(np.array([a]), np.array([occ]))  # raises its InputError
    n = max(float(math.ceil(q)), 1.0)
    for _ in range(2):
        n = n + 1.0 if a / n > occ else n
        n = n - 1.0 if n > 1.0 and a / max(n - 1.0, 1.0) <= occ else n
    return n


# ----------------------------------------------------------------------------- public API


@overload
def wait_probability(
    agents: float, volume: float, handle_seconds: float, interval_minutes: float = ...
) -> float: ...
@overload
def wait_probability(
    agents: ArrayLike,
    volume: ArrayLike,
    handle_seconds: ArrayLike,
    interval_minutes: ArrayLike = ...,
) -> FloatArray: ...
def wait_probability(
    agents: ArrayLike,
    volume: ArrayLike,
    handle_seconds: ArrayLike,
    interval_minutes: ArrayLike = 30,
) -> Any:
    """Probability that a contact waits for an agent (Erlang C).

    Parameters
    ----------
    agents : array_like
        Agents answering in the interval (whole numbers >= 0).
    volume : array_like
        Contacts offered in the interval (>= 0).
    handle_seconds : array_like
        Average handle time in seconds (> 0).
    interval_minutes : array_like, default 30
        Length of the interval in minutes (> 0).

    Returns
    -------
    float or ndarray
        P(wait) in [0, 1]: 1 when agents <= offered load (the queue never empties), 0 when the
        volume is 0.

    Notes
    -----
    Offered load A = volume * handle_seconds / (60 * interval_minutes) Erlangs. Erlang B comes from
    the recursion B(0) = 1, B(n) = A B(n-1) / (n + A B(n-1)), whose terms stay in [0, 1] (no
    factorials, no overflow or underflow up to thousands of Erlangs), and
    C = N B / (N - A (1 - B)). Above about 100 Erlangs the recursion starts at n = A - 10 sqrt(A)
    from its asymptote B = 1 - n/A, which it forgets to double precision before reaching A.

    Examples
    --------
    100 calls in a half hour at 3 minutes each (10 Erlangs) with 14 agents: 17% wait.

    >>> round(wait_probability(14, 100, 180), 4)
    0.1741
    """
    n = numbers("agents", agents, _AGENTS)
    v, _, a = _load(volume, handle_seconds, interval_minutes)
    pw, *_ = _wait(n, v, a)
    return float_or_array(pw)


@overload
def service_level(
    agents: float,
    volume: float,
    handle_seconds: float,
    interval_minutes: float = ...,
    *,
    answer_seconds: float,
) -> float: ...
@overload
def service_level(
    agents: ArrayLike,
    volume: ArrayLike,
    handle_seconds: ArrayLike,
    interval_minutes: ArrayLike = ...,
    *,
    answer_seconds: ArrayLike,
) -> FloatArray: ...
def service_level(
    agents: ArrayLike,
    volume: ArrayLike,
    handle_seconds: ArrayLike,
    interval_minutes: ArrayLike = 30,
    *,
    answer_seconds: ArrayLike,
) -> Any:
    """Share of contacts answered within ``answer_seconds`` (Erlang C).

    Parameters
    ----------
    agents, volume, handle_seconds, interval_minutes : array_like
        As in `wait_probability`.
    answer_seconds : array_like
        The answer-time target T in seconds (>= 0), e.g. 20 in "80% within 20 seconds".

    Returns
    -------
    float or ndarray
        Service level in [0, 1]: 0 when agents <= offered load, 1 when the volume is 0.

    Notes
    -----
    SL = 1 - P(wait) * exp(-(N - A) * T / H), with H = handle_seconds and P(wait) from
    `wait_probability`.

    Examples
    --------
    10 Erlangs, 80% within 20 seconds: 13 agents fall short, 14 meet it.

    >>> round(service_level(13, 100, 180, answer_seconds=20), 4)
    0.7956
    >>> round(service_level(14, 100, 180, answer_seconds=20), 4)
    0.8884
    """
    if plain_numbers(agents, volume, handle_seconds, interval_minutes, answer_seconds):
        n_ = number("agents", agents, _AGENTS)
        v_, h_, a_ = _load_scalar(volume, handle_seconds, interval_minutes)
        tau_ = number("answer_seconds", answer_seconds, NONNEGATIVE) / h_
        return _service_level_scalar(n_, v_, a_, tau_)
    n = numbers("agents", agents, _AGENTS)
    v, h, a = _load(volume, handle_seconds, interval_minutes)
    tau = numbers("answer_seconds", answer_seconds, NONNEGATIVE) / h
    pw, n_b, a_b, calls = _wait(n, v, a)
    with np.errstate(over="ignore"):  # exp overflows only where N < A, discarded
        sl = np.where(n_b > a_b, _sl(pw, n_b, a_b, tau), 0.0)
    return float_or_array(np.where(calls, sl, 1.0))


@overload
def average_speed_of_answer(
    agents: float, volume: float, handle_seconds: float, interval_minutes: float = ...
) -> float: ...
@overload
def average_speed_of_answer(
    agents: ArrayLike,
    volume: ArrayLike,
    handle_seconds: ArrayLike,
    interval_minutes: ArrayLike = ...,
) -> FloatArray: ...
def average_speed_of_answer(
    agents: ArrayLike,
    volume: ArrayLike,
    handle_seconds: ArrayLike,
    interval_minutes: ArrayLike = 30,
) -> Any:
    """Average wait before answer in seconds, over all contacts (Erlang C).

    Parameters
    ----------
    agents, volume, handle_seconds, interval_minutes : array_like
        As in `wait_probability`.

    Returns
    -------
    float or ndarray
        ASA in seconds: ``inf`` when agents <= offered load, 0 when the volume is 0.

    Notes
    -----
    ASA = P(wait) * H / (N - A), with H = handle_seconds.

    Examples
    --------
    >>> round(average_speed_of_answer(14, 100, 180), 2)
    7.84
    """
    n = numbers("agents", agents, _AGENTS)
    v, h, a = _load(volume, handle_seconds, interval_minutes)
    pw, n_b, a_b, calls = _wait(n, v, a)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # N <= A, discarded
        asa = np.where(n_b > a_b, pw * h / (n_b - a_b), np.inf)
    return float_or_array(np.where(calls, asa, 0.0))


@overload
def required_agents(
    volume: float,
    handle_seconds: float,
    interval_minutes: float = ...,
    *,
    service_level_target: float,
    answer_seconds: float,
    occupancy: float | None = ...,
) -> float: ...
@overload
def required_agents(
    volume: ArrayLike,
    handle_seconds: ArrayLike,
    interval_minutes: ArrayLike = ...,
    *,
    service_level_target: ArrayLike,
    answer_seconds: ArrayLike,
    occupancy: ArrayLike | None = ...,
) -> FloatArray: ...
def required_agents(
    volume: ArrayLike,
    handle_seconds: ArrayLike,
    interval_minutes: ArrayLike = 30,
    *,
    service_level_target: ArrayLike,
    answer_seconds: ArrayLike,
    occupancy: ArrayLike | None = None,
) -> Any:
    """Fewest agents that meet a service-level target (Erlang C), per interval.

    Parameters
    ----------
    volume, handle_seconds, interval_minutes : array_like
        As in `wait_probability`.
    service_level_target : array_like
        Share to answer within ``answer_seconds``, strictly between 0 and 1 (0.8 for 80/20).
    answer_seconds : array_like
        The answer-time target in seconds (>= 0).
    occupancy : array_like, optional
        Cap on occupancy A / N in (0, 1] (0.85 is common); no cap when omitted.

    Returns
    -------
    float or ndarray
        The smallest whole N with ``service_level(N, ...) >= service_level_target`` and
        A / N <= ``occupancy``, as floats; 0 when the volume is 0.

    Notes
    -----
    One pass of the Erlang B recursion over agent counts serves every interval at once: each
    interval leaves the working set at its first count meeting the target, so the cost is about
    (A + a few sqrt(A)) whole-array steps over a shrinking array (from A - 10 sqrt(A) above 100
    Erlangs; see `wait_probability`). A large batch with one target (a Monte Carlo run) takes
    the same counts from a table of Erlang C bounds (`bpo_cost.core.erlang_table`), walking only
    the intervals the table cannot settle. Raw agents exclude shrinkage: see `scheduled_fte`.

    Examples
    --------
    100 calls per half hour at 3 minutes, 80% answered within 20 seconds, occupancy at most 85%:

    >>> required_agents(100, 180, service_level_target=0.8, answer_seconds=20, occupancy=0.85)
    14.0
    >>> required_agents([100, 200, 0], 180, service_level_target=0.8, answer_seconds=20)
    array([14., 24.,  0.])
    """
    if plain_numbers(
        volume, handle_seconds, interval_minutes, service_level_target, answer_seconds
    ) and (occupancy is None or plain_numbers(occupancy)):
        v_, h_, a_ = _load_scalar(volume, handle_seconds, interval_minutes)
        target_ = number("service_level_target", service_level_target, _SERVICE_LEVEL_TARGET)
        tau_ = number("answer_seconds", answer_seconds, NONNEGATIVE) / h_
        occ_ = 1.0 if occupancy is None else number("occupancy", occupancy, _OCCUPANCY)
        return _required_scalar(v_, a_, tau_, target_, occ_)
    v, h, a = _load(volume, handle_seconds, interval_minutes)
    target = numbers("service_level_target", service_level_target, _SERVICE_LEVEL_TARGET)
    tau = numbers("answer_seconds", answer_seconds, NONNEGATIVE) / h
    # Without a cap, A/N <= 1 holds for every N > A, the only counts that can meet a target > 0.
    occ = np.asarray(1.0) if occupancy is None else numbers("occupancy", occupancy, _OCCUPANCY)
    shape = np.broadcast_shapes(a.shape, tau.shape, target.shape, occ.shape)
    result = zeros(shape)
    flat = result.reshape(-1)  # a view: answers land in result
    calls = np.broadcast_to(v, shape) > 0  # not A > 0: see _wait
    if calls.all():  # every interval (a batch's months): the same arrays, without an index
        flat[...] = _required_by_lookup(*(_flat_copy(x, shape) for x in (a, tau, target, occ)))
    else:
        idx = np.flatnonzero(calls)
        flat[idx] = _required_by_lookup(
            *(np.broadcast_to(x, shape).reshape(-1)[idx] for x in (a, tau, target, occ))
        )
    return float_or_array(result)


def _flat_copy(x: FloatArray, shape: tuple[int, ...]) -> FloatArray:
    """``x`` broadcast to ``shape``, as a new 1-D array (from the active workspace if any)."""
    out = scratch(shape=shape)
    if out is None:
        return np.broadcast_to(x, shape).flatten()
    np.copyto(out, np.broadcast_to(x, shape))
    return out.reshape(-1)


@overload
def scheduled_fte(agents: float, *, shrinkage: float) -> float: ...
@overload
def scheduled_fte(agents: ArrayLike, *, shrinkage: ArrayLike) -> FloatArray: ...
def scheduled_fte(agents: ArrayLike, *, shrinkage: ArrayLike) -> Any:
    """Staff to schedule so that ``agents`` are available after shrinkage.

    Parameters
    ----------
    agents : array_like
        Agents needed on the phones (>= 0), e.g. from `required_agents`.
    shrinkage : array_like
        Share of paid time not available for work (breaks, training, leave, absence), in
        [0, 1); 20-35% is typical for contact centres.

    Returns
    -------
    float or ndarray
        ceil(agents / (1 - shrinkage)), whole numbers as floats.

    Examples
    --------
    14 agents with 30% shrinkage need 20 people scheduled:

    >>> scheduled_fte(14, shrinkage=0.3)
    20.0
    """
    n = numbers("agents", agents, NONNEGATIVE)
    s = numbers("shrinkage", shrinkage, SHARE_BELOW_ONE)
    fte = n / (1.0 - s)
    return float_or_array(np.ceil(fte * (1.0 - _CEIL_RELATIVE_SLACK)))


@overload
def workload_fte(
    volume_per_month: float,
    handle_minutes: float,
    *,
    paid_hours_per_month: float,
    shrinkage: float,
    occupancy: float,
) -> float: ...
@overload
def workload_fte(
    volume_per_month: ArrayLike,
    handle_minutes: ArrayLike,
    *,
    paid_hours_per_month: ArrayLike,
    shrinkage: ArrayLike,
    occupancy: ArrayLike,
) -> FloatArray: ...
def workload_fte(
    volume_per_month: ArrayLike,
    handle_minutes: ArrayLike,
    *,
    paid_hours_per_month: ArrayLike,
    shrinkage: ArrayLike,
    occupancy: ArrayLike,
) -> Any:
    """FTE for work that can wait in a backlog (data entry, claims, AP), without queueing.

    Parameters
    ----------
    volume_per_month : array_like
        Items per month (>= 0).
    handle_minutes : array_like
        Average handling minutes per item (> 0).
    paid_hours_per_month : array_like
        Paid (contracted) hours per FTE per month *before* shrinkage, e.g. 2080 / 12 = 173.3
        (> 0); shrinkage and occupancy are taken off here, not by the caller.
    shrinkage : array_like
        Share of paid time not available for work, in [0, 1).
    occupancy : array_like
        Share of available time spent handling items, in (0, 1].

    Returns
    -------
    float or ndarray
        Fractional FTE (not rounded).

    Notes
    -----
    FTE = volume * handle_minutes / 60 / (paid hours * (1 - shrinkage) * occupancy).

    Examples
    --------
    12,000 invoices a month at 6 minutes, 173.33 paid hours, 25% shrinkage, 85% occupancy:

    >>> round(workload_fte(12_000, 6, paid_hours_per_month=2080 / 12, shrinkage=0.25,
    ...                    occupancy=0.85), 2)
    10.86
    """
    args = (volume_per_month, handle_minutes, paid_hours_per_month, shrinkage, occupancy)
    check = checker(*args)
    v = check("volume_per_month", volume_per_month, NONNEGATIVE)
    m = check("handle_minutes", handle_minutes, POSITIVE)
    hours = check("paid_hours_per_month", paid_hours_per_month, POSITIVE)
    s = check("shrinkage", shrinkage, SHARE_BELOW_ONE)
    occ = check("occupancy", occupancy, _OCCUPANCY)
    fte = v * m / 60.0 / (hours * (1.0 - s) * occ)
    return float_or_array(np.asarray(fte))
