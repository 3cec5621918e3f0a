"""Distributions, the normal CDF and its inverse, reproducible sampling, input paths."""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pytest

from bpo_cost.case.distributions import (
    BLOCK,
    Discrete,
    LogNormal,
    Normal,
    Pert,
    Triangular,
    Uniform,
    norm_cdf,
    norm_ppf,
    sample,
)
from bpo_cost.errors import InputError, InvalidCaseError

STD = NormalDist()


# ------------------------------------------------------------------------ normal functions


def test_norm_cdf_matches_the_standard_library() -> None:
    # statistics.NormalDist.cdf is an independent implementation (via math.erf)
    x = np.linspace(-9.0, 9.0, 3601)
    ref = np.array([STD.cdf(v) for v in x])
    assert np.max(np.abs(norm_cdf(x) - ref)) < 5e-16


def test_norm_cdf_tail_is_accurate_relative_to_its_size() -> None:
    x = np.linspace(-37.0, -1.0, 721)
    ref = np.array([0.5 * math.erfc(-v / math.sqrt(2.0)) for v in x])  # math.erfc: libm
    assert np.max(np.abs(norm_cdf(x) - ref) / ref) < 1e-8


def test_norm_cdf_textbook_values() -> None:
    # standard normal table: Phi(1.959963984540054) = 0.975, Phi(0) = 0.5, Phi(-1) = 0.158655...
    assert norm_cdf(1.959963984540054) == pytest.approx(0.975, abs=1e-15)
    assert norm_cdf(0.0) == 0.5
    assert norm_cdf(-1.0) == pytest.approx(0.15865525393145707, abs=1e-15)


def test_norm_ppf_matches_the_standard_library() -> None:
    # statistics.NormalDist.inv_cdf is Wichura's AS241, independent of Acklam's algorithm
    p = np.concatenate(
        [np.logspace(-300, -2, 600), np.linspace(0.01, 0.99, 981), 1.0 - np.logspace(-15, -2, 200)]
    )
    ref = np.array([STD.inv_cdf(v) for v in p])
    assert np.max(np.abs(norm_ppf(p) - ref) / np.maximum(1.0, np.abs(ref))) < 1e-10


def test_norm_ppf_ends_and_bad_input() -> None:
    assert norm_ppf([0.0, 1.0]).tolist() == [-math.inf, math.inf]
    with pytest.raises(InputError, match="p must be in"):
        norm_ppf([0.5, 1.5])


# ---------------------------------------------------------------------------- distributions


def test_triangular_quantile_inverts_its_cdf() -> None:
    d = Triangular(low=2.0, mode=5.0, high=10.0)
    x = np.linspace(2.0, 10.0, 81)
    # hand-written CDF: (x-a)^2/((c-a)(m-a)) left of the mode, 1-(c-x)^2/((c-a)(c-m)) right of it
    cdf = np.where(x <= 5.0, (x - 2.0) ** 2 / (8.0 * 3.0), 1.0 - (10.0 - x) ** 2 / (8.0 * 5.0))
    np.testing.assert_allclose(d.quantile(cdf), x, rtol=0, atol=1e-12)
    # hand: Triangular(0, 0, 1) median = 1 - sqrt(1/2)
    assert Triangular(low=0, mode=0, high=1).quantile(0.5) == pytest.approx(1 - math.sqrt(0.5))


@pytest.mark.parametrize(
    ("mode", "cdf"),
    [
        # alpha = beta = 3: I_x(3, 3) = 10x^3 - 15x^4 + 6x^5 (integrate 30 t^2 (1-t)^2)
        (0.5, lambda x: 10 * x**3 - 15 * x**4 + 6 * x**5),
        # mode at low: alpha = 1, beta = 5: I_x(1, 5) = 1 - (1 - x)^5
        (0.0, lambda x: 1 - (1 - x) ** 5),
        # mode at 0.25: alpha = 2, beta = 4: I_x(2, 4) = 1 - (1-x)^4 (1 + 4x)  (by parts)
        (0.25, lambda x: 1 - (1 - x) ** 4 * (1 + 4 * x)),
    ],
    ids=["symmetric", "mode-at-low", "skewed"],
)
def test_pert_quantile_inverts_the_beta_cdf(mode: float, cdf: object) -> None:
    d = Pert(low=100.0, mode=100.0 + 200.0 * mode, high=300.0)
    u = np.linspace(0.0, 1.0, 100_001)
    x = (d.quantile(u) - 100.0) / 200.0
    # measured in probability: the inverse is ill-conditioned where the density is ~0
    assert np.max(np.abs(cdf(x) - u)) < 1e-7  # type: ignore[operator]


def test_pert_quantile_in_any_order_is_the_table_interpolated_value_by_value() -> None:
    # the quantile sorts a block to interpolate it: every value must be np.interp's own, in place
    d = Pert(low=2.0, mode=3.0, high=7.0, shape=6.0)
    rng = np.random.default_rng(7)
    u = np.concatenate((rng.random(5000), [0.0, 1.0, 0.5, 0.5, 1e-12, 1 - 1e-12]))
    rng.shuffle(u)
    one_by_one = np.array([d.quantile(np.float64(v)) for v in u])  # nothing to sort
    assert np.array_equal(d.quantile(u.reshape(2, -1)).ravel(), one_by_one)
    assert d.quantile(np.float64(0.25)).shape == ()


def test_pert_mean_is_the_pert_formula() -> None:
    d = Pert(low=10.0, mode=12.0, high=20.0)
    x = d.quantile((np.arange(200_000) + 0.5) / 200_000)  # midpoint rule over u
    assert x.mean() == pytest.approx((10 + 4 * 12 + 20) / 6, rel=1e-6)  # Vose: (a+4m+c)/6


def test_truncated_normal_quantile() -> None:
    d = Normal(mean=10.0, sd=2.0, low=8.0, high=14.0)
    u = np.linspace(0.0, 1.0, 11)
    lo, hi = STD.cdf(-1.0), STD.cdf(2.0)
    ref = [10.0 + 2.0 * STD.inv_cdf(min(max(lo + q * (hi - lo), 1e-300), 1 - 1e-16)) for q in u]
    np.testing.assert_allclose(d.quantile(u), ref, rtol=1e-9)
    assert d.support() == (8.0, 14.0)


def test_lognormal_mean_and_sd_are_those_of_the_value() -> None:
    d = LogNormal(mean=100.0, sd=30.0)
    x = d.quantile((np.arange(400_000) + 0.5) / 400_000)
    assert x.mean() == pytest.approx(100.0, rel=2e-4)
    assert x.std() == pytest.approx(30.0, rel=5e-3)
    # hand: median = mean / sqrt(1 + (sd/mean)^2)
    assert d.quantile(0.5) == pytest.approx(100.0 / math.sqrt(1.09), rel=1e-12)


def test_discrete_weights() -> None:
    d = Discrete(values=[3.0, 1.0, 2.0], weights=[1, 1, 2])
    # sorted values 1, 2, 3 with probabilities 1/4, 1/2, 1/4
    assert d.quantile([0.1, 0.24, 0.3, 0.74, 0.8, 1.0]).tolist() == [1, 1, 2, 2, 3, 3]
    assert d.support() == (1.0, 3.0)


@pytest.mark.parametrize(
    "bad",
    [
        {"kind": "triangular", "low": 3, "mode": 2, "high": 5},
        {"kind": "pert", "low": 1, "mode": 2, "high": 1.5},
        {"kind": "uniform", "low": 2, "high": 1},
        {"kind": "normal", "mean": 1, "sd": -1},
        {"kind": "lognormal", "mean": 0, "sd": 1},
        {"kind": "lognormal", "mean": 1, "sd": 1, "low": -1},
        {"kind": "discrete", "values": [1, 2], "weights": [1]},
        {"kind": "discrete", "values": [1, 2], "weights": [0, 0]},
        {"kind": "normal", "mean": 5, "sd": 0, "low": 6},
        {"kind": "beta", "low": 1, "high": 2},
    ],
    ids=[
        "tri-order",
        "pert-order",
        "uniform-order",
        "sd<0",
        "lognormal-mean",
        "lognormal-low",
        "weights-length",
        "weights-zero",
        "sd0-outside",
        "unknown-kind",
    ],
)
def test_invalid_distributions_are_refused(bad: dict[str, object]) -> None:
    from pydantic import TypeAdapter, ValidationError

    from bpo_cost.case.distributions import Distribution

    with pytest.raises(ValidationError):
        TypeAdapter(Distribution).validate_python(bad)


@pytest.mark.parametrize(
    "d",
    [
        Triangular(low=4, mode=4, high=4),
        Pert(low=4, mode=4, high=4),
        Uniform(low=4, high=4),
        Normal(mean=4, sd=0),
        LogNormal(mean=4, sd=0),
        Discrete(values=[4]),
    ],
    ids=lambda d: d.kind,
)
def test_zero_variance_distributions_give_their_value(d: object) -> None:
    x = sample({"x": d}, 3000, seed=5)  # type: ignore[dict-item]
    assert (x == 4.0).all()


# --------------------------------------------------------------------------------- sampling


def test_same_seed_same_draws_whatever_the_split() -> None:
    d = {"a": Triangular(low=0, mode=1, high=3), "b": Normal(mean=0, sd=1, low=-2, high=2)}
    n = 2 * BLOCK + 37
    whole = sample(d, n, seed=11)
    parts = np.vstack(
        [sample(d, m, seed=11, start=s) for s, m in [(0, 5), (5, BLOCK), (BLOCK + 5, BLOCK + 32)]]
    )
    assert np.array_equal(whole, parts)
    assert not np.array_equal(whole, sample(d, n, seed=12))


def test_an_input_keeps_its_draws_when_others_are_added() -> None:
    a = Uniform(low=0, high=1)
    alone = sample({"a": a}, 500, seed=3)
    together = sample({"z": Uniform(low=5, high=6), "a": a}, 500, seed=3)
    assert np.array_equal(alone[:, 0], together[:, 1])


def test_rank_correlation_is_reached() -> None:
    d = {
        "a": LogNormal(mean=10, sd=4),
        "b": Triangular(low=0, mode=1, high=5, rank_correlation={"a": 0.6}),
    }
    x = sample(d, 60_000, seed=1)
    ranks = np.argsort(np.argsort(x, axis=0), axis=0)
    rho = np.corrcoef(ranks.T)[0, 1]
    assert rho == pytest.approx(0.6, abs=0.015)  # Spearman's SE ~ (1 - 0.36)/sqrt(n) ~ 0.003
    # the marginals are untouched by the copula
    assert np.median(x[:, 1]) == pytest.approx(float(d["b"].quantile(0.5)), abs=0.03)


def test_inconsistent_correlations_are_refused() -> None:
    d = {
        "a": Uniform(low=0, high=1, rank_correlation={"b": 0.9, "c": 0.9}),
        "b": Uniform(low=0, high=1, rank_correlation={"c": -0.9}),
        "c": Uniform(low=0, high=1),
    }
    with pytest.raises(InputError, match="positive definite"):
        sample(d, 10, seed=1)
    with pytest.raises(InputError, match="another uncertain input"):
        sample({"a": Uniform(low=0, high=1, rank_correlation={"nope": 0.5})}, 10, seed=1)
    clash = {
        "a": Uniform(low=0, high=1, rank_correlation={"b": 0.5}),
        "b": Uniform(low=0, high=1, rank_correlation={"a": 0.4}),
    }
    with pytest.raises(InputError, match="the other way round"):
        sample(clash, 10, seed=1)


@pytest.mark.parametrize("seed", [-1, 1.5, "1", True])
def test_bad_seeds_are_refused(seed: object) -> None:
    with pytest.raises(InputError, match="seed must be a whole number"):
        sample({"a": Uniform(low=0, high=1)}, 3, seed=seed)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------ paths


def test_case_validates_uncertainty_keys() -> None:
    from bpo_cost.case.io import parse_case
    from tests.strategies import bare_case

    ok = bare_case(
        uncertainty={"options[Vendor].pricing.price": {"kind": "uniform", "low": 14, "high": 16}}
    )
    case = parse_case(ok)
    assert list(case.uncertainty) == ["options[Vendor].pricing.price"]
    assert "uncertainty" not in case.model_dump()  # the engine's inputs never see it
    for key in [
        "workload.volume",
        "options[Nobody].pricing.price",
        "term_months",
        "workload.function",
    ]:
        bad = bare_case(uncertainty={key: {"kind": "uniform", "low": 1, "high": 2}})
        with pytest.raises(InvalidCaseError, match="uncertainty"):
            parse_case(bad)


def test_inconsistent_correlations_name_the_inputs() -> None:
    d = {
        "a": Uniform(low=0, high=1, rank_correlation={"b": 0.9, "c": 0.9}),
        "b": Uniform(low=0, high=1, rank_correlation={"c": -0.9}),
        "c": Uniform(low=0, high=1),
        "d": Uniform(low=0, high=1),
    }
    with pytest.raises(InputError) as err:
        sample(d, 10, seed=1)
    assert err.value.field == "rank_correlation" and err.value.value == ["a", "b", "c"]
