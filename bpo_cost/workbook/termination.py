"""An option's termination on its sheet (docs/methodology.md#termination), as live formulas over
the termination month T on the Inputs sheet, so that editing T recomputes the option.

A(t) = [t <= T] (the vendor serves) masks the vendor's charges, governance, the retained
organisation, quality leakage, the currency movement, the stranded costs and the parallel run;
the kept-work rows (``scope``) take the wave path S(t) x A(t), so ``inhouse.kept`` carries all
the work after T. The fee is the schedule's step at T, the exit cost falls in T on the 12 months
up to it (annualised when fewer), rehiring in T + 1 and the rebuilt team's ramp after it; the
vendor selection stays on the fees as signed. A terminated option always takes the kept-work
rows (``delivery.full_scope``).
"""

from __future__ import annotations

from ..case.models import Case, Option
from ..engine.termination import SERVED as ENGINE_SERVED
from . import styles as st
from .grid import MONTH, MONTH_ROW, Grid
from .refs import input_name as n
from .workloads import workload_refs

__all__ = [
    "IN_SERVICE",
    "SERVED",
    "in_service_row",
    "served_path",
    "termination_formulas",
    "termination_rows",
]

IN_SERVICE = "in_service"  # the row of A(t)
SIGNED = "signed_fees"  # the fees before A(t): the vendor selection prices the signed contract
# The components A(t) masks: the engine's (``engine.termination.SERVED``), and the parallel
# run, which the engine ends with the moved work still running (none after T), and whose formula
# here would go negative after T (the kept work then exceeds the work still running).
SERVED = (*ENGINE_SERVED, "transition.parallel_run")


def in_service_row(g: Grid, i: int) -> None:
    """The row A(t) = [t <= T] of option ``i`` (a driver)."""
    g.add(
        IN_SERVICE,
        "Vendor in service (month <= T), A(t)",
        f"=IF({MONTH}<={n(f'options.{i}.termination.month')},1,0)",
        fmt=st.FACTOR,
        total=False,
    )


def served_path(g: Grid, o: Option) -> str:
    """The moved share of the scope the vendor serves this month: S(t), times A(t) for an option
    with a termination (the work returns in-house after T)."""
    moved = g.here("wave_share") if o.waves else "1"
    if o.termination is None:
        return moved
    served = g.here(IN_SERVICE)
    return served if not o.waves else f"{moved}*{served}"


def termination_rows(g: Grid, case: Case, i: int, signed: str) -> None:
    """The driver rows of a terminated option: the fees as signed (``signed``, the fees formula
    before A(t)), S(T) and the rebuilt team's efficiency e(t)."""
    o = case.options[i]
    q = f"options.{i}.termination."
    m, month = MONTH, n(q + "month")
    g.section("Termination: the contract ends after month T, the work returns in-house")
    g.add(SIGNED, "Vendor fees as signed, for the whole term", signed)
    returned = "1"
    if o.waves:
        returned = f"INDEX({g.span('wave_share', external=False)},{month})"
    g.add(
        "returned_share",
        "Share of the scope returned in-house, S(T)",
        f"={returned}",
        fmt=st.FACTOR,
        total=False,
    )
    ramp, e0 = n(q + "ramp_months"), n(q + "ramp_start_efficiency")
    g.add(
        "rebuilt_efficiency",
        "Efficiency of the rebuilt in-house team, e(t)",
        f"=IF(AND({m}>{month},{m}<={month}+{ramp}),{e0}+(1-{e0})*({m}-{month}-1)/MAX({ramp},1),1)",
        fmt=st.FACTOR,
        total=False,
    )


def termination_formulas(
    g: Grid, case: Case, i: int, formulas: dict[str, str], ih: Grid, tl: Grid
) -> dict[str, str]:
    """The formulas of a terminated option's components (after ``termination_rows``): those of
    ``formulas`` that A(t) masks, the fee, the exit cost, rehiring and the ramp."""
    end = case.options[i].termination
    assert end is not None
    q = f"options.{i}.termination."
    m, month = MONTH, n(q + "month")
    s_t, efficiency = g.here("returned_share"), g.here("rebuilt_efficiency")
    served = g.here(IN_SERVICE)
    out = {k: f"=({formulas[k].removeprefix('=')})*{served}" for k in SERVED}
    # vendor selection: the annual value of the contract as signed, not of the fees served
    fee_row, signed = g.planned["vendor.fees"], g.row(SIGNED)
    selection = formulas["transition.vendor_selection"]
    span = f"$D${fee_row}:${g.cols[-1]}${fee_row}"
    if span not in selection:
        raise RuntimeError(f"the vendor selection does not read the fees row: {selection}")
    out["transition.vendor_selection"] = selection.replace(
        span, f"$D${signed}:${g.cols[-1]}${signed}"
    )
    fee = "0"  # after the last step
    for k in reversed(range(len(end.fees))):
        step = f"{q}fees.{k}."
        fee = f"IF({month}<={n(step + 'up_to_month')},{n(step + 'amount')},{fee})"
    out["termination.fee"] = f"=IF({m}={month},{fee},0)"
    months = f"$D${MONTH_ROW}:${g.cols[-1]}${MONTH_ROW}"
    fees = span  # the months up to T: served and signed alike
    out["exit"] = (
        f"=IF({m}={month},{n(f'options.{i}.transition.exit_share_of_annual_spend')}"
        f"*SUMPRODUCT(({months}>={month}-11)*({months}<={month})*{fees})*12/MIN({month},12),0)"
    )
    agents = "+".join(
        f"{g.here(w.key('scope'))}*{ih.here(w.key('agent_fte'), external=True)}"
        for w in workload_refs(case)
    )
    price_index = tl.here("price_index", external=True)
    out["termination.rehiring"] = (
        f"=IF({m}={month}+1,({agents})*{s_t}*({n('inhouse.cost_per_hire')}"
        f"+{n('inhouse.training_per_hire')})*{price_index},0)"
    )
    out["termination.ramp"] = f"={g.here('moved_staff_cost')}*{s_t}*(1/{efficiency}-1)"
    return out
