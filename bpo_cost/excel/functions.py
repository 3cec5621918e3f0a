"""The Excel functions (``=BPO_...``): thin wrappers over the engine, through xlwings.

Windows desktop Excel loads them from the ``UDF Modules`` setting ``bpo_cost.udfs`` of the
add-in workbook (``addin/bpo_cost.xlsm``); xlwings Lite imports them into ``main.py``. Each
function converts what Excel sends (see ``bpo_cost.excel.convert``), calls the engine, and shows
a bad argument as ``#VALUE! <message>`` in the cell. Argument names and defaults are those of the
case model (``rate`` and ``month``, reserved words in VBA, are ``hourly_rate`` and
``contract_month``). Case functions take a two-column range of input keys and values, laid out
like the Inputs sheet of a business-case workbook (``bpo_cost.case.io.case_from_pairs``), and
spill tables with a header row.

Examples
--------
Called from Python with what Excel sends (floats, ranges as lists, empty cells as None):

>>> BPO_TIERED_FEE(15000.0, [[10000.0], [None]], [[2.0], [1.5]], "incremental")
27500.0
>>> BPO_FTE(12000.0, 6.0, 1.2)
'#VALUE! shrinkage must be a number >= 0 and < 1: got 1.2'
"""

from __future__ import annotations

import functools
import math
from typing import Any, TypeAlias, get_args

from pydantic import BaseModel
from xlwings import arg, func

from ..api import evaluate
from ..case.fields import field_doc
from ..case.io import case_from_pairs
from ..case.models import (
    Collar,
    ContractCurrency,
    Escalator,
    Gainshare,
    HourlyPricing,
    InHouse,
    OutcomePricing,
    PerTransactionPricing,
    RealTime,
    ServiceCredits,
    Workload,
)
from ..core import currency, pricing, staffing
from ..core.arguments import POSITIVE, number
from ..engine.components import INHOUSE
from ..engine.inhouse import loaded_cost_per_fte_month
from ..rates.cards import Card, Statistic, load_cards
from ..result import Result
from .cache import Entry, RangeCache
from .convert import (
    Cells,
    as_choice,
    as_date,
    as_flag,
    as_numbers,
    as_pairs,
    as_text,
    as_whole,
    to_cell,
)
from .convert import cell_function as _cell_function

__all__ = [
    "BPO_COLLAR_FEE",
    "BPO_ERLANG_AGENTS",
    "BPO_ESCALATE",
    "BPO_FTE",
    "BPO_FX_FACTOR",
    "BPO_GAINSHARE",
    "BPO_HOURLY_FEE",
    "BPO_LOADED_COST",
    "BPO_NPV_SAVINGS",
    "BPO_OUTCOME_FEE",
    "BPO_PAYBACK",
    "BPO_RATE",
    "BPO_SERVICE_CREDIT",
    "BPO_SERVICE_LEVEL",
    "BPO_STAFFING",
    "BPO_SUMMARY",
    "BPO_TCO",
    "BPO_TIERED_FEE",
    "CATEGORY",
]

CATEGORY = "BPO Cost"  # the function wizard's category

Cell: TypeAlias = Any  # a cell's value or a range's values, as xlwings passes them


def _defaults(model: type[BaseModel]) -> dict[str, Any]:
    return {name: field.default for name, field in model.model_fields.items()}


# Defaults of the case model, so that a function and a case agree (the model cites their sources).
_INHOUSE = _defaults(InHouse)
_REAL_TIME = _defaults(RealTime)
_COLLAR = _defaults(Collar)
_OUTCOME = _defaults(OutcomePricing)
_GAINSHARE = _defaults(Gainshare)
_CREDITS = _defaults(ServiceCredits)
_CURRENCY = _defaults(ContractCurrency)


def _doc(model: type[BaseModel], field: str, adds: str = ".", *, empty: bool = False) -> str:
    """An argument's help: the case field's description (said once, in the model), what the
    function adds, and with ``empty`` the model default an empty cell takes."""
    doc = field_doc(model, field)
    text = doc.description + adds
    if empty:
        default = doc.default
        if isinstance(default, bool):
            default = "TRUE" if default else "FALSE"  # as Excel writes them
        text += f" Empty: {default:g}." if isinstance(default, float) else f" Empty: {default}."
    return text


# ------------------------------------------------------------------------------------ staffing


@func(category=CATEGORY)
@arg("volume_per_month", doc="Units of work a month (items, invoices, claims), >= 0.")
@arg("handle_minutes", doc="Average handling minutes per unit, > 0.")
@arg("shrinkage", doc=_doc(InHouse, "shrinkage", ", in [0, 1).", empty=True))
@arg("occupancy", doc=_doc(InHouse, "occupancy", ", in (0, 1].", empty=True))
@arg("paid_hours_per_year", doc=_doc(InHouse, "paid_hours_per_year", empty=True))
@_cell_function()
def BPO_FTE(
    volume_per_month: Cell,
    handle_minutes: Cell,
    shrinkage: Cell = _INHOUSE["shrinkage"],
    occupancy: Cell = _INHOUSE["occupancy"],
    paid_hours_per_year: Cell = _INHOUSE["paid_hours_per_year"],
) -> Cell:
    """Paid FTE (fractional) for back-office work that can wait in a backlog: volume x handle
    minutes / 60 / (paid hours a month x (1 - shrinkage) x occupancy). No queueing."""
    hours = number("paid_hours_per_year", paid_hours_per_year, POSITIVE) / 12  # named as here
    return staffing.workload_fte(
        volume_per_month,
        handle_minutes,
        paid_hours_per_month=hours,
        shrinkage=shrinkage,
        occupancy=occupancy,
    )


@func(category=CATEGORY)
@arg("volume", doc="Calls or chats offered in one interval, >= 0.")
@arg("handle_seconds", doc="Average handle time in seconds, > 0.")
@arg(
    "service_level_target",
    doc=_doc(RealTime, "service_level_target", ", in (0, 1).", empty=True),
)
@arg("answer_seconds", doc=_doc(RealTime, "answer_seconds", ", in seconds.", empty=True))
@arg("interval_minutes", doc=_doc(RealTime, "interval_minutes", ", in minutes.", empty=True))
@arg("occupancy", doc="Cap on occupancy (load / agents) in (0, 1], e.g. 0.85. Empty: no cap.")
@_cell_function()
def BPO_ERLANG_AGENTS(
    volume: Cell,
    handle_seconds: Cell,
    service_level_target: Cell = _REAL_TIME["service_level_target"],
    answer_seconds: Cell = _REAL_TIME["answer_seconds"],
    interval_minutes: Cell = _REAL_TIME["interval_minutes"],
    occupancy: Cell = None,
) -> Cell:
    """Fewest agents answering live contacts in one interval that meet a service level, e.g. 80%
    within 20 seconds (Erlang C), with an optional occupancy cap. Before shrinkage."""
    return staffing.required_agents(
        volume,
        handle_seconds,
        interval_minutes,
        service_level_target=service_level_target,
        answer_seconds=answer_seconds,
        occupancy=occupancy,
    )


@func(category=CATEGORY)
@arg("agents", doc="Agents answering in the interval (a whole number).")
@arg("volume", doc="Calls or chats offered in the interval, >= 0.")
@arg("handle_seconds", doc="Average handle time in seconds, > 0.")
@arg("answer_seconds", doc=_doc(RealTime, "answer_seconds", ", in seconds.", empty=True))
@arg("interval_minutes", doc=_doc(RealTime, "interval_minutes", ", in minutes.", empty=True))
@_cell_function()
def BPO_SERVICE_LEVEL(
    agents: Cell,
    volume: Cell,
    handle_seconds: Cell,
    answer_seconds: Cell = _REAL_TIME["answer_seconds"],
    interval_minutes: Cell = _REAL_TIME["interval_minutes"],
) -> Cell:
    """Share of contacts answered within the answer time by a number of agents in one interval
    (Erlang C): 1 - P(wait) x exp(-(agents - load) x answer time / handle time)."""
    return staffing.service_level(
        agents, volume, handle_seconds, interval_minutes, answer_seconds=answer_seconds
    )


# ------------------------------------------------------------------------------------ in-house


@func(category=CATEGORY)
@arg("wage_per_hour", doc=_doc(InHouse, "wage_per_hour"))
@arg("benefits_load", doc=_doc(InHouse, "benefits_load", empty=True))
@arg("payroll_tax", doc=_doc(InHouse, "payroll_tax", empty=True))
@arg("paid_hours_per_year", doc=_doc(InHouse, "paid_hours_per_year", empty=True))
@arg("supervision_span", doc=_doc(InHouse, "supervision_span", ", >= 1.", empty=True))
@arg("supervisor_wage_per_hour", doc=_doc(InHouse, "supervisor_wage_per_hour", empty=True))
@arg(
    "facilities_per_seat_month",
    doc=_doc(InHouse, "facilities_per_seat_month", " a month.", empty=True),
)
@arg("it_per_seat_month", doc=_doc(InHouse, "it_per_seat_month", " a month.", empty=True))
@arg("attrition_per_year", doc=_doc(InHouse, "attrition_per_year", " in a year.", empty=True))
@arg("cost_per_hire", doc=_doc(InHouse, "cost_per_hire", empty=True))
@arg("training_per_hire", doc=_doc(InHouse, "training_per_hire", empty=True))
@_cell_function()
def BPO_LOADED_COST(
    wage_per_hour: Cell,
    benefits_load: Cell = _INHOUSE["benefits_load"],
    payroll_tax: Cell = _INHOUSE["payroll_tax"],
    paid_hours_per_year: Cell = _INHOUSE["paid_hours_per_year"],
    supervision_span: Cell = _INHOUSE["supervision_span"],
    supervisor_wage_per_hour: Cell = _INHOUSE["supervisor_wage_per_hour"],
    facilities_per_seat_month: Cell = _INHOUSE["facilities_per_seat_month"],
    it_per_seat_month: Cell = _INHOUSE["it_per_seat_month"],
    attrition_per_year: Cell = _INHOUSE["attrition_per_year"],
    cost_per_hire: Cell = _INHOUSE["cost_per_hire"],
    training_per_hire: Cell = _INHOUSE["training_per_hire"],
) -> Cell:
    """Fully loaded monthly cost of one in-house agent FTE: wage with benefits and payroll tax, a
    share of a supervisor, a seat (facilities, IT) and replacing leavers. No fixed roles."""
    return loaded_cost_per_fte_month(
        wage_per_hour,
        paid_hours_per_year=paid_hours_per_year,
        benefits_load=benefits_load,
        payroll_tax=payroll_tax,
        supervision_span=supervision_span,
        supervisor_wage_per_hour=supervisor_wage_per_hour,
        facilities_per_seat_month=facilities_per_seat_month,
        it_per_seat_month=it_per_seat_month,
        attrition_per_year=attrition_per_year,
        cost_per_hire=cost_per_hire,
        training_per_hire=training_per_hire,
    )


# ------------------------------------------------------------------------------------- pricing


@func(category=CATEGORY)
@arg(
    "billed_units",
    doc="Units billed in the period: productive hours, or FTE for an FTE-month rate.",
)
@arg("hourly_rate", doc=_doc(HourlyPricing, "rate"))
@arg(
    "minimum_billed",
    doc=_doc(HourlyPricing, "minimum_billed_per_month", " in any period.", empty=True),
)
@_cell_function()
def BPO_HOURLY_FEE(billed_units: Cell, hourly_rate: Cell, minimum_billed: Cell = 0.0) -> Cell:
    """Vendor fee for hours or FTE billed at a rate, with a contracted minimum:
    rate x max(hours, minimum)."""
    return pricing.hourly_fee(billed_units, hourly_rate, minimum_billed=minimum_billed)


@func(category=CATEGORY)
@arg("volume", doc="Transactions in the period, >= 0.")
@arg(
    "up_to",
    doc="Upper volume of every band but the last: a row or column, increasing; "
    "a last empty cell is ignored.",
)
@arg("prices", doc="Price per transaction in each band: one more value than up_to.")
@arg("tier_mode", doc=_doc(PerTransactionPricing, "tier_mode", empty=True))
@arg(
    "minimum_volume",
    doc=_doc(PerTransactionPricing, "minimum_volume_per_month", " in any period.", empty=True),
)
@_cell_function(up_to=as_numbers, prices=as_numbers, tier_mode=as_choice(*pricing.TIER_MODES))
def BPO_TIERED_FEE(
    volume: Cell,
    up_to: Cell,
    prices: Cell,
    tier_mode: Cell = "all_units",
    minimum_volume: Cell = 0.0,
) -> Cell:
    """Per-transaction fee with volume tiers, all_units (whole volume at the price of its band) or
    incremental (each band at its own price), billed on max(volume, minimum)."""
    return pricing.tiered_fee(
        volume, up_to, prices, tier_mode=tier_mode, minimum_volume=minimum_volume
    )


@func(category=CATEGORY)
@arg("volume", doc="Transactions in the period, >= 0.")
@arg("base_fee", doc=_doc(Collar, "base_fee_per_month"))
@arg("baseline_volume", doc=_doc(Collar, "baseline_volume", ", > 0."))
@arg("arc", doc=_doc(Collar, "arc"))
@arg("rrc", doc=_doc(Collar, "rrc"))
@arg("dead_band", doc=_doc(Collar, "dead_band", ", in [0, 1).", empty=True))
@_cell_function()
def BPO_COLLAR_FEE(
    volume: Cell,
    base_fee: Cell,
    baseline_volume: Cell,
    arc: Cell,
    rrc: Cell,
    dead_band: Cell = _COLLAR["dead_band"],
) -> Cell:
    """Volume collar (anchored pricing): base fee + ARC per unit above baseline x (1 + dead
    band) - RRC per unit below baseline x (1 - dead band)."""
    return pricing.collar_fee(
        volume,
        base_fee=base_fee,
        baseline_volume=baseline_volume,
        dead_band=dead_band,
        arc=arc,
        rrc=rrc,
    )


@func(category=CATEGORY)
@arg("volume", doc="Units of work in the period, >= 0.")
@arg("price_per_outcome", doc=_doc(OutcomePricing, "price_per_outcome"))
@arg("outcome_rate", doc=_doc(OutcomePricing, "outcome_rate", ", in [0, 1].", empty=True))
@arg("base_fee", doc=_doc(OutcomePricing, "base_fee_per_month", " in the period.", empty=True))
@_cell_function()
def BPO_OUTCOME_FEE(
    volume: Cell,
    price_per_outcome: Cell,
    outcome_rate: Cell = _OUTCOME["outcome_rate"],
    base_fee: Cell = 0.0,
) -> Cell:
    """Outcome-based fee: base fee + price per outcome x volume x share of units that end in a
    billable outcome."""
    return pricing.outcome_fee(
        volume, price_per_outcome=price_per_outcome, outcome_rate=outcome_rate, base_fee=base_fee
    )


@func(category=CATEGORY)
@arg("baseline_cost", doc=_doc(Gainshare, "baseline_cost_per_month"))
@arg("actual_cost", doc="Actual cost of the period.")
@arg("share", doc=_doc(Gainshare, "share", ", in [0, 1].", empty=True))
@arg("cap", doc=_doc(Gainshare, "cap_per_month", " in the period. Empty: no cap."))
@arg("painshare", doc=_doc(Gainshare, "painshare", empty=True))
@_cell_function(painshare=as_flag)
def BPO_GAINSHARE(
    baseline_cost: Cell,
    actual_cost: Cell,
    share: Cell = _GAINSHARE["share"],
    cap: Cell = None,
    painshare: Cell = False,
) -> Cell:
    """Vendor's gainshare: share x max(0, baseline cost - actual cost), capped; with painshare
    TRUE the vendor also refunds its share of overruns (a negative result)."""
    return pricing.gainshare(
        baseline_cost,
        actual_cost,
        share=share,
        cap=float("inf") if cap is None else cap,
        painshare=painshare,
    )


@func(category=CATEGORY)
@arg("invoice", doc="Monthly invoice the credits apply to.")
@arg("expected_breach_share", doc=_doc(ServiceCredits, "expected_breach_share", ", in [0, 1]."))
@arg("at_risk_share", doc=_doc(ServiceCredits, "at_risk_share", ", in [0, 1].", empty=True))
@_cell_function()
def BPO_SERVICE_CREDIT(
    invoice: Cell,
    expected_breach_share: Cell,
    at_risk_share: Cell = _CREDITS["at_risk_share"],
) -> Cell:
    """Expected service credit, an amount you do not pay: invoice x at-risk share x expected
    share of the at-risk pool paid out."""
    return pricing.service_credit(
        invoice, at_risk_share=at_risk_share, expected_breach_share=expected_breach_share
    )


@func(category=CATEGORY)
@arg("price", doc="Price in the first contract year.")
@arg("contract_month", doc="Month of the contract, 1 = first month (a whole number).")
@arg("cola_per_year", doc=_doc(Escalator, "cola_per_year", ", decimal (0.03 = 3%)."))
@arg("cap_per_year", doc=_doc(Escalator, "cap_per_year", ". Empty: no cap."))
@arg(
    "productivity_per_year",
    doc=_doc(Escalator, "productivity_per_year", ", in [0, 1).", empty=True),
)
@_cell_function(contract_month=functools.partial(as_whole, low=1))
def BPO_ESCALATE(
    price: Cell,
    contract_month: Cell,
    cola_per_year: Cell,
    cap_per_year: Cell = None,
    productivity_per_year: Cell = 0.0,
) -> Cell:
    """Price in a contract month after yearly escalation: price x (1 + min(COLA, cap))^year x
    (1 - productivity)^year, with year 0 in months 1-12."""
    return price * pricing.escalation_index(
        contract_month,
        cola_per_year=cola_per_year,
        cap_per_year=float("inf") if cap_per_year is None else cap_per_year,
        productivity_per_year=productivity_per_year,
    )


@func(category=CATEGORY)
@arg("contract_month", doc="Month of the contract, 1 = first month (a whole number).")
@arg(
    "drift_per_year",
    doc=_doc(ContractCurrency, "drift_per_year", ", decimal (-0.03 = 3% a year).", empty=True),
)
@arg("clause", doc="Who bears the movement: provider, client or band. Empty: band.")
@arg("band", doc=_doc(ContractCurrency, "band", ", decimal (0.05 = 5%).", empty=True))
@arg("client_share", doc=_doc(ContractCurrency, "client_share", ", in [0, 1].", empty=True))
@_cell_function(
    contract_month=functools.partial(as_whole, low=1),
    clause=as_choice(*currency.FX_CLAUSES),
)
def BPO_FX_FACTOR(
    contract_month: Cell,
    drift_per_year: Cell = _CURRENCY["drift_per_year"],
    clause: Cell = _CURRENCY["clause"],
    band: Cell = _CURRENCY["band"],
    client_share: Cell = _CURRENCY["client_share"],
) -> Cell:
    """What the client pays for a price written in another currency, relative to the base
    rate: 1 (provider), 1 + the rate's movement (client), or 1 + client share x the movement
    beyond the band (band); the rate moves by drift_per_year, compounded monthly."""
    return currency.fx_factor(
        contract_month,
        drift_per_year=drift_per_year,
        clause=clause,
        band=band,
        client_share=client_share,
    )


# ---------------------------------------------------------------------------------- rate cards


@func(category=CATEGORY)
@arg(
    "function_id",
    doc=_doc(Workload, "function", ", e.g. customer_service_voice, payroll, it_help_desk."),
)
@arg("location", doc="ISO country code, e.g. US, PL, PH.")
@arg("card", doc="billing_hourly, per_transaction or wage. Empty: billing_hourly.")
@arg("statistic", doc="low, typical or high. Empty: typical.")
@arg("unit", doc="Unit of a per_transaction rate, when a row has several. Empty: the only one.")
@arg("at_date", doc="Date to age the rate to with wage inflation. Empty: as published.")
@_cell_function(
    function_id=as_text,
    location=as_text,
    card=as_choice(*get_args(Card)),
    statistic=as_choice(*get_args(Statistic)),
    unit=as_text,
    at_date=as_date,
)
def BPO_RATE(
    function_id: Cell,
    location: Cell,
    card: Cell = "billing_hourly",
    statistic: Cell = "typical",
    unit: Cell = None,
    at_date: Cell = None,
) -> Cell:
    """Benchmark rate from the bundled rate cards: vendor billing per hour, price per transaction
    or in-house wage of a function at a location, low/typical/high; aged to a date if given."""
    ref = {
        "card": card,
        "function": function_id,
        "location": location.upper(),
        "statistic": statistic,
        "unit": unit,
    }
    cards = load_cards()
    return cards.lookup(ref).value if at_date is None else cards.resolve(ref, to=at_date).value


# --------------------------------------------------------------------------------------- cases


def _result_bytes(result: Result) -> int:
    """Estimated memory of an evaluated case: its component grids (as parts, monthly grids and
    totals, about three times the grids) and the case model (measured: about 40 KB)."""
    parts = sum(len(p) for p in result.components.parts.values())
    return 3 * 8 * parts * result.case.term_months + 40_000


# Excel calls every case function of a sheet with the same range: evaluate each range once. 64 MB
# hold about 400 cases of the largest example (claims: 84 months, three options).
CASES: RangeCache[Result] = RangeCache(max_bytes=64 * 2**20, size=_result_bytes)


def _case(name: str, value: Cell) -> Entry[Result]:
    """The evaluated case of a key/value range: from the cache while the range is unchanged."""
    return CASES.entry(value, lambda: evaluate(case_from_pairs(as_pairs(name, value))))


def _owner(result: Result, name: str, *, inhouse: bool) -> str:
    owners = result.owners if inhouse else [o for o in result.owners if o != INHOUSE]
    return as_text("owner", name, choices=owners)


def _figure(inputs: Entry[Result], owner: str, figure: str) -> float:
    """One summary figure (a ``Summary`` field) of one option."""
    result = inputs.value
    s = result.summary_arrays
    return float(getattr(s, figure)[0, s.owners.index(_owner(result, owner, inhouse=False))])


def _payback(month: float) -> float | str:
    return "never" if math.isnan(month) else month  # NaN: no payback within the term


_INPUTS_DOC = "Two columns, input key and value: A:B of an Inputs sheet (the name bpo_case)."


@func(category=CATEGORY)
@arg("inputs", doc=_INPUTS_DOC, ndim=2)
@_cell_function(inputs=_case)
def BPO_SUMMARY(inputs: Cell) -> Cell:
    """Business case summary from a key/value range: a row per owner (inhouse, each option) with
    TCO, NPV of cost, savings, payback month, IRR, cost per unit, rank and why an IRR is not
    meaningful (irr_note). Spills."""
    return Cells(inputs.output("summary", lambda: _summary(inputs.value)))


def _summary(result: Result) -> list[list[Any]]:
    s = result.summary()
    s["payback_month"] = [_payback(m) for m in s["payback_month"]]
    # the IRR's flag, as the JSON's irr_note: empty where the IRR means what it says (or is none)
    s["irr_note"] = [result.irr_note(i) or "" for i in range(len(s))]
    rows = zip(s.index, s.values.tolist(), strict=True)
    return to_cell([["owner", *s.columns], *([owner, *row] for owner, row in rows)])  # type: ignore[no-any-return]


@func(category=CATEGORY)
@arg("inputs", doc=_INPUTS_DOC, ndim=2)
@arg("owner", doc="inhouse, or the name of an option of the case.")
@_cell_function(inputs=_case, owner=as_text)
def BPO_TCO(inputs: Cell, owner: Cell) -> Cell:
    """Monthly cost of in-house or of one option of a business case given as a key/value range:
    a row per month, a column per cost component, then the total. Spills."""
    key = _owner(inputs.value, owner, inhouse=True)
    return Cells(inputs.output(("tco", key), lambda: _tco(inputs.value, key)))


def _tco(result: Result, key: str) -> list[list[Any]]:
    parts = result.components.by_owner[key]
    columns = [result.months, *(v[0] for v in parts.values()), result.components.total(key)[0]]
    table = [["month", *parts, "total"], *zip(*(c.tolist() for c in columns), strict=True)]
    return to_cell(table)  # type: ignore[no-any-return]


@func(category=CATEGORY)
@arg("inputs", doc=_INPUTS_DOC, ndim=2)
@arg("owner", doc="inhouse, or the name of an option of the case.")
@_cell_function(inputs=_case, owner=as_text)
def BPO_STAFFING(inputs: Cell, owner: Cell) -> Cell:
    """Staffing behind the monthly cost of in-house or one option: a row per month, a column per
    workload and measure (volume, agents, productive and paid FTE, billed hours or FTE,
    supervisors, seats; workload all: totals and pooled figures). Spills."""
    key = _owner(inputs.value, owner, inhouse=True)
    return Cells(inputs.output(("staffing", key), lambda: _staffing(inputs.value, key)))


def _staffing(result: Result, key: str) -> list[list[Any]]:
    frame = result.staffing(wide=True)[key]
    header = ["month", *(f"{workload} {measure}" for workload, measure in frame.columns)]
    rows = [[int(m), *values] for m, values in zip(frame.index, frame.values.tolist(), strict=True)]
    return to_cell([header, *rows])  # type: ignore[no-any-return]


@func(category=CATEGORY)
@arg("inputs", doc=_INPUTS_DOC, ndim=2)
@arg("owner", doc="Name of an option of the case.")
@_cell_function(inputs=_case, owner=as_text)
def BPO_PAYBACK(inputs: Cell, owner: Cell) -> Cell:
    """Payback month of an option: the first month in which cumulative savings against in-house
    reach zero; never if not within the term."""
    return _payback(_figure(inputs, owner, "payback_month"))


@func(category=CATEGORY)
@arg("inputs", doc=_INPUTS_DOC, ndim=2)
@arg("owner", doc="Name of an option of the case.")
@_cell_function(inputs=_case, owner=as_text)
def BPO_NPV_SAVINGS(inputs: Cell, owner: Cell) -> Cell:
    """NPV of an option's savings against in-house: in-house NPV of cost - option NPV of cost,
    discounted monthly at the case's annual rate like Excel's NPV."""
    return _figure(inputs, owner, "npv_savings")
