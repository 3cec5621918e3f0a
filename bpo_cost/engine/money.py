"""Money that is not a running cost: taxes on the vendor's charges, dated costs and asset sales.

Components (per month, case currency; docs/methodology.md#taxes and #dated-costs):

- ``tax.vat``: VAT rate × (1 − recoverable share) × the vendor's charges
  (``components.TAXED_COMPONENTS``), of an option with ``taxes``;
- ``tax.withholding``: the withholding tax the client bears on the same charges, w / (1 − w) ×
  the charges (the contract's charges are net of it);
- ``dated_costs`` / ``inhouse.dated_costs``: one-off amounts in their month and recurring ones
  from their start to their end month, nominal (not indexed);
- ``asset_sales`` / ``inhouse.asset_sales``: minus the proceeds, in their month (cash in).

An owner without the block (no ``taxes``, an empty list) has none of its components.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .._types import FloatArray
from ..core.workspace import op, zeros
from .components import TAXED_COMPONENTS
from .params import AssetSale, DatedCost, Taxes

__all__ = ["asset_sale_proceeds", "dated_cost", "dated_parts", "tax_parts"]


def tax_parts(taxes: Taxes, parts: Mapping[str, FloatArray]) -> dict[str, FloatArray]:
    """``tax.vat`` (irrecoverable VAT) and ``tax.withholding`` (the gross-up) on an option's
    vendor charges, ``(n or 1, months)`` each.

    ``parts`` holds the option's components as the engine makes them (some narrower than the
    term, some a single zero); the charges are summed in ``TAXED_COMPONENTS`` order, as the
    workbook sums them.
    """
    charges = [parts[k] for k in TAXED_COMPONENTS if k in parts]  # a block's may be absent
    width = max(c.shape[1] for c in charges)
    rows = max(c.shape[0] for c in charges)
    base = zeros((rows, width))
    for c in charges:
        base[:, : c.shape[1]] += c
    w = taxes.withholding_rate
    return {
        "tax.vat": op(np.multiply, taxes.vat_rate * (1.0 - taxes.recoverable_share), base),
        "tax.withholding": op(np.multiply, w / (1.0 - w), base),
    }


def dated_cost(costs: Sequence[DatedCost], months: FloatArray) -> FloatArray:
    """Each cost in its months, summed: a one-off in its start month, a recurring one every
    month from its start to its end month (months past the term fall off)."""
    total = np.zeros((1, months.shape[1]))
    for c in costs:
        end = c.start_month if c.end_month is None else c.end_month
        total = total + c.amount * ((months >= c.start_month) & (months <= end))
    return total


def asset_sale_proceeds(sales: Sequence[AssetSale], months: FloatArray) -> FloatArray:
    """Minus each sale's proceeds in its month: cash in, a negative cost."""
    total = np.zeros((1, months.shape[1]))
    for s in sales:
        total = total - s.proceeds * (months == s.month)
    return total


def dated_parts(
    prefix: str, costs: Sequence[DatedCost], sales: Sequence[AssetSale], months: FloatArray
) -> dict[str, FloatArray]:
    """An owner's dated components by key (``prefix``: ``"inhouse."`` or ``""``), only those
    its lists bring."""
    parts = {}
    if costs:
        parts[prefix + "dated_costs"] = dated_cost(costs, months)
    if sales:
        parts[prefix + "asset_sales"] = asset_sale_proceeds(sales, months)
    return parts
