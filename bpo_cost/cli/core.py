"""Core commands: demo, evaluate, init, schema, rates, workbook."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.padding import Padding

from ..api import evaluate
from ..case.examples import DEFAULT_EXAMPLE, example_names, example_path
from ..case.io import load_case
from ..case.models import POOLED
from ..core.text import inert
from ..engine.components import INHOUSE
from ..errors import InputError, OutputError
from ..files import atomic_write, atomic_write_bytes, atomic_write_set
from ..result import Result
from ._app import CaseArg, RatesOpt, WideOpt, app, console, dump, money, output_dir, who
from .tables import Cell, Column, amount, plain, print_table

if TYPE_CHECKING:
    import pandas as pd


def _pct(x: float) -> str:
    return "" if math.isnan(x) else f"{x:.1%}"


def _show(result: Result, *, wide: bool = False) -> None:
    # from the summary arrays, not the DataFrame: the demo does not wait for pandas to load
    s = result.summary_arrays
    case = result.case
    cur = case.currency
    rows = []
    for i, owner in enumerate(s.owners):
        ih = owner == INHOUSE

        def fig(name: str, i: int = i, ih: bool = ih) -> float | None:
            return None if ih else float(getattr(s, name)[0, i])  # blank: in-house vs itself

        rows.append(
            [
                who(owner),
                "" if ih else inert(result.pricing_model(owner)),
                float(s.tco[0, i]),
                float(s.npv_cost[0, i]),
                fig("savings"),
                fig("savings_pct"),
                fig("npv_savings"),
                fig("payback_month"),
                fig("irr") if ih or result.irr_note(i) is None else result.irr_note(i),
                float(s.cost_per_unit[0, i]),
                int(s.rank[0, i]),
            ]
        )
    cols = [
        Column("Option", plain, right=False),
        Column(f"TCO ({cur})", amount),
        Column("NPV of savings", amount),
        Column("Payback", lambda v, _m: "never" if math.isnan(v) else f"month {int(v)}"),
        Column("Rank", plain),
        Column("Savings", amount, optional=True),
        Column("Savings %", lambda v, _m: _pct(v), optional=True),
        Column("IRR", lambda v, _m: inert(v) if isinstance(v, str) else _pct(v), optional=True),
        Column(f"Cost / {case.unit}", lambda v, _m: f"{v:,.2f}", optional=True),
        Column("NPV of cost", amount, optional=True),
        Column("Model", plain, right=False, optional=True),
    ]
    order = [0, 2, 6, 7, 10, 4, 5, 8, 9, 3, 1]  # row values in the order of cols
    out = print_table(
        f"{case.name}: {case.term_months} months from {case.start:%b %Y}, {cur}, discounted "
        f"{case.discounting.replace('_', ' ')}",
        cols,
        [[row[i] for i in order] for row in rows],
        wide=wide,
    )
    for owner in s.owners[1:]:  # blends, splits, partial scope and waves, in a few words
        said = result.delivery(owner)
        if said is not None:  # indented as a block: a long one wraps under itself
            out.print(Padding(f"{who(owner)}: {inert(said)}", (0, 0, 0, 2)))
    best = min(range(1, len(s.owners)), key=lambda i: float(s.npv_cost[0, i]))
    npv_savings = float(s.npv_savings[0, best])
    verdict = (
        f"[bold]{who(s.owners[best])}[/] saves {money(npv_savings)} {inert(cur)} in NPV "
        f"({npv_savings / float(s.npv_cost[0, 0]):.1%} of in-house NPV of cost)"
        if npv_savings > 0
        else "[bold]Keep in-house[/]: no option costs less in NPV"
    )
    out.print(verdict)
    for used in result.rates_used:
        out.print(
            inert(
                f"  rate {used.path} = {used.value:,.4g} ({used.detail}; {used.source}, "
                f"as of {used.as_of})"
            )
        )


def _show_staffing(result: Result, *, wide: bool = False) -> None:
    """Staffing per owner, workload and measure: month 1, the average month and the peak."""
    frame = result.staffing(wide=True)
    one = result.case.workloads[0].name if len(result.case.workloads) == 1 else None
    rows = []
    for key in frame.columns:
        owner, workload, measure = (str(k) for k in key)
        same = (owner, one, measure)
        if workload == POOLED and same in frame and frame[key].equals(frame[same]):
            continue  # one workload: its totals are its own figures
        values = frame[key]
        rows.append(
            [
                who(owner),
                inert(workload),
                _MEASURE_LABELS[measure],
                float(values.iloc[0]),
                float(values.mean()),
                float(values.max()),
            ]
        )
    figure = lambda v, _m: f"{v:,.1f}"  # noqa: E731  (a cell of the table: people and hours)
    cols = [
        Column("Owner", plain, right=False),
        Column("Workload", plain, right=False),
        Column("Measure", plain, right=False),
        Column("Month 1", figure),
        Column("Average", figure),
        Column("Peak", figure),
    ]
    case = result.case
    print_table(
        f"{case.name}: staffing by month ({case.term_months} months)", cols, rows, wide=wide
    )


_MEASURE_LABELS = {
    "volume": "volume handled",
    "deflected": "deflected volume",
    "agents": "agents / interval",
    "productive_fte": "productive FTE",
    "paid_fte": "paid FTE",
    "billed_hours": "billed hours",
    "billed_fte": "billed FTE",
    "supervisors": "supervisors",
    "seats": "seats",
}


def _write_csv(result: Result, folder: Path, protect: Path | None) -> list[Path]:
    output_dir(folder, "--csv")
    frames = {
        "components.csv": result.monthly(tidy=True),
        "summary.csv": result.summary(),
        "totals.csv": result.totals(),
        "staffing.csv": result.staffing(),
    }
    tidy = ("components.csv", "staffing.csv")
    writers = {name: _csv(frame, index=name not in tidy) for name, frame in frames.items()}
    return atomic_write_set(folder, writers, protect=[protect] if protect else [])


def _csv(frame: pd.DataFrame, *, index: bool) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        frame.to_csv(path, index=index)

    return write


@app.command()
def demo(
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    wide: WideOpt = False,
) -> None:
    """Evaluate the bundled example (a voice customer-service desk) and print the comparison."""
    result = evaluate(example_path())
    if as_json:
        typer.echo(dump(result.to_dict()))
    else:
        _show(result, wide=wide)


@app.command("evaluate")
def evaluate_cmd(
    case: CaseArg,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    csv: Annotated[
        Path | None, typer.Option("--csv", help="Write monthly components to this folder.")
    ] = None,
    staffing: Annotated[
        bool,
        typer.Option(
            "--staffing",
            help="Also the staffing behind the costs: volume, agents, FTE, billed hours, seats.",
        ),
    ] = False,
    rates: RatesOpt = None,
    wide: WideOpt = False,
) -> None:
    """Evaluate a case: TCO, NPV, savings, payback and IRR for in-house and every option."""
    result = evaluate(case, rate_cards=rates)
    if csv is not None:
        written = _write_csv(result, csv, case)
        if not as_json:  # keep --json output pure JSON
            for path in written:
                console().print(f"wrote {inert(path)}")
    if as_json:
        typer.echo(dump(result.to_dict(staffing=staffing)))
    else:
        _show(result, wide=wide)
        if staffing:
            _show_staffing(result, wide=wide)


STARTERS = ("hourly", "per_transaction", "outcome")  # a blank starter per pricing model
SCHEMA_FILE = "bpo-cost.schema.json"  # written beside a new case: editors complete and check it
PORTFOLIO_SCHEMA_FILE = "bpo-cost-portfolio.schema.json"


def _starter(name: str) -> Path:
    return Path(__file__).parent / "starters" / f"{name}.yaml"


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the starter case.")] = Path(
        "case.yaml"
    ),
    example: Annotated[
        str | None,
        typer.Option("--example", help="Start from this bundled example (see bpo-cost examples)."),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(
            "--model", help="A blank starter for this pricing model: " + ", ".join(STARTERS)
        ),
    ] = None,
    portfolio: Annotated[
        bool,
        typer.Option(
            "--portfolio", help="A starter portfolio instead (the bundled insurer, 14 functions)."
        ),
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented case to edit: a bundled example or a blank starter per pricing model.

    The file starts with a yaml-language-server line naming the case schema, written beside it,
    so an editor with YAML support completes field names and checks values as you type.
    """
    if example is not None and model is not None:
        raise InputError("--example/--model", (example, model), "one of them, not both")
    if model is not None and model not in STARTERS:
        raise InputError("--model", model, "one of " + ", ".join(STARTERS))
    if portfolio and (example is not None or model is not None):
        raise InputError("--portfolio", (example, model), "used without --example or --model")
    if path.exists() and not force:
        raise OutputError(f"{path} exists; pass --force to overwrite it")
    if portfolio:
        _init_portfolio(path)
        return
    source = _starter(model) if model else example_path(example or DEFAULT_EXAMPLE)
    text = source.read_text(encoding="utf-8")
    header = f"# yaml-language-server: $schema={SCHEMA_FILE}\n"
    atomic_write_bytes(path, (header + text).encode("utf-8"))
    atomic_write_bytes(path.parent / SCHEMA_FILE, (dump(case_schema()) + "\n").encode("utf-8"))
    console().print(f"wrote {inert(path)}: edit it, then run  bpo-cost evaluate {inert(path)}")


def _init_portfolio(path: Path) -> None:
    from ..case.examples import portfolio_example_path

    text = portfolio_example_path().read_text(encoding="utf-8")
    header = f"# yaml-language-server: $schema={PORTFOLIO_SCHEMA_FILE}\n"
    atomic_write_bytes(path, (header + text).encode("utf-8"))
    schema_text = dump(case_schema(portfolio=True)) + "\n"
    atomic_write_bytes(path.parent / PORTFOLIO_SCHEMA_FILE, schema_text.encode("utf-8"))
    console().print(f"wrote {inert(path)}: edit it, then run  bpo-cost portfolio {inert(path)}")


@app.command()
def examples() -> None:
    """List the bundled examples and the blank starters that bpo-cost init writes."""
    out = console()
    for name in example_names():
        first = example_path(name).read_text(encoding="utf-8").splitlines()[0]
        out.print(f"[bold]{name}[/]: {inert(first.lstrip('# '))}")
    for name in STARTERS:
        out.print(f"[bold]--model {name}[/]: a blank starter with one {name} offer to fill in")
    out.print("write one with:  bpo-cost init my_case.yaml --example NAME  (or --model MODEL)")


_BOUNDS = {"ge": "minimum", "gt": "exclusiveMinimum", "le": "maximum", "lt": "exclusiveMaximum"}


def case_schema(*, portfolio: bool = False) -> dict[str, Any]:
    """The JSON Schema of a case (or a portfolio) with standard bounds (``minimum`` …)."""
    from ..case.models import Case
    from ..case.portfolio import Portfolio

    def standard(node: Any) -> Any:
        if isinstance(node, dict):
            numeric = node.get("type") in ("number", "integer")
            return {
                (_BOUNDS[k] if numeric and k in _BOUNDS else k): standard(v)
                for k, v in node.items()
            }
        if isinstance(node, list):
            return [standard(v) for v in node]
        return node

    if portfolio:
        return dict(standard(Portfolio.model_json_schema()))
    schema: dict[str, Any] = standard(Case.model_json_schema())
    # v1's single `workload:` (a workload without a name) is still a case file: say so
    defs = schema["$defs"]
    one = {**defs["Workload"], "required": [r for r in defs["Workload"]["required"] if r != "name"]}
    defs["WorkloadV1"] = one | {"title": "Workload (v1: the case's only workload)"}
    schema["properties"]["workload"] = {
        "$ref": "#/$defs/WorkloadV1",
        "description": "What the function does: a case of one workload (v1; or workloads)",
    }
    schema["required"] = [r for r in schema["required"] if r != "workloads"]
    schema["oneOf"] = [{"required": ["workloads"]}, {"required": ["workload"]}]
    return schema


@app.command()
def schema(
    portfolio: Annotated[
        bool, typer.Option("--portfolio", help="The schema of a portfolio file instead.")
    ] = False,
) -> None:
    """Print the JSON Schema of a case file: every field's description, unit and bounds."""
    typer.echo(dump(case_schema(portfolio=portfolio)))


def _plain(v: object) -> object:
    """A JSON value: NaN is null, a date is its ISO text."""
    if isinstance(v, float) and math.isnan(v):
        return None
    return v.isoformat() if isinstance(v, dt.date) else v


@app.command()
def rates(
    function: Annotated[str | None, typer.Option("--function", help="e.g. payroll")] = None,
    location: Annotated[str | None, typer.Option("--location", help="ISO code, e.g. PH")] = None,
    tier: Annotated[
        str | None, typer.Option("--tier", help="onshore, nearshore or offshore")
    ] = None,
    card: Annotated[
        str | None, typer.Option("--card", help="wage, billing_hourly or per_transaction")
    ] = None,
    row: Annotated[
        int | None, typer.Option("--row", help="Show every field of row # (sources in full).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the rows as JSON.")] = False,
    csv: Annotated[
        Path | None, typer.Option("--csv", help="Write the rows to this CSV file.")
    ] = None,
    user_card: RatesOpt = None,
    wide: WideOpt = False,
) -> None:
    """List benchmark rates with their sources; filter by function, location, tier and card."""
    from ..rates.cards import load_cards

    cards = load_cards(user_card)
    cards.frame(function=function, location=location)  # refuses an unknown function or location
    frame = cards.frame()
    frame.insert(0, "row", range(1, len(frame) + 1))  # numbered before filtering: stable
    for name, value in (("function", function), ("location", location)):
        if value is not None:
            frame = frame[frame[name] == value]
    for name, value in (("tier", tier), ("card", card)):
        if value is not None:
            known = sorted(frame[name].dropna().unique())
            if value not in known:
                raise InputError(f"--{name}", value, "one of " + ", ".join(known))
            frame = frame[frame[name] == value]
    if row is not None:
        chosen = frame[frame["row"] == row]
        if chosen.empty:
            raise InputError(
                "--row", row, f"a row number shown by this listing (1 to {len(frame)})"
            )
        frame = chosen
    records = [{k: _plain(v) for k, v in r.items()} for r in frame.to_dict(orient="records")]
    if csv is not None:
        atomic_write(csv, lambda path: frame.to_csv(path, index=False))
        if not as_json:
            console().print(f"wrote {inert(csv)} ({len(frame)} rows)")
    if as_json:
        typer.echo(dump(records))
        return
    if row is not None:
        out = console()
        for k, v in records[0].items():
            out.print(f"[bold]{k}[/]: {'' if v is None else inert(v)}")
        return
    if csv is not None:
        return
    text: Cell = lambda v, _m: inert(v)  # noqa: E731
    words: Cell = lambda v, _m: inert(str(v).replace("_", " "))  # noqa: E731  (wraps at words)
    rate: Cell = lambda v, _m: "" if math.isnan(v) else f"{v:,.2f}"  # noqa: E731
    cols = [
        Column("#", text),
        Column("Card", words, right=False),
        Column("Function", words, right=False),
        Column("Loc.", text, right=False),
        Column("Tier", text, right=False, optional=True),
        Column("Unit", text, right=False, optional=True),
        Column("Low", rate),
        Column("Typical", rate),
        Column("High", rate),
        Column("Cur.", text, right=False, optional=True),
        Column("As of", text, optional=True),
        Column("Source", text, right=False, optional=True),
    ]
    keys = ["row", "card", "function", "location", "tier", "unit", "low", "typical", "high"]
    keys += ["currency", "as_of", "source"]
    shown = [[r[k] for k in keys] for r in frame.to_dict(orient="records")]
    print_table(
        f"Rate cards: {len(frame)} rows (--row # for one row's sources and note; --csv, --json)",
        cols,
        shown,
        wide=wide,
    )


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

        tune_allocator()  # this process is ours: let worker threads' heaps keep their memory
    extra = analysis_sheets(sensitivity=sensitivity, simulate_draws=simulate, seed=seed)
    written = write_workbook(
        load_case(case), output, rate_cards=rates, protect=[case], extra_sheets=extra
    )
    console().print(f"wrote {inert(written)}")
