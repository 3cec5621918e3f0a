"""The retained organisation of an option: the people the client keeps to manage the provider.

Components (per month, case currency; absent when the option has no ``retained`` block):

- ``retained.organisation``: Σ roles FTE × hourly wage, loaded as in-house pay (paid hours,
  benefits, payroll tax, wage inflation: ``inhouse.loaded_pay``);
- ``retained.share_of_fees``: share of fees × fees, for what scales with spend.

``transition.governance_*`` (the ``governance`` component) is the top-down estimate, left as it
is: a case that sizes the organisation here sets those to zero (docs/methodology.md#hidden-costs).
"""

from __future__ import annotations

import numpy as np

from .._types import FloatArray
from ..core.timeline import yearly_index
from ..core.workspace import op
from .inhouse import loaded_pay
from .params import Option, Params

__all__ = ["retained_components"]


def retained_components(
    p: Params, option: Option, months: FloatArray, fees: FloatArray
) -> dict[str, FloatArray]:
    """Monthly retained-organisation components of one option, by name."""
    r = option.retained
    if r is None:
        return {}  # no such components: the option's outputs are as before the block existed
    pay = sum((role.fte * role.wage_per_hour for role in r.roles), np.zeros((1, 1)))
    wage_index = yearly_index(p.wage_inflation_per_year, months)
    return {
        "retained.organisation": loaded_pay(p.inhouse, pay, wage_index),
        # no share in any scenario: one zero, not a month grid of them (engine.Components)
        "retained.share_of_fees": op(np.multiply, r.share_of_fees, fees)
        if np.any(r.share_of_fees)
        else np.zeros((1, 1)),
    }
