"""CLI start: ``bpo-cost demo`` as a whole process against ``python -c "import bpo_cost"``.

Both are run alternately in the same run (so a busy machine slows both alike); the median of
each and their ratio are printed. Target (issue "Fast where the analyst waits", item 4): the
demo within 0.45 s on an idle two-core machine. ``/usr/bin/time -f %e bpo-cost demo`` gives the
same figure by hand.

Run: ``python benchmarks/bench_cli.py [RUNS]`` (default 7).
"""

from __future__ import annotations

import resource
import shutil
import statistics
import subprocess
import sys
import time

from _timing import load_line


def _seconds(args: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run of ``args``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(runs: int = 7) -> None:
    cli = shutil.which("bpo-cost") or "bpo-cost"
    demo = [cli, "demo"]
    baseline = [sys.executable, "-c", "import bpo_cost"]
    _seconds(demo), _seconds(baseline)  # warm the file cache
    d, b = [], []
    for _ in range(runs):
        d.append(_seconds(demo))
        b.append(_seconds(baseline))
    # on a busy machine the wall time includes waiting for a CPU; the CPU time does not
    (dm, dc), (bm, bc) = ((statistics.median(x) for x in zip(*r, strict=True)) for r in (d, b))
    print(load_line())
    print(f"import bpo_cost: median {bm:.3f} s wall, {bc:.3f} s CPU over {runs} runs")
    print(
        f"bpo-cost demo:   median {dm:.3f} s wall, {dc:.3f} s CPU  ({dm / bm:.2f}x the import "
        f"wall, {dc / bc:.2f}x CPU; target <= 0.45 s)"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
