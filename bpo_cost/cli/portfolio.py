"""``bpo-cost portfolio``: many functions, which to outsource, under constraints, with risk."""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from ..core.arguments import Range, number
from ..core.text import inert
from ..engine.components import INHOUSE
from ..errors import InputError
from ..files import atomic_write_set
from ._app import RatesOpt, WideOpt, app, console, dump, output_dir, who
from .tables import Column, amount, print_table

if TYPE_CHECKING:
    import pandas as pd

    from ..analysis.choice import Plan
    from ..analysis.portfolio import PortfolioResult
    from ..analysis.portfolio_mc import PortfolioSimulation

PortfolioArg = Annotated[Path, typer.Argument(help="Portfolio file: .yaml or .json.")]


def _flush_c_stdio() -> None:
    """Write out what compiled code left in the C library's stdout buffer (where it can)."""
    for lib in ("ucrtbase", None) if sys.platform == "win32" else (None,):
        with contextlib.suppress(OSError, AttributeError, TypeError):
            ctypes.CDLL(lib).fflush(None)
            return


@contextlib.contextmanager
def _quiet_solver() -> Iterator[None]:
    """Send what compiled code writes to the process's stdout (file descriptor 1) nowhere.

    HiGHS (inside scipy) sometimes ``puts`` a debug line
    (``HighsMipSolverData::transformNewIntegerFeasibleSolution tmpSolver.run();``) that would
    land in the table or break ``--json``. The command owns its process, so it can point the
    descriptor at the null device while the solver runs; the library leaves it alone.
    """
    sys.stdout.flush()
    _flush_c_stdio()
    try:
        saved = os.dup(1)
    except OSError:  # no stdout at all (a detached process): nothing to silence
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
        try:
            yield
        finally:
            _flush_c_stdio()  # the C buffer empties into the null device, not after
            os.dup2(saved, 1)
    finally:
        os.close(saved)


def _csv(frame: pd.DataFrame) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        frame.to_csv(path)

    return write


@app.command("portfolio")
def portfolio_cmd(
    file: PortfolioArg,
    optimise: Annotated[
        bool,
        typer.Option(
            "--optimise", help="Choose under the file's constraints (max NPV of savings)."
        ),
    ] = False,
    seconds: Annotated[
        float | None,
        typer.Option(
            "--seconds",
            help="With --optimise: stop the solver after S seconds with the best plan found "
            "and its proven gap.",
            min=0.01,
        ),
    ] = None,
    gap: Annotated[
        float | None,
        typer.Option(
            "--gap",
            help="With --optimise: the relative gap the solver proves (default 0.001: the plan "
            "is worth at least 99.9% of the best; 0: the best plan, however long it takes).",
        ),
    ] = None,
    simulate: Annotated[
        int | None,
        typer.Option("--simulate", help="Portfolio Monte Carlo with N draws.", min=1),
    ] = None,
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed (same seed, same result).", min=0)
    ] = 1,
    at_least: Annotated[
        float | None,
        typer.Option("--at-least", help="With --simulate: P(programme NPV of savings >= X)."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Run the Monte Carlo on this Dask scheduler (tcp://host:8786; "
            "pip install 'bpo-cost\\[dask]').",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    csv: Annotated[
        Path | None,
        typer.Option("--csv", help="Write figures, plan, monthly totals and spend as CSV here."),
    ] = None,
    workbook: Annotated[
        Path | None,
        typer.Option("--workbook", help="Write the portfolio workbook (.xlsx) here."),
    ] = None,
    with_cases: Annotated[
        bool,
        typer.Option(
            "--with-cases", help="With --workbook: each function's business case beside it."
        ),
    ] = False,
    rates: RatesOpt = None,
    wide: WideOpt = False,
) -> None:
    """Evaluate a portfolio of functions: which to outsource, to whom, at what risk.

    Prints one row per function (its best option, or the plan's choice with --optimise), the
    programme by year and the spend by provider. --simulate N draws the shared drivers once
    per draw for every function; --scheduler runs those draws on a Dask cluster.
    """
    for given, name in ((scheduler, "--scheduler"), (at_least, "--at-least")):
        if given is not None and simulate is None:
            raise InputError(name, given, "used with --simulate N")
    if with_cases and workbook is None:
        raise InputError("--with-cases", True, "used with --workbook FILE")
    for given, name in ((seconds, "--seconds"), (gap, "--gap")):
        if given is not None and not optimise:
            raise InputError(name, given, "used with --optimise")
    if gap is not None:
        from ..analysis.choice import MAX_GAP

        number("--gap", gap, Range(0.0, MAX_GAP))  # named as the analyst typed it
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from ..analysis import tune_allocator
    from ..analysis.portfolio import evaluate_portfolio

    tune_allocator()
    err = Console(stderr=True)
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
    )
    shown = err.is_terminal and not as_json
    with bar if shown else contextlib.nullcontext():
        task = bar.add_task("evaluating", total=None)
        result = evaluate_portfolio(
            file,
            rate_cards=rates,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
        sim = None
        if simulate is not None:
            task = bar.add_task("simulating", total=simulate)
            sim = result.simulate(
                simulate,
                seed=seed,
                scheduler=scheduler,
                progress=lambda done, _: bar.update(task, completed=done),
            )
    plan = None
    if optimise:
        with _quiet_solver():
            plan = result.optimise(simulation=sim, seconds=seconds, gap=gap)
    if csv is not None:
        _write_csv(result, plan, csv)
    if workbook is not None:
        from ..workbook.portfolio import write_portfolio_workbook

        written = write_portfolio_workbook(result, workbook, plan=plan, with_cases=with_cases)
        if not as_json:
            for path in written:
                console().print(f"wrote {inert(path)}")
    if as_json:
        data = result.to_dict(plan)
        if plan is not None:
            data["optimised"] = plan.to_dict()
        if sim is not None:
            data["simulation"] = sim.to_dict(plan)
            if at_least is not None:
                data["simulation"]["p_at_least"] = {
                    "amount": at_least,
                    "probability": sim.probability_at_least(at_least, plan),
                }
        typer.echo(dump(data))
        return
    _show(result, plan, sim, at_least, wide=wide)


def _write_csv(result: PortfolioResult, plan: Plan | None, folder: Path) -> None:
    output_dir(folder, "--csv")
    frames = {
        "figures.csv": result.figures(),
        "plan.csv": result.plan_figures(plan),
        "monthly.csv": result.monthly(plan),
        "spend_by_provider.csv": result.spend_by("provider", plan),
        "spend_by_location.csv": result.spend_by("location", plan),
    }
    for path in atomic_write_set(folder, {k: _csv(v) for k, v in frames.items()}):
        console().print(f"wrote {inert(path)}")


def _show(
    result: PortfolioResult,
    plan: Plan | None,
    sim: PortfolioSimulation | None,
    at_least: float | None,
    *,
    wide: bool,
) -> None:
    rows = result.plan_figures(plan)
    cur = result.currency
    cols = [
        Column("Function", lambda v, _m: v, right=False),
        Column("Choice", lambda v, _m: v, right=False),
        Column("Provider", lambda v, _m: v, right=False, optional=True),
        Column("NPV of savings", amount),
        Column("Savings", amount, optional=True),
        Column("Transition", amount, optional=True),
        Column("Headcount", lambda v, _m: f"{v:,.0f}", optional=True),
    ]
    table: list[list[Any]] = []
    for name, r in rows.iterrows():
        out_ = r["owner"] != INHOUSE
        table.append(
            [
                inert(str(name)),
                who(str(r["owner"])),
                inert(str(r["provider"])) if out_ else "",
                r["npv_savings"],
                r["savings"],
                r["transition_spend"],
                r["headcount_moved"],
            ]
        )
    what = "optimised plan" if plan is not None else "best option per function"
    out = print_table(f"{result.name}: {what}, {cur}", cols, table, wide=wide)
    totals = result.totals(plan)
    out.print(
        f"programme: NPV of savings {totals['npv_savings']:,.0f} {inert(cur)}, "
        f"{totals['functions_outsourced']} of {len(rows)} functions outsourced, "
        f"transition spend {totals['transition_spend']:,.0f}, "
        f"headcount moved {totals['headcount_moved']:,.0f}"
    )
    yearly = result.yearly(plan)
    print_table(
        "by programme year",
        [
            Column("Year", lambda v, _m: str(v)),
            Column("Cost", amount),
            Column("Savings", amount),
            Column("Transition", amount),
            Column("Headcount moved", lambda v, _m: f"{v:,.0f}"),
        ],
        [
            [y, r["cost"], r["savings"], r["transition_spend"], r["headcount_moved"]]
            for y, r in yearly.iterrows()
        ],
        wide=wide,
    )
    spend = result.spend_by("provider", plan)
    if len(spend):
        print_table(
            "vendor spend by provider",
            [
                Column("Provider", lambda v, _m: v, right=False),
                Column("Spend", amount),
                Column("Share", lambda v, _m: f"{v:.1%}"),
            ],
            [[inert(str(p)), r["vendor_spend"], r["share"]] for p, r in spend.iterrows()],
            wide=wide,
        )
    if plan is not None:
        out.print(
            f"unconstrained: {plan.unconstrained_value:,.0f}; the constraints cost "
            f"{plan.unconstrained_value - plan.value:,.0f}; no plan is worth more than "
            f"{plan.gap:.2%} above this one (proven)"
        )
        for b in plan.binding:
            least = "" if b.exact else "at least "  # a re-solve ran out of time
            out.print(
                f"binding: {inert(b.constraint)}: dropping it is worth {least}"
                f"{b.worth_if_dropped:,.0f}, relaxing it by 10% {least}{b.worth_if_relaxed:,.0f}"
            )
    if sim is not None:
        p = sim.percentiles(plan)
        out.print(
            f"Monte Carlo ({sim.n:,} draws, seed {sim.seed}): programme NPV of savings "
            f"P5 {p['P5']:,.0f}, P50 {p['P50']:,.0f}, P95 {p['P95']:,.0f}; "
            f"P(saves) {sim.probability_at_least(0.0, plan):.1%}"
            + (
                f"; P(>= {at_least:,.0f}) {sim.probability_at_least(at_least, plan):.1%}"
                if at_least is not None
                else ""
            )
        )
        top = sim.function_drivers(plan).head(3)
        out.print(
            "spread driven most by: "
            + ", ".join(
                f"{inert(str(k))} ({float(r['share_of_variance']):.0%})" for k, r in top.iterrows()
            )
        )
