"""The Python face: evaluate a case in one call."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .case.checks import warn_suspicious
from .case.io import load_case, parse_case
from .case.models import Case, Line, Option
from .engine.run import evaluate_arrays
from .errors import InputError
from .rates.cards import RateCards, RateRef, load_cards
from .result import RateUsed, Result

__all__ = ["evaluate", "resolve_rates"]

CaseSource = Case | str | Path | Mapping[str, Any]
_PRICED = ("pricing", "lines")  # an option's or a line's fields written in its contract currency


def resolve_rates(
    case: Case, rate_cards: RateCards | str | Path | None = None
) -> tuple[Case, list[RateUsed]]:
    """Replace every rate-card reference in a case by its value, aged to the case start.

    Returns the case with numbers only, and what was used (path, value, source, date).
    """
    used: list[RateUsed] = []
    cards = rate_cards if isinstance(rate_cards, RateCards) else None

    case_own = (case.currency, 1.0)

    def walk(node: Any, path: str, written_in: tuple[str, float] = case_own) -> Any:
        # written_in: the currency the prices under ``node`` are in, and its rate to the case's
        nonlocal cards
        if isinstance(node, RateRef):
            if cards is None:
                cards = load_cards(rate_cards)  # type: ignore[arg-type]
            r = cards.resolve(node, to=case.start)
            code, rate = written_in
            if r.currency == code:
                value = r.value
            elif r.currency == case.currency:  # a case-currency card for a foreign price
                value = r.value / rate
            else:
                raise InputError(
                    path,
                    f"{r.currency} rate card",
                    f"a rate in {code}, the currency these prices are written in, or in the "
                    f"case currency {case.currency} (or type the number)",
                )
            converted = "" if value == r.value else f", converted at {rate:g} {case.currency}"
            detail = (
                f"{r.card} {r.function}/{r.location} {r.statistic}: {r.original_value:,.4g}"
                f" per {r.unit} as of {r.as_of}, aged at {r.inflation_per_year:.1%}/yr{converted}"
            )
            used.append(
                RateUsed(
                    path=path,
                    value=value,
                    source=r.source,
                    as_of=r.as_of.isoformat(),
                    detail=detail,
                )
            )
            return value
        if isinstance(node, (Option, Line)):  # prices in its currency, the rest in the case's
            cc = node.contract_currency
            prices = written_in if cc is None else (cc.code, cc.rate)
            return {
                f: walk(getattr(node, f), f"{path}.{f}", prices if f in _PRICED else case_own)
                for f in type(node).model_fields
            }
        if isinstance(node, BaseModel):
            return {
                f: walk(getattr(node, f), f"{path}.{f}" if path else f, written_in)
                for f in type(node).model_fields
            }
        if isinstance(node, list):
            return [walk(v, f"{path}.{i}", written_in) for i, v in enumerate(node)]
        return node

    plain = walk(case, "")
    return (parse_case(plain), used) if used else (case, used)


def evaluate(case: CaseSource, *, rate_cards: RateCards | str | Path | None = None) -> Result:
    """Evaluate a case: every cost component of in-house and each option, month by month.

    Parameters
    ----------
    case : a Case, a mapping, or the path of a YAML/JSON case or a generated workbook.
    rate_cards : rate cards for references in the case: loaded cards, or the path of your own
        card (CSV file or folder) to use alongside the bundled ones. Default: the bundled cards.

    Warns
    -----
    BpoCostWarning
        for each legal but suspicious value (see ``checks.suspicious_values``).

    Examples
    --------
    >>> from bpo_cost import evaluate
    >>> from bpo_cost import example_path
    >>> result = evaluate(example_path("payroll"))
    >>> list(result.summary().index)
    ['inhouse', 'Nearshore PL', 'Onshore US']
    """
    loaded = load_case(case)
    cards = rate_cards if isinstance(rate_cards, RateCards) else load_cards(rate_cards)
    resolved, used = resolve_rates(loaded, cards)
    warn_suspicious(resolved, cards)  # against your own card too, when you give one
    try:
        components, summary = evaluate_arrays(resolved)
    except MemoryError:  # the model's bounds make this unlikely: still the input's error
        raise InputError("case", resolved.name, "a case this machine has memory for") from None
    return Result(resolved, components, summary, used)
