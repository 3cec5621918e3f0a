"""The compiled parameter tree: overrides per scenario; a case compiled once for many batches."""

from __future__ import annotations

import numpy as np
import pytest

from bpo_cost.case.io import parse_case
from bpo_cost.engine.compile import Compiler, compile_case
from bpo_cost.errors import InputError

from .strategies import bare_case

SEASON = [1.1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.9, 1.2]


def _case():
    return parse_case(bare_case(workload={"seasonality": SEASON}))


def test_numbers_become_rows_and_overrides_columns():
    p = compile_case(_case(), {"workload.volume_per_month": [900.0, 1100.0]})
    assert p.n_scenarios == 2
    assert p.workload.volume_per_month.tolist() == [[900.0], [1100.0]]
    assert p.workload.handle_minutes.tolist() == [[60.0]]  # not varied: one row for all
    assert p.workload.seasonality.shape == (1, 12)
    assert p.options[0].pricing.price.tolist() == [[15.0]]


def test_batches_of_one_compiler_do_not_leak_into_each_other():
    c = Compiler(_case())
    a = c({"workload.volume_per_month": [1.0, 2.0, 3.0], "options.0.pricing.price": [9.0]})
    b = c({"inhouse.wage_per_hour": [30.0, 40.0]})
    plain = c()
    assert a.workload.volume_per_month.shape == (3, 1)
    assert b.workload.volume_per_month.tolist() == [[1000.0]]
    assert plain.options[0].pricing.price.tolist() == [[15.0]]
    assert a.options[0].pricing.price.tolist() == [[9.0]]
    assert b.inhouse.wage_per_hour.tolist() == [[30.0], [40.0]]
    assert plain.inhouse.wage_per_hour.tolist() == [[20.0]] and plain.n_scenarios == 1
    assert c.base.workload.volume_per_month.tolist() == [[1000.0]]


def test_one_number_of_a_list_varies_as_a_column():
    c = Compiler(_case())
    p = c({"workload.seasonality.3": [0.5, 0.7], "workload.seasonality.11": [2.0, 3.0]})
    got = p.workload.seasonality
    assert got.shape == (2, 12)
    want = np.array([SEASON, SEASON], dtype=float)
    want[:, 3], want[:, 11] = [0.5, 0.7], [2.0, 3.0]
    np.testing.assert_array_equal(got, want)
    assert c().workload.seasonality.tolist() == [SEASON]  # the compiled case is untouched


def test_shared_arrays_are_read_only():
    p = Compiler(_case())()
    with pytest.raises(ValueError, match="read-only"):
        p.workload.volume_per_month[0, 0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        p.workload.seasonality[0, 0] = 1.0


@pytest.mark.parametrize(
    ("overrides", "n", "field"),
    [
        ({"workload.volume_per_moth": [1.0]}, None, "overrides"),
        ({"workload.unit": [1.0]}, None, "overrides"),  # text is not a number
        (
            {"workload.volume_per_month": [1.0, 2.0, 3.0]},
            2,
            "overrides['workload.volume_per_month']",
        ),
        (
            {"inhouse.wage_per_hour": [20.0, float("nan")]},
            None,
            "overrides['inhouse.wage_per_hour']",
        ),
    ],
    ids=["unknown path", "text field", "wrong count", "nan"],
)
def test_bad_overrides_name_the_path(overrides, n, field):
    with pytest.raises(InputError) as err:
        Compiler(_case())(overrides, n=n)
    assert err.value.field == field
