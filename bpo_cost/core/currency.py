"""Contract currencies: what a price fixed in another currency costs in the case currency.

An offshore line may be priced in the provider's currency (rupees, pesos) at an exchange rate
``rate`` (case currency per unit of the contract currency) on the start date, drifting by
``drift_per_year``. Who bears the movement is the currency clause
(docs/methodology.md#clauses; Alsbridge 2010, ISG "Forex safety nets"):

- ``provider``: the price is fixed in the case currency; the provider bears every movement;
- ``client``: the client pays the contract price at the month's rate; it bears every movement;
- ``band``: no adjustment while the rate stays within ``band`` of the base rate; beyond it the
  client bears ``client_share`` of the movement past the band (often half), both ways.

The client's price is the base-rate price times ``fx_factor``; the engine's ``fx.adjustment``
is that price less the base-rate price.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from .._types import ArrayLike, FloatArray
from .arguments import NONNEGATIVE, POSITIVE, RATE, SHARE, Range, checker, choice, float_or_array
from .workspace import into, op

__all__ = [
    "FX_CLAUSES",
    "FxClause",
    "exchange_rate",
    "exchange_rate_unchecked",
    "fx_factor",
    "fx_factor_unchecked",
]

FxClause = Literal["provider", "client", "band"]
FX_CLAUSES: tuple[FxClause, ...] = get_args(FxClause)

_MONTH = Range(low=1.0)


def exchange_rate(month: ArrayLike, rate: ArrayLike, drift_per_year: ArrayLike = 0.0) -> Any:
    """The exchange rate in a month: ``rate`` at month 1, moving by ``drift_per_year``.

    Parameters
    ----------
    month : contract month (1 is the first).
    rate : case currency per unit of the contract currency at the start (0.0095 GBP per INR).
    drift_per_year : yearly change of that rate (-0.03: the contract currency loses 3 % a year).

    Returns
    -------
    float or ndarray
        ``rate · (1 + drift_per_year)^((month − 1) / 12)``, compounded monthly.

    Examples
    --------
    >>> round(exchange_rate(13, 0.0095, -0.03), 8)
    0.009215
    >>> exchange_rate(1, 0.0095, 0.5)
    0.0095
    """
    check = checker(month, rate, drift_per_year)
    return float_or_array(
        exchange_rate_unchecked(
            check("month", month, _MONTH),
            check("rate", rate, POSITIVE),
            check("drift_per_year", drift_per_year, RATE),
        )
    )


def fx_factor(
    month: ArrayLike,
    *,
    drift_per_year: ArrayLike = 0.0,
    clause: str = "client",
    band: ArrayLike = 0.0,
    client_share: ArrayLike = 1.0,
) -> Any:
    """What the client pays for a contract-currency price, relative to the base rate.

    Parameters
    ----------
    month : contract month (1 is the first).
    drift_per_year : yearly change of the rate (case currency per contract unit).
    clause : ``provider``, ``client`` or ``band`` (module docstring).
    band : for ``band``: the movement of the rate, either way, with no adjustment (0.05 = 5 %).
    client_share : for ``band``: the client's share of the movement beyond the band.

    Returns
    -------
    float or ndarray
        With ``m = (1 + drift)^((month − 1)/12) − 1`` the rate's movement: 1 (provider);
        ``1 + m`` (client); ``1 + client_share · sign(m) · max(|m| − band, 0)`` (band).

    Examples
    --------
    The rupee 10 % weaker after some years, a 5 % band shared 50/50: the client pays 2.5 % less.

    >>> m = 1 + 12 * np.log(0.9) / np.log(0.99)  # the month the rate is 10 % down at -1 %/yr
    >>> round(fx_factor(m, drift_per_year=-0.01, clause="band", band=0.05, client_share=0.5), 6)
    0.975
    >>> fx_factor(25, drift_per_year=0.1, clause="provider")
    1.0
    """
    how = choice("clause", clause, FX_CLAUSES, ignore_case=True)
    check = checker(month, drift_per_year, band, client_share)
    return float_or_array(
        fx_factor_unchecked(
            check("month", month, _MONTH),
            check("drift_per_year", drift_per_year, RATE),
            how,
            check("band", band, NONNEGATIVE),
            check("client_share", client_share, SHARE),
        )
    )


def exchange_rate_unchecked(month: Any, rate: Any, drift_per_year: Any) -> FloatArray:
    """``exchange_rate`` without checks (the engine's arrays)."""
    return np.asarray(rate * np.power(1.0 + drift_per_year, (month - 1.0) / 12.0), dtype=float)


def fx_factor_unchecked(
    month: Any, drift_per_year: Any, clause: FxClause, band: Any, client_share: Any
) -> FloatArray:
    """``fx_factor`` without checks (the engine's arrays)."""
    if clause == "provider":
        return np.ones_like(np.asarray(month, dtype=float))
    # worked in place after the power: the same operations in the same order
    movement = np.power(1.0 + drift_per_year, (month - 1.0) / 12.0)
    movement = into(movement, np.subtract, movement, 1.0)
    if clause == "client":
        return np.asarray(into(movement, np.add, 1.0, movement), dtype=float)
    beyond = op(np.abs, movement)
    beyond = into(beyond, np.maximum, into(beyond, np.subtract, beyond, band), 0.0)
    factor = into(movement, np.multiply, client_share, into(movement, np.sign, movement))
    factor = into(factor, np.multiply, factor, beyond)
    return np.asarray(into(factor, np.add, 1.0, factor), dtype=float)
