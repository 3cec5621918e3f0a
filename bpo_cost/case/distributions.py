"""Uncertain inputs: probability distributions, the normal CDF and its inverse, seeded sampling.

A case may carry an ``uncertainty`` block: a distribution per numeric input, keyed by the input's
path (``workload.volume_per_month``, ``options[Offshore PH].pricing.rate``). This module knows
nothing of cases: it draws numbers. Draws are made reproducible independently of how a caller
chunks them: input ``path``'s standard normals for rows ``[b·BLOCK, (b+1)·BLOCK)`` come from the
stream ``SeedSequence(seed, spawn_key=(crc32(path), b))``, so draw ``i`` of an input is the same
whatever the chunk size, the number of workers, or which other inputs are uncertain (common
random numbers across what-ifs). Rank correlation is a Gaussian copula: standard normals are
correlated with the Cholesky factor of ``2·sin(π·ρ_s/6)`` (the Pearson correlation that gives
Spearman's ``ρ_s`` between normal variables) and mapped through each inverse CDF.
"""

from __future__ import annotations

import functools
import itertools
import math
import zlib
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from .._types import ArrayLike, FloatArray
from ..errors import InputError
from .paths import canonical_path, to_slashes, value_at

__all__ = [
    "BLOCK",
    "Z_MAX",
    "Discrete",
    "Distribution",
    "LogNormal",
    "Normal",
    "Pert",
    "Triangular",
    "Uniform",
    "check_paths",
    "correlation_matrix",
    "norm_cdf",
    "norm_ppf",
    "sample",
    "standard_normals",
]

BLOCK = 1 << 12  # draws per random block: a constant, so any chunking reproduces the same numbers

_SQRT2PI = math.sqrt(2.0 * math.pi)
Z_MAX = 8.3  # |z| beyond this has probability 1e-16: the practical end of an unbounded normal


# ------------------------------------------------------------------------------ normal CDF


def norm_cdf(x: ArrayLike) -> FloatArray:
    """Standard normal CDF Φ(x), vectorised.

    Notes
    -----
    Hart's rational approximation (Algorithm 5666, 1968, as given by G. West, "Better
    approximations to cumulative normal functions", Wilmott 2005) for ``|x| < 7.07``, Laplace's
    continued fraction beyond. Absolute error below 3e-16; relative error of the tail below 3e-9.

    Examples
    --------
    >>> norm_cdf([-1.959963984540054, 0.0]).round(12).tolist()
    [0.025, 0.5]
    """
    x = np.asarray(x, dtype=float)
    ax = np.abs(x).reshape(-1)
    e = np.exp(-0.5 * ax * ax)
    with np.errstate(invalid="ignore"):  # ±inf: 0·inf here, replaced by the far branch
        tail = e * _poly(_HART_P, ax) / _poly(_HART_Q, ax)
    far = ax >= 7.07106781186547
    if np.any(far):  # Laplace's continued fraction, only where the rational one stops
        a = ax[far]
        cf = a + 16.0 / (a + 1.0)
        for k in range(15, 0, -1):
            cf = a + k / cf
        tail[far] = e[far] / cf / _SQRT2PI
    out: FloatArray = np.where(x > 0, 1.0 - tail.reshape(x.shape), tail.reshape(x.shape))
    return out


_HART_P = (
    0.0352624965998911,
    0.700383064443688,
    6.37396220353165,
    33.912866078383,
    112.079291497871,
    221.213596169931,
    220.206867912376,
)
_HART_Q = (
    0.0883883476483184,
    1.75566716318264,
    16.064177579207,
    86.7807322029461,
    296.564248779674,
    637.333633378831,
    793.826512519948,
    440.413735824752,
)
_A = (
    -3.969683028665376e01,
    2.209460984245205e02,
    -2.759285104469687e02,
    1.383577518672690e02,
    -3.066479806614716e01,
    2.506628277459239e00,
)
_B = (
    -5.447609879822406e01,
    1.615858368580409e02,
    -1.556989798598866e02,
    6.680131188771972e01,
    -1.328068155288572e01,
)
_C = (
    -7.784894002430293e-03,
    -3.223964580411365e-01,
    -2.400758277161838e00,
    -2.549732539343734e00,
    4.374664141464968e00,
    2.938163982698783e00,
)
_D = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e00, 3.754408661907416e00)


def _poly(coefs: Sequence[float], x: FloatArray) -> FloatArray:
    out = np.full_like(x, coefs[0])
    for c in coefs[1:]:
        out = out * x + c
    return out


def norm_ppf(p: ArrayLike) -> FloatArray:
    """Inverse standard normal CDF Φ⁻¹(p), vectorised; ±inf at 0 and 1.

    Notes
    -----
    P. J. Acklam's rational approximation (relative error 1.15e-9) refined by one Halley step
    on ``norm_cdf``, solved for the smaller tail and mirrored: relative error below 1e-10 for
    p in [1e-300, 1 - 1e-15].

    Examples
    --------
    >>> norm_ppf([0.025, 0.5, 0.975]).round(12).tolist()
    [-1.95996398454, 0.0, 1.95996398454]
    """
    p = np.asarray(p, dtype=float)
    if np.any(np.isnan(p) | (p < 0) | (p > 1)):
        raise InputError("p", p[np.isnan(p) | (p < 0) | (p > 1)].flat[0], "in [0, 1]")
    with np.errstate(divide="ignore", invalid="ignore"):
        # solve for the lower-tail probability q = min(p, 1 - p) and mirror: Φ(x) for x <= 0 is
        # computed without cancellation, so the Halley step stays accurate in both tails
        q = np.minimum(p, 1.0 - p).reshape(-1)
        c = q - 0.5
        s = c * c
        x = c * _poly(_A, s) / (_poly(_B, s) * s + 1.0)
        low = q < 0.02425
        if np.any(low):
            r = np.sqrt(-2.0 * np.log(q[low]))
            x[low] = _poly(_C, r) / (_poly(_D, r) * r + 1.0)
        u = (norm_cdf(x) - q) * _SQRT2PI * np.exp(0.5 * x * x)
        x = (x - u / (1.0 + 0.5 * x * u)).reshape(p.shape)
        x = np.where(p > 0.5, -x, x)
    return np.where(p == 0, -np.inf, np.where(p == 1, np.inf, x))


# -------------------------------------------------------------------------- distributions


class _Dist(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    relative: bool = False
    """Parameters are fractions of the case value: ``low: -0.2`` means 20 % below it."""
    rank_correlation: dict[str, Annotated[float, Field(ge=-1, le=1)]] = Field(default_factory=dict)
    """Spearman rank correlation with other uncertain inputs, by their path."""

    def quantile(self, u: ArrayLike) -> FloatArray:
        """Inverse CDF at probabilities ``u`` in [0, 1]."""
        raise NotImplementedError

    def from_normal(self, z: FloatArray) -> FloatArray:
        """Values for standard-normal scores ``z`` (the copula's marginal transform)."""
        return self.quantile(norm_cdf(z))

    def support(self) -> tuple[float, float]:
        """The smallest and largest value the distribution can take."""
        lo, hi = self.quantile(np.array([0.0, 1.0]))
        return float(lo), float(hi)


def _ordered(*pairs: tuple[str, float | None]) -> None:
    given = [(k, v) for k, v in pairs if v is not None]
    for (k1, v1), (k2, v2) in itertools.pairwise(given):
        if v1 > v2:
            raise ValueError(f"{k1} <= {k2} (got {k1} = {v1}, {k2} = {v2})")


class Triangular(_Dist):
    """Triangular on ``[low, high]`` peaking at ``mode``: three-point estimates."""

    kind: Literal["triangular"] = "triangular"
    low: float = Field(allow_inf_nan=False)
    mode: float = Field(allow_inf_nan=False)
    high: float = Field(allow_inf_nan=False)

    @model_validator(mode="after")
    def _check(self) -> Triangular:
        _ordered(("low", self.low), ("mode", self.mode), ("high", self.high))
        return self

    def quantile(self, u: ArrayLike) -> FloatArray:
        u = np.asarray(u, dtype=float)
        a, m, c = self.low, self.mode, self.high
        if c == a:
            return np.full_like(u, a)
        split = (m - a) / (c - a)
        left = a + np.sqrt(u * (c - a) * (m - a))
        right = c - np.sqrt((1.0 - u) * (c - a) * (c - m))
        return np.where(u < split, left, right)


class Pert(_Dist):
    """(Modified) PERT: a Beta on ``[low, high]`` peaking at ``mode``, mean
    ``(low + shape·mode + high) / (shape + 2)`` (shape 4: classic PERT; Vose, *Risk Analysis*)."""

    kind: Literal["pert"] = "pert"
    low: float = Field(allow_inf_nan=False)
    mode: float = Field(allow_inf_nan=False)
    high: float = Field(allow_inf_nan=False)
    shape: float = Field(4.0, gt=0, le=100)

    @model_validator(mode="after")
    def _check(self) -> Pert:
        _ordered(("low", self.low), ("mode", self.mode), ("high", self.high))
        return self

    @property
    def alpha_beta(self) -> tuple[float, float]:
        """The Beta distribution's shape parameters α, β."""
        span = self.high - self.low
        a = 1.0 + self.shape * (self.mode - self.low) / span
        return a, 2.0 + self.shape - a

    def quantile(self, u: ArrayLike) -> FloatArray:
        u = np.asarray(u, dtype=float)
        if self.high == self.low:
            return np.full_like(u, self.low)
        x, cdf = _beta_table(*self.alpha_beta)
        # in order, interp finds each value's interval from the last one's instead of bisecting
        # the whole table: 3-4x faster on a Monte Carlo block, the same intervals and numbers
        flat = u.ravel()
        order = np.argsort(flat)
        inverse = np.empty_like(flat)
        inverse[order] = np.interp(flat[order], cdf, x)
        out: FloatArray = self.low + (self.high - self.low) * inverse.reshape(u.shape)
        return out


@functools.lru_cache(maxsize=64)  # a few hundred kB each; the same PERT is drawn chunk after chunk
def _beta_table(a: float, b: float, n: int = 1 << 14) -> tuple[FloatArray, FloatArray]:
    """Beta(a, b) CDF on a grid clustered at both ends (where x^(a-1) bends), for inversion.

    The density is integrated with the trapezoid rule on the cosine grid and normalised so the
    CDF ends at exactly 1; for a, b >= 1 (every PERT) the quantile is off by less than 1e-7 in
    probability: ``|F(quantile(u)) - u| < 1e-7``.
    """
    t = np.linspace(0.0, math.pi, n + 1)
    x = 0.5 * (1.0 - np.cos(t))
    with np.errstate(divide="ignore", invalid="ignore"):
        logpdf = (a - 1.0) * np.log(x) + (b - 1.0) * np.log1p(-x)
    pdf = np.nan_to_num(np.exp(logpdf), nan=0.0, posinf=0.0)
    cdf = np.concatenate(([0.0], np.cumsum(0.5 * (pdf[1:] + pdf[:-1]) * np.diff(x))))
    cdf /= cdf[-1]
    x.flags.writeable = cdf.flags.writeable = False  # shared through the cache
    return x, cdf


class Uniform(_Dist):
    """Uniform on ``[low, high]``: every value in the range as likely."""

    kind: Literal["uniform"] = "uniform"
    low: float = Field(allow_inf_nan=False)
    high: float = Field(allow_inf_nan=False)

    @model_validator(mode="after")
    def _check(self) -> Uniform:
        _ordered(("low", self.low), ("high", self.high))
        return self

    def quantile(self, u: ArrayLike) -> FloatArray:
        u = np.asarray(u, dtype=float)
        return self.low + (self.high - self.low) * u


class _Bounded(_Dist):
    low: float | None = Field(None, allow_inf_nan=False)
    high: float | None = Field(None, allow_inf_nan=False)

    def _location_scale(self) -> tuple[float, float]:
        raise NotImplementedError

    def _to_value(self, y: FloatArray) -> FloatArray:
        return y

    def _from_value(self, v: float) -> float:
        return v

    def _score_bounds(self) -> tuple[float, float]:
        mu, s = self._location_scale()
        lo = -math.inf if self.low is None else (self._from_value(self.low) - mu) / s
        hi = math.inf if self.high is None else (self._from_value(self.high) - mu) / s
        return lo, hi

    def quantile(self, u: ArrayLike) -> FloatArray:
        u = np.asarray(u, dtype=float)
        mu, s = self._location_scale()
        if s == 0:
            return np.full_like(u, self._to_value(np.array(mu)).item())
        lo, hi = self._score_bounds()
        plo, phi = norm_cdf([lo, hi])
        z = norm_ppf(plo + u * (phi - plo))
        return self._to_value(mu + s * np.clip(z, lo, hi))

    def from_normal(self, z: FloatArray) -> FloatArray:
        mu, s = self._location_scale()
        if self.low is None and self.high is None:  # untruncated: skip the Φ round trip
            return self._to_value(mu + s * z)
        return self.quantile(norm_cdf(z))

    def support(self) -> tuple[float, float]:
        """The range of values; an unbounded side ends ``Z_MAX`` standard deviations out."""
        mu, s = self._location_scale()
        lo, hi = self._score_bounds() if s > 0 else (0.0, 0.0)
        ends = self._to_value(mu + s * np.clip(np.array([lo, hi]), -Z_MAX, Z_MAX))
        return float(ends[0]), float(ends[1])

    def _check_bounds(self) -> None:
        _ordered(("low", self.low), ("high", self.high))
        lo, hi = self._score_bounds() if self._location_scale()[1] > 0 else (0.0, 0.0)
        if self.low is not None and self.high is not None and not norm_cdf(hi) > norm_cdf(lo):
            raise ValueError(
                f"low and high that keep some probability (got {self.low}, {self.high})"
            )


class Normal(_Bounded):
    """Normal with ``mean`` and ``sd``, optionally truncated to ``[low, high]``."""

    kind: Literal["normal"] = "normal"
    mean: float = Field(allow_inf_nan=False)
    sd: float = Field(ge=0, allow_inf_nan=False)

    @model_validator(mode="after")
    def _check(self) -> Normal:
        self._check_bounds()
        if self.sd == 0 and not (
            (self.low is None or self.low <= self.mean)
            and (self.high is None or self.mean <= self.high)
        ):
            raise ValueError(f"a mean within [low, high] when sd = 0 (got {self.mean})")
        return self

    def _location_scale(self) -> tuple[float, float]:
        return self.mean, self.sd


_MAX_LOGNORMAL_CV = 1e6  # a spread a million times the mean: far beyond any real input


class LogNormal(_Bounded):
    """Lognormal given by the ``mean`` and ``sd`` of the value itself (as @RISK's RiskLognorm),
    optionally truncated to ``[low, high]``: right-skewed, never negative."""

    kind: Literal["lognormal"] = "lognormal"
    mean: float = Field(gt=0, allow_inf_nan=False)
    sd: float = Field(ge=0, allow_inf_nan=False)

    @model_validator(mode="after")
    def _check(self) -> LogNormal:
        if self.low is not None and self.low < 0:
            raise ValueError(f"low >= 0 for a lognormal (got {self.low})")
        if not self.sd / self.mean <= _MAX_LOGNORMAL_CV:  # sigma² = ln(1 + cv²) must be finite
            raise ValueError(
                f"sd at most {_MAX_LOGNORMAL_CV:g} times the mean for a lognormal "
                f"(got sd {self.sd:g}, mean {self.mean:g})"
            )
        self._check_bounds()
        return self

    def _location_scale(self) -> tuple[float, float]:
        # sigma² = ln(1 + sd²/mean²), mu = ln(mean) − sigma²/2: the mean and sd of exp(N(mu, sigma))
        s2 = math.log1p((self.sd / self.mean) ** 2)
        return math.log(self.mean) - 0.5 * s2, math.sqrt(s2)

    def _to_value(self, y: FloatArray) -> FloatArray:
        return np.exp(y) if self.sd > 0 else np.full_like(y, self.mean)

    def _from_value(self, v: float) -> float:
        return -math.inf if v <= 0 else math.log(v)


class Discrete(_Dist):
    """A few possible values with weights (normalised): scenarios such as a contract clause."""

    kind: Literal["discrete"] = "discrete"
    values: list[Annotated[float, Field(allow_inf_nan=False)]] = Field(
        min_length=1, max_length=1000
    )
    weights: list[Annotated[float, Field(ge=0, allow_inf_nan=False)]] | None = None

    @model_validator(mode="after")
    def _check(self) -> Discrete:
        if self.weights is not None and (
            len(self.weights) != len(self.values) or not sum(self.weights) > 0
        ):
            raise ValueError(f"one weight >= 0 per value, not all zero (got {self.weights})")
        return self

    def quantile(self, u: ArrayLike) -> FloatArray:
        u = np.asarray(u, dtype=float)
        w = np.ones(len(self.values)) if self.weights is None else np.asarray(self.weights)
        order = np.argsort(self.values, kind="stable")
        cum = np.cumsum(w[order]) / w.sum()
        idx = np.minimum(np.searchsorted(cum, u, side="right"), len(cum) - 1)
        return np.asarray(self.values, dtype=float)[order][idx]

    def support(self) -> tuple[float, float]:
        return float(min(self.values)), float(max(self.values))


Distribution = Annotated[
    Triangular | Pert | Uniform | Normal | LogNormal | Discrete, Field(discriminator="kind")
]


# ------------------------------------------------------------------------------------ paths


def check_paths(tree: Mapping[str, Any], distributions: Mapping[str, Any]) -> None:
    """Raise ValueError unless every key names a number (or a rate-card reference) in the tree."""
    hint = (
        "the path of a number in the case, like workload.volume_per_month or "
        "options[Name].pricing.rate"
    )
    for key in distributions:
        try:
            canonical = canonical_path(tree, key)
            to_slashes(key)  # the Inputs sheet must read it back
        except InputError as exc:
            raise ValueError(f"key {key!r} must be {hint} ({exc.allowed})") from None
        node = value_at(tree, canonical)
        is_ref = isinstance(node, Mapping) and "card" in node
        is_number = isinstance(node, (int, float)) and not isinstance(node, bool)
        if canonical == "term_months" or not (is_number or is_ref):
            raise ValueError(f"key {key!r} must be {hint} (it holds {node!r})")


# --------------------------------------------------------------------------------- sampling


def correlation_matrix(
    distributions: Mapping[str, Distribution], keys: Mapping[str, str] | None = None
) -> FloatArray | None:
    """Spearman rank correlation matrix from the distributions' ``rank_correlation`` entries.

    ``keys`` maps the names used inside ``rank_correlation`` to the keys of ``distributions``
    (to accept aliases); None when no input is correlated.
    """
    if not any(d.rank_correlation for d in distributions.values()):
        return None  # no k x k matrix for k uncorrelated inputs
    names = list(distributions)
    index = {k: i for i, k in enumerate(names)}
    rho = np.eye(len(names))
    found = False
    for i, name in enumerate(names):
        for other, r in distributions[name].rank_correlation.items():
            key = (keys or {}).get(other, other)
            if key not in index:
                raise InputError(
                    f"uncertainty[{name!r}].rank_correlation",
                    other,
                    f"another uncertain input ({', '.join(names)})",
                )
            j = index[key]
            if j == i:
                raise InputError(
                    f"uncertainty[{name!r}].rank_correlation", other, "another input (not itself)"
                )
            if rho[i, j] != 0 and rho[i, j] != r:
                raise InputError(
                    f"uncertainty[{name!r}].rank_correlation[{other!r}]",
                    r,
                    f"the value given the other way round ({rho[i, j]})",
                )
            rho[i, j] = rho[j, i] = r
            found = True
    return rho if found else None


def _cholesky(rank_corr: FloatArray, names: Sequence[str]) -> FloatArray:
    pearson = 2.0 * np.sin(np.pi * rank_corr / 6.0)  # Spearman -> Pearson for normal scores
    np.fill_diagonal(pearson, 1.0)
    try:
        return np.asarray(np.linalg.cholesky(pearson), dtype=float)
    except np.linalg.LinAlgError:
        linked = [n for n, row in zip(names, rank_corr, strict=True) if np.count_nonzero(row) > 1]
        raise InputError(
            "rank_correlation",
            linked,
            "correlations that can hold together "
            "(a positive definite matrix): weaken some of those between these "
            "inputs",
        ) from None


def standard_normals(seed: int, streams: Sequence[str], start: int, stop: int) -> FloatArray:
    """Rows ``start..stop`` of the reproducible standard-normal draws, one column per stream."""
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0:
        raise InputError("seed", seed, "a whole number >= 0")
    out = np.empty((stop - start, len(streams)))
    first, last = start // BLOCK, (stop - 1) // BLOCK if stop > start else -1
    for j, name in enumerate(streams):
        key = zlib.crc32(name.encode("utf-8"))
        for b in range(first, last + 1):
            ss = np.random.SeedSequence(int(seed), spawn_key=(key, b))
            block = np.random.Generator(np.random.PCG64(ss)).standard_normal(BLOCK)
            lo, hi = max(start, b * BLOCK), min(stop, (b + 1) * BLOCK)
            out[lo - start : hi - start, j] = block[lo - b * BLOCK : hi - b * BLOCK]
    return out


def sample(
    distributions: Mapping[str, Distribution],
    n: int,
    *,
    seed: int,
    start: int = 0,
    streams: Sequence[str] | None = None,
    rank_correlation: FloatArray | None = None,
) -> FloatArray:
    """Draws ``start .. start + n`` of each distribution, one column each, reproducibly.

    Parameters
    ----------
    distributions : name -> distribution (``relative`` ones give fractions, not values).
    n : number of draws.
    seed : the seed; the same seed gives the same numbers for any ``start``/``n`` split.
    start : index of the first draw.
    streams : the random-stream name of each distribution (default: its key).
    rank_correlation : a Spearman matrix (default: from the distributions' entries).

    Examples
    --------
    >>> d = {"volume": Triangular(low=9000, mode=10000, high=13000)}
    >>> x = sample(d, 4, seed=1)
    >>> x.shape, bool(((9000 <= x) & (x <= 13000)).all())
    ((4, 1), True)
    >>> bool((sample(d, 2, seed=1, start=2) == x[2:]).all())
    True
    """
    dists = list(distributions.values())
    z = standard_normals(seed, list(streams or distributions), start, start + n)
    rho = correlation_matrix(distributions) if rank_correlation is None else rank_correlation
    if rho is not None and not np.array_equal(rho, np.eye(len(dists))):
        # einsum, not a BLAS product: row by row whatever n, and it never wakes BLAS threads
        # that spin on the cores the Monte Carlo workers use
        z = np.einsum("nk,jk->nj", z, _cholesky(rho, list(distributions)))
    for j, d in enumerate(dists):  # in place: column j's values depend on its scores only
        z[:, j] = d.from_normal(z[:, j])
    return z
