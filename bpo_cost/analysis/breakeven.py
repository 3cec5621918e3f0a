"""Break-even: the input value at which two owners cost the same, and the payback month.

Costs are not smooth in most inputs (tiers, minimum commitments, collars and Erlang C staffing
are piecewise), so the search is a bracketing one, vectorised: a grid over the range in one
engine batch finds every sign change of the cost difference, then all brackets shrink together
by k-section (15 interior points each per batch) until they are a few ulps wide, and a last
secant step places the crossing inside the final bracket. Where the difference jumps across
zero (an all-units tier boundary) there is no exact crossing: the answer is the jump point and
``gap`` says how far apart the costs still are there.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from .._types import FloatArray
from ..case.io import parse_case
from ..case.models import Case
from ..case.paths import parse_path
from ..engine.compile import Compiler, compile_case
from ..engine.components import INHOUSE
from ..engine.run import paid_back, run
from ..errors import InputError, NoSolutionError
from .inputs import (
    CaseSource,
    Input,
    Inputs,
    RateCardSource,
    figures,
    numbers,
    option_names,
    owner_index,
    prepare,
)

__all__ = [
    "BreakEven",
    "breakeven",
    "breakeven_month",
    "breakeven_price",
    "breakeven_share",
    "breakeven_volume",
    "price_paths",
]

Basis = Literal["tco", "npv_cost"]
GRID = 128  # first pass: intervals over the whole range
SPLIT = 16  # later passes: each bracket cut into this many parts
ROUNDS = 14  # 16**14 ≈ 7e16: any bracket reaches floating-point resolution


@dataclass(frozen=True)
class BreakEven:
    """Where ``owner`` and ``against`` cost the same over the term.

    ``value`` is the input at the (first) crossing; ``inputs`` every case number set there
    (several when prices scale together), by path; ``cost`` the owner's cost there;
    ``gap`` = against − owner cost at ``value`` (≈ 0 at a true crossing, the size of the jump
    at a tier boundary); ``crossings`` every break-even value in ``[low, high]``.
    """

    owner: str
    against: str
    input: str
    value: float
    inputs: dict[str, float]
    basis: Basis
    cost: float
    gap: float
    crossings: tuple[float, ...]
    low: float
    high: float

    @property
    def exact(self) -> bool:
        """True when the costs really meet (the difference is continuous at the crossing)."""
        return abs(self.gap) <= 1e-6 * max(1.0, abs(self.cost))

    def apply(self, case: Case) -> Case:
        """The case with the break-even input values written in (rate references resolved)."""
        return with_values(case, self.inputs)


def with_values(case: Case, values: dict[str, float]) -> Case:
    """A copy of a (rate-resolved) case with some numbers replaced, by canonical path."""
    tree = case.model_dump(mode="python")  # keeps None (an uncapped escalator stays uncapped)
    for path, value in values.items():
        *parents, last = parse_path(path)
        node: Any = tree
        for step in parents:
            node = node[step] if isinstance(step, int) else node[str(step)]
        node[last if isinstance(last, int) else str(last)] = value
    tree["uncertainty"] = case.uncertainty  # excluded from dumps
    return parse_case(tree)


def breakeven(
    case: CaseSource,
    input: str,
    *,
    owner: str,
    against: str = INHOUSE,
    low: float | None = None,
    high: float | None = None,
    basis: Basis = "tco",
    rate_cards: RateCardSource = None,
) -> BreakEven:
    """The value of one input at which ``owner`` and ``against`` cost the same over the term.

    Parameters
    ----------
    case : a Case, a mapping, or the path of a case file.
    input : the path of the input to vary (``options[Name].…`` accepted).
    owner, against : option names, or ``"inhouse"``.
    low, high : the range searched (default: 0 or the field's minimum, to 10 × the case value).
    basis : ``"tco"`` (sum over the term, default) or ``"npv_cost"`` (discounted).
    rate_cards : rate cards for references in the case.

    Returns
    -------
    BreakEven

    Raises
    ------
    NoSolutionError
        When the costs do not cross in the range; the message says which is cheaper.

    Examples
    --------
    >>> from bpo_cost import example_path
    >>> b = breakeven(example_path("claims_back_office"), "options[Onshore US flat].pricing.price",
    ...               owner="Onshore US flat")
    >>> 0 < b.value < 19.5 and b.exact
    True
    """
    resolved = prepare(case, rate_cards)
    spec = Inputs(resolved).get(input)
    return _search(
        resolved, [spec], spec, owner=owner, against=against, low=low, high=high, basis=basis
    )


def breakeven_volume(
    case: CaseSource,
    owner: str,
    *,
    against: str = INHOUSE,
    low: float | None = None,
    high: float | None = None,
    basis: Basis = "tco",
    rate_cards: RateCardSource = None,
    workload: str | None = None,
) -> BreakEven:
    """The monthly volume of one workload at which two owners cost the same.

    Growth and seasonality still apply: the answer is the base volume of the first month.
    ``workload`` names the workload whose volume varies (the others stay as in the case); it
    may be left out when the case has one (``workload.volume_per_month``).

    Examples
    --------
    >>> from bpo_cost import example_path
    >>> b = breakeven_volume(example_path("claims_back_office"), "Offshore IN tiers",
    ...                      against="Nearshore MX collar", low=1000, high=60000)
    >>> b.input, len(b.crossings) >= 1
    ('workload.volume_per_month', True)
    """
    resolved = prepare(case, rate_cards)
    return breakeven(
        resolved,
        volume_path(resolved, resolved.workload_index(workload)),
        owner=owner,
        against=against,
        low=low,
        high=high,
        basis=basis,
        rate_cards=rate_cards,
    )


def volume_path(case: Case, i: int) -> str:
    """The input path of workload ``i``'s volume: the v1 path when it is the only one."""
    return f"{case.workload_path(i)}.volume_per_month"


def price_paths(case: Case, owner: str) -> list[str]:
    """The price inputs of an option's pricing model (scaled together by ``breakeven_price``)."""
    names = [o.name for o in case.options]
    i = owner_index(names, owner)
    o = case.options[i]
    schedules = [(f"options.{i}.pricing", o.pricing)] if o.pricing is not None else []
    schedules += [(f"options.{i}.lines.{k}.pricing", x.pricing) for k, x in enumerate(o.lines)]
    paths: list[str] = []
    for base, pr in schedules:  # the option's pricing, then each line's: scaled together
        if pr.model == "hourly":
            paths.append(f"{base}.rate")
        elif pr.model == "outcome":
            paths.append(f"{base}.price_per_outcome")
        elif pr.collar is not None:
            paths += [f"{base}.collar.{k}" for k in ("base_fee_per_month", "arc", "rrc")]
        elif pr.tiers is not None:
            paths += [f"{base}.tiers.{k}.price" for k in range(len(pr.tiers))]
        else:
            paths.append(f"{base}.price")
    return paths


def breakeven_price(
    case: CaseSource,
    owner: str,
    *,
    against: str = INHOUSE,
    low: float | None = None,
    high: float | None = None,
    basis: Basis = "tco",
    rate_cards: RateCardSource = None,
) -> BreakEven:
    """The vendor price at which an option costs the same as in-house (or another option).

    The price is the option's rate (hourly), price (per transaction) or price per outcome; tier
    prices, and a collar's base fee, ARC and RRC, scale together by one factor, and ``value``
    is then the first of them (``inputs`` has them all). ``low``/``high`` bound that price.

    Examples
    --------
    >>> from bpo_cost import example_path
    >>> b = breakeven_price(example_path("claims_back_office"), "Offshore IN tiers")
    >>> sorted(b.inputs)[0]
    'options.0.pricing.tiers.0.price'
    """
    resolved = prepare(case, rate_cards)
    ins = Inputs(resolved)
    owner_index(option_names(resolved), owner, where="owner")
    if owner == INHOUSE:
        raise InputError("owner", owner, "an option (in-house has no vendor price)")
    specs = [ins.get(p) for p in price_paths(resolved, owner)]
    return _search(
        resolved, specs, specs[0], owner=owner, against=against, low=low, high=high, basis=basis
    )


def breakeven_share(
    case: CaseSource,
    owner: str,
    line: int,
    *,
    against: str = INHOUSE,
    low: float | None = None,
    high: float | None = None,
    basis: Basis = "tco",
    rate_cards: RateCardSource = None,
) -> BreakEven:
    """The share of a delivery line at which its option costs the same as in-house (or another
    owner): the onshore share at which a blend breaks even.

    The other lines of the same workload share the rest of the workload's scope in their own
    proportions (a 20/80 blend at 30 % onshore is 30/70), so the scope stays what the case
    says; a line alone on its workload varies its scope (the rest stays in-house).

    Parameters
    ----------
    case : a Case, a mapping, or the path of a case file.
    owner : the option whose line varies.
    line : the line's index in the option's ``lines`` (0-based).
    against, low, high, basis, rate_cards : as in ``breakeven``; the range defaults to the
        shares the line can take (above 0, up to the workload's scope).

    Examples
    --------
    >>> blend = {
    ...     "name": "blend", "start": "2027-01", "term_months": 12,
    ...     "workload": {"function": "data_entry", "unit": "form", "volume_per_month": 1000,
    ...                  "handle_minutes": 10},
    ...     "inhouse": {"wage_per_hour": 20},
    ...     "options": [{"name": "Blend", "location": {"tier": "offshore", "country": "PH"},
    ...                  "lines": [{"share": 0.2, "pricing": {"model": "per_transaction",
    ...                                                       "price": 9.0}},
    ...                            {"share": 0.8, "pricing": {"model": "per_transaction",
    ...                                                       "price": 2.0}}]}]}
    >>> round(breakeven_share(blend, "Blend", 0).value, 2) > 0.2
    True
    """
    resolved = prepare(case, rate_cards)
    owners = option_names(resolved)
    i = owner_index(owners, owner, where="owner")
    if owner == INHOUSE:
        raise InputError("owner", owner, "an option (in-house has no delivery lines)")
    o = resolved.options[i - 1]
    if not 0 <= line < len(o.lines):
        raise InputError(
            "line", line, f"the index of one of option {owner!r}'s {len(o.lines)} lines"
        )
    ins = Inputs(resolved)
    lead = ins.get(f"options.{i - 1}.lines.{line}.share")
    mine = o.lines[line]
    others = [
        (ins.get(f"options.{i - 1}.lines.{k}.share"), x.share)
        for k, x in enumerate(o.lines)
        if k != line and x.workload == mine.workload
    ]
    scope = mine.share + sum(share for _, share in others)
    # the others keep a sliver of a share (shares are above 0): at most the scope less that
    top = scope * (1.0 - 1e-9) if others else lead.high
    low = lead.low if low is None else low
    high = top if high is None else high

    def columns(x: FloatArray) -> dict[str, FloatArray]:
        out = {lead.path: x}
        rest = scope - mine.share
        for spec, share in others:
            out[spec.path] = (scope - x) * (share / rest)
        return out

    return _search(
        resolved,
        [lead],
        lead,
        owner=owner,
        against=against,
        low=low,
        high=high,
        basis=basis,
        columns=columns if others else None,
    )


def breakeven_month(
    case: CaseSource, owner: str, *, against: str = INHOUSE, rate_cards: RateCardSource = None
) -> int:
    """Payback: the first month in which cumulative savings of ``owner`` against ``against``
    are zero or more, within half a cent (the engine's ``payback_month`` when ``against`` is
    in-house).

    Raises NoSolutionError when that never happens within the term.

    Examples
    --------
    >>> from bpo_cost import example_path
    >>> breakeven_month(example_path("claims_back_office"), "Offshore IN tiers") > 1
    True
    """
    resolved = prepare(case, rate_cards)
    owners = option_names(resolved)
    i, j = owner_index(owners, owner, where="owner"), owner_index(owners, against, where="against")
    comps = run(compile_case(resolved), resolved.term_months)
    saved = np.cumsum(comps.total(owners[j])[0] - comps.total(owners[i])[0])
    reached = np.flatnonzero(paid_back(saved))
    if reached.size == 0:
        raise NoSolutionError(
            f"{owner} never pays back against {_who(against)} within the {resolved.term_months}-"
            f"month term: cumulative savings end at {saved[-1]:,.0f} {resolved.currency}"
        )
    return int(reached[0]) + 1


# ------------------------------------------------------------------------------------ search


def _who(owner: str) -> str:
    return "in-house" if owner == INHOUSE else owner


def _search(
    case: Case,
    specs: Sequence[Input],
    lead: Input,
    *,
    owner: str,
    against: str,
    low: float | None,
    high: float | None,
    basis: Basis,
    columns: Callable[[FloatArray], dict[str, FloatArray]] | None = None,
) -> BreakEven:
    if basis not in ("tco", "npv_cost"):
        raise InputError("basis", basis, "'tco' or 'npv_cost'")
    owners = option_names(case)
    i = owner_index(owners, owner, where="owner")
    j = owner_index(owners, against, where="against")
    if i == j:
        raise InputError("against", against, f"an owner other than {owner!r}")
    if any(s.integer for s in specs):
        raise InputError(
            "input",
            lead.label,
            "a continuous number (month counts are whole: compare them with scenario_grid)",
        )
    lo = max(lead.low, 0.0) if low is None else float(numbers("low", low, "a number", shape=()))
    hi = (
        min(lead.high, 10.0 * lead.value)
        if high is None
        else float(numbers("high", high, "a number", shape=()))
    )
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise InputError(
            "low, high",
            (lo, hi),
            "a finite range with low < high (the case value "
            f"of {lead.label} is {lead.value:g}; give low and high)",
        )
    lead.check("low", lo)
    lead.check("high", hi)
    if len(specs) > 1 and lead.value == 0:
        raise InputError(lead.label, 0.0, "a non-zero price to scale the others with")

    def scaled(x: FloatArray) -> dict[str, FloatArray]:
        if len(specs) == 1:
            return {lead.path: x}
        factor = x / lead.value
        return {s.path: s.check(s.label, s.value * factor) for s in specs}

    columns = scaled if columns is None else columns

    compiler = Compiler(case)

    def diff(x: FloatArray) -> tuple[FloatArray, FloatArray]:
        f = figures(compiler, columns(x), n=x.size).get(basis)
        return f[:, j] - f[:, i], f[:, i]

    roots, d_grid = _roots(lambda x: diff(x)[0], lo, hi)
    if not roots:
        who = owner if d_grid.min() > 0 else _who(against)
        raise NoSolutionError(
            f"no break-even {lead.label} between {lo:,.6g} and {hi:,.6g}: {who} costs less "
            f"over the whole range ({basis} difference {abs(d_grid).min():,.0f} to "
            f"{abs(d_grid).max():,.0f} {case.currency})"
        )
    x = np.array(roots)
    gap, cost = diff(x)
    values = {p: float(v[0]) for p, v in columns(x[:1]).items()}
    return BreakEven(
        owner=owner,
        against=against,
        input=lead.label,
        value=float(x[0]),
        inputs=values,
        basis=basis,
        cost=float(cost[0]),
        gap=float(gap[0]),
        crossings=tuple(float(r) for r in x),
        low=lo,
        high=hi,
    )


def _roots(
    f: Callable[[FloatArray], FloatArray], lo: float, hi: float
) -> tuple[list[float], FloatArray]:
    """Every sign change of ``f`` on ``[lo, hi]``, located to floating-point resolution."""
    xs = np.linspace(lo, hi, GRID + 1)
    d = f(xs)
    exact = [
        float(xs[k]) for k in np.flatnonzero(d == 0) if k == 0 or d[k - 1] != 0
    ]  # a run of equal costs: its first point
    sign = np.sign(d)
    k = np.flatnonzero(sign[:-1] * sign[1:] < 0)
    a, b, da, db = xs[k], xs[k + 1], d[k], d[k + 1]
    t = np.linspace(0.0, 1.0, SPLIT + 1)[1:-1]
    for _ in range(ROUNDS):
        if a.size == 0 or np.all(b - a <= 4 * np.spacing(np.maximum(abs(a), abs(b)))):
            break
        inner = a[:, None] + (b - a)[:, None] * t[None, :]
        di = f(inner.ravel()).reshape(inner.shape)
        x_all = np.column_stack([a, inner, b])
        d_all = np.column_stack([da, di, db])
        s = np.sign(d_all)
        change = s[:, :-1] * s[:, 1:] <= 0  # first sub-interval with a sign change or a zero
        first = change.argmax(axis=1)
        rows = np.arange(a.size)
        a, b = x_all[rows, first], x_all[rows, first + 1]
        da, db = d_all[rows, first], d_all[rows, first + 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        secant = np.where(da == 0, a, np.where(db == 0, b, a - da * (b - a) / (db - da)))
    secant = np.clip(np.where(np.isnan(secant), 0.5 * (a + b), secant), a, b)
    return sorted(set(exact) | {float(r) for r in secant}), d
