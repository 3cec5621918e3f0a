"""What each input means: unit, description and where its default comes from.

Units, descriptions and default sources are written once here (the sources are those cited in
``models.py`` and DOMAIN.md); ranges and allowed values come from ``bpo_cost.rules``, read from
the pydantic model, so the Inputs sheet's data validation can never drift from what read-back
accepts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic_core import PydanticUndefined

from ..case.models import Case
from ..case.rules import field_info, generic_key

__all__ = ["Field", "describe"]

_DEFAULT = "bpo-cost default (analyst assumption)"
_CIO = "CIO Magazine 2003 (Overby)"

# generic key -> (unit, description, source of the default). {cur} is the case currency,
# {unit} the unit of work.
_FIELDS: dict[str, tuple[str, str, str]] = {
    "name": ("text", "Name of the business case", ""),
    "description": ("text", "What the case is about", ""),
    "currency": ("ISO 4217", "Currency of every amount", "US dollars"),
    "start": ("date", "First month of the term", ""),
    "term_months": ("months", "Length of the contract term (structural: regenerate)", ""),
    "discount_rate_annual": (
        "decimal / year",
        "Discount rate for NPV (cost of capital)",
        "8 %: a typical corporate WACC",
    ),
    "inflation_per_year": (
        "decimal / year",
        "General price inflation (non-wage costs)",
        "2.5 %: central-bank targets",
    ),
    "wage_inflation_per_year": (
        "decimal / year",
        "In-house wage inflation",
        "Everest Group via CIO 2016: COLA drift 3-5 %/yr",
    ),
    "include_exit_costs": (
        "TRUE / FALSE",
        "Count the switching cost at the end of the term",
        "off unless the case includes them",
    ),
    "workload.function": ("id", "Business function", ""),
    "workload.unit": ("text", "Unit of work", "transaction"),
    "workload.volume_per_month": ("{unit} / month", "Volume in month 1 before seasonality", ""),
    "workload.growth_per_year": (
        "decimal / year",
        "Volume growth (smooth, monthly compounding)",
        "no growth",
    ),
    "workload.seasonality": (
        "factor",
        "Seasonality factor of a calendar month (Jan..Dec)",
        "flat (1.0)",
    ),
    "workload.handle_minutes": ("minutes / {unit}", "Average handle time in-house", ""),
    "workload.real_time.service_level_target": (
        "share",
        "Share answered within the threshold",
        "80/20 industry convention",
    ),
    "workload.real_time.answer_seconds": (
        "seconds",
        "Answer-time threshold",
        "80/20 industry convention",
    ),
    "workload.real_time.interval_minutes": (
        "minutes",
        "Staffing interval (Erlang C)",
        "30-minute WFM interval",
    ),
    "workload.real_time.open_hours_per_month": (
        "hours / month",
        "Hours the channel is open",
        "~21.7 days x 12 h",
    ),
    "inhouse.country": ("ISO 3166", "Country of the in-house operation", "US"),
    "inhouse.wage_per_hour": ("{cur} / hour", "Agent base wage", ""),
    "inhouse.paid_hours_per_year": ("hours / year", "Paid hours per FTE", "52 weeks x 40 h"),
    "inhouse.benefits_load": (
        "share of wage",
        "Benefits load",
        "DOMAIN.md: benefits 20-30 % of wage",
    ),
    "inhouse.payroll_tax": ("share of wage", "Employer payroll tax", "US FICA 7.65 %"),
    "inhouse.shrinkage": (
        "share",
        "Paid time not available for work",
        "DOMAIN.md: shrinkage 20-35 %",
    ),
    "inhouse.occupancy": (
        "share",
        "Share of available time spent on work (cap)",
        "DOMAIN.md: occupancy cap ~85 %",
    ),
    "inhouse.supervision_span": (
        "agents / supervisor",
        "Agents per supervisor",
        "DOMAIN.md: 1 supervisor per 10-15 agents",
    ),
    "inhouse.supervisor_wage_per_hour": ("{cur} / hour", "Supervisor base wage", _DEFAULT),
    "inhouse.other_roles.name": ("text", "Fixed role", ""),
    "inhouse.other_roles.headcount": ("FTE", "Headcount of the role", ""),
    "inhouse.other_roles.wage_per_hour": ("{cur} / hour", "Base wage of the role", ""),
    "inhouse.facilities_per_seat_month": (
        "{cur} / seat / month",
        "Office space per seat",
        "DOMAIN.md: $200-400 per employee per month",
    ),
    "inhouse.it_per_seat_month": ("{cur} / seat / month", "IT and licences per seat", _DEFAULT),
    "inhouse.attrition_per_year": (
        "share / year",
        "Staff attrition",
        "ICMI: contact centres 33-42 %/yr",
    ),
    "inhouse.cost_per_hire": (
        "{cur} / hire",
        "Recruiting cost per hire",
        "ContactBabel $1,750 .. SHRM $4,683",
    ),
    "inhouse.training_per_hire": ("{cur} / hire", "Initial training per hire", _DEFAULT),
    "inhouse.fixed_costs_per_month": ("{cur} / month", "Other fixed running costs", "none"),
    "inhouse.stranded_costs.name": ("text", "Lease or licence outliving the operation", ""),
    "inhouse.stranded_costs.cost_per_month": ("{cur} / month", "Cost of the stranded item", ""),
    "inhouse.stranded_costs.months_remaining": ("months", "Months left from month 1", ""),
    "options.name": ("text", "Option name (sheet title)", ""),
    "options.provider": ("text", "Provider", ""),
    "options.location.tier": ("tier", "Delivery tier", ""),
    "options.location.country": ("ISO 3166", "Delivery country", ""),
    "options.pricing.model": ("model", "Pricing model (structural: regenerate)", ""),
    "options.pricing.basis": (
        "basis",
        "Billed unit: productive hour or FTE-month (structural)",
        "productive hour",
    ),
    "options.pricing.rate": ("{cur} / billed unit", "Hourly or FTE-month rate", ""),
    "options.pricing.minimum_billed_per_month": ("billed units / month", "Minimum billed", "none"),
    "options.pricing.handle_minutes": ("minutes / {unit}", "Vendor's handle time", ""),
    "options.pricing.occupancy": ("share", "Vendor occupancy", "DOMAIN.md: ~85 %"),
    "options.pricing.shrinkage": (
        "share",
        "Vendor shrinkage (FTE-month basis)",
        "DOMAIN.md: 20-35 %",
    ),
    "options.pricing.paid_hours_per_month": (
        "hours / month",
        "Paid hours per vendor FTE",
        "2,080 h / 12",
    ),
    "options.pricing.price": ("{cur} / {unit}", "Price per transaction", ""),
    "options.pricing.tiers.up_to": ("{unit} / month", "Upper volume bound of the tier", ""),
    "options.pricing.tiers.price": ("{cur} / {unit}", "Price in the tier", ""),
    "options.pricing.tier_mode": (
        "mode",
        "all_units or incremental tiers (structural)",
        "all units",
    ),
    "options.pricing.minimum_volume_per_month": ("{unit} / month", "Minimum billed volume", "none"),
    "options.pricing.collar.base_fee_per_month": (
        "{cur} / month",
        "Fixed fee for the baseline",
        "",
    ),
    "options.pricing.collar.baseline_volume": ("{unit} / month", "Baseline volume", ""),
    "options.pricing.collar.dead_band": (
        "share",
        "Dead band around the baseline",
        "DOMAIN.md: typically 5-10 %",
    ),
    "options.pricing.collar.arc": ("{cur} / {unit}", "Additional resource charge", ""),
    "options.pricing.collar.rrc": ("{cur} / {unit}", "Reduced resource charge", ""),
    "options.pricing.price_per_outcome": ("{cur} / outcome", "Price per outcome", ""),
    "options.pricing.outcome_rate": ("share", "Units ending in a billable outcome", "all"),
    "options.pricing.base_fee_per_month": ("{cur} / month", "Fixed base fee", "none"),
    "options.pricing.gainshare.baseline_cost_per_month": (
        "{cur} / month",
        "Gainshare baseline cost",
        "",
    ),
    "options.pricing.gainshare.share": ("share", "Vendor's share of savings", "50/50"),
    "options.pricing.gainshare.cap_per_month": ("{cur} / month", "Cap on gainshare", ""),
    "options.pricing.gainshare.painshare": ("TRUE / FALSE", "Vendor also shares overruns", "off"),
    "options.pricing.kpi.name": ("text", "KPI", "quality score"),
    "options.pricing.kpi.target": ("decimal", "KPI target", ""),
    "options.pricing.kpi.expected": ("decimal", "KPI expected", ""),
    "options.pricing.kpi.per_point": ("share of fee / point", "Bonus/malus per KPI unit", "1.0"),
    "options.pricing.kpi.cap": ("share of fee", "Cap on bonus and malus", "10 %"),
    "options.escalator.cola_per_year": (
        "decimal / year",
        "COLA on the price",
        "Everest Group: COLA 3-5 %/yr",
    ),
    "options.escalator.cap_per_year": ("decimal / year", "Cap on the COLA", "5 %"),
    "options.escalator.productivity_per_year": (
        "decimal / year",
        "Productivity commitment (price down)",
        "none",
    ),
    "options.service_credits.at_risk_share": (
        "share of invoice",
        "Amount at risk",
        "Alsbridge: usually 10-12 % of the invoice",
    ),
    "options.service_credits.expected_breach_share": ("share of pool", "Expected payout", "none"),
    "options.automation.share": ("share", "Volume deflected to automation", ""),
    "options.automation.cost_per_unit": ("{cur} / {unit}", "Automation cost per unit", ""),
    "options.automation.build_cost": ("{cur}", "One-off build cost", "none"),
    "options.automation.start_month": ("month", "First month of automation", "month 1"),
    "options.transition.vendor_selection_cost": ("{cur}", "Vendor search and contracting", "none"),
    "options.transition.vendor_selection_share_of_acv": (
        "share of ACV",
        "Selection cost as share of annual contract value",
        "CIO Magazine via sourcingmag 2006: 0.2-2 % of contract value",
    ),
    "options.transition.transition_months": (
        "months",
        "Knowledge-transfer months",
        _CIO + ": 3-12 months",
    ),
    "options.transition.transition_team_share": (
        "share of staff cost",
        "Transition team",
        "faoblog: 5-30 % of the team",
    ),
    "options.transition.knowledge_transfer_cost": (
        "{cur}",
        "Fixed knowledge-transfer cost",
        "none",
    ),
    "options.transition.parallel_run_months": (
        "months",
        "Months both teams run",
        _CIO + ": 3-12 months",
    ),
    "options.transition.severance_months_of_pay": ("months of pay", "Severance", _DEFAULT),
    "options.transition.retention_share": (
        "share of staff cost",
        "Retention pay",
        _CIO + ": +3-5 %",
    ),
    "options.transition.ramp_months": (
        "months",
        "Vendor ramp-up",
        "Tenacity / CRMXchange 2016: full after ~6 months",
    ),
    "options.transition.ramp_start_efficiency": (
        "share",
        "Vendor efficiency in month 1",
        "Meta Group via CIO 2003: ~20 % dip",
    ),
    "options.transition.governance_share_of_fees": (
        "share of fees",
        "Retained organisation",
        "TPI via Nearshore Americas: 3-5 % of ACV",
    ),
    "options.transition.governance_fte": ("FTE", "Governance staff", "none"),
    "options.transition.governance_cost_per_fte_month": (
        "{cur} / FTE / month",
        "Cost of a governance FTE",
        _DEFAULT,
    ),
    "options.transition.repeat_rate": ("share of fees", "Rework and repeat contacts", _DEFAULT),
    "options.transition.exit_share_of_annual_spend": (
        "share of annual fees",
        "Switching cost",
        "Peukert, EJIS 2018: ~1/3 of annual spend",
    ),
}


@dataclass(frozen=True)
class Field:
    """One input as the Inputs sheet shows it."""

    unit: str
    description: str
    default: Any  # the model default (None: required or no default)
    default_source: str


def describe(case: Case, key: str) -> Field:
    """Unit, description and default (with its source) of the input at ``key``."""
    unit, text, source = _FIELDS.get(generic_key(key), ("", "", ""))
    unit = unit.replace("{cur}", case.currency).replace("{unit}", case.workload.unit)
    info, in_list = field_info(case, key)
    default = None
    if info is not None and not in_list:
        default = None if info.default is PydanticUndefined else info.default
    elif info is not None and info.default_factory is not None:
        default = 1.0 if generic_key(key) == "workload.seasonality" else None
    return Field(unit, text, default, source)
