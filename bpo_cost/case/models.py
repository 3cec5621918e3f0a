"""The case: everything an analyst states about a function and the offers on the table.

Validated once by pydantic at the boundary, then compiled to arrays for the engine. Money is in
the case currency, rates are decimals, ``_per_year`` / ``_per_month`` say the period.

Every field says what it means once, here: ``Field(description=...)`` and, in
``json_schema_extra``, its ``unit`` and the ``source`` of its default. ``{currency}`` in a unit
stands for the case currency and ``{unit}`` for the workload's unit of work. The JSON Schema, the
workbook's Inputs and Method sheets and the Excel function help read them from the model
(``bpo_cost.case.fields``). Sources are those of ``docs/methodology.md`` and
``rates/SOURCES.md``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    ValidationInfo,
    field_validator,
    model_serializer,
    model_validator,
)

from ..core.concurrency import MAX_CONCURRENCY, concurrency_factor
from ..core.finance import Discounting
from ..core.staffing import MAX_AGENTS, MAX_ERLANGS
from ..errors import InputError
from ..rates.cards import FunctionId, RateRef
from .distributions import Distribution, check_paths
from .paths import DEFAULT_WORKLOAD, V1_WORKLOAD, WORKLOADS

__all__ = [
    "AssetSale",
    "Automation",
    "Case",
    "Collar",
    "ContractCurrency",
    "DatedCost",
    "Escalator",
    "FunctionId",
    "Gainshare",
    "HourlyPricing",
    "Improvement",
    "InHouse",
    "Kpi",
    "Line",
    "Location",
    "Option",
    "OutcomePricing",
    "PerTransactionPricing",
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


# Upper bounds keep nonsense (1e300 calls a month) from overflowing into silent inf/NaN results.
def _not_bool(v: Any) -> Any:
    # YAML's `yes`/`true` would otherwise pass as 1 for a price, a share or a month count
    if isinstance(v, bool):
        raise ValueError("must be a number, not true/false")
    return _spreadsheet_number(v) if isinstance(v, str) else v


_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")
_MONEY_SIGNS = "$€£¥₹"


def _spreadsheet_number(text: str) -> Any:
    """A number as a spreadsheet shows it: ``25%`` is 0.25, ``1,200`` is 1200; ``$24`` refused."""
    s = text.strip()
    bare = s.strip(_MONEY_SIGNS).strip()
    if bare != s:
        raise ValueError(
            f"{text!r} has a currency sign: write {bare} (amounts are in the case currency)"
        )
    if s.endswith("%"):
        number = s[:-1].strip().replace(",", "")
        try:
            return float(number) / 100
        except ValueError:
            return text  # pydantic says it is not a number
    return s.replace(",", "") if _THOUSANDS.fullmatch(s) else text


def _month_text(v: Any) -> Any:
    """``2027-01`` and ``01/2027`` are the first of the month; ``01/02/2027`` is ambiguous."""
    if not isinstance(v, str):
        return v
    s = v.strip()
    if re.fullmatch(r"\d{4}-\d{1,2}", s):  # "2027-01"
        return f"{s}-01"
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{4})", s)  # "01/2027"
    if m:
        return f"{m.group(2)}-{int(m.group(1)):02d}-01"
    m = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", s)
    if m:
        raise ValueError(
            f"{v!r} reads as a day and a month either way round: write the month as "
            f"{m.group(3)}-MM (e.g. {m.group(3)}-{int(m.group(1)):02d})"
        )
    return v


# Country names analysts type instead of the ISO 3166 code: answered with the code.
_COUNTRY_CODES = {
    "argentina": "AR", "australia": "AU", "brazil": "BR", "bulgaria": "BG", "canada": "CA",
    "chile": "CL", "china": "CN", "colombia": "CO", "costa rica": "CR", "czech republic": "CZ",
    "czechia": "CZ", "egypt": "EG", "france": "FR", "germany": "DE", "guatemala": "GT",
    "hungary": "HU", "india": "IN", "indonesia": "ID", "ireland": "IE", "jamaica": "JM",
    "kenya": "KE", "malaysia": "MY", "mexico": "MX", "morocco": "MA", "netherlands": "NL",
    "nigeria": "NG", "pakistan": "PK", "peru": "PE", "philippines": "PH", "poland": "PL",
    "portugal": "PT", "romania": "RO", "south africa": "ZA", "spain": "ES", "sri lanka": "LK",
    "ukraine": "UA", "united kingdom": "GB", "uk": "GB", "great britain": "GB", "england": "GB",
    "united states": "US", "united states of america": "US", "usa": "US", "vietnam": "VN",
    "viet nam": "VN", "el salvador": "SV", "honduras": "HN", "dominican republic": "DO",
    "uruguay": "UY", "japan": "JP", "singapore": "SG", "thailand": "TH", "bangladesh": "BD",
}  # fmt: skip


def _country_code(v: Any) -> Any:
    if not isinstance(v, str):
        return v
    s = v.strip()
    if len(s) == 2 and s.isalpha():
        return s.upper()  # "in" is IN
    code = _COUNTRY_CODES.get(" ".join(s.lower().split()))
    if code:
        raise ValueError(f"{v!r} is a country name: write its 2-letter code (did you mean {code}?)")
    raise ValueError(f"must be a 2-letter ISO 3166 country code such as US, IN or PH: got {v!r}")


def _function_id(v: Any) -> Any:
    # "Customer service voice", "claims-processing": the id with underscores
    return "_".join(v.strip().lower().replace("-", " ").split()) if isinstance(v, str) else v


# Lists are bounded where they enter: every list drives a loop or an allocation downstream (the
# sensitivity sweep is quadratic in the tiers, Monte Carlo linear in the uncertain inputs), and
# real cases are far below these.
MAX_TIERS = 30  # also keeps the workbook's tier formulas within Excel's nesting and length limits
MAX_ROLES = 50
MAX_STRANDED_COSTS = 50
MAX_DATED_COSTS = 50  # each of dated_costs and asset_sales, per owner
MAX_UNCERTAIN_INPUTS = 1000
MAX_WORKLOADS = 20
MAX_LINES = 40  # delivery lines of an option: two per workload
MAX_WAVES = 12
MAX_TERMINATION_FEES = 24  # a fee step per half-year of a ten-year term, and some
SHARE_TOLERANCE = 1e-9  # line shares of a workload add up to at most 1 within round-off
POOLED = "all"  # the workload name of figures over all workloads (staffing): not a workload's

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


_DEFAULT = "bpo-cost default (analyst assumption)"
_CIO = "CIO Magazine 2003 (Overby)"
_IN_HOUSE = "docs/methodology.md#in-house-cost"
_STAFFING = "docs/methodology.md#staffing"
_PRICING_MODEL = "Pricing model: hourly, per_transaction or outcome"  # the union's tag

# ----------------------------------------------------------------------------------- workload


class RealTime(_Model):
    """A channel answered live (voice, chat): staffing from Erlang C against a service level."""

    service_level_target: Annotated[Float, Field(gt=0, lt=1)] = Field(
        0.8,
        description="Share of contacts answered within the answer time",
        json_schema_extra={"unit": "share", "source": "80/20 industry convention"},
    )
    answer_seconds: Pos = Field(
        20.0,
        description="Answer-time threshold of the service level",
        json_schema_extra={"unit": "seconds", "source": "80/20 industry convention"},
    )
    interval_minutes: Pos = Field(
        30.0,
        description="Length of a staffing interval (Erlang C)",
        json_schema_extra={"unit": "minutes", "source": "30-minute WFM interval"},
    )
    open_hours_per_month: Annotated[Float, Field(gt=0, le=744)] = Field(
        260.0,
        description="Hours the channel is open",
        json_schema_extra={"unit": "hours / month", "source": "~21.7 days x 12 h"},
    )
    concurrency: Annotated[Float, Field(ge=1, le=MAX_CONCURRENCY)] = Field(
        1.0,
        description="Contacts an agent handles at once (chat); 1 for voice",
        json_schema_extra={"unit": "contacts", "source": f"one at a time: {_STAFFING}"},
    )


# The overrides a workload may make: what differs by channel in one in-house team. Handle time
# is the workload's own `handle_minutes`; supervision, seats and fixed costs pool.
OVERRIDABLE = ("wage_per_hour", "shrinkage", "occupancy")


class WorkloadInHouse(_Model):
    """In-house staffing of one workload where it differs from the in-house block."""

    wage_per_hour: Price | None = Field(
        None,
        description="Hourly base wage of an agent of this workload (none: the in-house wage)",
        json_schema_extra={"unit": "{currency} / hour"},
    )
    shrinkage: ShareBelowOne | None = Field(
        None,
        description="Shrinkage of this workload's agents (none: the in-house shrinkage)",
        json_schema_extra={"unit": "share"},
    )
    occupancy: Annotated[Float, Field(gt=0, le=1)] | None = Field(
        None,
        description="Occupancy cap of this workload's agents (none: the in-house occupancy)",
        json_schema_extra={"unit": "share"},
    )

    @model_validator(mode="before")
    @classmethod
    def _only_overridable(cls, v: Any) -> Any:
        if isinstance(v, dict):
            other = sorted(str(k) for k in v if k not in OVERRIDABLE)
            if other:
                raise ValueError(
                    f"{other[0]!r} cannot differ by workload: a workload's inhouse block may set "
                    f"{', '.join(OVERRIDABLE)} (handle time is the workload's handle_minutes; "
                    "supervision, seats, IT and fixed costs pool across workloads)"
                )
        return v


class Workload(_Model):
    """What the function does: volume over the term and the time each unit takes."""

    @field_validator("function", mode="before")
    @classmethod
    def _function_as_typed(cls, v: Any) -> Any:
        return _function_id(v)

    name: str = Field(
        max_length=24,
        pattern=r"^[a-z][a-z0-9_]*$",
        description="Workload name: lower case, letters, digits and _ (voice, chat, email)",
        json_schema_extra={"unit": "id"},
    )
    function: FunctionId = Field(
        description="Business function (a rate-card function id)",
        json_schema_extra={"unit": "id"},
    )
    unit: str = Field(
        "transaction",
        min_length=1,
        max_length=40,
        description="Unit of work (call, claim, payslip, ticket...)",
        json_schema_extra={"unit": "text", "source": "transaction"},
    )
    volume_per_month: NonNeg = Field(
        description="Volume in month 1 before seasonality",
        json_schema_extra={"unit": "{unit} / month"},
    )
    growth_per_year: Growth = Field(
        0.0,
        description="Volume growth (smooth, monthly compounding)",
        json_schema_extra={"unit": "decimal / year", "source": "no growth"},
    )
    seasonality: list[NonNeg] = Field(
        default_factory=lambda: [1.0] * 12,
        description="Seasonality factor of a calendar month (Jan..Dec)",
        json_schema_extra={"unit": "factor", "source": "flat (1.0)"},
    )
    handle_minutes: Pos = Field(
        description="Average handle time of a unit of work in-house",
        json_schema_extra={"unit": "minutes / {unit}"},
    )
    real_time: RealTime | None = Field(
        None, description="For a channel answered live (voice, chat): staffing by Erlang C"
    )
    inhouse: WorkloadInHouse | None = Field(
        None, description="In-house staffing of this workload where it differs"
    )

    @field_validator("seasonality", mode="before")  # before: a long list is refused unread
    @classmethod
    def _twelve(cls, v: Any) -> Any:
        if isinstance(v, list | tuple) and len(v) != 12:
            raise ValueError(f"must have 12 monthly factors (January..December), got {len(v)}")
        return v


# ----------------------------------------------------------------------------------- in-house


class Role(_Model):
    """A fixed in-house role not driven by volume (manager, QA analyst, workforce planner)."""

    name: str = Field(
        min_length=1,
        max_length=60,
        description="Fixed role (not driven by volume)",
        json_schema_extra={"unit": "text"},
    )
    headcount: NonNeg = Field(
        description="Headcount of the role", json_schema_extra={"unit": "FTE"}
    )
    wage_per_hour: Price = Field(
        description="Hourly base wage of the role", json_schema_extra={"unit": "{currency} / hour"}
    )


class StrandedCost(_Model):
    """A lease or licence that keeps costing after the work leaves (stranded on exit)."""

    name: str = Field(
        min_length=1,
        max_length=60,
        description="Lease or licence outliving the operation",
        json_schema_extra={"unit": "text"},
    )
    cost_per_month: Money = Field(
        description="Cost of the stranded item", json_schema_extra={"unit": "{currency} / month"}
    )
    months_remaining: Annotated[Int, Field(ge=0, le=240)] = Field(
        description="Months left from month 1", json_schema_extra={"unit": "months"}
    )


class DatedCost(_Model):
    """A cost at a date: one-off in its start month, or monthly from its start to its end month
    (a technology refresh, a lease that ends). Stated in nominal money, not indexed
    (docs/methodology.md#dated-costs)."""

    name: str = Field(
        min_length=1,
        max_length=60,
        description="What the dated cost is",
        json_schema_extra={"unit": "text"},
    )
    amount: Money = Field(
        description="The one-off cost, or the cost per month from start_month to end_month",
        json_schema_extra={"unit": "{currency} (per month when recurring)"},
    )
    start_month: Annotated[Int, Field(ge=1, le=120)] = Field(
        description="Month of a one-off cost, or first month of a recurring one",
        json_schema_extra={"unit": "month"},
    )
    end_month: Annotated[Int, Field(ge=1, le=240)] | None = Field(
        None,
        description="Last month of a recurring cost (none: one-off in start_month; past the "
        "term: runs to its end)",
        json_schema_extra={"unit": "month"},
    )


class AssetSale(_Model):
    """Proceeds of selling an asset (a building, equipment): cash in, in one month, nominal."""

    name: str = Field(
        min_length=1,
        max_length=60,
        description="Asset sold",
        json_schema_extra={"unit": "text"},
    )
    proceeds: Money = Field(
        description="Cash received for the asset, net of selling costs",
        json_schema_extra={"unit": "{currency}"},
    )
    month: Annotated[Int, Field(ge=1, le=120)] = Field(
        description="Month the proceeds are received", json_schema_extra={"unit": "month"}
    )


class Automation(_Model):
    """A share of volume deflected to automation at its own unit and build cost."""

    share: ShareBelowOne = Field(
        description="Share of the volume deflected to automation",
        json_schema_extra={"unit": "share"},
    )
    cost_per_unit: Money = Field(
        description="Automation cost per deflected unit",
        json_schema_extra={"unit": "{currency} / {unit}"},
    )
    build_cost: Money = Field(
        0.0,
        description="One-off build cost",
        json_schema_extra={"unit": "{currency}", "source": "none"},
    )
    start_month: Annotated[Int, Field(ge=1)] = Field(
        1,
        description="First month of automation",
        json_schema_extra={"unit": "month", "source": "month 1"},
    )


class Quality(_Model):
    """Work done again: rework and repeat contacts add volume that is staffed and paid for
    under every pricing model (docs/methodology.md#hidden-costs)."""

    rework_rate: Annotated[Float, Field(ge=0, le=1)] = Field(
        0.0,
        description="Units handled again (rework, repeat contacts) as a share of the volume",
        json_schema_extra={"unit": "share of volume", "source": "none"},
    )


class Improvement(_Model):
    """The in-house operation optimised: yearly productivity gains and automation of its own
    (docs/methodology.md#in-house-cost). Options are then compared with what in-house could
    become, not with today's cost."""

    productivity_per_year: ShareBelowOne = Field(
        0.0,
        description="Yearly fall of the in-house agent FTE need (handle time, methods)",
        json_schema_extra={"unit": "decimal / year", "source": "none"},
    )
    automation: Automation | None = Field(
        None, description="In-house volume deflected to automation"
    )


class InHouse(_Model):
    """The function as run today: agents, supervisors, fixed roles, seats, hiring."""

    @field_validator("country", mode="before")
    @classmethod
    def _country_as_typed(cls, v: Any) -> Any:
        return _country_code(v)

    country: str = Field(
        "US",
        pattern="^[A-Z]{2}$",
        description="Country of the in-house operation (for rate-card checks)",
        json_schema_extra={"unit": "ISO 3166", "source": "US"},
    )
    wage_per_hour: Price = Field(
        description="Hourly base wage of an agent",
        json_schema_extra={"unit": "{currency} / hour"},
    )
    paid_hours_per_year: Annotated[Float, Field(gt=0, le=4000)] = Field(
        2080.0,
        description="Paid hours of one FTE a year",
        json_schema_extra={"unit": "hours / year", "source": "52 weeks x 40 h"},
    )
    benefits_load: Annotated[Float, Field(ge=0, le=2)] = Field(
        0.25,
        description="Employer benefits as a share of wage",
        json_schema_extra={"unit": "share of wage", "source": f"20-30 % of wage: {_IN_HOUSE}"},
    )
    payroll_tax: Annotated[Float, Field(ge=0, le=1)] = Field(
        0.0765,
        description="Employer payroll tax as a share of wage",
        json_schema_extra={"unit": "share of wage", "source": "US FICA 7.65 %"},
    )
    shrinkage: ShareBelowOne = Field(
        0.30,
        description="Share of paid time not worked (breaks, leave, training)",
        json_schema_extra={"unit": "share", "source": f"shrinkage 20-35 %: {_STAFFING}"},
    )
    occupancy: Annotated[Float, Field(gt=0, le=1)] = Field(
        0.85,
        description="Share of available time spent on the work (a cap for live channels)",
        json_schema_extra={"unit": "share", "source": f"occupancy cap ~85 %: {_STAFFING}"},
    )
    supervision_span: Annotated[Float, Field(ge=1)] = Field(
        12.0,
        description="Agents per supervisor",
        json_schema_extra={
            "unit": "agents / supervisor",
            "source": f"1 supervisor per 10-15 agents: {_IN_HOUSE}",
        },
    )
    supervisor_wage_per_hour: Price = Field(
        28.0,
        description="Hourly base wage of a supervisor",
        json_schema_extra={"unit": "{currency} / hour", "source": _DEFAULT},
    )
    other_roles: list[Role] = Field(
        default_factory=list, max_length=MAX_ROLES, description="Fixed roles not driven by volume"
    )
    facilities_per_seat_month: Money = Field(
        300.0,
        description="Facilities (office space) per seat",
        json_schema_extra={
            "unit": "{currency} / seat / month",
            "source": f"$200-400 per employee per month: {_IN_HOUSE}",
        },
    )
    it_per_seat_month: Money = Field(
        150.0,
        description="IT and licences per seat",
        json_schema_extra={"unit": "{currency} / seat / month", "source": _DEFAULT},
    )
    attrition_per_year: Annotated[Float, Field(ge=0, le=3)] = Field(
        0.35,
        description="Share of agents who leave and are replaced",
        json_schema_extra={"unit": "share / year", "source": "ICMI: contact centres 33-42 %/yr"},
    )
    cost_per_hire: Money = Field(
        4000.0,
        description="Recruiting cost per hire",
        json_schema_extra={
            "unit": "{currency} / hire",
            "source": "ContactBabel $1,750 .. SHRM $4,683",
        },
    )
    training_per_hire: Money = Field(
        3000.0,
        description="Initial training cost per hire",
        json_schema_extra={"unit": "{currency} / hire", "source": _DEFAULT},
    )
    fixed_costs_per_month: Money = Field(
        0.0,
        description="Other fixed running costs",
        json_schema_extra={"unit": "{currency} / month", "source": "none"},
    )
    stranded_costs: list[StrandedCost] = Field(
        default_factory=list,
        max_length=MAX_STRANDED_COSTS,
        description="Leases and licences that keep costing after the work leaves",
    )
    improvement: Improvement | None = Field(
        None,
        description="What in-house could become: a productivity path and automation "
        "(the baseline options are compared with)",
    )
    quality: Quality | None = Field(
        None, description="Rework and repeat contacts of the in-house team (none: no extra volume)"
    )
    dated_costs: list[DatedCost] = Field(
        default_factory=list,
        max_length=MAX_DATED_COSTS,
        description="In-house costs at a date that outsourcing avoids (a technology refresh)",
    )
    asset_sales: list[AssetSale] = Field(
        default_factory=list,
        max_length=MAX_DATED_COSTS,
        description="In-house asset sales: proceeds received (cash in)",
    )


# ------------------------------------------------------------------------------------ pricing


class HourlyPricing(_Model):
    """Hourly / FTE pricing: the vendor bills productive hours or FTE-months."""

    model: Literal["hourly"] = Field(
        "hourly", description=_PRICING_MODEL, json_schema_extra={"unit": "model"}
    )
    basis: Literal["productive_hour", "fte_month"] = Field(
        "productive_hour",
        description="Billed unit: productive hour or FTE-month",
        json_schema_extra={"unit": "basis", "source": "productive hour"},
    )
    rate: Price = Field(
        description="Price per billed unit (a productive hour or an FTE-month)",
        json_schema_extra={"unit": "{currency} / billed unit"},
    )
    minimum_billed_per_month: NonNeg = Field(
        0.0,
        description="Contracted minimum billed (hours or FTE)",
        json_schema_extra={"unit": "billed units / month", "source": "none"},
    )
    handle_minutes: Pos | None = Field(
        None,
        description="Vendor's handle time (none: the workload's)",
        json_schema_extra={"unit": "minutes / {unit}"},
    )
    occupancy: Annotated[Float, Field(gt=0, le=1)] = Field(
        0.85,
        description="Vendor's share of available time spent on the work",
        json_schema_extra={"unit": "share", "source": f"~85 %: {_STAFFING}"},
    )
    shrinkage: ShareBelowOne = Field(
        0.30,
        description="Vendor's shrinkage (FTE-month basis)",
        json_schema_extra={"unit": "share", "source": f"20-35 %: {_STAFFING}"},
    )
    paid_hours_per_month: Annotated[Float, Field(gt=0, le=744)] = Field(
        2080.0 / 12,
        description="Paid hours of one vendor FTE",
        json_schema_extra={"unit": "hours / month", "source": "2,080 h / 12"},
    )


class Tier(_Model):
    """A volume band of tiered pricing: its upper bound and the price of a unit in it."""

    up_to: Pos | None = Field(
        None,
        description="Upper volume bound of the band (none for the last)",
        json_schema_extra={"unit": "{unit} / month"},
    )
    price: Price = Field(
        description="Price of a unit in the band", json_schema_extra={"unit": "{currency} / {unit}"}
    )


class Collar(_Model):
    """Anchored pricing: a fixed monthly fee for a baseline volume, ARC/RRC outside a dead band."""

    base_fee_per_month: Money = Field(
        description="Fixed fee for the baseline volume",
        json_schema_extra={"unit": "{currency} / month"},
    )
    baseline_volume: Pos = Field(
        description="Baseline volume the base fee covers",
        json_schema_extra={"unit": "{unit} / month"},
    )
    dead_band: ShareBelowOne = Field(
        0.10,
        description="Share around the baseline with no adjustment",
        json_schema_extra={
            "unit": "share",
            "source": "typically 5-10 %: docs/methodology.md#pricing",
        },
    )
    arc: Money = Field(
        description="Additional resource charge per unit above the band",
        json_schema_extra={"unit": "{currency} / {unit}"},
    )
    rrc: Money = Field(
        description="Reduced resource charge per unit below the band",
        json_schema_extra={"unit": "{currency} / {unit}"},
    )


class PerTransactionPricing(_Model):
    """Per-transaction pricing: one flat price, volume tiers, or a volume collar."""

    model: Literal["per_transaction"] = Field(
        "per_transaction", description=_PRICING_MODEL, json_schema_extra={"unit": "model"}
    )
    price: Price | None = Field(
        None,
        description="Flat price per unit of work",
        json_schema_extra={"unit": "{currency} / {unit}"},
    )
    tiers: list[Tier] | None = Field(
        None,
        max_length=MAX_TIERS,
        description="Volume bands, lowest first (instead of a flat price)",
    )
    tier_mode: Literal["all_units", "incremental"] = Field(
        "all_units",
        description="all_units (whole volume at its band's price) or incremental (each band at "
        "its price)",
        json_schema_extra={"unit": "mode", "source": "all units"},
    )
    minimum_volume_per_month: NonNeg = Field(
        0.0,
        description="Minimum volume billed",
        json_schema_extra={"unit": "{unit} / month", "source": "none"},
    )
    collar: Collar | None = Field(
        None, description="Volume collar (instead of a flat price or tiers)"
    )

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

    baseline_cost_per_month: Money = Field(
        description="Baseline cost the savings are measured against",
        json_schema_extra={"unit": "{currency} / month"},
    )
    share: Share = Field(
        0.5,
        description="Vendor's share of the savings",
        json_schema_extra={"unit": "share", "source": "50/50"},
    )
    cap_per_month: Money | None = Field(
        None,
        description="Most the vendor earns (or refunds)",
        json_schema_extra={"unit": "{currency} / month"},
    )
    painshare: bool = Field(
        False,
        description="TRUE: the vendor also refunds its share of overruns",
        json_schema_extra={"unit": "TRUE / FALSE", "source": "off"},
    )


class Kpi(_Model):
    """Bonus/malus on a KPI (decimals): fee x clip((expected - target) x per_point, +-cap)."""

    name: str = Field(
        "quality score",
        description="Name of the KPI",
        json_schema_extra={"unit": "text", "source": "quality score"},
    )
    target: Float = Field(description="KPI target", json_schema_extra={"unit": "decimal"})
    expected: Float = Field(description="KPI value expected", json_schema_extra={"unit": "decimal"})
    per_point: NonNeg = Field(
        1.0,
        description="Bonus/malus per KPI unit above/below target",
        json_schema_extra={"unit": "share of fee / point", "source": "1.0"},
    )
    cap: Share = Field(
        0.10,
        description="Cap on bonus and malus",
        json_schema_extra={"unit": "share of fee", "source": "10 %"},
    )


class OutcomePricing(_Model):
    """Outcome-based pricing: pay per outcome (e.g. resolved ticket), gainshare and KPI bonus."""

    model: Literal["outcome"] = Field(
        "outcome", description=_PRICING_MODEL, json_schema_extra={"unit": "model"}
    )
    price_per_outcome: Price = Field(
        description="Price per billable outcome (e.g. per resolved ticket)",
        json_schema_extra={"unit": "{currency} / outcome"},
    )
    outcome_rate: Share = Field(
        1.0,
        description="Share of units that end in a billable outcome",
        json_schema_extra={"unit": "share", "source": "all"},
    )
    base_fee_per_month: Money = Field(
        0.0,
        description="Fixed base fee",
        json_schema_extra={"unit": "{currency} / month", "source": "none"},
    )
    gainshare: Gainshare | None = Field(None, description="Gainshare against a baseline cost")
    kpi: Kpi | None = Field(None, description="Bonus/malus on a KPI")


Pricing = Annotated[
    HourlyPricing | PerTransactionPricing | OutcomePricing, Field(discriminator="model")
]


# ------------------------------------------------------------------------ clauses and hidden


class Escalator(_Model):
    """COLA on the price, capped, less a productivity commitment; stepped each contract year."""

    cola_per_year: Annotated[Float, Field(ge=-0.5, le=1)] = Field(
        0.03,
        description="Yearly cost-of-living adjustment (COLA) of the price",
        json_schema_extra={"unit": "decimal / year", "source": "Everest Group: COLA 3-5 %/yr"},
    )
    cap_per_year: Share | None = Field(
        0.05,
        description="Cap on the yearly COLA",
        json_schema_extra={"unit": "decimal / year", "source": "5 %"},
    )
    productivity_per_year: ShareBelowOne = Field(
        0.0,
        description="Productivity commitment: yearly price reduction",
        json_schema_extra={"unit": "decimal / year", "source": "none"},
    )


class ServiceCredits(_Model):
    """Expected service credits: at-risk share of the invoice x share of the pool paid out."""

    at_risk_share: Share = Field(
        0.10,
        description="Share of the invoice at risk",
        json_schema_extra={
            "unit": "share of invoice",
            "source": "Alsbridge: usually 10-12 % of the invoice",
        },
    )
    expected_breach_share: Share = Field(
        0.0,
        description="Expected share of the at-risk pool paid out",
        json_schema_extra={"unit": "share of pool", "source": "none"},
    )


class Transition(_Model):
    """Hidden costs of moving the work: Barthélemy's four families (MIT Sloan Management Review
    42(3), 2001), magnitudes in docs/methodology.md#hidden-costs."""

    vendor_selection_cost: Money = Field(
        0.0,
        description="Vendor search and contracting",
        json_schema_extra={"unit": "{currency}", "source": "none"},
    )
    vendor_selection_share_of_acv: Annotated[Float, Field(ge=0, le=0.2)] = Field(
        0.01,
        description="Selection cost as share of annual contract value",
        json_schema_extra={
            "unit": "share of ACV",
            "source": "CIO Magazine via sourcingmag 2006: 0.2-2 % of contract value",
        },
    )
    transition_months: Annotated[Int, Field(ge=0, le=36)] = Field(
        3,
        description="Knowledge-transfer months",
        json_schema_extra={"unit": "months", "source": f"{_CIO}: 3-12 months"},
    )
    transition_team_share: Annotated[Float, Field(ge=0, le=1)] = Field(
        0.10,
        description="Transition team, as a share of in-house staff cost",
        json_schema_extra={
            "unit": "share of staff cost",
            "source": "faoblog: 5-30 % of the team",
        },
    )
    knowledge_transfer_cost: Money = Field(
        0.0,
        description="Fixed knowledge-transfer cost",
        json_schema_extra={"unit": "{currency}", "source": "none"},
    )
    parallel_run_months: Annotated[Int, Field(ge=0, le=36)] = Field(
        2,
        description="Months both teams run",
        json_schema_extra={"unit": "months", "source": f"{_CIO}: 3-12 months"},
    )
    severance_months_of_pay: Annotated[Float, Field(ge=0, le=36)] = Field(
        2.0,
        description="Severance, in months of in-house staff cost",
        json_schema_extra={"unit": "months of pay", "source": _DEFAULT},
    )
    retention_share: Annotated[Float, Field(ge=0, le=1)] = Field(
        0.04,
        description="Retention pay during the parallel run",
        json_schema_extra={"unit": "share of staff cost", "source": f"{_CIO}: +3-5 %"},
    )
    ramp_months: Annotated[Int, Field(ge=0, le=36)] = Field(
        6,
        description="Months until the vendor works at full efficiency",
        json_schema_extra={
            "unit": "months",
            "source": "Tenacity / CRMXchange 2016: full after ~6 months",
        },
    )
    ramp_start_efficiency: Annotated[Float, Field(gt=0, le=1)] = Field(
        0.8,
        description="Vendor efficiency in month 1",
        json_schema_extra={"unit": "share", "source": "Meta Group via CIO 2003: ~20 % dip"},
    )
    dip_paid_by: Literal["client", "pricing", "vendor"] = Field(
        "client",
        description="Who pays the productivity dip: the client always (v1), by pricing (the "
        "client under hourly/FTE pricing, the vendor under per-transaction and outcome "
        "pricing) or the vendor",
        json_schema_extra={"unit": "payer", "source": "client (as release 0.1.0)"},
    )
    governance_share_of_fees: Annotated[Float, Field(ge=0, le=0.5)] = Field(
        0.04,
        description="Retained organisation (governance)",
        json_schema_extra={
            "unit": "share of fees",
            "source": "TPI via Nearshore Americas: 3-5 % of ACV",
        },
    )
    governance_fte: NonNeg = Field(
        0.0,
        description="Governance staff",
        json_schema_extra={"unit": "FTE", "source": "none"},
    )
    governance_cost_per_fte_month: Money = Field(
        9000.0,
        description="Cost of a governance FTE",
        json_schema_extra={"unit": "{currency} / FTE / month", "source": _DEFAULT},
    )
    repeat_rate: Annotated[Float, Field(ge=0, le=1)] = Field(
        0.02,
        description="Rework and repeat contacts paid for again",
        json_schema_extra={"unit": "share of fees", "source": _DEFAULT},
    )
    exit_share_of_annual_spend: Annotated[Float, Field(ge=0, le=2)] = Field(
        0.33,
        description="Switching cost at the end of the term",
        json_schema_extra={
            "unit": "share of annual fees",
            "source": "Peukert, EJIS 2018: ~1/3 of annual spend",
        },
    )


class RetainedRole(_Model):
    """A role the client keeps to manage the provider (vendor manager, SLA analyst)."""

    name: str = Field(
        min_length=1,
        max_length=60,
        description="Retained role (manages the provider)",
        json_schema_extra={"unit": "text"},
    )
    fte: NonNeg = Field(
        description="Full-time equivalents in the retained role", json_schema_extra={"unit": "FTE"}
    )
    wage_per_hour: Price = Field(
        description="Hourly base wage of the retained role",
        json_schema_extra={"unit": "{currency} / hour"},
    )


class Retained(_Model):
    """The retained organisation: the people the client keeps to run the contract, and what
    scales with spend (docs/methodology.md#hidden-costs)."""

    roles: list[RetainedRole] = Field(
        default_factory=list,
        max_length=MAX_ROLES,
        description="Roles kept in-house to manage the provider",
    )
    share_of_fees: Annotated[Float, Field(ge=0, le=0.5)] = Field(
        0.0,
        description="Retained costs that scale with spend (audits, tools, advisors)",
        json_schema_extra={"unit": "share of fees", "source": "none"},
    )


class Taxes(_Model):
    """VAT or GST on the vendor's invoices, less the share the client recovers
    (docs/methodology.md#taxes)."""

    vat_rate: Share = Field(
        description="VAT or GST rate on the vendor's charges (the client's country's rate)",
        json_schema_extra={"unit": "decimal"},
    )
    recoverable_share: Share = Field(
        0.0,
        description="Share of that VAT the client recovers as input tax",
        json_schema_extra={
            "unit": "share",
            "source": "none: an exempt business (a bank, an insurer) recovers little",
        },
    )
    withholding_rate: Annotated[Float, Field(ge=0, le=0.5)] = Field(
        0.0,
        description="Withholding tax on payments to the vendor that the client bears: the "
        "contract's charges are net of it, so the client pays rate / (1 - rate) on top",
        json_schema_extra={
            "unit": "decimal",
            "source": "none: the treaty between the two countries and the contract decide",
        },
    )


class Location(_Model):
    """Where an option's work is delivered."""

    @field_validator("country", mode="before")
    @classmethod
    def _country_as_typed(cls, v: Any) -> Any:
        return _country_code(v)

    tier: Literal["onshore", "nearshore", "offshore"] = Field(
        description="Delivery tier", json_schema_extra={"unit": "tier"}
    )
    country: str = Field(
        min_length=2,
        max_length=2,
        pattern="^[A-Z]{2}$",
        description="Delivery country",
        json_schema_extra={"unit": "ISO 3166"},
    )


class ContractCurrency(_Model):
    """Prices in another currency and who bears its movement (docs/methodology.md#clauses)."""

    code: str = Field(
        pattern="^[A-Z]{3}$",
        description="Currency the prices are written in",
        json_schema_extra={"unit": "ISO 4217"},
    )
    rate: Pos = Field(
        description="Exchange rate at the start: case currency per unit of the contract currency",
        json_schema_extra={"unit": "{currency} per unit"},
    )
    drift_per_year: Annotated[Float, Field(gt=-1, le=1)] = Field(
        0.0,
        description="Yearly change of the exchange rate (negative: the contract currency weakens)",
        json_schema_extra={"unit": "decimal / year", "source": "none (a constant rate)"},
    )
    clause: Literal["provider", "client", "band"] = Field(
        "band",
        description="Who bears the movement: the provider (price fixed in the case currency), "
        "the client, or a band with the movement beyond it shared",
        json_schema_extra={"unit": "clause", "source": "Alsbridge 2010: band and sharing"},
    )
    band: Share = Field(
        0.05,
        description="Movement of the rate, either way, with no price adjustment",
        json_schema_extra={"unit": "share of the base rate", "source": _DEFAULT},
    )
    client_share: Share = Field(
        0.5,
        description="The client's share of the movement beyond the band",
        json_schema_extra={"unit": "share", "source": "Alsbridge 2010: often 50/50"},
    )


class Line(_Model):
    """A delivery line: a share of one workload, delivered from one place at one price,
    optionally by its own provider and under its own clauses (the option's where not given).

    A workload's lines add up to at most 1; the rest stays in-house (partial scope)."""

    workload: str | None = Field(
        None,
        min_length=1,
        max_length=24,
        description="Name of the workload this line delivers (none: the case's only workload)",
        json_schema_extra={"unit": "id"},
    )
    share: Annotated[Float, Field(gt=0, le=1)] = Field(
        1.0,
        description="Share of the workload's volume this line delivers",
        json_schema_extra={"unit": "share of volume", "source": "the whole workload"},
    )
    pricing: Pricing = Field(description="How the vendor charges for this line")
    location: Location | None = Field(
        None, description="Where this line is delivered (none: the option's location)"
    )
    provider: str | None = Field(
        None,
        max_length=60,
        description="Provider of this line (none: the option's provider)",
        json_schema_extra={"unit": "text"},
    )
    escalator: Escalator | None = Field(
        None, description="Price escalation of this line (none: the option's)"
    )
    service_credits: ServiceCredits | None = Field(
        None, description="Expected service credits of this line (none: the option's)"
    )
    automation: Automation | None = Field(
        None, description="Volume of this line deflected to automation (none: the option's)"
    )
    quality: Quality | None = Field(
        None, description="Rework and repeat contacts of this line (none: the option's)"
    )
    contract_currency: ContractCurrency | None = Field(
        None,
        description="Currency this line's prices are written in (none: the option's)",
    )


class Wave(_Model):
    """A migration wave: by ``month``, ``share`` of the option's scope has moved (cumulative)."""

    month: Annotated[Int, Field(ge=1, le=120)] = Field(
        description="Month the wave moves", json_schema_extra={"unit": "month"}
    )
    share: Annotated[Float, Field(gt=0, le=1)] = Field(
        description="Share of the option's scope moved by this wave and the ones before",
        json_schema_extra={"unit": "cumulative share of scope"},
    )


class TerminationFee(_Model):
    """One step of a termination fee schedule: the fee for ending the contract in a month up to
    ``up_to_month`` (and after the step before)."""

    up_to_month: Annotated[Int, Field(ge=1, le=120)] = Field(
        description="Last termination month this fee applies to",
        json_schema_extra={"unit": "month"},
    )
    amount: Money = Field(
        description="Fee due when the contract ends in this step's months",
        json_schema_extra={"unit": "{currency}"},
    )


class Termination(_Model):
    """Ending the contract early (termination for convenience): the vendor's charges stop after
    ``month``, the termination fee and the exit costs fall in that month, and the work returns
    in-house from the next month, with rehiring, training and a ramp
    (docs/methodology.md#termination)."""

    month: Annotated[Int, Field(ge=1, le=120)] = Field(
        description="Last month of the vendor's service (the work returns in-house after it)",
        json_schema_extra={"unit": "month"},
    )
    fees: list[TerminationFee] = Field(
        default_factory=list,
        max_length=MAX_TERMINATION_FEES,
        description="Termination fee schedule: the fee of the first step whose up_to_month is "
        "at or after the termination month (none after the last step)",
    )
    ramp_months: Annotated[Int, Field(ge=0, le=36)] = Field(
        6,
        description="Months until the rebuilt in-house team works at full efficiency",
        json_schema_extra={
            "unit": "months",
            "source": "as the vendor's ramp: Tenacity / CRMXchange 2016, full after ~6 months",
        },
    )
    ramp_start_efficiency: Annotated[Float, Field(gt=0, le=1)] = Field(
        0.8,
        description="Efficiency of the rebuilt in-house team in its first month",
        json_schema_extra={
            "unit": "share",
            "source": "as the vendor's ramp: Meta Group via CIO 2003, ~20 % dip",
        },
    )


class Option(_Model):
    """One outsourcing offer: a provider, a location, one pricing model and its clauses."""

    name: str = Field(
        min_length=1,
        max_length=24,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9 _\-.()]*$",
        description="Option name (sheet title)",
        json_schema_extra={"unit": "text"},
    )
    provider: str = Field("", description="Provider", json_schema_extra={"unit": "text"})
    location: Location = Field(description="Where the work is delivered")
    pricing: Pricing | None = Field(
        None,
        description="How the vendor charges for the workloads without a line of their own "
        "(none: those workloads stay in-house)",
    )
    lines: list[Line] = Field(
        default_factory=list,
        max_length=MAX_LINES,
        description="Delivery lines: shares of workloads, each with its own place and price "
        "(a workload with lines is delivered by them only)",
    )
    waves: list[Wave] = Field(
        default_factory=list,
        max_length=MAX_WAVES,
        description="Migration waves: cumulative share of the scope moved by month "
        "(none: all of it in month 1)",
    )
    escalator: Escalator = Field(
        default_factory=Escalator, description="Price escalation each contract year"
    )
    service_credits: ServiceCredits = Field(
        default_factory=ServiceCredits, description="Expected service credits"
    )
    automation: Automation | None = Field(None, description="Volume deflected to automation")
    quality: Quality | None = Field(
        None, description="Rework and repeat contacts of the vendor (none: no extra volume)"
    )
    contract_currency: ContractCurrency | None = Field(
        None,
        description="Currency the option's prices are written in (none: the case currency)",
    )
    transition: Transition = Field(
        default_factory=Transition, description="Hidden costs of moving the work"
    )
    retained: Retained | None = Field(
        None, description="Retained organisation sized as people (none: governance only)"
    )
    taxes: Taxes | None = Field(
        None, description="Irrecoverable VAT on the vendor's charges (none: no tax)"
    )
    dated_costs: list[DatedCost] = Field(
        default_factory=list,
        max_length=MAX_DATED_COSTS,
        description="Costs of the option at a date (a one-off licence, a recurring fee)",
    )
    asset_sales: list[AssetSale] = Field(
        default_factory=list,
        max_length=MAX_DATED_COSTS,
        description="Assets sold when the work leaves: proceeds received (cash in)",
    )
    termination: Termination | None = Field(
        None, description="Ending the contract early (none: it runs the whole term)"
    )


# --------------------------------------------------------------------------------------- case


class Case(_Model):
    """A business case: in-house vs each option, month by month over the term.

    A field's unit may write {currency} for the case currency and {unit} for the unit of work.
    """

    name: str = Field(
        min_length=1,
        max_length=80,
        description="Name of the business case",
        json_schema_extra={"unit": "text"},
    )
    description: str = Field(
        "", description="What the case is about", json_schema_extra={"unit": "text"}
    )
    currency: str = Field(
        "USD",
        pattern="^[A-Z]{3}$",
        description="Currency of every amount",
        json_schema_extra={"unit": "ISO 4217", "source": "US dollars"},
    )
    start: dt.date = Field(
        description="First month of the term", json_schema_extra={"unit": "date"}
    )
    term_months: Annotated[Int, Field(ge=12, le=120)] = Field(
        description="Length of the contract term", json_schema_extra={"unit": "months"}
    )
    discount_rate_annual: Annotated[Float, Field(gt=-1, le=2)] = Field(
        0.08,
        description="Discount rate for NPV (cost of capital)",
        json_schema_extra={"unit": "decimal / year", "source": "8 %: a typical corporate WACC"},
    )
    discounting: Discounting = Field(
        "end_of_month",
        description="When in its month a cash flow is discounted: end_of_month (Excel's NPV), "
        "mid_month or start_of_month",
        json_schema_extra={"unit": "timing", "source": "end of month, as Excel's NPV"},
    )
    inflation_per_year: Annotated[Float, Field(ge=-0.5, le=1)] = Field(
        0.025,
        description="General price inflation (non-wage costs)",
        json_schema_extra={"unit": "decimal / year", "source": "2.5 %: central-bank targets"},
    )
    wage_inflation_per_year: Annotated[Float, Field(ge=-0.5, le=1)] = Field(
        0.03,
        description="In-house wage inflation",
        json_schema_extra={
            "unit": "decimal / year",
            "source": "Everest Group via CIO 2016: COLA drift 3-5 %/yr",
        },
    )
    include_exit_costs: bool = Field(
        False,
        description="Count the switching cost at the end of the term",
        json_schema_extra={"unit": "TRUE / FALSE", "source": "off unless the case includes them"},
    )
    workloads: list[Workload] = Field(
        min_length=1,
        max_length=MAX_WORKLOADS,
        description="What the function does: one or more workloads (channels)",
    )
    inhouse: InHouse = Field(description="The function as run today")
    options: list[Option] = Field(
        min_length=1, max_length=12, description="The outsourcing offers compared with in-house"
    )
    # The engine never reads them; excluded from dumps so input paths and Inputs sheets ignore them.
    uncertainty: dict[str, Distribution] = Field(
        default_factory=dict,
        max_length=MAX_UNCERTAIN_INPUTS,
        exclude=True,
        description="Distributions of uncertain inputs, keyed by input path, for Monte Carlo",
    )

    @field_validator("start", mode="before")
    @classmethod
    def _month(cls, v: Any) -> Any:
        return _month_text(v)

    @field_validator("start")
    @classmethod
    def _first_of_month(cls, v: dt.date) -> dt.date:
        return v.replace(day=1)

    @field_validator("uncertainty")
    @classmethod
    def _uncertain_numbers(cls, v: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        if v and {"workloads", "inhouse", "options"} <= info.data.keys():  # else they failed
            check_paths(v1_form({k: _dumped(x) for k, x in info.data.items()}), v)
        return v

    @model_validator(mode="before")
    @classmethod
    def _v1_workload(cls, v: Any) -> Any:
        # A v1 file's single `workload:` is a one-item `workloads:` named DEFAULT_WORKLOAD.
        if isinstance(v, dict) and V1_WORKLOAD in v:
            if WORKLOADS in v:
                raise ValueError(
                    "workload: give either workload (one) or workloads (a list), not both"
                )
            v = dict(v)
            one = v.pop(V1_WORKLOAD)
            if isinstance(one, dict) and "name" not in one:
                one = {"name": DEFAULT_WORKLOAD, **one}
            v[WORKLOADS] = [one]
        return cls._line_workloads(v)

    @classmethod
    def _line_workloads(cls, v: Any) -> Any:
        # A line of a one-workload case may leave out its workload: it is the only one.
        if not isinstance(v, dict) or not isinstance(v.get(WORKLOADS), list):
            return v
        if len(v[WORKLOADS]) != 1 or not isinstance(v.get("options"), list):
            return v
        one = v[WORKLOADS][0]
        name = one.get("name") if isinstance(one, dict) else getattr(one, "name", None)
        if not isinstance(name, str):
            return v

        def named(line: Any) -> Any:
            if isinstance(line, dict) and line.get("workload") is None:
                return {**line, "workload": name}
            if isinstance(line, Line) and line.workload is None:
                return line.model_copy(update={"workload": name})
            return line

        def option(o: Any) -> Any:
            if isinstance(o, dict) and isinstance(o.get("lines"), list):
                return {**o, "lines": [named(x) for x in o["lines"]]}
            if isinstance(o, Option) and any(x.workload is None for x in o.lines):
                return o.model_copy(update={"lines": [named(x) for x in o.lines]})
            return o

        return {**v, "options": [option(o) for o in v["options"]]}

    @model_serializer(mode="wrap")
    def _v1_form(self, handler: SerializerFunctionWrapHandler) -> Any:
        # One workload is written back as v1's `workload:`, so its paths are v1 paths.
        data = handler(self)
        return v1_form(data) if isinstance(data, dict) else data

    @property
    def workload(self) -> Workload:
        """The workload of a one-workload case (v1's ``case.workload``); an error if several."""
        if len(self.workloads) != 1:
            raise InputError(
                "workload", f"{len(self.workloads)} workloads", "one (name it: workloads[name])"
            )
        return self.workloads[0]

    @property
    def unit(self) -> str:
        """The unit of work of the workloads if they share one (``call``), else ``unit``."""
        units = {w.unit for w in self.workloads}
        return units.pop() if len(units) == 1 else "unit"

    def pricing_model(self, option: Option) -> str:
        """The pricing model of an option: the one its lines and pricing share, else ``mixed``."""
        models = {
            pricing.model for w in self.workloads for _, pricing in self.deliveries(option, w)
        }
        return models.pop() if len(models) == 1 else "mixed"

    def workload_index(self, workload: str | None) -> int:
        """The index of a workload by name; ``None``: the only one (an error if several)."""
        names = [w.name for w in self.workloads]
        if workload is None and len(names) == 1:
            return 0
        if workload not in names:
            raise InputError("workload", workload, f"one of the case's workloads: {names}")
        return names.index(workload)

    def workload_path(self, i: int) -> str:
        """How messages name workload ``i``: ``workload`` (v1) if it is the only one."""
        if len(self.workloads) == 1:
            return V1_WORKLOAD
        return f"{WORKLOADS}[{self.workloads[i].name}]"

    def deliveries(self, option: Option, workload: Workload) -> list[tuple[int | None, Pricing]]:
        """How ``option`` delivers ``workload``: (line index, pricing) of each of its lines; else
        ``[(None, option.pricing)]`` for the whole workload; ``[]`` if it stays in-house."""
        lines = [(j, x.pricing) for j, x in enumerate(option.lines) if x.workload == workload.name]
        if lines:
            return list(lines)
        return [] if option.pricing is None else [(None, option.pricing)]

    def line_shares(self, option: Option, workload: Workload) -> float:
        """The share of ``workload``'s volume ``option`` moves (its scope): the sum of its
        lines' shares, 1 for a workload billed by the option's pricing, 0 if none."""
        lines = [x.share for x in option.lines if x.workload == workload.name]
        if lines:
            return float(sum(lines))
        return 0.0 if option.pricing is None else 1.0

    def _check_erlang_load(self, i: int, w: Workload) -> None:
        rt = w.real_time
        if rt is None:
            return
        hourly = [
            (f"options.{j}.pricing" if k is None else f"options.{j}.lines.{k}.pricing", p)
            for j, o in enumerate(self.options)
            for k, p in self.deliveries(o, w)
            if isinstance(p, HourlyPricing)
        ]
        handles = [w.handle_minutes] + [
            p.handle_minutes for _, p in hourly if p.handle_minutes is not None
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
            / concurrency_factor(rt.concurrency)
            / (rt.interval_minutes)
        )
        where = self.workload_path(i)
        if load > MAX_ERLANGS:
            raise ValueError(
                f"{where}: the peak offered load is {load:,.0f} Erlangs per interval; Erlang C "
                f"staffing takes at most {MAX_ERLANGS:,.0f} (check volume_per_month and "
                "handle_minutes)"
            )
        # The occupancy cap asks for load / occupancy agents: a tiny occupancy asks for billions.
        own = w.inhouse.occupancy if w.inhouse and w.inhouse.occupancy is not None else None
        caps = [
            (f"workloads.{i}.inhouse.occupancy", own)
            if own is not None
            else ("inhouse.occupancy", self.inhouse.occupancy)
        ] + [(f"{at}.occupancy", p.occupancy) for at, p in hourly]
        for field, occupancy in caps:
            if load / occupancy > MAX_AGENTS:
                raise ValueError(
                    f"{field} = {occupancy:g} is too small for the peak offered load of "
                    f"{load:,.6g} Erlangs: load / occupancy must stay within {MAX_AGENTS:,.0f} "
                    "agents per interval"
                )

    def _check_lines(self, i: int, o: Option, names: list[str]) -> None:
        for j, line in enumerate(o.lines):
            if line.workload is None:  # filled in from the only workload (_line_workloads)
                raise ValueError(
                    f"options.{i}.lines.{j}.workload is required: the case has several "
                    f"workloads, one of {names}"
                )
            if line.workload not in names:
                raise ValueError(
                    f"options.{i}.lines.{j}.workload = {line.workload!r} is not a workload of "
                    f"the case: one of {names}"
                )
        for w in self.workloads:
            total = self.line_shares(o, w)
            if total > 1.0 + SHARE_TOLERANCE:
                raise ValueError(
                    f"options.{i}.lines: the shares of workload {w.name!r} add up to "
                    f"{total:g}; they may add up to at most 1 (the rest stays in-house)"
                )
        if not any(self.line_shares(o, w) > 0 for w in self.workloads):
            raise ValueError(
                f"options.{i}.pricing is required: option {o.name!r} moves no work (give it a "
                "pricing or lines)"
            )

    def _check_waves(self, i: int, o: Option) -> None:
        for k, (before, wave) in enumerate(zip([None, *o.waves], o.waves, strict=False)):
            if wave.month > self.term_months:
                raise ValueError(
                    f"options.{i}.waves.{k}.month = {wave.month} must be within term_months = "
                    f"{self.term_months}"
                )
            if before is not None and wave.month <= before.month:
                raise ValueError(
                    f"options.{i}.waves.{k}.month = {wave.month} must come after the wave "
                    f"before it (month {before.month})"
                )
            if before is not None and wave.share <= before.share:
                raise ValueError(
                    f"options.{i}.waves.{k}.share = {wave.share:g} must be above the wave "
                    f"before it ({before.share:g}): shares are cumulative"
                )
        if o.waves and o.waves[-1].share != 1.0:
            raise ValueError(
                f"options.{i}.waves.{len(o.waves) - 1}.share = {o.waves[-1].share:g}: the last "
                "wave moves the whole scope, share 1 (a scope that stays in-house is a line "
                "share below 1)"
            )

    def _check_currencies(self) -> None:
        # Prices written in the case currency need no exchange rate: 1 and no drift, or a typo.
        for i, o in enumerate(self.options):
            owned = [(f"options.{i}", o.contract_currency)] + [
                (f"options.{i}.lines.{j}", x.contract_currency) for j, x in enumerate(o.lines)
            ]
            for at, cc in owned:
                if cc is not None and cc.code == self.currency and cc.rate != 1.0:
                    raise ValueError(
                        f"{at}.contract_currency.rate = {cc.rate:g} for {cc.code}, the case "
                        "currency: a price in the case currency converts at 1"
                    )

    def _check_workloads(self) -> None:
        names = [w.name for w in self.workloads]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"workloads: names must be unique, {dupes[0]!r} is given twice")
        if POOLED in names:
            raise ValueError(f"workloads: {POOLED!r} names the pooled figures; choose another name")
        for i, o in enumerate(self.options):
            self._check_lines(i, o, names)
            self._check_waves(i, o)
        for i, w in enumerate(self.workloads):
            self._check_erlang_load(i, w)

    def _check_dated(self, owner: str, costs: list[DatedCost], sales: list[AssetSale]) -> None:
        """Dated amounts start within the term; a recurring cost ends at or after its start."""
        dated = [(f"dated_costs.{k}.start_month", c.start_month) for k, c in enumerate(costs)]
        for field, month in dated + [
            (f"asset_sales.{k}.month", s.month) for k, s in enumerate(sales)
        ]:
            if month > self.term_months:
                raise ValueError(
                    f"{owner}.{field} = {month} is after the term: it must be within "
                    f"term_months = {self.term_months}"
                )
        for k, c in enumerate(costs):
            if c.end_month is not None and c.end_month < c.start_month:
                raise ValueError(
                    f"{owner}.dated_costs.{k}.end_month = {c.end_month} is before its "
                    f"start_month = {c.start_month}: give an end at or after the start (or none "
                    "for a one-off cost)"
                )

    def _check_termination(self, i: int, o: Option, end: Termination) -> None:
        """The contract ends within the term, after its transition; fee steps rise."""
        at = f"options.{i}.termination"
        if end.month > self.term_months:
            raise ValueError(
                f"{at}.month = {end.month} must be within term_months = {self.term_months}"
            )
        t = o.transition
        last_wave = o.waves[-1].month if o.waves else 1
        ends = last_wave - 1 + max(t.transition_months, t.parallel_run_months, 1)
        if end.month < ends:
            raise ValueError(
                f"{at}.month = {end.month} is before the transition ends (month {ends}: the "
                "last wave's knowledge transfer and parallel run): end the contract in month "
                f"{ends} or later"
            )
        for k, (before, step) in enumerate(zip([None, *end.fees], end.fees, strict=False)):
            if before is not None and step.up_to_month <= before.up_to_month:
                raise ValueError(
                    f"{at}.fees.{k}.up_to_month = {step.up_to_month} must come after the step "
                    f"before it (month {before.up_to_month})"
                )

    @model_validator(mode="after")
    def _consistent(self) -> Case:
        # Unique ignoring case: Excel matches names case-insensitively ("Vendor" finds "VENDOR").
        names = [o.name for o in self.options]
        folded = [n.casefold() for n in names]
        dupes = sorted({n for n, f in zip(names, folded, strict=True) if folded.count(f) > 1})
        if dupes or "inhouse" in folded:
            raise ValueError(
                f"options: names must be unique ignoring case and not 'inhouse': {dupes or names}"
            )
        self._check_workloads()
        self._check_currencies()
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
            self._check_dated(f"options.{i}", o.dated_costs, o.asset_sales)
            if o.termination is not None:
                self._check_termination(i, o, o.termination)
        self._check_dated("inhouse", self.inhouse.dated_costs, self.inhouse.asset_sales)
        better = self.inhouse.improvement
        if better and better.automation and better.automation.start_month > self.term_months:
            raise ValueError(
                "inhouse.improvement.automation.start_month = "
                f"{better.automation.start_month} must be within term_months = {self.term_months}"
            )
        return self


def v1_form(data: dict[str, Any]) -> dict[str, Any]:
    """A dumped case with one workload as v1 writes it: ``workload:``, in the same place,
    without its name when that is the default; a case of several workloads as it is."""
    if len(data.get(WORKLOADS) or ()) != 1:
        return data
    one = data[WORKLOADS][0]
    if isinstance(one, dict) and one.get("name") == DEFAULT_WORKLOAD:
        one = {k: v for k, v in one.items() if k != "name"}
    return {
        (V1_WORKLOAD if k == WORKLOADS else k): (one if k == WORKLOADS else v)
        for k, v in data.items()
    }


def _dumped(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump()
    if isinstance(value, list):
        return [_dumped(v) for v in value]
    return value
