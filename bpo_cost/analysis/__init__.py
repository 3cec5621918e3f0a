"""Decision analysis on the vectorised engine: sensitivity, break-even, scenario grids, Monte Carlo,
portfolios.

Every analysis evaluates its scenarios as engine batches (never one ``evaluate`` per scenario):
a tornado is one batch, a break-even search a handful, a Monte Carlo one batch per chunk.
"""

from __future__ import annotations

from .breakeven import (
    BreakEven,
    breakeven,
    breakeven_month,
    breakeven_price,
    breakeven_share,
    breakeven_volume,
)
from .grid import scenario_grid
from .montecarlo import PERCENTILES, Simulation, simulate, tune_allocator
from .portfolio import PortfolioResult, evaluate_portfolio
from .sensitivity import sensitivity

__all__ = [
    "PERCENTILES",
    "BreakEven",
    "PortfolioResult",
    "Simulation",
    "breakeven",
    "breakeven_month",
    "breakeven_price",
    "breakeven_share",
    "breakeven_volume",
    "evaluate_portfolio",
    "scenario_grid",
    "sensitivity",
    "simulate",
    "tune_allocator",
]
