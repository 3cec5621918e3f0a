"""Core commands: demo, evaluate, init, schema, rates, workbook."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.markup import escape
from rich.table import Table

from ..api import evaluate
from ..case.examples import example_path
from ..case.io import load_case
from ..engine.components import INHOUSE
from ..files import atomic_write_bytes, atomic_write_set
from ..result import Result
from ._app import CaseArg, RatesOpt, app, console, dump, money, output_dir, who


def _show(result: Result) -> None:
    s = result.summary()
    cur = result.case.currency
    table = Table(
        title=f"{escape(result.case.name)}: {result.case.term_months} months from "
        f"{result.case.start:%b %Y}, {cur}"
    )
    for col, justify in [
        ("Option", "left"),
        ("Model", "left"),
        (f"TCO ({cur})", "right"),
        ("NPV of cost", "right"),
        ("Savings", "right"),
        ("Savings %", "right"),
        ("NPV of savings", "right"),
        ("Payback", "right"),
        ("IRR", "right"),
        (f"Cost / {result.case.workload.unit}", "right"),
        ("Rank", "right"),
    ]:
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for owner, row in s.iterrows():
        is_ih = owner == INHOUSE
        table.add_row(
            who(str(owner)),
            "" if is_ih else str(row["pricing_model"]),
            money(row["tco"]),
            money(row["npv_cost"]),
            "" if is_ih else money(row["savings"]),
            "" if is_ih or math.isnan(row["savings_pct"]) else f"{row['savings_pct']:.1%}",
            "" if is_ih else money(row["npv_savings"]),
            ""
            if is_ih
            else (
                "never"
                if math.isnan(row["payback_month"])
                else f"month {int(row['payback_month'])}"
            ),
            "" if is_ih or math.isnan(row["irr"]) else f"{row['irr']:.1%}",
            f"{row['cost_per_unit']:,.2f}",
            str(int(row["rank"])),
        )
    out = console()
    out.print(table)
    ranked = s.drop(index=INHOUSE).sort_values("npv_cost")
    name, best = ranked.index[0], ranked.iloc[0]
    verdict = (
        f"[bold]{who(str(name))}[/] saves {money(best['npv_savings'])} {cur} in NPV "
        f"({best['savings_pct']:.1%} of in-house TCO)"
        if best["npv_savings"] > 0
        else "[bold]Keep in-house[/]: no option costs less in NPV"
    )
    out.print(verdict)
    for r in result.rates_used:
        out.print(
            escape(f"  rate {r.path} = {r.value:,.4g} ({r.detail}; {r.source}, as of {r.as_of})")
        )


def _write_csv(result: Result, folder: Path, protect: Path | None) -> list[Path]:
    output_dir(folder, "--csv")
    frames = {
        "components.csv": result.monthly(tidy=True),
        "summary.csv": result.summary(),
        "totals.csv": result.totals(),
    }
    writers = {name: _csv(frame, index=name != "components.csv") for name, frame in frames.items()}
    return atomic_write_set(folder, writers, protect=[protect] if protect else [])


def _csv(frame: pd.DataFrame, *, index: bool) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        frame.to_csv(path, index=index)

    return write


@app.command()
def demo(
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Evaluate the bundled example (a voice customer-service desk) and print the comparison."""
    result = evaluate(example_path())
    if as_json:
        typer.echo(dump(result.to_dict()))
    else:
        _show(result)


@app.command("evaluate")
def evaluate_cmd(
    case: CaseArg,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    csv: Annotated[
        Path | None, typer.Option("--csv", help="Write monthly components to this folder.")
    ] = None,
    rates: RatesOpt = None,
) -> None:
    """Evaluate a case: TCO, NPV, savings, payback and IRR for in-house and every option."""
    result = evaluate(case, rate_cards=rates)
    if csv is not None:
        written = _write_csv(result, csv, case)
        if not as_json:  # keep --json output pure JSON
            for path in written:
                console().print(f"wrote {path}")
    if as_json:
        typer.echo(dump(result.to_dict()))
    else:
        _show(result)


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the starter case.")] = Path(
        "case.yaml"
    ),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter case (the bundled voice desk example) to edit."""
    if path.exists() and not force:
        from ..errors import OutputError

        raise OutputError(f"{path} exists; pass --force to overwrite it")
    atomic_write_bytes(path, example_path().read_bytes())
    console().print(f"wrote {path}: edit it, then run  bpo-cost evaluate {path}")


@app.command()
def schema() -> None:
    """Print the JSON Schema of a case file."""
    from ..case.models import Case

    typer.echo(dump(Case.model_json_schema()))


@app.command()
def rates(
    function: Annotated[str | None, typer.Option("--function", help="e.g. payroll")] = None,
    location: Annotated[str | None, typer.Option("--location", help="ISO code, e.g. PH")] = None,
    user_card: RatesOpt = None,
) -> None:
    """List benchmark rates with their sources (filter by function and location)."""
    from ..rates.cards import load_cards

    frame = load_cards(user_card).frame(function=function, location=location)
    table = Table(title=f"Rate cards ({len(frame)} rows)")
    for col in frame.columns:
        table.add_column(str(col))
    for row in frame.itertuples(index=False):
        table.add_row(*["" if v is None or v != v else escape(str(v)) for v in row])  # NaN != NaN
    console().print(table)


@app.command()
def workbook(
    case: CaseArg,
    output: Annotated[Path, typer.Option("-o", "--output", help="The .xlsx file to write.")],
    rates: RatesOpt = None,
    sensitivity: Annotated[
        bool, typer.Option("--sensitivity", help="Add a Sensitivity sheet (tornado values).")
    ] = False,
    simulate: Annotated[
        int | None,
        typer.Option("--simulate", help="Add a Monte Carlo sheet with N draws.", min=1),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the Monte Carlo draws.")] = 1,
) -> None:
    """Write a business-case workbook in which every number is a live Excel formula.

    Sensitivity and Monte Carlo sheets, when asked for, hold values computed by bpo-cost.
    """
    from ..workbook import write_workbook
    from ..workbook.analysis_sheets import analysis_sheets

    if simulate:
        from ..analysis import tune_allocator

        tune_allocator()  # this process is ours: let malloc keep memory (about 1.5x faster)
    extra = analysis_sheets(sensitivity=sensitivity, simulate_draws=simulate, seed=seed)
    written = write_workbook(
        load_case(case), output, rate_cards=rates, protect=[case], extra_sheets=extra
    )
    console().print(f"wrote {written}")
