"""Wall-clock timing shared by the benchmark scripts (run them as ``python benchmarks/X.py``)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def wall_times(repeats: int, fn: Callable[[], object]) -> list[float]:
    """Seconds each of ``repeats`` calls of ``fn`` took."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def best_of(repeats: int, fn: Callable[[], object]) -> float:
    """The fastest call: the least disturbed by other work on a shared machine."""
    return min(wall_times(repeats, fn))


def median_of(repeats: int, fn: Callable[[], object]) -> float:
    """The median call: for steps whose first call differs (imports, caches)."""
    return statistics.median(wall_times(repeats, fn))
