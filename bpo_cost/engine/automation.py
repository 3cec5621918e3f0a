"""Automation, for whoever runs it: a vendor option's or the in-house improvement path's.

A share of the volume is deflected from the start month; the deflected units cost the
automation's unit cost (inflated), plus the one-off build cost in the start month
(docs/methodology.md#clauses).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np

from .._types import FloatArray
from ..core.workspace import into, op
from .params import Automation

__all__ = ["automation_cost", "deflected"]

_ZERO = np.zeros((1, 1))
_ZERO.flags.writeable = False


def deflected(auto: Automation | None, volume: FloatArray, months: FloatArray) -> FloatArray:
    """Units automation takes off the people, from its start month (a zero without automation)."""
    if auto is None:
        return _ZERO
    return op(np.multiply, volume, op(np.multiply, auto.share, months >= auto.start_month))


def automation_cost(
    auto: Automation | None,
    deflected_units: Sequence[FloatArray],
    months: FloatArray,
    price_index: FloatArray,
) -> FloatArray:
    """Monthly automation cost: deflected units x unit cost x price index, plus the build cost
    in the start month (a zero without automation)."""
    if auto is None:
        return _ZERO
    units: FloatArray = functools.reduce(lambda a, b: op(np.add, a, b), deflected_units)
    cost = op(np.multiply, units, op(np.multiply, auto.cost_per_unit, price_index))
    return into(cost, np.add, cost, op(np.multiply, auto.build_cost, months == auto.start_month))
