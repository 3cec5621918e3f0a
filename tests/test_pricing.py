"""Pricing formulas: tier bands in every shape the engine uses; bad arguments named clearly."""

from __future__ import annotations

import numpy as np
import pytest

from bpo_cost.core import pricing as P
from bpo_cost.core.pricing import tiered_fee
from bpo_cost.errors import InputError

BOUNDS = [10_000.0, 15_000.0]
PRICES = [4.2, 3.9, 3.6]


def _by_hand(v: float, prices: list[float]) -> float:
    """All units at the price of the band V falls in: b_{k-1} < V <= b_k.

    The tier clause as docs/methodology.md#pricing states it.
    """
    if v <= BOUNDS[0]:
        return v * prices[0]
    if v <= BOUNDS[1]:
        return v * prices[1]
    return v * prices[2]


@pytest.mark.parametrize("v", [0.0, 9_999.5, 10_000.0, 10_000.25, 15_000.0, 15_000.5, 80_000.0])
def test_all_units_band_edges(v: float) -> None:
    assert tiered_fee(v, BOUNDS, PRICES) == _by_hand(v, PRICES)


def test_month_grid_with_prices_per_scenario() -> None:
    rng = np.random.default_rng(5)
    volumes = np.concatenate([rng.uniform(5_000, 20_000, (3, 9)), np.full((3, 3), 15_000.0)], 1)
    volumes[:, 0] = BOUNDS[0]
    prices = np.array([[PRICES], [[5.0, 4.0, 3.0]], [[1.0, 1.0, 2.0]]])  # (3, 1, 3)
    got = tiered_fee(volumes, BOUNDS, prices)
    for i in range(3):
        for m in range(12):
            assert got[i, m] == _by_hand(volumes[i, m], list(prices[i, 0]))
    one_list = tiered_fee(volumes, BOUNDS, PRICES)
    assert one_list.shape == (3, 12)
    assert one_list[0, 0] == BOUNDS[0] * PRICES[0]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: P.escalation_index(13, cola_per_year=-2.0),
            "cola_per_year must be a number > -1: got -2.0",
        ),
        (
            lambda: P.escalation_index(13, cola_per_year=0.05, cap_per_year=-0.1),
            "cap_per_year must be a number >= 0, or inf for no cap: got -0.1",
        ),
        (
            lambda: P.hourly_fee([100.0, -5.0], 10.0),
            "billed_units[1] must be a number >= 0: got -5.0",
        ),
        (
            lambda: P.kpi_adjustment(
                1.0, expected=float("nan"), target=0.9, per_point=1.0, cap=0.1
            ),
            "expected must be a number: got nan",
        ),
    ],
    ids=["cola below -100 %", "negative cap", "negative hours", "nan kpi"],
)
def test_bad_arguments_name_the_field_and_value(call, message) -> None:
    with pytest.raises(InputError) as err:
        call()
    assert str(err.value) == message
