"""The case: everything an analyst states about a function and the offers on the table.

Validated once by pydantic at the boundary, then compiled to arrays for the engine. Money is in
the case currency, rates are decimals, ``_per_year`` / ``_per_month`` say the period. Every
default cites its source (see DOMAIN.md and ``rates/SOURCES.md``).
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ..core.staffing import MAX_ERLANGS
from ..rates.cards import FunctionId, RateRef
from .distributions import Distribution, check_paths

__all__ = [
    "Automation",
    "Case",
    "Collar",
    "Escalator",
    "FunctionId",
    "Gainshare",
    "HourlyPricing",
    "InHouse",
    "Kpi",
    "Location",
    "Option",
    "OutcomePricing",
    "PerTransactionPricing",
    "RealTime",
    "Role",
    "ServiceCredits",
    "StrandedCost",
    "Tier",
    "Transition",
    "Workload",
]


# Upper bounds keep nonsense (1e300 calls a month) from overflowing into silent inf/NaN results.
def _not_bool(v: Any) -> Any:
    # YAML's `yes`/`true` would otherwise pass as 1 for a price, a share or a month count
    if isinstance(v, bool):
        raise ValueError("must be a number, not true/false")
    return v


Float = Annotated[float, BeforeValidator(_not_bool)]
Int = Annotated[int, BeforeValidator(_not_bool)]
NonNeg = Annotated[Float, Field(ge=0, le=1e12)]
Pos = Annotated[Float, Field(gt=0, le=1e12)]
Share = Annotated[Float, Field(ge=0, le=1)]
ShareBelowOne = Annotated[Float, Field(ge=0, lt=1)]
Growth = Annotated[Float, Field(gt=-1, le=1)]
Money = NonNeg
Price = NonNeg | RateRef  # a number, or a rate-card reference resolved before evaluation


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, validate_default=True, allow_inf_nan=False
    )


# ----------------------------------------------------------------------------------- workload


class RealTime(_Model):
    """A channel answered live (voice, chat): staffing from Erlang C against a service level."""

    service_level_target: Annotated[Float, Field(gt=0, lt=1)] = 0.8  # 80/20: industry convention
    answer_seconds: Pos = 20.0
    interval_minutes: Pos = 30.0
    open_hours_per_month: Annotated[Float, Field(gt=0, le=744)] = 260.0  # ~21.7 days x 12 h


class Workload(_Model):
    """What the function does: volume over the term and the time each unit takes."""

    function: FunctionId
    unit: str = Field("transaction", min_length=1, max_length=40)
    volume_per_month: NonNeg
    growth_per_year: Growth = 0.0
    seasonality: list[NonNeg] = Field(default_factory=lambda: [1.0] * 12)
    handle_minutes: Pos
    real_time: RealTime | None = None

    @field_validator("seasonality")
    @classmethod
    def _twelve(cls, v: list[float]) -> list[float]:
        if len(v) != 12:
            raise ValueError(f"must have 12 monthly factors (January..December), got {len(v)}")
        return v


# ----------------------------------------------------------------------------------- in-house


class Role(_Model):
    """A fixed in-house role not driven by volume (manager, QA analyst, workforce planner)."""

    name: str = Field(min_length=1, max_length=60)
    headcount: NonNeg
    wage_per_hour: Price


class StrandedCost(_Model):
    """A lease or licence that keeps costing after the work leaves (stranded on exit)."""

    name: str = Field(min_length=1, max_length=60)
    cost_per_month: Money
    months_remaining: Annotated[Int, Field(ge=0, le=240)]


class InHouse(_Model):
    """The function as run today. Defaults: DOMAIN.md 'In-house fully-loaded cost'."""

    country: str = Field("US", pattern="^[A-Z]{2}$")  # ISO 3166 alpha-2, for rate-card checks
    wage_per_hour: Price
    paid_hours_per_year: Annotated[Float, Field(gt=0, le=4000)] = 2080.0  # 52 x 40 h
    benefits_load: Annotated[Float, Field(ge=0, le=2)] = 0.25  # 20-30 % of wage
    payroll_tax: Annotated[Float, Field(ge=0, le=1)] = 0.0765  # US FICA
    shrinkage: ShareBelowOne = 0.30  # 20-35 %
    occupancy: Annotated[Float, Field(gt=0, le=1)] = 0.85  # occupancy cap ~85 %
    supervision_span: Annotated[Float, Field(ge=1)] = 12.0  # 1 per 10-15 agents
    supervisor_wage_per_hour: Price = 28.0
    other_roles: list[Role] = Field(default_factory=list)
    facilities_per_seat_month: Money = 300.0  # $200-400 per employee per month
    it_per_seat_month: Money = 150.0
    attrition_per_year: Annotated[Float, Field(ge=0, le=3)] = 0.35  # ICMI 33-42 %
    cost_per_hire: Money = 4000.0  # ContactBabel $1,750 .. SHRM $4,683
    training_per_hire: Money = 3000.0
    fixed_costs_per_month: Money = 0.0
    stranded_costs: list[StrandedCost] = Field(default_factory=list)


# ------------------------------------------------------------------------------------ pricing


class HourlyPricing(_Model):
    """Hourly / FTE pricing: the vendor bills productive hours or FTE-months."""

    model: Literal["hourly"] = "hourly"
    basis: Literal["productive_hour", "fte_month"] = "productive_hour"
    rate: Price
    minimum_billed_per_month: NonNeg = 0.0  # in billed units: hours or FTE
    handle_minutes: Pos | None = None  # vendor's handle time; None = the workload's
    occupancy: Annotated[Float, Field(gt=0, le=1)] = 0.85
    shrinkage: ShareBelowOne = 0.30
    paid_hours_per_month: Annotated[Float, Field(gt=0, le=744)] = 2080.0 / 12


class Tier(_Model):
    up_to: Pos | None = None  # upper volume bound of the band; None for the last band
    price: Price


class Collar(_Model):
    """Anchored pricing: a fixed monthly fee for a baseline volume, ARC/RRC outside a dead band."""

    base_fee_per_month: Money
    baseline_volume: Pos
    dead_band: ShareBelowOne = 0.10  # typically 5-10 %
    arc: Money  # additional resource charge per unit above the band
    rrc: Money  # reduced resource charge per unit below the band


class PerTransactionPricing(_Model):
    """Per-transaction pricing: one flat price, volume tiers, or a volume collar."""

    model: Literal["per_transaction"] = "per_transaction"
    price: Price | None = None
    tiers: list[Tier] | None = None
    tier_mode: Literal["all_units", "incremental"] = "all_units"
    minimum_volume_per_month: NonNeg = 0.0
    collar: Collar | None = None

    @model_validator(mode="after")
    def _one_scheme(self) -> PerTransactionPricing:
        given = [k for k in ("price", "tiers", "collar") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of price, tiers or collar (got {given or 'none'})")
        if self.tiers is not None:
            bounds = [t.up_to for t in self.tiers]
            if not self.tiers or bounds[-1] is not None or any(b is None for b in bounds[:-1]):
                raise ValueError("tiers: every band but the last needs up_to; the last has none")
            finite = [b for b in bounds[:-1] if b is not None]
            if any(b >= c for b, c in itertools.pairwise(finite)):
                raise ValueError(f"tiers: up_to must be strictly increasing, got {finite}")
        return self


class Gainshare(_Model):
    """Vendor earns a share of savings against a baseline monthly cost (painshare optional)."""

    baseline_cost_per_month: Money
    share: Share = 0.5
    cap_per_month: Money | None = None
    painshare: bool = False


class Kpi(_Model):
    """Bonus/malus on a KPI (decimals): fee x clip((expected - target) x per_point, +-cap)."""

    name: str = "quality score"
    target: Float = Field()
    expected: Float = Field()
    per_point: NonNeg = 1.0
    cap: Share = 0.10


class OutcomePricing(_Model):
    """Outcome-based pricing: pay per outcome (e.g. resolved ticket), gainshare and KPI bonus."""

    model: Literal["outcome"] = "outcome"
    price_per_outcome: Price
    outcome_rate: Share = 1.0  # share of units that end in a billable outcome
    base_fee_per_month: Money = 0.0
    gainshare: Gainshare | None = None
    kpi: Kpi | None = None


Pricing = Annotated[
    HourlyPricing | PerTransactionPricing | OutcomePricing, Field(discriminator="model")
]


# ------------------------------------------------------------------------ clauses and hidden


class Escalator(_Model):
    """COLA on the price, capped, less a productivity commitment; stepped each contract year."""

    cola_per_year: Annotated[Float, Field(ge=-0.5, le=1)] = 0.03  # Everest: COLA 3-5 %/yr
    cap_per_year: Share | None = 0.05
    productivity_per_year: ShareBelowOne = 0.0


class ServiceCredits(_Model):
    """Expected service credits: at-risk share of the invoice x share of the pool paid out."""

    at_risk_share: Share = 0.10  # usually 10-12 % of the monthly invoice (Alsbridge)
    expected_breach_share: Share = 0.0


class Automation(_Model):
    """A share of volume deflected to automation at its own unit and build cost."""

    share: ShareBelowOne
    cost_per_unit: Money
    build_cost: Money = 0.0
    start_month: Annotated[Int, Field(ge=1)] = 1


class Transition(_Model):
    """Hidden costs of moving the work (Barthélemy's four families; magnitudes in DOMAIN.md)."""

    vendor_selection_cost: Money = 0.0
    vendor_selection_share_of_acv: Annotated[Float, Field(ge=0, le=0.2)] = 0.01  # 0.2-2 %/yr
    transition_months: Annotated[Int, Field(ge=0, le=36)] = 3
    transition_team_share: Annotated[Float, Field(ge=0, le=1)] = 0.10  # faoblog 5-30 %
    knowledge_transfer_cost: Money = 0.0
    parallel_run_months: Annotated[Int, Field(ge=0, le=36)] = 2  # CIO 2003: 3-12 months
    severance_months_of_pay: Annotated[Float, Field(ge=0, le=36)] = 2.0
    retention_share: Annotated[Float, Field(ge=0, le=1)] = 0.04  # CIO 2003: +3-5 %
    ramp_months: Annotated[Int, Field(ge=0, le=36)] = 6  # Tenacity: full after ~6 months
    ramp_start_efficiency: Annotated[Float, Field(gt=0, le=1)] = 0.8  # Meta Group: ~20 % dip
    governance_share_of_fees: Annotated[Float, Field(ge=0, le=0.5)] = 0.04  # TPI 3-5 % of ACV
    governance_fte: NonNeg = 0.0
    governance_cost_per_fte_month: Money = 9000.0
    repeat_rate: Annotated[Float, Field(ge=0, le=1)] = 0.02  # rework / repeat contacts paid for
    exit_share_of_annual_spend: Annotated[Float, Field(ge=0, le=2)] = 0.33  # Peukert 2018: ~1/3


class Location(_Model):
    tier: Literal["onshore", "nearshore", "offshore"]
    country: str = Field(min_length=2, max_length=2, pattern="^[A-Z]{2}$")  # ISO 3166 alpha-2


class Option(_Model):
    """One outsourcing offer: a provider, a location, one pricing model and its clauses."""

    name: str = Field(min_length=1, max_length=24, pattern=r"^[A-Za-z0-9][A-Za-z0-9 _\-.()]*$")
    provider: str = ""
    location: Location
    pricing: Pricing
    escalator: Escalator = Field(default_factory=Escalator)
    service_credits: ServiceCredits = Field(default_factory=ServiceCredits)
    automation: Automation | None = None
    transition: Transition = Field(default_factory=Transition)


# --------------------------------------------------------------------------------------- case


class Case(_Model):
    """A business case: in-house vs each option, month by month over the term."""

    name: str = Field(min_length=1, max_length=80)
    description: str = ""
    currency: str = Field("USD", pattern="^[A-Z]{3}$")
    start: dt.date
    term_months: Annotated[Int, Field(ge=12, le=120)]
    discount_rate_annual: Annotated[Float, Field(gt=-1, le=2)] = 0.08
    inflation_per_year: Annotated[Float, Field(ge=-0.5, le=1)] = 0.025
    wage_inflation_per_year: Annotated[Float, Field(ge=-0.5, le=1)] = 0.03
    include_exit_costs: bool = False
    workload: Workload
    inhouse: InHouse
    options: list[Option] = Field(min_length=1, max_length=12)
    # Distributions of uncertain inputs, keyed by input path, for Monte Carlo (bpo_cost.analysis).
    # The engine never reads them; excluded from dumps so input paths and Inputs sheets ignore them.
    uncertainty: dict[str, Distribution] = Field(default_factory=dict, exclude=True)

    @field_validator("start", mode="before")
    @classmethod
    def _month(cls, v: Any) -> Any:
        if isinstance(v, str) and len(v) == 7:  # "2027-01": a month
            v = v + "-01"
        return v

    @field_validator("start")
    @classmethod
    def _first_of_month(cls, v: dt.date) -> dt.date:
        return v.replace(day=1)

    @field_validator("uncertainty")
    @classmethod
    def _uncertain_numbers(cls, v: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        if v and {"workload", "inhouse", "options"} <= info.data.keys():  # else they failed
            check_paths({k: _dumped(x) for k, x in info.data.items()}, v)
        return v

    def _check_erlang_load(self) -> None:
        w, rt = self.workload, self.workload.real_time
        if rt is None:
            return
        handles = [w.handle_minutes] + [
            o.pricing.handle_minutes
            for o in self.options
            if isinstance(o.pricing, HourlyPricing) and o.pricing.handle_minutes is not None
        ]
        peak = (
            w.volume_per_month
            * max(w.seasonality)
            * (1.0 + max(w.growth_per_year, 0.0)) ** ((self.term_months - 1) / 12)
        )
        load = (
            peak
            / (rt.open_hours_per_month * 60.0 / rt.interval_minutes)
            * max(handles)
            / (rt.interval_minutes)
        )
        if load > MAX_ERLANGS:
            raise ValueError(
                f"workload: the peak offered load is {load:,.0f} Erlangs per interval; Erlang C "
                f"staffing takes at most {MAX_ERLANGS:,.0f} (check volume_per_month and "
                "handle_minutes)"
            )

    @model_validator(mode="after")
    def _consistent(self) -> Case:
        names = [o.name for o in self.options]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes or "inhouse" in {n.lower() for n in names}:
            raise ValueError(f"options: names must be unique and not 'inhouse': {dupes or names}")
        self._check_erlang_load()
        for i, o in enumerate(self.options):
            t = o.transition
            for field in ("parallel_run_months", "transition_months", "ramp_months"):
                if getattr(t, field) >= self.term_months:
                    raise ValueError(
                        f"options.{i}.transition.{field} = {getattr(t, field)} must be "
                        f"shorter than term_months = {self.term_months}"
                    )
            if o.automation and o.automation.start_month > self.term_months:
                raise ValueError(
                    f"options.{i}.automation.start_month = {o.automation.start_month} must be "
                    f"within term_months = {self.term_months}"
                )
        return self


def _dumped(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump()
    if isinstance(value, list):
        return [_dumped(v) for v in value]
    return value
