"""One-at-a-time sensitivity: swing each input low and high, all in one batch (a tornado)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..case.paths import generic_key
from ..engine.components import INHOUSE
from ..errors import InputError
from .inputs import (
    METRICS,
    CaseSource,
    Input,
    Inputs,
    Metric,
    RateCardSource,
    figures,
    numbers,
    option_names,
    prepare,
)

__all__ = ["sensitivity"]


def sensitivity(
    case: CaseSource,
    *,
    inputs: Sequence[str] | None = None,
    ranges: Mapping[str, tuple[float, float]] | None = None,
    swing: float = 0.2,
    percentiles: tuple[float, float] = (10.0, 90.0),
    metric: Metric = "npv_savings",
    rate_cards: RateCardSource = None,
) -> pd.DataFrame:
    """Tornado table: each input moved to a low and a high value on its own, every option.

    Parameters
    ----------
    case : a Case, a mapping, or the path of a case file.
    inputs : paths of the inputs to swing (``options[Name].…`` accepted). Default: every number
        of the case that is not zero (nor a live channel's concurrency of 1: voice), plus those
        with a range or a distribution.
    ranges : path -> (low, high) values, overriding the defaults below.
    swing : default range: the case value × (1 ∓ swing), kept inside what the field allows;
        whole-number inputs (months) move by at least one.
    percentiles : for inputs with a distribution in the case's ``uncertainty``, the range is
        these percentiles of it (P10-P90 by default) instead of ``swing``.
    metric : ``"npv_savings"`` (default), ``"savings"``, ``"tco"`` or ``"npv_cost"``.
    rate_cards : rate cards for references in the case (default: the bundled ones).

    Returns
    -------
    DataFrame
        One row per owner and input: ``owner``, ``input`` (readable path), ``path``, ``value``
        (case value), ``low_value``, ``high_value``, ``base`` (metric at the case values),
        ``low`` and ``high`` (metric with the input at its low and high value) and ``swing``
        (``|high − low|``), sorted by owner then by swing, largest first. Savings metrics leave
        in-house out (its savings are zero). ``frame.attrs["metric"]`` names the metric.

    Notes
    -----
    One engine batch of ``1 + 2k`` scenarios for ``k`` inputs: the base case, then each input
    low and high with every other input at its case value.

    Examples
    --------
    >>> from bpo_cost import example_path
    >>> t = sensitivity(example_path("payroll"), inputs=["workload.volume_per_month",
    ...                                                   "inhouse.wage_per_hour"])
    >>> list(t.columns[:4])
    ['owner', 'input', 'path', 'value']
    >>> bool((t["swing"] >= 0).all())
    True
    """
    if metric not in METRICS:
        raise InputError("metric", metric, f"one of {list(METRICS)}")
    if not (isinstance(swing, (int, float)) and 0 < swing < 1):
        raise InputError("swing", swing, "a share in (0, 1), e.g. 0.2 for ±20 %")
    allowed = "two percentiles 0 <= low < high <= 100"
    lo_q, hi_q = numbers("percentiles", percentiles, allowed, shape=(2,))
    if not 0 <= lo_q < hi_q <= 100:
        raise InputError("percentiles", percentiles, allowed)
    resolved = prepare(case, rate_cards)
    ins = Inputs(resolved)
    given = {ins.canonical(k, where="ranges"): v for k, v in (ranges or {}).items()}
    dists = {ins.canonical(k, where="uncertainty"): d for k, d in resolved.uncertainty.items()}
    if inputs is None:
        paths = [
            p for p in ins.variable() if not _off(p, ins.values[p]) or p in given or p in dists
        ]
    else:
        paths = list(dict.fromkeys(ins.canonical(p) for p in inputs))
    if not paths:
        raise InputError("inputs", list(inputs or []), "at least one input path")

    specs = [ins.get(p) for p in paths]
    lows, highs = [], []
    for spec in specs:
        if spec.path in given:
            where = f"ranges[{spec.label!r}]"
            pair = numbers(where, given[spec.path], "a (low, high) pair of numbers", shape=(2,))
            low, high = spec.check(where, pair)
        elif spec.path in dists:
            d = dists[spec.path]
            low, high = d.quantile(np.array([lo_q, hi_q]) / 100.0)
            if d.relative:
                low, high = sorted((spec.value * (1 + low), spec.value * (1 + high)))
            low, high = _clip(spec, low), _clip(spec, high)
        else:
            low, high = _default_range(spec, swing)
        lows.append(float(low))
        highs.append(float(high))

    k = len(specs)
    n = 1 + 2 * k
    overrides = {}
    for i, spec in enumerate(specs):
        column = np.full(n, spec.value)
        column[1 + 2 * i], column[2 + 2 * i] = lows[i], highs[i]
        overrides[spec.path] = column
    values = figures(resolved, overrides, n=n).get(metric)  # (n, owners)
    owners = option_names(resolved)

    frames = []
    for j, owner in enumerate(owners):
        if owner == INHOUSE and metric in ("savings", "npv_savings"):
            continue
        low_m, high_m = values[1::2, j], values[2::2, j]
        frame = pd.DataFrame(
            {
                "owner": owner,
                "input": [s.label for s in specs],
                "path": paths,
                "value": [s.value for s in specs],
                "low_value": lows,
                "high_value": highs,
                "base": values[0, j],
                "low": low_m,
                "high": high_m,
                "swing": np.abs(high_m - low_m),
            }
        )
        frames.append(frame.sort_values("swing", ascending=False, kind="stable"))
    out = pd.concat(frames, ignore_index=True)
    out.attrs["metric"] = metric
    return out


def _clip(spec: Input, x: float) -> float:
    x = min(max(float(x), spec.low), spec.high)
    return float(np.round(x)) if spec.integer else x


def _default_range(spec: Input, swing: float) -> tuple[float, float]:
    v = spec.value
    low, high = sorted((v * (1.0 - swing), v * (1.0 + swing)))
    if spec.integer:  # whole months: at least one month either side
        low, high = min(round(low), v - 1), max(round(high), v + 1)
    return _clip(spec, low), _clip(spec, high)


def _off(path: str, value: float) -> bool:
    """A number at the value that switches its effect off: zero, or one contact at a time."""
    return value == 0 or (value == 1 and generic_key(path).endswith("real_time.concurrency"))
