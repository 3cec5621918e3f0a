"""The cost components: one entry each, the single source every face reads.

A component is a named monthly cost of one owner: in-house (``INHOUSE``) or an option (by its
name). The producers (``inhouse``, ``vendor``, ``transition``) return exactly their owner's
keys, in registry order (the tests check it, so the engine's hot path need not); the workbook's
In-house and option sheets give each a row with its label, the *Method & sources* sheet shows its
description, ``bpo-cost components`` lists the registry, and the README's "What is computed" lists
its keys (a test checks that too). The methodology behind each: ``docs/methodology.md``,
sections #in-house-cost, #pricing, #clauses and #hidden-costs.

>>> COMPONENT_BY_KEY["transition.parallel_run"].label
'Parallel run of the in-house operation'
>>> STAFF_COMPONENTS[0], OPTION_COMPONENTS[-1]
('inhouse.salaries', 'inhouse.kept')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal

__all__ = [
    "COMPONENTS",
    "COMPONENT_BY_KEY",
    "INHOUSE",
    "INHOUSE_COMPONENTS",
    "KEPT",
    "OPTION_COMPONENTS",
    "STAFF_COMPONENTS",
    "TAXED_COMPONENTS",
    "Component",
    "OwnerKind",
    "display_name",
    "inhouse_keys",
    "keys_of",
    "option_keys",
]

OwnerKind = Literal["inhouse", "option"]  # in-house, or each option

KEPT: Final = "kept"
"""The ``Component.block`` of an option that keeps in-house work (partial scope or waves:
``engine.scope.whole_scope`` false): not a case block, so ``option_keys`` is told."""

INHOUSE: Final = "inhouse"
"""The in-house owner's key in results (owners, frames, JSON); options go by their names."""


def display_name(owner: str) -> str:
    """An owner as tables, charts and sheets title it: ``In-house`` or the option's name.

    >>> display_name(INHOUSE), display_name("Offshore PH")
    ('In-house', 'Offshore PH')
    """
    return "In-house" if owner == INHOUSE else owner


@dataclass(frozen=True)
class Component:
    """One cost component.

    Attributes
    ----------
    key : the engine's name, dotted by family (``transition.parallel_run``).
    label : what a workbook row or a table shows.
    description : how it is computed, in words (the *Method & sources* sheet).
    owners : the kinds of owner that have it: ``"inhouse"``, ``"option"``.
    staff : part of the in-house staff cost (people paid), the base of the transition team,
        severance and retention.
    credit : a credit to the client, zero or negative by design (costs are positive).
    block : the case block that brings it (an option's ``retained``, the in-house
        ``improvement``, a list such as ``dated_costs``), or None: always there. An owner
        without that block (or with the list empty) has no such component, so its outputs
        stay as release 0.1.0 wrote them (the workbook still gives an option a row of zeros).
    """

    key: str
    label: str
    description: str
    owners: tuple[OwnerKind, ...]
    staff: bool = False
    credit: bool = False
    block: str | None = None


_IH: tuple[OwnerKind, ...] = ("inhouse",)
_OPT: tuple[OwnerKind, ...] = ("option",)

COMPONENTS: tuple[Component, ...] = (
    Component(
        "inhouse.salaries",
        "Agent salaries",
        "Agent FTE x base wage x paid hours per month (paid hours per year / 12) x wage index. "
        "Agent FTE: volume x handle minutes / 60 / (paid hours x (1 - shrinkage) x occupancy); "
        "for live channels, Erlang C agents x open hours / (paid hours x (1 - shrinkage)) "
        "(Staffing sheet).",
        _IH,
        staff=True,
    ),
    Component(
        "inhouse.benefits_and_tax",
        "Benefits and payroll tax",
        "Salaries x (benefits load + payroll tax).",
        _IH,
        staff=True,
    ),
    Component(
        "inhouse.supervision",
        "Supervisors, fully loaded",
        "Agent FTE / supervision span x supervisor wage x paid hours x "
        "(1 + benefits load + payroll tax) x wage index.",
        _IH,
        staff=True,
    ),
    Component(
        "inhouse.other_staff",
        "Fixed roles, fully loaded",
        "Sum of headcount x wage of the fixed roles x paid hours x "
        "(1 + benefits load + payroll tax) x wage index.",
        _IH,
        staff=True,
    ),
    Component(
        "inhouse.facilities",
        "Facilities per seat",
        "Seats (agents + supervisors + fixed roles) x facilities per seat x price index.",
        _IH,
    ),
    Component(
        "inhouse.it",
        "IT per seat",
        "Seats x IT per seat x price index.",
        _IH,
    ),
    Component(
        "inhouse.recruiting_training",
        "Hiring and training to replace attrition",
        "Agent FTE x attrition / 12 x (cost per hire + training per hire) x price index: the "
        "hires that replace leavers.",
        _IH,
    ),
    Component(
        "inhouse.fixed",
        "Other fixed running costs",
        "Fixed running costs x price index.",
        _IH,
    ),
    Component(
        "inhouse.automation",
        "In-house automation: deflected units and build",
        "Improvement path only: deflected units (volume x in-house automation share from its "
        "start month) x cost per unit x price index, plus the build cost in the start month. "
        "The agents handle the rest, their FTE x (1 - productivity)^contract year.",
        _IH,
        block="improvement",
    ),
    Component(
        "vendor.fees",
        "Vendor fees (escalated)",
        "The contracted charge x the escalation index (1 + min(COLA, cap))^year x "
        "(1 - productivity)^year. Hourly: rate x max(billed hours or FTE-months, minimum). "
        "Per transaction: price x max(volume, minimum), or volume tiers (all units: the whole "
        "volume at its band's price; incremental: each band at its price), or a collar: base + "
        "ARC x max(0, V - B(1 + d)) - RRC x max(0, B(1 - d) - V). Outcome: base fee + price x "
        "volume x outcome rate. The vendor handles the volume left after automation.",
        _OPT,
    ),
    Component(
        "vendor.gainshare",
        "Gainshare (+) / painshare (-)",
        "Outcome contracts: share x max(0, baseline cost - fees), capped; with painshare the "
        "vendor refunds share x max(0, fees - baseline), capped.",
        _OPT,
    ),
    Component(
        "vendor.kpi_adjustment",
        "KPI bonus (+) / malus (-)",
        "Outcome contracts: fees x clip((expected - target) x per point, -cap, +cap).",
        _OPT,
    ),
    Component(
        "vendor.service_credits",
        "Expected service credits (reduce cost)",
        "Minus at-risk share x expected breach share x the invoice (fees + gainshare + KPI, "
        "floored at 0).",
        _OPT,
        credit=True,
    ),
    Component(
        "automation",
        "Automation: deflected units and build",
        "Deflected units (volume x automation share from the start month) x cost per unit x "
        "price index, plus the build cost in the start month.",
        _OPT,
    ),
    Component(
        "transition.vendor_selection",
        "Vendor search and contracting",
        "Month 1: selection cost + share of the annual contract value (term fees x 12 / term).",
        _OPT,
    ),
    Component(
        "transition.knowledge_transfer",
        "Transition team and knowledge transfer",
        "Transition team share x in-house staff cost during the transition months, plus the "
        "fixed knowledge-transfer cost spread over them.",
        _OPT,
    ),
    Component(
        "transition.parallel_run",
        "Parallel run of the in-house operation",
        "The whole in-house cost while both teams run; with partial scope or waves, the "
        "in-house cost of the moved work until its hand-over (the in-house cost at the "
        "running volume, less the kept work's).",
        _OPT,
    ),
    Component(
        "transition.severance_retention",
        "Severance and retention pay",
        "Severance months x in-house staff cost in the hand-over month (the last parallel "
        "month, at least month 1), plus retention share x staff cost during the parallel run.",
        _OPT,
    ),
    Component(
        "transition.productivity_dip",
        "Productivity dip while the vendor ramps up",
        "Fees x (1 / efficiency - 1), efficiency rising linearly from the start efficiency to 1 "
        "over the ramp months.",
        _OPT,
    ),
    Component(
        "transition.stranded_costs",
        "Stranded leases and licences",
        "Leases and licences still running after the last parallel run, until their months "
        "remaining end.",
        _OPT,
    ),
    Component(
        "governance",
        "Retained organisation (governance)",
        "Governance share x fees + governance FTE x cost per FTE x price index.",
        _OPT,
    ),
    Component(
        "quality_leakage",
        "Rework and repeat contacts",
        "Repeat rate x fees: rework and repeat contacts paid again.",
        _OPT,
    ),
    Component(
        "exit",
        "Exit / switching cost (term end or termination)",
        "When exit costs are included: exit share x the last 12 months of fees, in the last month. "
        "An option terminated early always pays it, on the 12 months up to the termination "
        "month (annualised when fewer), in that month.",
        _OPT,
    ),
    Component(
        "retained.organisation",
        "Retained organisation (roles), fully loaded",
        "Sum of FTE x wage of the retained roles x paid hours x "
        "(1 + benefits load + payroll tax) x wage index.",
        _OPT,
        block="retained",
    ),
    Component(
        "retained.share_of_fees",
        "Retained costs that scale with spend",
        "Retained share of fees x fees.",
        _OPT,
        block="retained",
    ),
    Component(
        "inhouse.dated_costs",
        "In-house dated costs (one-off and recurring)",
        "Each dated cost in its start month (one-off) or every month from start to end "
        "month; nominal. In-house only: the parallel run does not carry them.",
        _IH,
        block="dated_costs",
    ),
    Component(
        "inhouse.asset_sales",
        "In-house asset sale proceeds (cash in)",
        "Minus each asset's sale proceeds, in its month.",
        _IH,
        credit=True,
        block="asset_sales",
    ),
    Component(
        "dated_costs",
        "Dated costs (one-off and recurring)",
        "Each dated cost in its start month (one-off) or every month from start to end "
        "month; nominal.",
        _OPT,
        block="dated_costs",
    ),
    Component(
        "asset_sales",
        "Asset sale proceeds (cash in)",
        "Minus each asset's sale proceeds, in its month.",
        _OPT,
        credit=True,
        block="asset_sales",
    ),
    Component(
        "fx.adjustment",
        "Currency movement (contract currency)",
        "Prices written in another currency: the invoice at the base rate x (clause factor - 1); "
        "the factor is 1 + movement (client), 1 (provider), or 1 + client share x the movement "
        "beyond the band (band).",
        _OPT,
        block="contract_currency",
    ),
    Component(
        "termination.fee",
        "Termination fee",
        "The fee schedule's amount for the termination month (the first step whose last month "
        "is at or after it; none after the last step), in that month.",
        _OPT,
        block="termination",
    ),
    Component(
        "termination.rehiring",
        "Rehiring the returned work",
        "Agent FTE the returned work needs in the month after termination x (cost per hire + "
        "training per hire) x price index, in that month.",
        _OPT,
        block="termination",
    ),
    Component(
        "termination.ramp",
        "Productivity ramp of the rebuilt in-house team",
        "The returned work's share of the in-house staff cost x (1 / efficiency - 1), efficiency "
        "rising linearly to 1 over the ramp months after termination.",
        _OPT,
        block="termination",
    ),
    Component(
        "tax.vat",
        "Irrecoverable VAT on the vendor's charges",
        "VAT rate x (1 - recoverable share) x vendor charges: fees, gainshare, KPI, credits, "
        "automation, dip, leakage, currency movement, termination fee.",
        _OPT,
        block="taxes",
    ),
    Component(
        "tax.withholding",
        "Withholding tax borne (gross-up)",
        "Withholding rate / (1 - withholding rate) x the same vendor charges as VAT: the tax the "
        "client pays on top when the contract's charges are net of it.",
        _OPT,
        block="taxes",
    ),
    Component(
        "inhouse.kept",
        "In-house work kept: out of scope, not yet moved or taken back",
        "The in-house cost of the work the option does not take (yet), or no longer after a "
        "termination: the volume-driven in-house components at volume x (1 - scope x moved "
        "share), plus the fixed roles, their seats and fixed costs whole while any work stays "
        "in-house.",
        _OPT,
        block=KEPT,
    ),
)
"""Every component, in registry order: the order of rows, columns and lists in every face.
Components added after release 0.1.0 come after its own, so columns keep their positions."""

COMPONENT_BY_KEY: Mapping[str, Component] = MappingProxyType({c.key: c for c in COMPONENTS})


def keys_of(owner: OwnerKind, *, blocks: bool = False) -> tuple[str, ...]:
    """The keys of the components every owner of this kind has, in registry order; with
    ``blocks``, those a case block brings too (``Component.block``).

    >>> keys_of("inhouse")[-1], keys_of("inhouse", blocks=True)[-1]
    ('inhouse.fixed', 'inhouse.asset_sales')
    """
    return tuple(c.key for c in COMPONENTS if owner in c.owners and (blocks or c.block is None))


def option_keys(option: object, *, keeps_work: bool = False) -> tuple[str, ...]:
    """The keys of the components ``option`` (a case's or the engine's) has, in registry order:
    those of every option, and those its blocks bring; ``keeps_work``: whether it keeps
    in-house work (``engine.scope.whole_scope`` false), which brings ``inhouse.kept``.

    >>> class Bare:
    ...     retained = taxes = None
    ...     dated_costs = asset_sales = ()
    >>> option_keys(Bare())[-1], option_keys(Bare(), keeps_work=True)[-1]
    ('exit', 'inhouse.kept')
    """
    return _keys_with_blocks("option", option, keeps_work=keeps_work)


def inhouse_keys(inhouse: object) -> tuple[str, ...]:
    """The keys of the components the in-house block ``inhouse`` (a case's or the engine's)
    has, in registry order: those of every in-house owner, and those its blocks bring.

    >>> class Bare:
    ...     improvement = None
    ...     dated_costs = asset_sales = ()
    >>> inhouse_keys(Bare()) == keys_of("inhouse")
    True
    """
    return _keys_with_blocks("inhouse", inhouse)


def _keys_with_blocks(
    kind: OwnerKind, owner: object, *, keeps_work: bool = False
) -> tuple[str, ...]:
    # a block is there when it is given: a block not None, a list not empty
    return tuple(
        c.key
        for c in COMPONENTS
        if kind in c.owners
        and (c.block is None or (keeps_work if c.block == KEPT else _has_block(owner, c.block)))
    )


def _has_block(owner: object, block: str) -> bool:
    # the owner's block, or one of its lines' (a line may carry its own contract currency)
    lines = getattr(owner, "lines", ())
    return _given(getattr(owner, block, None)) or any(
        _given(getattr(line, block, None)) for line in lines
    )


def _given(block: object) -> bool:
    return block is not None and (not isinstance(block, (list, tuple)) or len(block) > 0)


INHOUSE_COMPONENTS = keys_of("inhouse")
OPTION_COMPONENTS = keys_of("option", blocks=True)  # the rows of every option sheet
STAFF_COMPONENTS = tuple(c.key for c in COMPONENTS if c.staff)

TAXED_COMPONENTS = (
    "vendor.fees",
    "vendor.gainshare",
    "vendor.kpi_adjustment",
    "vendor.service_credits",
    "automation",
    "transition.productivity_dip",
    "quality_leakage",
    "fx.adjustment",
    "termination.fee",
)
"""The vendor's charges VAT applies to (``tax.vat``; docs/methodology.md#taxes): what the vendor
invoices, credit notes included. The client's own costs, salaries and the estimates of effort
that are partly the client's own (selection, knowledge transfer, governance, exit) carry none."""
