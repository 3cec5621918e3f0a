"""Wall-clock timing shared by the benchmark scripts (run them as ``python benchmarks/X.py``)."""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator


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


def median_call(repeats: int, number: int, fn: Callable[[], object]) -> float:
    """Median over ``repeats`` rounds of the mean time of one call in ``number`` calls: for
    calls of microseconds, where one call is too short to time alone."""

    def round_() -> None:
        for _ in range(number):
            fn()

    return statistics.median(wall_times(repeats, round_)) / number


@contextlib.contextmanager
def busy_core(on: bool) -> Iterator[None]:
    """With ``on``, one more process spinning on a core while the block runs (the loaded run)."""
    if not on:
        yield
        return
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.2)  # let it start spinning
        yield
    finally:
        spinner.kill()
        spinner.wait()


def load_line() -> str:
    """The CPUs and the load average, printed above results measured on a shared machine."""
    return (
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} "
        "(above 0: other processes compete for the CPUs)"
    )
