"""An option's partial scope and migration waves on its sheet: the work still in-house and the
transition charged wave by wave, as live formulas.

Scope s_w (the option's lines' shares of workload w), waves' path S(t) and hand-over path
H(t) (``delivery``). Kept volume K_w = V_w (1 - s_w S), running volume R_w = V_w (1 - s_w H).
Vc(volumes) is the in-house cost that follows the volume (agents' and supervisors' pay, seats
and hiring), F the fixed roles, their seats and the fixed costs (docs/methodology.md
#in-house-cost): ``inhouse.kept`` = Vc(K) + F while any work is kept;
``transition.parallel_run`` = Vc(R) + F while any work still runs in-house, less the kept cost.
Each wave k (month m_k, moved share d_k) has its own knowledge transfer, severance (at its
hand-over month m_k + max(P, 1) - 1), retention and productivity dip; stranded costs run after
the last hand-over. Options without waves that move every workload whole keep the v1 rows.
"""

from __future__ import annotations

from ..case.models import Case
from . import styles as st
from .costs import HoursRef, inhouse_volume_key
from .delivery import handover_formula, scope_formula
from .grid import MONTH, Grid
from .refs import input_name as n
from .termination import served_path
from .workloads import workload_refs

__all__ = ["KEPT", "RUNNING", "scope_components", "scope_rows"]

KEPT, RUNNING = "kept", "running"  # the Staffing pools of an option's in-house work
_BETTER = "inhouse.improvement."


def _waves(case: Case, i: int) -> list[tuple[str, str]]:
    """(month, moved share d_k) of each wave, as formula text; no waves: month 1, share 1."""
    o = case.options[i]
    if not o.waves:
        return [("1", "1")]
    out, before = [], ""
    for k in range(len(o.waves)):
        w = f"options.{i}.waves.{k}."
        share = n(w + "share")
        out.append((n(w + "month"), f"({share}-{before})" if before else share))
        before = share
    return out


def scope_rows(g: Grid, case: Case, i: int, tl: Grid, ih: Grid, hours: HoursRef | None) -> None:
    """The option's scope, hand-over path, kept and running volumes and their in-house cost."""
    o = case.options[i]
    wls = workload_refs(case)
    returned = ", termination" if o.termination is not None else ""  # the work comes back
    g.section(f"In-house work under this option (partial scope, waves{returned})")
    for w in wls:
        g.add(
            w.key("scope"),
            w.label("Scope: share of the workload the option moves"),
            f"={scope_formula(case, i, w)}",
            fmt=st.FACTOR,
            total=False,
        )
    moved = served_path(g, o)  # S(t), x A(t) under a termination: the work comes back
    g.add(
        "handover_share",
        "Share of the scope handed over (parallel run ended), H(t)",
        f"={handover_formula(i, o)}",
        fmt=st.FACTOR,
        total=False,
    )
    g.add(
        "staff_share",
        "Scope's share of the in-house staff cost (by salaries)",
        "=" + _staff_share(g, case, ih),
        fmt=st.FACTOR,
        total=False,
    )
    g.add(
        "moved_staff_cost",
        "In-house staff cost of the scope (staff cost x share)",
        f"={g.here('staff_share')}*{ih.here('staff_cost', external=True)}",
    )
    price_index = tl.here("price_index", external=True)
    for kind, path, what in (
        (KEPT, moved, "kept (not yet moved, or out of scope)"),
        (RUNNING, g.here("handover_share"), "still running (not yet handed over)"),
    ):
        _volume_cost(g, case, i, kind, path, what, tl, hours)
    g.add(
        "inhouse_fixed",
        "In-house fixed cost F (fixed roles, their seats, fixed costs)",
        f"={ih.here('inhouse.other_staff', external=True)}+{ih.here('other_heads', external=True)}"
        f"*({n('inhouse.facilities_per_seat_month')}+{n('inhouse.it_per_seat_month')})"
        f"*{price_index}+{ih.here('inhouse.fixed', external=True)}",
    )


def _staff_share(g: Grid, case: Case, ih: Grid) -> str:
    wls = workload_refs(case)
    if len(wls) == 1:
        return g.here(wls[0].key("scope"))
    pay = [ih.here(w.key("inhouse.salaries"), external=True) for w in wls]
    moved = "+".join(f"{g.here(w.key('scope'))}*{s}" for w, s in zip(wls, pay, strict=True))
    return f"({moved})/({'+'.join(pay)})"


def _volume_cost(
    g: Grid,
    case: Case,
    i: int,
    kind: str,
    path: str,
    what: str,
    tl: Grid,
    hours: HoursRef | None,
) -> None:
    """Volumes, agents and the volume-driven in-house cost Vc of the work ``kind``."""
    o = case.options[i]
    wls = workload_refs(case)
    better = case.inhouse.improvement
    gain = ""
    if better is not None:
        year = tl.here("contract_year", external=True)
        gain = f"*(1-{n(_BETTER + 'productivity_per_year')})^{year}"
    month_hours = f"({n('inhouse.paid_hours_per_year')}/12)"
    wage_index = tl.here("wage_index", external=True)
    price_index = tl.here("price_index", external=True)
    for w in wls:
        vol = w.key(f"{kind}_volume")
        g.add(
            vol,
            w.label(f"Volume {what}"),
            f"={g.here(w.key('volume'))}*(1-{g.here(w.key('scope'))}*{path})",
            fmt=st.NUMBER,
        )
        handled = vol
        if inhouse_volume_key(case, w) != w.key("volume"):  # the improvement's automation
            a = _BETTER + "automation."
            handled = w.key(f"{kind}_handled")
            g.add(
                handled,
                w.label("Volume the in-house agents handle (after in-house automation)"),
                f"={g.here(vol)}*(1-IF({MONTH}>={n(a + 'start_month')},{n(a + 'share')},0))",
                fmt=st.NUMBER,
            )
        if w.real_time is None or hours is None:
            staffed = (
                f"={g.here(handled)}*{w.inhouse('handle_minutes')}/60/{w.inhouse('occupancy')}"
                + gain
            )
        else:
            staffed = f"={hours(f'{o.name} {kind}', w)}{gain}"
        g.add(w.key(f"{kind}_hours"), w.label("In-house staffed hours"), staffed, fmt=st.NUMBER)
        g.add(
            w.key(f"{kind}_fte"),
            w.label("In-house agent FTE"),
            f"={g.here(w.key(f'{kind}_hours'))}/({month_hours}*(1-{w.inhouse('shrinkage')}))",
            fmt=st.NUMBER,
            total=False,
        )
    fte = "+".join(g.here(w.key(f"{kind}_fte")) for w in wls)
    g.add(
        f"{kind}_supervisors",
        f"Supervisors of the work {kind} (FTE / span)",
        f"=({fte})/{n('inhouse.supervision_span')}",
        fmt=st.NUMBER,
        total=False,
    )
    sup = g.here(f"{kind}_supervisors")
    load = f"(1+{n('inhouse.benefits_load')}+{n('inhouse.payroll_tax')})"
    pay = "+".join(f"{g.here(w.key(f'{kind}_fte'))}*{w.inhouse('wage_per_hour')}" for w in wls)
    g.add(
        f"{kind}_cost",
        f"Vc: in-house cost that follows the volume {kind}",
        f"=({pay})*{month_hours}*{wage_index}*{load}"
        f"+{sup}*{n('inhouse.supervisor_wage_per_hour')}*{month_hours}*{load}*{wage_index}"
        f"+(({fte})+{sup})*({n('inhouse.facilities_per_seat_month')}"
        f"+{n('inhouse.it_per_seat_month')})*{price_index}"
        f"+({fte})*{n('inhouse.attrition_per_year')}/12*({n('inhouse.cost_per_hire')}"
        f"+{n('inhouse.training_per_hire')})*{price_index}",
    )


def scope_components(
    g: Grid, case: Case, i: int, at: dict[str, str], dip_fees: str
) -> dict[str, str]:
    """The option's components that follow its scope and waves (replacing the v1 formulas);
    ``dip_fees``: the fees on which the client pays the productivity dip."""
    o = case.options[i]
    wls = workload_refs(case)
    t = f"options.{i}.transition."
    m = MONTH
    moved = g.here("wave_share") if o.waves else "1"
    fixed = g.here("inhouse_fixed")
    served = served_path(g, o)
    some_kept = "MIN(" + ",".join(f"{g.here(w.key('scope'))}*{served}" for w in wls) + ")<1"
    some_running = (
        "MIN("
        + ",".join(f"{g.here(w.key('scope'))}*{g.here('handover_share')}" for w in wls)
        + ")<1"
    )
    kept = f"{g.here(f'{KEPT}_cost')}+IF({some_kept},{fixed},0)"
    tm, prm = n(t + "transition_months"), n(t + "parallel_run_months")
    rse, ramp = n(t + "ramp_start_efficiency"), n(t + "ramp_months")
    share_cost = g.here("moved_staff_cost")
    waves = _waves(case, i)
    kt, sev, dip = [], [], []
    for month, d in waves:
        kt.append(
            f"IF(AND({m}>={month},{m}<{month}+{tm}),{n(t + 'transition_team_share')}"
            f"*{share_cost}*{d},0)+IF(AND({m}>={month},{m}<{month}+MAX({tm},1)),"
            f"{n(t + 'knowledge_transfer_cost')}*{d}/MAX({tm},1),0)"
        )
        sev.append(
            f"IF({m}={month}+MAX({prm},1)-1,{n(t + 'severance_months_of_pay')}"
            f"*{share_cost}*{d},0)+IF(AND({m}>={month},{m}<{month}+{prm}),"
            f"{n(t + 'retention_share')}*{share_cost}*{d},0)"
        )
        age = f"({m}-{month}+1)"
        efficiency = f"IF({age}<={ramp},{rse}+(1-{rse})*({age}-1)/MAX({ramp},1),1)"
        dip.append(f"IF({m}>={month},{d}/{moved}*(1/{efficiency}-1),0)")
    last = waves[-1][0]
    stranded = [
        f"IF(AND({m}>{last}+{prm}-1,{m}<={n(f'inhouse.stranded_costs.{k}.months_remaining')}),"
        f"{n(f'inhouse.stranded_costs.{k}.cost_per_month')},0)"
        for k in range(len(case.inhouse.stranded_costs))
    ]
    return {
        "inhouse.kept": f"={kept}",
        "transition.parallel_run": f"={g.here(f'{RUNNING}_cost')}"
        f"+IF({some_running},{fixed},0)-({kept})",
        "transition.knowledge_transfer": "=" + "+".join(kt),
        "transition.severance_retention": "=" + "+".join(sev),
        "transition.productivity_dip": f"={dip_fees}*(" + "+".join(dip) + ")",
        "transition.stranded_costs": "=" + ("+".join(stranded) or "0"),
    }
