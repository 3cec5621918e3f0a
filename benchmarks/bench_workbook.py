"""Business-case workbook: time to write the largest example, and LibreOffice's recalculation.

Run: ``python benchmarks/bench_workbook.py``. The largest example is claims_back_office (84
months, every option). Prints the times of this run and their ratio to the baseline measured in
the same run: evaluating the case in Python (what the workbook replicates as formulas). The
goal is a written workbook in under a second; LibreOffice's recalculation (a separate process
that starts up) is shown for scale, as the cost of the fidelity test per run.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import openpyxl
from _timing import median_of

from bpo_cost import evaluate
from bpo_cost.case.examples import example_path
from bpo_cost.workbook import build_workbook, write_workbook
from bpo_cost.workbook.recalc import find_soffice, recalculate

CASE = "claims_back_office"
REPEATS = 7


def main() -> None:
    source = example_path(CASE)
    folder = Path(tempfile.mkdtemp(prefix="bench-workbook-"))
    target = folder / f"{CASE}.xlsx"
    result = evaluate(source)
    t_eval = median_of(REPEATS, lambda: evaluate(source))
    t_build = median_of(REPEATS, lambda: build_workbook(result))
    wb = build_workbook(result)
    t_save = median_of(REPEATS, lambda: wb.save(folder / "save.xlsx"))
    t_write = median_of(REPEATS, lambda: write_workbook(source, target))
    cells = sum(
        1
        for ws in openpyxl.load_workbook(target).worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    )
    print(
        f"{CASE}: {result.case.term_months} months, {len(result.case.options)} options, "
        f"{cells:,} cells, {target.stat().st_size / 1e3:,.0f} kB"
    )
    print(f"  baseline: evaluate in Python      {t_eval * 1e3:8.1f} ms")
    print(
        f"  build the workbook in memory      {t_build * 1e3:8.1f} ms  "
        f"({t_build / t_eval:5.1f} x baseline)"
    )
    print(
        f"  save it (openpyxl)                {t_save * 1e3:8.1f} ms  "
        f"({t_save / t_eval:5.1f} x baseline)"
    )
    print(
        f"  write_workbook end to end         {t_write * 1e3:8.1f} ms  "
        f"({t_write / t_eval:5.1f} x baseline)  goal < 1000 ms: "
        f"{'met' if t_write < 1.0 else 'NOT met'}"
    )
    if find_soffice() is None:
        print("  LibreOffice not installed: recalculation not timed")
        return
    start = time.perf_counter()
    recalculate([target], folder / "recalculated")
    t_lo = time.perf_counter() - start
    print(
        f"  LibreOffice recalculation (1 run) {t_lo * 1e3:8.1f} ms  "
        f"({t_lo / t_write:5.1f} x write_workbook, start-up included)"
    )


if __name__ == "__main__":
    main()
