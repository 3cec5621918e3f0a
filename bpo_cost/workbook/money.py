"""Formulas of the taxes, dated costs and asset sales (``engine.money``), for the In-house and
option sheets."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..case.models import AssetSale, DatedCost, Taxes
from ..engine.components import TAXED_COMPONENTS
from .grid import MONTH
from .refs import input_name as n

__all__ = ["dated_formulas", "tax_formulas"]


def dated_formulas(
    owner: str, prefix: str, costs: Sequence[DatedCost], sales: Sequence[AssetSale]
) -> dict[str, str]:
    """The dated components of an owner whose inputs are under ``owner`` (``inhouse`` or
    ``options.i``), keyed ``prefix + name`` (``engine.money.dated_parts``); "=0" for an empty
    list (an option sheet has every row)."""
    m = MONTH
    terms = []
    for k, c in enumerate(costs):
        q = f"{owner}.dated_costs.{k}."
        start, amount = n(q + "start_month"), n(q + "amount")
        if c.end_month is None:
            terms.append(f"IF({m}={start},{amount},0)")
        else:
            terms.append(f"IF(AND({m}>={start},{m}<={n(q + 'end_month')}),{amount},0)")
    proceeds = [
        f"IF({m}={n(f'{owner}.asset_sales.{k}.month')},{n(f'{owner}.asset_sales.{k}.proceeds')},0)"
        for k in range(len(sales))
    ]
    return {
        prefix + "dated_costs": "=" + ("+".join(terms) or "0"),
        prefix + "asset_sales": f"=-({'+'.join(proceeds)})" if proceeds else "=0",
    }


def tax_formulas(owner: str, taxes: Taxes | None, at: Mapping[str, str]) -> dict[str, str]:
    """``tax.vat`` and ``tax.withholding`` of the option whose inputs are under ``owner``, over
    the component cells ``at`` (``engine.money.tax_parts``: the charges summed in
    ``TAXED_COMPONENTS`` order)."""
    if taxes is None:
        return {"tax.vat": "=0", "tax.withholding": "=0"}
    t = owner + ".taxes."
    charges = "+".join(at[k] for k in TAXED_COMPONENTS)
    w = n(t + "withholding_rate")
    return {
        "tax.vat": f"={n(t + 'vat_rate')}*(1-{n(t + 'recoverable_share')})*({charges})",
        "tax.withholding": f"={w}/(1-{w})*({charges})",
    }
