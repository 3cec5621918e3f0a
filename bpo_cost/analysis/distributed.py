"""Run independent chunks of work here (threads) or on a Dask cluster, results in chunk order.

A chunk is a call ``fn(job, start, stop)``; its numbers depend on ``job`` and the draw indices
only (random streams are derived from the seed and the block index, see
``bpo_cost.case.distributions``), so the results are the same whatever runs them: one thread,
several, or the workers of a ``dask.distributed`` cluster. Dask is optional
(``pip install 'bpo-cost[dask]'``) and imported only when a client or scheduler is given.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ..errors import InputError

__all__ = ["ChunkTimes", "dask_client", "default_workers", "run_chunks"]

J = TypeVar("J")
R = TypeVar("R")


@dataclass(frozen=True)
class ChunkTimes:
    """Seconds each chunk took where it ran (to estimate a larger cluster from a small one)."""

    seconds: list[float]


@dataclass(frozen=True)
class _Timed(Generic[R]):
    value: R
    seconds: float


def _timed(fn: Callable[[J, int, int], R], job: J, start: int, stop: int) -> _Timed[R]:
    t0 = time.perf_counter()
    value = fn(job, start, stop)
    return _Timed(value, time.perf_counter() - t0)


def dask_client(client: Any = None, scheduler: str | None = None) -> tuple[Any, bool]:
    """The Dask client to use (given, or connected to ``scheduler``) and whether we own it."""
    if client is not None:
        return client, False
    if scheduler is None:
        return None, False
    try:
        from distributed import Client
    except ImportError:
        raise InputError(
            "scheduler",
            scheduler,
            "used with Dask installed: pip install 'bpo-cost[dask]'",
        ) from None
    try:
        return Client(scheduler, timeout="20s"), True  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as exc:
        raise InputError(
            "scheduler", scheduler, f"the address of a running Dask scheduler ({exc})"
        ) from None


def default_workers() -> int:
    """Threads for local chunks: the CPU count, at most 4; 1 in Pyodide (no threads)."""
    if sys.platform == "emscripten":
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


def _completed(
    fn: Callable[[J, int, int], R],
    job: J,
    spans: Sequence[tuple[int, int]],
    dask: Any,
    workers: int | None,
) -> Iterator[tuple[int, _Timed[R]]]:
    """``(chunk index, timed result)`` as each chunk completes, on Dask or local threads."""
    if dask is not None:
        from distributed import as_completed as dask_completed

        shared = dask.scatter(job, broadcast=True)
        futures = {
            dask.submit(_timed, fn, shared, a, b, pure=False): i for i, (a, b) in enumerate(spans)
        }
        for fut in dask_completed(list(futures)):  # type: ignore[no-untyped-call]
            yield futures[fut], fut.result()
        return
    n_workers = default_workers() if workers is None else workers
    if isinstance(n_workers, bool) or not isinstance(n_workers, int) or n_workers < 1:
        raise InputError("workers", n_workers, "a whole number >= 1")
    if n_workers == 1 or len(spans) == 1:
        for i, (a, b) in enumerate(spans):
            yield i, _timed(fn, job, a, b)
        return
    # imported here: xlwings Lite (Pyodide) has no threads, and runs with one worker
    from concurrent.futures import ThreadPoolExecutor, as_completed

    with ThreadPoolExecutor(max_workers=n_workers) as pool:
        local = {pool.submit(_timed, fn, job, a, b): i for i, (a, b) in enumerate(spans)}
        for f in as_completed(local):
            yield local[f], f.result()


def run_chunks(
    fn: Callable[[J, int, int], R],
    job: J,
    spans: Sequence[tuple[int, int]],
    *,
    client: Any = None,
    scheduler: str | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[R], ChunkTimes]:
    """``[fn(job, start, stop) for (start, stop) in spans]``, run in parallel, in span order.

    Parameters
    ----------
    fn : a module-level function (Dask sends it to the workers by reference).
    job : what every chunk needs; sent to each Dask worker once (``scatter``).
    spans : the ``(start, stop)`` draw ranges of the chunks.
    client : a ``distributed.Client``; or ``scheduler``, the address of a Dask scheduler
        (``tcp://host:8786``). Neither: local threads.
    workers : local threads (default: CPU count, at most 4).
    progress : called as ``progress(done, total)`` with the draws completed.
    """
    total = spans[-1][1] - spans[0][0] if spans else 0
    out: list[_Timed[R] | None] = [None] * len(spans)
    done = 0
    dask, owned = dask_client(client, scheduler)
    try:
        for i, timed in _completed(fn, job, spans, dask, workers):
            out[i] = timed
            done += spans[i][1] - spans[i][0]
            if progress is not None:
                progress(done, total)
    finally:
        if owned:
            dask.close()
    results = [t for t in out if t is not None]
    return [t.value for t in results], ChunkTimes([t.seconds for t in results])
