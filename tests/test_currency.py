"""Currency clauses against hand calculations (core.currency; docs/methodology.md#clauses)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from bpo_cost.core.currency import exchange_rate, fx_factor
from bpo_cost.errors import InputError

# A rate drifting 12 % a year is (1.12)^(1/12) - 1 = 0.9489 % a month; hand values below come
# from the movement m = 1.12^((month - 1) / 12) - 1 worked out in each test.


def test_a_constant_rate_changes_nothing_under_every_clause() -> None:
    for clause in ("provider", "client", "band"):
        assert fx_factor(np.arange(1, 61.0), clause=clause, band=0.05).tolist() == [1.0] * 60


def test_the_provider_bears_every_movement() -> None:
    assert fx_factor(37, drift_per_year=-0.2, clause="provider") == 1.0


def test_the_client_bears_every_movement() -> None:
    # month 13 at +12 %/yr: one year on, the contract currency costs 12 % more
    assert math.isclose(fx_factor(13, drift_per_year=0.12, clause="client"), 1.12, rel_tol=1e-15)


@pytest.mark.parametrize(
    ("drift", "month", "want"),
    [
        # inside the band both ways: 3 % after a year against a 5 % band, no adjustment
        (0.03, 13, 1.0),
        (-0.03, 13, 1.0),
        # beyond the band, the client's half of the movement past it:
        # +12 % after a year: 1 + 0.5 x (0.12 - 0.05) = 1.035
        (0.12, 13, 1.035),
        # -12 % after a year: 1 - 0.5 x (0.12 - 0.05) = 0.965
        (-0.12, 13, 0.965),
        # two years at -12 %/yr: m = 0.88^2 - 1 = -0.2256; 1 - 0.5 x (0.2256 - 0.05) = 0.9122
        (-0.12, 25, 0.9122),
    ],
)
def test_a_band_shares_only_the_movement_beyond_it(drift: float, month: int, want: float) -> None:
    got = fx_factor(month, drift_per_year=drift, clause="band", band=0.05, client_share=0.5)
    assert math.isclose(got, want, rel_tol=1e-12)


def test_the_rate_compounds_monthly() -> None:
    # month 7 at +12 %/yr: 1.12^0.5 = 1.058300524...
    assert math.isclose(exchange_rate(7, 2.0, 0.12), 2.0 * math.sqrt(1.12), rel_tol=1e-15)


def test_bad_arguments_name_the_argument() -> None:
    with pytest.raises(InputError, match="clause must be one of provider, client, band"):
        fx_factor(1, clause="shared")
    with pytest.raises(InputError, match="band must be"):
        fx_factor(1, clause="band", band=-0.1)
    with pytest.raises(InputError, match="rate must be"):
        exchange_rate(1, 0.0)
    with pytest.raises(InputError, match="client_share must be"):
        fx_factor(1, clause="band", client_share=1.5)
