"""The sheet of an option: volumes, billing and every component, as live formulas.

Each formula replicates the engine's arithmetic in the same order (``vendor.py``, ``pricing.py``,
``transition.py``). An option bills the workloads its ``pricing`` covers together (their hours or
units summed before the minimum, tiers and base fee) and each workload with a line of its own
by that line (``vendor.billings``): one billing block per group, then the components.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from openpyxl import Workbook

from ..case.models import (
    Case,
    Escalator,
    HourlyPricing,
    Option,
    OutcomePricing,
    PerTransactionPricing,
    Pricing,
)
from ..engine.components import COMPONENT_BY_KEY, OPTION_COMPONENTS
from . import styles as st
from .costs import HoursRef, volume_row
from .delivery import Delivery, deliveries, full_scope, wave_formula
from .grid import MONTH, Grid
from .money import dated_formulas, tax_formulas
from .refs import input_name as n
from .scope import scope_components, scope_rows
from .staffing import pool_owner
from .termination import in_service_row, termination_formulas, termination_rows
from .workloads import WorkloadRef, workload_refs

__all__ = ["Billing", "billing_groups", "deflected_volume", "option_sheet"]

# The vendor-invoice components computed per billing group, then summed.
_INVOICE = (
    "vendor.fees",
    "vendor.gainshare",
    "vendor.kpi_adjustment",
    "vendor.service_credits",
    "fx.adjustment",
)


@dataclass(frozen=True)
class Billing:
    """One price schedule of an option and the deliveries it bills together."""

    pricing: Pricing
    prefix: str  # of the pricing's inputs: options.i.pricing. or options.i.lines.j.pricing.
    deliveries: tuple[Delivery, ...]
    alone: bool  # the option's only billing group: its rows keep the plain keys
    currency: tuple[str, str] | None = None  # prices in another currency: its inputs, clause

    @property
    def workloads(self) -> tuple[WorkloadRef, ...]:
        return tuple(d.workload for d in self.deliveries)

    @property
    def tag(self) -> str:
        return "+".join(d.tag for d in self.deliveries)

    def key(self, key: str) -> str:
        return key if self.alone else f"{key}[{self.tag}]"

    def label(self, text: str) -> str:
        return text if self.alone else f"{self.tag}: {text}"

    @property
    def line(self) -> Delivery | None:
        """The line this group bills (None: the option's pricing)."""
        d = self.deliveries[0]
        return d if d.line is not None else None


def billing_groups(case: Case, i: int) -> list[Billing]:
    """The billing groups of option ``i``, as ``engine.vendor.billings`` makes them: the
    workloads without a line of their own together, then each line on its own."""
    ds = deliveries(case, i)
    shared = tuple(d for d in ds if d.line is None)
    groups: list[tuple[Pricing, str, tuple[Delivery, ...]]] = [
        (d.pricing, d.pricing_prefix, (d,)) for d in ds if d.line is not None
    ]
    if shared:
        groups.insert(0, (shared[0].pricing, shared[0].pricing_prefix, shared))
    return [
        Billing(pr, prefix, dd, len(groups) == 1, _currency(case, i, prefix))
        for pr, prefix, dd in groups
    ]


def _currency(case: Case, i: int, prefix: str) -> tuple[str, str] | None:
    """The inputs prefix and clause of the currency a schedule's prices are written in, as
    ``engine.vendor`` takes it: the line's, else the option's."""
    o = case.options[i]
    own = prefix.removesuffix("pricing.")  # options.i. or options.i.lines.j.
    cc = o.lines[int(own.split(".")[3])].contract_currency if ".lines." in own else None
    if cc is None:
        own, cc = f"options.{i}.", o.contract_currency
    return None if cc is None else (own + "contract_currency.", cc.clause)


def _where(case: Case, d: Delivery) -> str:
    """A line's provider and location, for its labels (the option's where the line sets none)."""
    o = case.options[d.option]
    line = d.model
    provider = (line.provider if line is not None else None) or o.provider
    loc = (line.location if line is not None else None) or o.location
    return ", ".join(x for x in (provider, f"{loc.tier} {loc.country}") if x)


def option_sheet(
    wb: Workbook, case: Case, i: int, title: str, tl: Grid, ih: Grid, hours: HoursRef | None
) -> Grid:
    """One option's components (``vendor.py``, ``pricing.py``, ``transition.py``)."""
    o = case.options[i]
    p = f"options.{i}."
    g = Grid(
        wb,
        title,
        case.term_months,
        heading=f"Option: {o.name} ({case.pricing_model(o)})",
        keep=(o.name,),
        note="One row per engine component; every cell is a formula over the Inputs sheet.",
    )
    price_index = tl.here("price_index", external=True)
    year = tl.here("contract_year", external=True)
    wls = workload_refs(case)
    several = len(wls) > 1
    ds = deliveries(case, i)
    v1 = full_scope(case, o)
    g.section("Drivers")
    if o.waves:
        g.add(
            "wave_share",
            "Share of the scope moved by the waves so far, S(t)",
            f"={wave_formula(i, o)}",
            fmt=st.FACTOR,
            total=False,
        )
    if o.termination is not None:
        in_service_row(g, i)
    if several:  # one escalator for the option, before the workloads' rows
        _escalation(g, o.escalator, p, year, "escalation_index", "Price escalation index")
    for w in wls:
        volume = volume_row(g, tl, w)
        mine = [d for d in ds if d.workload == w]
        for d in mine:
            _vendor_volume(g, case, d, volume)
        if len(mine) != 1 or not mine[0].sole:
            g.add(
                w.key("vendor_volume"),
                w.label("Volume the vendors handle, all lines"),
                "=" + ("+".join(g.here(d.key("vendor_volume")) for d in mine) or "0"),
                fmt=st.NUMBER,
            )
        if not several:
            _escalation(g, o.escalator, p, year, "escalation_index", "Price escalation index")
        for d in mine:
            if isinstance(d.pricing, HourlyPricing):
                owner = pool_owner(o.name, d)
                staffed = partial(hours, owner, w) if hours and w.real_time else None
                _hours(g, d, d.pricing, d.pricing_prefix, staffed)
            if d.has_own("escalator") and d.model is not None:
                _escalation(
                    g,
                    d.model.escalator or o.escalator,
                    d.prefix,
                    year,
                    d.key("escalation_index"),
                    d.label("Price escalation index of the line"),
                )
    if several:
        for key, label in (
            ("volume", "Volume, all workloads"),
            ("vendor_volume", "Volume the vendor handles, all workloads"),
        ):
            g.add(key, label, "=" + "+".join(g.here(w.key(key)) for w in wls), fmt=st.NUMBER)
    groups = billing_groups(case, i)
    for b in groups:
        if not b.alone:
            line = b.line
            shown = line is not None and (
                not line.sole or line.has_own("provider") or line.has_own("location")
            )
            where = f"; {_where(case, line)}" if line is not None and shown else ""
            g.section(f"Billing: {b.tag} ({b.pricing.model}{where})")
        _base_fee(g, b)
        if not b.alone:
            at = g.layout([b.key(k) for k in _INVOICE])
            invoice = _invoice(g, b, p, {k: at[b.key(k)] for k in _INVOICE}, bool(o.waves))
            for k in _INVOICE:
                g.add(b.key(k), b.label(COMPONENT_BY_KEY[k].label), invoice[k])
    if not v1:
        scope_rows(g, case, i, tl, ih, hours)
    if o.termination is not None:  # the fees as signed: the vendor selection's contract value
        signed = (
            _fees(g, groups[0], bool(o.waves))
            if len(groups) == 1
            else "=" + "+".join(g.here(b.key("vendor.fees")) for b in groups)
        )
        termination_rows(g, case, i, signed)
    g.section("Cost components")
    at = g.layout(OPTION_COMPONENTS)
    if len(groups) == 1:
        formulas = _invoice(g, groups[0], p, at, bool(o.waves))
    else:
        formulas = {k: "=" + "+".join(g.here(b.key(k)) for b in groups) for k in _INVOICE}
    formulas["automation"] = _automation(g, case, i, tl, price_index, v1)
    dip_fees = _dip_fees(g, groups, p, at)
    formulas |= _hidden(g, case, p, at, ih, price_index, dip_fees)
    formulas |= _retained(o, p, at, tl.here("wage_index", external=True))
    formulas |= dated_formulas(p[:-1], "", o.dated_costs, o.asset_sales)
    formulas |= tax_formulas(p[:-1], o.taxes, at)
    formulas["inhouse.kept"] = "=0"
    for key in ("termination.fee", "termination.rehiring", "termination.ramp"):
        formulas[key] = "=0"
    if not v1:
        formulas |= scope_components(g, case, i, at, dip_fees)
    if o.termination is not None:
        formulas |= termination_formulas(g, case, i, formulas, ih, tl)
    for key in OPTION_COMPONENTS:
        g.add(key, COMPONENT_BY_KEY[key].label, formulas[key])
    first, last = g.row(OPTION_COMPONENTS[0]), g.row(OPTION_COMPONENTS[-1])
    g.section("Totals")
    g.add("total", f"Total cost: {o.name}", f"=SUM({{c}}{first}:{{c}}{last})", font=st.BOLD)
    return g


def deflected_volume(here: Callable[[str], str], d: Delivery, o: Option) -> str:
    """The units a delivery's automation deflects: the line's volume before automation and
    rework (volume x share x S(t)) x the automation's share from its start month (the line's
    automation, else the option's); ``here`` refers to the option sheet's rows."""
    before = here(d.workload.key("volume"))
    if not d.sole:
        before += f"*{n(d.prefix + 'share')}"
    if o.waves:
        before += f"*{here('wave_share')}"
    a = d.clause("automation")
    return f"{before}*IF({MONTH}>={n(a + 'start_month')},{n(a + 'share')},0)"


def _vendor_volume(g: Grid, case: Case, d: Delivery, volume: str) -> None:
    """The volume a delivery's vendor handles: the workload's volume x the line's share x the
    waves' S(t), after automation (the line's, else the option's)."""
    o = case.options[d.option]
    formula, said = g.here(volume), []
    if not d.sole:
        formula += f"*{n(d.prefix + 'share')}"
        said.append("share")
    if o.waves:
        formula += f"*{g.here('wave_share')}"
        said.append("S(t)")
    label = "Volume the vendor handles"
    if d.automation(case) is not None:
        a = d.clause("automation")
        formula += f"*(1-IF({MONTH}>={n(a + 'start_month')},{n(a + 'share')},0))"
        label += " (after automation)"
    if d.has_own("quality") or o.quality is not None:  # rework handled and billed again
        formula += f"*(1+{n(d.clause('quality') + 'rework_rate')})"
        said.append("(1 + rework rate)")
    if said:
        label = f"{label}: volume x {' x '.join(said)}"
    if not d.sole:
        label += f" ({_where(case, d)})"
    g.add(d.key("vendor_volume"), d.label(label), "=" + formula, fmt=st.NUMBER)


def _escalation(g: Grid, e: Escalator, p: str, year: str, key: str, label: str) -> None:
    cola = n(p + "escalator.cola_per_year")
    if e.cap_per_year is not None:
        cola = f"MIN({cola},{n(p + 'escalator.cap_per_year')})"
    g.add(
        key,
        f"{label} (COLA, cap, productivity)",
        f"=(1+{cola})^{year}*(1-{n(p + 'escalator.productivity_per_year')})^{year}",
        fmt=st.FACTOR,
        total=False,
    )


def _hours(
    g: Grid, d: Delivery, pr: HourlyPricing, pp: str, staffed: Callable[[], str] | None
) -> None:
    """The hours an hourly vendor staffs for a delivery (``vendor.billed_hours``); a line of a
    live workload is staffed by Erlang C on its own share of the traffic (no pooling)."""
    w = d.workload
    key, vv = d.key("productive_hours"), g.here(d.key("vendor_volume"))
    if staffed is not None:
        g.add(
            key,
            d.label("Staffed hours (Erlang C agents x open hours)"),
            f"={staffed()}",
            fmt=st.NUMBER,
        )
        return
    handle = (
        n(pp + "handle_minutes") if pr.handle_minutes is not None else w.input("handle_minutes")
    )
    g.add(
        key,
        d.label("Productive hours (volume x handle time / occupancy)"),
        f"={vv}*{handle}/60/{n(pp + 'occupancy')}",
        fmt=st.NUMBER,
    )


def _summed(g: Grid, b: Billing, key: str, label: str) -> str:
    """The group's sum of a delivery row (the row itself for a group of one delivery)."""
    if len(b.deliveries) == 1:
        return g.here(b.deliveries[0].key(key))
    if b.key(key) not in g.rows:
        g.add(
            b.key(key),
            b.label(label),
            "=" + "+".join(g.here(d.key(key)) for d in b.deliveries),
            fmt=st.NUMBER,
        )
    return g.here(b.key(key))


def _base_fee(g: Grid, b: Billing) -> None:
    """Driver rows down to the group's charge before escalation (``vendor._base_fee``)."""
    pr, pp, k = b.pricing, b.prefix, b.key
    if isinstance(pr, HourlyPricing):
        h = _summed(g, b, "productive_hours", "Hours staffed, billed together")
        if pr.basis == "productive_hour":
            g.add(k("billed_units"), b.label("Billed productive hours"), f"={h}", fmt=st.NUMBER)
        else:
            g.add(
                k("billed_units"),
                b.label("Billed FTE-months"),
                f"={h}/({n(pp + 'paid_hours_per_month')}*(1-{n(pp + 'shrinkage')}))",
                fmt=st.NUMBER,
            )
        g.add(
            k("base_fee"),
            b.label("Charge before escalation (rate x max(billed, minimum))"),
            f"={n(pp + 'rate')}*MAX({g.here(k('billed_units'))},"
            f"{n(pp + 'minimum_billed_per_month')})",
        )
        return
    vv = _summed(g, b, "vendor_volume", "Volume the vendor handles, billed together")
    if isinstance(pr, PerTransactionPricing) and pr.collar is not None:
        c = pp + "collar."
        base = n(c + "baseline_volume")
        g.add(
            k("base_fee"),
            b.label("Collar charge: base + ARC above the band - RRC below it"),
            f"={n(c + 'base_fee_per_month')}+{n(c + 'arc')}*MAX(0,{vv}-{base}"
            f"*(1+{n(c + 'dead_band')}))-{n(c + 'rrc')}*MAX(0,{base}"
            f"*(1-{n(c + 'dead_band')})-{vv})",
        )
    elif isinstance(pr, PerTransactionPricing):
        g.add(
            k("billed_volume"),
            b.label("Billed volume (max of volume and minimum)"),
            f"=MAX({vv},{n(pp + 'minimum_volume_per_month')})",
            fmt=st.NUMBER,
        )
        v = g.here(k("billed_volume"))
        if pr.tiers is None:
            g.add(
                k("base_fee"),
                b.label("Charge before escalation (price x billed volume)"),
                f"={n(pp + 'price')}*{v}",
            )
            return
        t = [pp + f"tiers.{j}." for j in range(len(pr.tiers))]
        if pr.tier_mode == "all_units":
            price = n(t[-1] + "price")
            for j in reversed(range(len(t) - 1)):  # V equal to a bound stays in the lower band
                price = f"IF({v}<={n(t[j] + 'up_to')},{n(t[j] + 'price')},{price})"
            g.add(
                k("tier_price"),
                b.label("Price of the band the billed volume falls in (all units)"),
                f"={price}",
                fmt=st.MONEY_CENTS,
                total=False,
            )
            g.add(
                k("base_fee"),
                b.label("Charge before escalation (billed volume x band price)"),
                f"={v}*{g.here(k('tier_price'))}",
            )
        else:
            terms, lower = [], "0"
            for j, tier in enumerate(t):
                if j < len(t) - 1:
                    up = n(tier + "up_to")
                    terms.append(f"{n(tier + 'price')}*MIN(MAX({v}-{lower},0),{up}-{lower})")
                    lower = up
                else:
                    terms.append(f"{n(tier + 'price')}*MAX({v}-{lower},0)")
            g.add(
                k("base_fee"),
                b.label("Charge before escalation (each band at its price)"),
                "=" + "+".join(terms),
            )
    elif isinstance(pr, OutcomePricing):
        g.add(
            k("base_fee"),
            b.label("Charge before escalation (base + price x outcomes)"),
            f"={n(pp + 'base_fee_per_month')}+{n(pp + 'price_per_outcome')}"
            f"*{vv}*{n(pp + 'outcome_rate')}",
        )


def _fees(g: Grid, b: Billing, waves: bool) -> str:
    """The group's fees: its charge x escalation (the line's own escalator, else the option's),
    none before the first wave, at the base rate of a price in another currency."""
    line = b.line
    escalation = "escalation_index"
    if line is not None and line.has_own("escalator"):
        escalation = line.key("escalation_index")
    charge = f"{g.here(b.key('base_fee'))}*{g.here(escalation)}"
    if waves:
        charge = f"IF({g.here('wave_share')}>0,{charge},0)"
    rate = "" if b.currency is None else f"*{n(b.currency[0] + 'rate')}"
    return f"={charge}{rate}"


def _invoice(g: Grid, b: Billing, p: str, at: dict[str, str], waves: bool) -> dict[str, str]:
    """Formulas of a group's invoice components (``vendor.vendor_components``), written at the
    template references ``at``; ``p`` prefixes the option's inputs. A line's own escalator and
    service credits replace the option's; under waves there are no fees (nor minimum) before
    the first wave."""
    pr = b.pricing
    fees = at["vendor.fees"]
    invoice = f"MAX({fees}+{at['vendor.gainshare']}+{at['vendor.kpi_adjustment']},0)"
    line = b.line
    credits = p + "service_credits." if line is None else line.clause("service_credits")
    # prices in another currency: the fees at the base rate, and its amounts too (``vendor``)
    rate = "" if b.currency is None else f"*{n(b.currency[0] + 'rate')}"
    out = {
        "vendor.fees": _fees(g, b, waves),
        "vendor.gainshare": "=0",
        "vendor.kpi_adjustment": "=0",
        "fx.adjustment": "=0",
    }
    if isinstance(pr, OutcomePricing) and pr.gainshare is not None:
        q = b.prefix + "gainshare."
        s, base = n(q + "share"), n(q + "baseline_cost_per_month") + rate
        cap = pr.gainshare.cap_per_month

        def capped(x: str) -> str:
            return x if cap is None else f"MIN({x},{n(q + 'cap_per_month')}{rate})"

        out["vendor.gainshare"] = "=" + capped(f"{s}*MAX({base}-{fees},0)")
        if pr.gainshare.painshare:
            out["vendor.gainshare"] += "-" + capped(f"{s}*MAX({fees}-{base},0)")
    if isinstance(pr, OutcomePricing) and pr.kpi is not None:
        q = b.prefix + "kpi."
        cap_ = n(q + "cap")
        out["vendor.kpi_adjustment"] = (
            f"={fees}*MAX(-{cap_},MIN({cap_},({n(q + 'expected')}"
            f"-{n(q + 'target')})*{n(q + 'per_point')}))"
        )
    out["vendor.service_credits"] = (
        f"=-({invoice}*{n(credits + 'at_risk_share')}*{n(credits + 'expected_breach_share')})"
    )
    if b.currency is not None:
        out["fx.adjustment"] = (
            f"=({invoice}+{at['vendor.service_credits']})*({_fx_factor(*b.currency)}-1)"
        )
    return out


def _fx_factor(c: str, clause: str) -> str:
    """The clause's factor on the base-rate price (``core.currency.fx_factor``)."""
    if clause == "provider":
        return "1"
    movement = f"((1+{n(c + 'drift_per_year')})^(({MONTH}-1)/12)-1)"
    if clause == "client":
        return f"(1+{movement})"
    return f"(1+{n(c + 'client_share')}*SIGN({movement})*MAX(ABS({movement})-{n(c + 'band')},0))"


def _automation(g: Grid, case: Case, i: int, tl: Grid, price_index: str, v1: bool) -> str:
    """Deflected units at the automation's unit cost, and its build cost (``vendor``); each
    delivery deflects by its line's automation, else the option's (one build cost each)."""
    o = case.options[i]
    ds = [d for d in deliveries(case, i) if d.automation(case) is not None]
    if not ds:
        return "=0"
    if v1 and not any(d.has_own("automation") for d in ds):
        a = f"options.{i}.automation."
        volume = tl.here("volume", external=True)
        return (
            f"={volume}*IF({MONTH}>={n(a + 'start_month')},{n(a + 'share')},0)"
            f"*{n(a + 'cost_per_unit')}*{price_index}+IF({MONTH}={n(a + 'start_month')},"
            f"{n(a + 'build_cost')},0)"
        )
    deflected, builds = [], []
    for d in ds:
        a = d.clause("automation")
        deflected.append(
            f"({deflected_volume(g.here, d, o)})*{n(a + 'cost_per_unit')}*{price_index}"
        )
        build = f"IF({MONTH}={n(a + 'start_month')},{n(a + 'build_cost')},0)"
        if build not in builds:
            builds.append(build)
    return "=" + "+".join(deflected + builds)


def _dip_fees(g: Grid, groups: list[Billing], p: str, at: dict[str, str]) -> str:
    """The fees on which the client pays the productivity dip (``engine.quality``): each
    schedule's fees x 1 when its payer is the client (``dip_paid_by`` client; pricing, on an
    hourly schedule), 0 when the vendor absorbs it."""
    payer = n(p + "transition.dip_paid_by")
    terms = []
    for b in groups:
        fees = at["vendor.fees"] if len(groups) == 1 else g.here(b.key("vendor.fees"))
        hourly = isinstance(b.pricing, HourlyPricing)
        pays = f'IF({payer}="vendor",0,1)' if hourly else f'IF({payer}="client",1,0)'
        terms.append(f"{fees}*{pays}")
    return "(" + "+".join(terms) + ")"


def _hidden(
    g: Grid, case: Case, p: str, at: dict[str, str], ih: Grid, price_index: str, dip_fees: str
) -> dict[str, str]:
    """Formulas of the hidden-cost components (``transition.hidden_components``); ``dip_fees``:
    the fees on which the client pays the productivity dip (``_dip_fees``)."""
    t = p + "transition."
    term = case.term_months
    m = MONTH
    fees = at["vendor.fees"]
    fee_row = g.planned["vendor.fees"]
    all_fees = f"$D${fee_row}:${g.cols[-1]}${fee_row}"
    last_year = f"${g.cols[term - 12]}${fee_row}:${g.cols[-1]}${fee_row}"
    staff = ih.here("staff_cost", external=True)
    tm, prm, ramp = (n(t + "transition_months"), n(t + "parallel_run_months"), n(t + "ramp_months"))
    rse = n(t + "ramp_start_efficiency")
    handover = f"MAX({prm},1)"
    stranded = [
        f"IF(AND({m}>{prm},{m}<={n(f'inhouse.stranded_costs.{k}.months_remaining')}),"
        f"{n(f'inhouse.stranded_costs.{k}.cost_per_month')},0)"
        for k in range(len(case.inhouse.stranded_costs))
    ]
    efficiency = f"IF({m}<={ramp},{rse}+(1-{rse})*({m}-1)/MAX({ramp},1),1)"
    running = "running_total" if "running_total" in ih.rows else "total"  # without dated costs
    return {
        "transition.vendor_selection": f"=IF({m}=1,{n(t + 'vendor_selection_cost')}"
        f"+{n(t + 'vendor_selection_share_of_acv')}"
        f"*(SUM({all_fees})*12/{n('term_months')}),0)",
        "transition.knowledge_transfer": f"=IF({m}<={tm},{n(t + 'transition_team_share')}"
        f"*{staff},0)+IF({m}<=MAX({tm},1),"
        f"{n(t + 'knowledge_transfer_cost')}/MAX({tm},1),0)",
        "transition.parallel_run": f"=IF({m}<={prm},{ih.here(running, external=True)},0)",
        "transition.severance_retention": f"=IF({m}={handover},"
        f"{n(t + 'severance_months_of_pay')}"
        f"*INDEX({ih.span('staff_cost')},{handover}),0)"
        f"+IF({m}<={prm},{n(t + 'retention_share')}"
        f"*{staff},0)",
        "transition.productivity_dip": f"={dip_fees}*(1/{efficiency}-1)",
        "transition.stranded_costs": "=" + ("+".join(stranded) or "0"),
        "governance": f"={n(t + 'governance_share_of_fees')}*{fees}"
        f"+{n(t + 'governance_fte')}*{n(t + 'governance_cost_per_fte_month')}"
        f"*{price_index}",
        "quality_leakage": f"={n(t + 'repeat_rate')}*{fees}",
        "exit": f"=IF(AND({n('include_exit_costs')},{m}={n('term_months')}),"
        f"{n(t + 'exit_share_of_annual_spend')}*SUM({last_year}),0)",
    }


def _retained(o: Option, p: str, at: dict[str, str], wage_index: str) -> dict[str, str]:
    """Formulas of the retained organisation (``retained.retained_components``): the roles loaded
    like in-house pay (the In-house sheet's fixed roles), and the share of fees."""
    if o.retained is None:
        return {"retained.organisation": "=0", "retained.share_of_fees": "=0"}
    r = p + "retained."
    pay = "+".join(
        f"{n(f'{r}roles.{k}.fte')}*{n(f'{r}roles.{k}.wage_per_hour')}"
        for k in range(len(o.retained.roles))
    )
    return {
        "retained.organisation": f"=({pay or 0})*({n('inhouse.paid_hours_per_year')}/12)"
        f"*(1+{n('inhouse.benefits_load')}+{n('inhouse.payroll_tax')})*{wage_index}",
        "retained.share_of_fees": f"={n(r + 'share_of_fees')}*{at['vendor.fees']}",
    }
