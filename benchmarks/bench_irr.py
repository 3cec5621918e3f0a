"""IRR of 100,000 scenarios x 60 months: vectorised ``irr`` against per-scenario loops.

Run: ``python benchmarks/bench_irr.py``. Prints times and ratios measured in this run. The
baselines are Python loops calling ``numpy_financial.irr`` (timed on a subset and scaled per row,
as the full loop takes minutes) and ``pyxirr.irr`` (Rust, timed on every row).
"""

from __future__ import annotations

import numpy as np
import numpy_financial as npf
import pyxirr
from _timing import best_of

from bpo_cost.core.finance import irr

SCENARIOS, MONTHS, NPF_SUBSET = 100_000, 60, 2_000


def savings_flows(rng: np.random.Generator, scenarios: int, months: int) -> np.ndarray:
    """Monthly savings of outsourcing: 3-12 months of transition cost, then savings."""
    transition = rng.integers(3, 13, scenarios)[:, None]
    cost = -rng.uniform(20_000, 60_000, (scenarios, months))
    saving = rng.uniform(10_000, 30_000, (scenarios, months))
    return np.where(np.arange(months) < transition, cost, saving)


def main() -> None:
    flows = savings_flows(np.random.default_rng(20240601), SCENARIOS, MONTHS)
    ours = np.asarray(irr(flows))
    # Newton from Excel's default guess 0.1 fails on some rows (Excel: #NUM!): the fallback runs.
    t_ours = best_of(3, lambda: irr(flows))

    subset = flows[:NPF_SUBSET]
    npf_rates: list[float] = []
    t_npf_subset = best_of(1, lambda: npf_rates.extend(npf.irr(row) for row in subset))
    t_npf = t_npf_subset / NPF_SUBSET * SCENARIOS

    pyxirr_rates: list[float] = []
    t_pyxirr = best_of(1, lambda: pyxirr_rates.extend(pyxirr.irr(row) for row in flows))

    print(f"irr on {SCENARIOS:,} scenarios x {MONTHS} months of savings-like cash flows")
    print(f"  bpo_cost.core.finance.irr (vectorised)   {t_ours:8.2f} s")
    print(
        f"  numpy_financial.irr loop            {t_npf:8.2f} s   (timed on {NPF_SUBSET:,} rows:"
        f" {t_npf_subset:.2f} s, scaled per row)   ratio {t_npf / t_ours:6.1f}x"
    )
    print(
        f"  pyxirr.irr loop                     {t_pyxirr:8.2f} s   ratio {t_pyxirr / t_ours:6.1f}x"
    )
    print(
        "  largest |difference|: vs numpy-financial "
        f"{np.max(np.abs(ours[:NPF_SUBSET] - npf_rates)):.1e}, vs pyxirr "
        f"{np.max(np.abs(ours - pyxirr_rates)):.1e}"
    )


if __name__ == "__main__":
    main()
