"""The month axis: month numbers, calendar months, contract years, volume and price indices.

Arrays are ``(1, n_months)`` or broadcast with a leading scenario axis. Month 1 is the first month
of the term. Volume grows smoothly, ``(1 + g) ** ((m - 1) / 12)``; wages, prices and escalators step
once per contract year, ``(1 + r) ** year`` with year 0 in months 1–12, as contracts and pay
rounds do.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from .._types import FloatArray
from .pricing import contract_year
from .workspace import op

__all__ = ["calendar_month", "in_month", "month_axis", "volume_path", "yearly_index"]


def month_axis(term_months: int) -> FloatArray:
    """Months 1..term as a ``(1, term)`` float row."""
    return np.arange(1.0, term_months + 1.0)[None, :]


def in_month(values: FloatArray, month: FloatArray) -> FloatArray:
    """``values`` (a month grid) in the given month (1-based; one month per scenario or one for
    all), ``(n, 1)``."""
    rows = max(values.shape[0], month.shape[0])  # either may be the same in every scenario
    index = np.broadcast_to(month.astype(int) - 1, (rows, 1))
    return np.take_along_axis(np.broadcast_to(values, (rows, values.shape[1])), index, axis=1)


def calendar_month(start: dt.date, months: FloatArray) -> FloatArray:
    """0-based calendar month (0 = January) of each term month, as integers."""
    return ((start.month - 1 + months.astype(int) - 1) % 12).astype(int)


def volume_path(
    volume_per_month: FloatArray,
    growth_per_year: FloatArray,
    seasonality: FloatArray,
    start: dt.date,
    months: FloatArray,
) -> FloatArray:
    """Units of work in each month: base volume × smooth growth × calendar-month seasonality.

    ``months`` is the month axis 1..term (``month_axis``).
    """
    # With m - 1 = 12·year + j: (1 + g)**((m - 1)/12) = (1 + g)**year · (1 + g)**(j/12), and
    # month j of every contract year is the same calendar month. So the factors are small,
    # (n, 12) and (n, years), and the month grid is a single product of the two.
    term = months.shape[1]
    years = -(-term // 12)
    rate = np.log1p(growth_per_year)  # exp(log1p(g)·t) is (1 + g)**t
    j = np.arange(12.0)[None, :]
    season = np.take_along_axis(
        seasonality,
        np.broadcast_to(calendar_month(start, j + 1.0), (seasonality.shape[0], 12)),
        axis=1,
    )
    within_year = volume_per_month * np.exp(rate * (j / 12.0)) * season
    by_year = np.exp(rate * np.arange(float(years)))
    grid = op(np.multiply, by_year[:, :, None], within_year[:, None, :])
    return np.asarray(grid.reshape(grid.shape[0], years * 12)[:, :term], dtype=float)


def yearly_index(rate_per_year: FloatArray, months: FloatArray) -> FloatArray:
    """``(1 + r) ** contract_year``: stepped each contract year."""
    return (1.0 + rate_per_year) ** contract_year(months)
