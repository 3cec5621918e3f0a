"""The currency movement on an invoice written in another currency (``fx.adjustment``)."""

from __future__ import annotations

import numpy as np

from .._types import FloatArray
from ..core.currency import fx_factor_unchecked
from ..core.workspace import into, op
from .params import ContractCurrency

__all__ = ["fx_adjustment"]


def fx_adjustment(
    currency: ContractCurrency, invoice: FloatArray, months: FloatArray
) -> FloatArray:
    """What the clause adds to (or takes off) an invoice already converted at the base rate.

    ``invoice × (factor − 1)``: zero under the provider clause and for a constant rate.
    """
    factor = fx_factor_unchecked(
        months, currency.drift_per_year, currency.clause, currency.band, currency.client_share
    )
    return op(np.multiply, invoice, into(factor, np.subtract, factor, 1.0))  # factor: a new array
