"""Plausibility checks: values that are legal but usually a mistake get a warning, not an error."""

from __future__ import annotations

import warnings

from ..errors import BpoCostError, BpoCostWarning
from ..rates.cards import RateCards
from .models import Case

__all__ = ["suspicious_values", "warn_suspicious"]


def suspicious_values(case: Case, cards: RateCards) -> list[str]:
    """Sentences naming each suspicious value of a case (prices must already be numbers)."""
    found = []

    def above(path: str, value: float, limit: float, why: str) -> None:
        if value > limit:
            found.append(f"{path} = {value:g} is above {limit:g}: {why}")

    above("discount_rate_annual", case.discount_rate_annual, 0.5, "is it a decimal?")
    above("inflation_per_year", case.inflation_per_year, 0.15, "is it a decimal?")
    above("wage_inflation_per_year", case.wage_inflation_per_year, 0.15, "is it a decimal?")
    above(
        "inhouse.attrition_per_year",
        case.inhouse.attrition_per_year,
        1.0,
        "more than the whole team leaves every year",
    )
    for i, w in enumerate(case.workloads):
        at = case.workload_path(i)
        above(f"{at}.growth_per_year", w.growth_per_year, 0.5, "is it a decimal?")
        preset = cards.presets.get(w.function)
        if preset is not None:
            low, high = preset.handle_minutes_low / 2, preset.handle_minutes_high * 2
            if not low <= w.handle_minutes <= high:
                found.append(
                    f"{at}.handle_minutes = {w.handle_minutes:g} is outside "
                    f"{low:g}-{high:g} minutes, twice the benchmark range for {w.function}"
                )
        own = w.inhouse.wage_per_hour if w.inhouse else None
        _below_card(
            found,
            cards,
            f"{at}.inhouse.wage_per_hour" if own is not None else "inhouse.wage_per_hour",
            case.inhouse.wage_per_hour if own is None else own,
            "wage",
            w.function,
            case.inhouse.country,
            case.currency,
        )
        for j, o in enumerate(case.options):
            for k, pricing in case.deliveries(o, w):
                if pricing.model != "hourly" or pricing.basis != "productive_hour":
                    continue
                line = None if k is None else o.lines[k]
                _below_card(
                    found,
                    cards,
                    f"options.{j}.pricing.rate"
                    if k is None
                    else f"options.{j}.lines.{k}.pricing.rate",
                    pricing.rate,
                    "billing_hourly",
                    w.function,
                    (line.location if line and line.location else o.location).country,
                    case.currency,
                )
    for j, o in enumerate(case.options):
        t = o.transition
        if o.retained is not None and o.retained.roles and t.governance_share_of_fees > 0:
            found.append(
                f"options.{j}.transition.governance_share_of_fees = {t.governance_share_of_fees:g}"
                f" beside options.{j}.retained roles: the retained organisation is counted twice"
                " (set it to 0, see docs/methodology.md#hidden-costs)"
            )
        reworked = [
            (f"options.{j}.quality", o.quality),
            *((f"options.{j}.lines.{k}.quality", line.quality) for k, line in enumerate(o.lines)),
        ]
        for path, quality in reworked:
            if quality is not None and quality.rework_rate > 0 and t.repeat_rate > 0:
                found.append(
                    f"{path}.rework_rate = {quality.rework_rate:g} beside options.{j}.transition"
                    f".repeat_rate = {t.repeat_rate:g}: rework is counted twice, as volume and as"
                    " a share of fees (set repeat_rate to 0, see"
                    " docs/methodology.md#hidden-costs)"
                )
                break  # one finding per option
    found = list(dict.fromkeys(found))  # one workload's finding is said once
    return found


def _below_card(
    found: list[str],
    cards: RateCards,
    path: str,
    value: object,
    card: str,
    function: str,
    location: str,
    currency: str,
) -> None:
    if not isinstance(value, float):
        return
    try:
        low = cards.lookup(card=card, function=function, location=location, statistic="low")
    except BpoCostError:
        return  # no benchmark for that function and place: nothing to compare with
    if low.currency != currency:
        return  # pounds against a dollar card say nothing: no exchange rate is assumed here
    if value < low.value:
        found.append(
            f"{path} = {value:g} is below the rate card's low "
            f"{low.value:g} for {function} in {location} ({low.source})"
        )


def warn_suspicious(case: Case, cards: RateCards) -> None:
    """Issue a BpoCostWarning for each suspicious value."""
    for message in suspicious_values(case, cards):
        warnings.warn(message, BpoCostWarning, stacklevel=3)
