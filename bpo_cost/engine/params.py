"""The compiled case: one frozen dataclass per block of the case model, numbers as arrays.

``compile`` builds these from a validated ``Case``; the engine reads only these. A block has the
name of its case-model class (``Workload``, ``Option``…; the root is ``Params``) and the same
fields, typed for the engine:

- a number is a ``FloatArray`` of shape ``(1, 1)``, the same in every scenario, or ``(n, 1)``
  when a batch varies it, so it broadcasts against the month axis ``(1, months)``;
- a list of numbers (seasonality) is ``(1 or n, k)``;
- a number that shapes the model (the term, a tier's upper bound) stays a plain number: it
  cannot vary between scenarios;
- text, switches and lists of blocks (tuples) are as in the case: they shape the model too.

``tests/test_params.py`` checks that every field of the case model has its place here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from .._types import FloatArray
from ..core.finance import Discounting
from ..core.pricing import TierMode
from ..rates.cards import FunctionId

__all__ = [
    "AssetSale",
    "Automation",
    "Collar",
    "ContractCurrency",
    "DatedCost",
    "Escalator",
    "Gainshare",
    "HourlyPricing",
    "Improvement",
    "InHouse",
    "Kpi",
    "Line",
    "Location",
    "Option",
    "OutcomePricing",
    "Params",
    "PerTransactionPricing",
    "Pricing",
    "Quality",
    "RealTime",
    "Retained",
    "RetainedRole",
    "Role",
    "ServiceCredits",
    "StrandedCost",
    "Taxes",
    "Termination",
    "TerminationFee",
    "Tier",
    "Transition",
    "Wave",
    "Workload",
    "WorkloadInHouse",
]

# ----------------------------------------------------------------------------------- workload


@dataclass(frozen=True, slots=True)
class RealTime:
    service_level_target: FloatArray
    answer_seconds: FloatArray
    interval_minutes: FloatArray
    open_hours_per_month: FloatArray
    concurrency: FloatArray


@dataclass(frozen=True, slots=True)
class WorkloadInHouse:
    wage_per_hour: FloatArray | None  # None: the in-house block's
    shrinkage: FloatArray | None
    occupancy: FloatArray | None


@dataclass(frozen=True, slots=True)
class Workload:
    name: str
    function: FunctionId
    unit: str
    volume_per_month: FloatArray
    growth_per_year: FloatArray
    seasonality: FloatArray  # (1 or n, 12): January..December
    handle_minutes: FloatArray
    real_time: RealTime | None
    inhouse: WorkloadInHouse | None


# ----------------------------------------------------------------------------------- in-house


@dataclass(frozen=True, slots=True)
class Role:
    name: str
    headcount: FloatArray
    wage_per_hour: FloatArray


@dataclass(frozen=True, slots=True)
class StrandedCost:
    name: str
    cost_per_month: FloatArray
    months_remaining: FloatArray


@dataclass(frozen=True, slots=True)
class DatedCost:
    name: str
    amount: FloatArray
    start_month: FloatArray
    end_month: FloatArray | None  # None: one-off in the start month


@dataclass(frozen=True, slots=True)
class AssetSale:
    name: str
    proceeds: FloatArray
    month: FloatArray


@dataclass(frozen=True, slots=True)
class InHouse:
    country: str
    wage_per_hour: FloatArray
    paid_hours_per_year: FloatArray
    benefits_load: FloatArray
    payroll_tax: FloatArray
    shrinkage: FloatArray
    occupancy: FloatArray
    supervision_span: FloatArray
    supervisor_wage_per_hour: FloatArray
    other_roles: tuple[Role, ...]
    facilities_per_seat_month: FloatArray
    it_per_seat_month: FloatArray
    attrition_per_year: FloatArray
    cost_per_hire: FloatArray
    training_per_hire: FloatArray
    fixed_costs_per_month: FloatArray
    stranded_costs: tuple[StrandedCost, ...]
    improvement: Improvement | None
    quality: Quality | None
    dated_costs: tuple[DatedCost, ...]
    asset_sales: tuple[AssetSale, ...]


@dataclass(frozen=True, slots=True)
class Improvement:
    productivity_per_year: FloatArray
    automation: Automation | None


# ------------------------------------------------------------------------------------ pricing


@dataclass(frozen=True, slots=True)
class HourlyPricing:
    model: Literal["hourly"]
    basis: Literal["productive_hour", "fte_month"]
    rate: FloatArray
    minimum_billed_per_month: FloatArray
    handle_minutes: FloatArray | None  # None: the workload's
    occupancy: FloatArray
    shrinkage: FloatArray
    paid_hours_per_month: FloatArray


@dataclass(frozen=True, slots=True)
class Tier:
    up_to: float | None  # a band's bound shapes the tiers: the same in every scenario
    price: FloatArray


@dataclass(frozen=True, slots=True)
class Collar:
    base_fee_per_month: FloatArray
    baseline_volume: FloatArray
    dead_band: FloatArray
    arc: FloatArray
    rrc: FloatArray


@dataclass(frozen=True, slots=True)
class PerTransactionPricing:
    model: Literal["per_transaction"]
    price: FloatArray | None
    tiers: tuple[Tier, ...] | None
    tier_mode: TierMode
    minimum_volume_per_month: FloatArray
    collar: Collar | None


@dataclass(frozen=True, slots=True)
class Gainshare:
    baseline_cost_per_month: FloatArray
    share: FloatArray
    cap_per_month: FloatArray | None
    painshare: bool


@dataclass(frozen=True, slots=True)
class Kpi:
    name: str
    target: FloatArray
    expected: FloatArray
    per_point: FloatArray
    cap: FloatArray


@dataclass(frozen=True, slots=True)
class OutcomePricing:
    model: Literal["outcome"]
    price_per_outcome: FloatArray
    outcome_rate: FloatArray
    base_fee_per_month: FloatArray
    gainshare: Gainshare | None
    kpi: Kpi | None


Pricing = HourlyPricing | PerTransactionPricing | OutcomePricing


# ------------------------------------------------------------------------ clauses and hidden


@dataclass(frozen=True, slots=True)
class Escalator:
    cola_per_year: FloatArray
    cap_per_year: FloatArray | None
    productivity_per_year: FloatArray


@dataclass(frozen=True, slots=True)
class ServiceCredits:
    at_risk_share: FloatArray
    expected_breach_share: FloatArray


@dataclass(frozen=True, slots=True)
class Automation:
    share: FloatArray
    cost_per_unit: FloatArray
    build_cost: FloatArray
    start_month: FloatArray


@dataclass(frozen=True, slots=True)
class Quality:
    rework_rate: FloatArray


@dataclass(frozen=True, slots=True)
class Transition:
    vendor_selection_cost: FloatArray
    vendor_selection_share_of_acv: FloatArray
    transition_months: FloatArray
    transition_team_share: FloatArray
    knowledge_transfer_cost: FloatArray
    parallel_run_months: FloatArray
    severance_months_of_pay: FloatArray
    retention_share: FloatArray
    ramp_months: FloatArray
    ramp_start_efficiency: FloatArray
    dip_paid_by: Literal["client", "pricing", "vendor"]
    governance_share_of_fees: FloatArray
    governance_fte: FloatArray
    governance_cost_per_fte_month: FloatArray
    repeat_rate: FloatArray
    exit_share_of_annual_spend: FloatArray


@dataclass(frozen=True, slots=True)
class RetainedRole:
    name: str
    fte: FloatArray
    wage_per_hour: FloatArray


@dataclass(frozen=True, slots=True)
class Retained:
    roles: tuple[RetainedRole, ...]
    share_of_fees: FloatArray


@dataclass(frozen=True, slots=True)
class Taxes:
    vat_rate: FloatArray
    recoverable_share: FloatArray
    withholding_rate: FloatArray


@dataclass(frozen=True, slots=True)
class Location:
    tier: Literal["onshore", "nearshore", "offshore"]
    country: str


@dataclass(frozen=True, slots=True)
class ContractCurrency:
    code: str
    rate: FloatArray
    drift_per_year: FloatArray
    clause: Literal["provider", "client", "band"]
    band: FloatArray
    client_share: FloatArray


@dataclass(frozen=True, slots=True)
class Line:
    workload: str | None  # never None: the case fills in the only workload's name
    share: FloatArray
    pricing: Pricing
    location: Location | None
    provider: str | None  # None: the option's, as for the clauses below
    escalator: Escalator | None
    service_credits: ServiceCredits | None
    automation: Automation | None
    quality: Quality | None
    contract_currency: ContractCurrency | None


@dataclass(frozen=True, slots=True)
class Wave:
    month: FloatArray
    share: FloatArray


@dataclass(frozen=True, slots=True)
class TerminationFee:
    up_to_month: FloatArray
    amount: FloatArray


@dataclass(frozen=True, slots=True)
class Termination:
    month: FloatArray
    fees: tuple[TerminationFee, ...]
    ramp_months: FloatArray
    ramp_start_efficiency: FloatArray


@dataclass(frozen=True, slots=True)
class Option:
    name: str
    provider: str
    location: Location
    pricing: Pricing | None  # None: every workload has a line
    lines: tuple[Line, ...]
    waves: tuple[Wave, ...]  # empty: the whole scope in month 1
    escalator: Escalator
    service_credits: ServiceCredits
    automation: Automation | None
    quality: Quality | None
    contract_currency: ContractCurrency | None
    transition: Transition
    retained: Retained | None
    taxes: Taxes | None
    dated_costs: tuple[DatedCost, ...]
    asset_sales: tuple[AssetSale, ...]
    termination: Termination | None  # None: the contract runs the whole term


# --------------------------------------------------------------------------------------- case


@dataclass(frozen=True, slots=True)
class Params:
    """The whole case compiled (``Case`` less its ``uncertainty``), for ``n_scenarios``."""

    name: str
    description: str
    currency: str
    start: dt.date
    term_months: int  # the month axis: the same in every scenario
    discount_rate_annual: FloatArray
    discounting: Discounting
    inflation_per_year: FloatArray
    wage_inflation_per_year: FloatArray
    include_exit_costs: bool
    workloads: tuple[Workload, ...]
    inhouse: InHouse
    options: tuple[Option, ...]
    n_scenarios: int = 1

    @property
    def workload(self) -> Workload:
        """The only workload (v1 cases); an error if there are several."""
        if len(self.workloads) != 1:
            raise AttributeError("the case has several workloads: use workloads")
        return self.workloads[0]
