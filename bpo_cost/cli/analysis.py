"""Decision-analysis commands: sensitivity (tornado), break-even, Monte Carlo."""

from __future__ import annotations

import contextlib
import math
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from ..api import evaluate
from ..case.fields import input_doc, input_label
from ..core.text import inert
from ..engine.components import INHOUSE, display_name
from ..errors import InputError, NoSolutionError
from ._app import CaseArg, RatesOpt, WideOpt, app, console, dump, money, output_dir, who
from .tables import Cell, Column, amount, print_table

if TYPE_CHECKING:  # the analysis layer (and pandas) load when a command runs, not at start
    from ..analysis import BreakEven
    from ..case.models import Case

JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
PlotOpt = Annotated[
    Path | None,
    typer.Option(
        "--plot",
        help="Write PNG charts to this folder (needs matplotlib: pip install 'bpo-cost\\[plot]').",
    ),
]
PROGRESS_FROM = 20_000  # draws: below this a run takes a second or so, no bar needed


def _num(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.4g}"


def _plot_dir(folder: Path) -> Path:
    return output_dir(folder, "--plot")


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_").lower() or "option"


# ------------------------------------------------------------------------------ sensitivity


def _parse_range(text: str) -> tuple[str, tuple[float, float]]:
    path, _, span = text.rpartition("=")
    low, _, high = span.partition(":")
    try:
        return path.strip(), (float(low), float(high))
    except ValueError:
        raise InputError(
            "--range", text, "PATH=LOW:HIGH, e.g. inhouse.attrition_per_year=0.2:0.45"
        ) from None


@app.command("sensitivity")
def sensitivity_cmd(
    case: CaseArg,
    metric: Annotated[
        str, typer.Option("--metric", help="npv_savings, savings, tco or npv_cost.")
    ] = "npv_savings",
    swing: Annotated[
        float, typer.Option("--swing", help="Default range: case value ∓ this share.")
    ] = 0.2,
    inputs: Annotated[
        list[str] | None,
        typer.Option(
            "--input", help="Only this input (repeatable), e.g. workload.volume_per_month."
        ),
    ] = None,
    ranges: Annotated[
        list[str] | None, typer.Option("--range", help="PATH=LOW:HIGH for one input (repeatable).")
    ] = None,
    option: Annotated[
        list[str] | None, typer.Option("--option", help="Only this option (repeatable).")
    ] = None,
    top: Annotated[int, typer.Option("--top", help="Rows shown per option.", min=1)] = 12,
    as_json: JsonOpt = False,
    plot: PlotOpt = None,
    rates: RatesOpt = None,
) -> None:
    """Tornado: swing each input low and high on its own; see what moves each option most.

    Ranges: ±swing of the case value, the P10-P90 of the input's distribution when the case
    has an uncertainty block, or --range.
    """
    from ..analysis import sensitivity as run_sensitivity
    from ..analysis.inputs import prepare

    resolved = prepare(case, rates)
    table = run_sensitivity(
        resolved,
        inputs=inputs,
        swing=swing,
        metric=metric,  # type: ignore[arg-type]  # checked inside
        ranges=dict(_parse_range(r) for r in ranges or []),
    )
    owners = list(dict.fromkeys(table["owner"]))
    for name in option or []:
        if name not in owners:
            raise InputError("--option", name, f"one of {owners}")
    shown = table[table["owner"].isin(option or owners)]
    if plot is not None:
        from ..analysis.plots import tornado_png

        folder = _plot_dir(plot)
        for owner in dict.fromkeys(shown["owner"]):
            path = tornado_png(
                shown,
                folder / f"tornado_{_slug(owner)}.png",
                owner=owner,
                top=top,
                currency=resolved.currency,
            )
            if not as_json:
                console().print(f"wrote {inert(path)}")
    case_model = resolved
    labels = {p: input_label(case_model, p) for p in dict.fromkeys(shown["path"])}
    if as_json:
        records = [
            {k: (v if not isinstance(v, float) or math.isfinite(v) else None) for k, v in r.items()}
            | {"label": labels[r["path"]]}
            for r in shown.to_dict(orient="records")
        ]
        typer.echo(dump({"case": resolved.name, "metric": metric, "rows": records}))
        return
    cur = resolved.currency
    what = _METRIC_WORDS.get(metric, metric)
    num: Cell = lambda v, _m: _num(v)  # noqa: E731
    cols = [
        Column("Input", lambda v, _m: inert(v), right=False),
        Column("Case", num),
        Column("Low → high", lambda v, _m: f"{_num(v[0])} → {_num(v[1])}"),
        Column("At low", amount),
        Column("At high", amount),
        Column("Swing", amount),
    ]
    for owner, rows in shown.groupby("owner", sort=False):
        base = float(rows["base"].iloc[0])
        print_table(
            f"{display_name(str(owner))}: {what} {money(base)} {cur} at the case values "
            f"(top {min(top, len(rows))} of {len(rows)} inputs)",
            cols,
            [
                [
                    labels[r["path"]],
                    r["value"],
                    (r["low_value"], r["high_value"]),
                    r["low"],
                    r["high"],
                    r["swing"],
                ]
                for r in rows.head(top).to_dict(orient="records")
            ],
        )


_METRIC_WORDS = {
    "npv_savings": "NPV of savings",
    "savings": "savings",
    "tco": "TCO",
    "npv_cost": "NPV of cost",
}


# ------------------------------------------------------------------------------- break-even


def _breakeven_record(b: BreakEven | NoSolutionError, case: Case) -> dict[str, Any]:
    if isinstance(b, NoSolutionError):
        return {"found": False, "reason": str(b)}
    return {
        "labels": {path: input_label(case, path) for path in b.inputs},
        "found": True,
        "value": b.value,
        "exact": b.exact,
        "gap": b.gap,
        "cost": b.cost,
        "crossings": list(b.crossings),
        "inputs": b.inputs,
        "basis": b.basis,
    }


def _cell(b: BreakEven | NoSolutionError, case_value: float) -> str:
    if isinstance(b, NoSolutionError):
        return "none in range"
    text = f"{b.value:,.6g} (case {case_value:,.6g})"
    if not b.exact:
        text += f" jump, gap {money(b.gap)}"
    if len(b.crossings) > 1:
        text += f" +{len(b.crossings) - 1} more"
    return text


def _attempt(fn: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return fn(*args, **kwargs)
    except NoSolutionError as exc:
        return exc


@app.command("breakeven")
def breakeven_cmd(
    case: CaseArg,
    option: Annotated[
        list[str] | None,
        typer.Option("--option", help="Option to analyse (repeatable; default: every option)."),
    ] = None,
    against: Annotated[
        str, typer.Option("--against", help="Compare with this option instead of in-house.")
    ] = INHOUSE,
    input_path: Annotated[
        str | None,
        typer.Option("--input", help="Solve for this input instead of price and volume."),
    ] = None,
    volume: Annotated[bool, typer.Option("--volume", help="Only the break-even volume.")] = False,
    workload: Annotated[
        str | None,
        typer.Option("--workload", help="The workload whose volume varies (several workloads)."),
    ] = None,
    price: Annotated[bool, typer.Option("--price", help="Only the break-even price.")] = False,
    share: Annotated[
        int | None,
        typer.Option(
            "--share",
            help="Solve for the share of this delivery line (its index in the option's lines, "
            "from 0); the workload's other lines take the rest.",
            min=0,
        ),
    ] = None,
    low: Annotated[float | None, typer.Option("--low", help="Search from this value.")] = None,
    high: Annotated[float | None, typer.Option("--high", help="Search up to this value.")] = None,
    basis: Annotated[str, typer.Option("--basis", help="tco (undiscounted) or npv_cost.")] = "tco",
    as_json: JsonOpt = False,
    plot: PlotOpt = None,
    rates: RatesOpt = None,
) -> None:
    """Break-even price and volume against in-house (or an option), and the payback month.

    The price or volume at which an option costs what in-house (or another option) costs over
    the term.
    """
    from ..analysis import (
        BreakEven,
        breakeven,
        breakeven_month,
        breakeven_price,
        breakeven_share,
        breakeven_volume,
    )
    from ..analysis.inputs import prepare

    resolved = prepare(case, rates)
    names_of = [w.name for w in resolved.workloads]
    if workload is not None and workload not in names_of:
        raise InputError("--workload", workload, f"one of the case's workloads: {names_of}")
    if volume and workload is None and len(names_of) > 1:
        raise InputError("--workload", "nothing", f"the workload whose volume varies: {names_of}")
    # several workloads and none named: the default run leaves the volume out
    by_volume = workload is not None or len(names_of) == 1
    names = [o.name for o in resolved.options]
    chosen = option or [n for n in names if n != against]
    for name in [*chosen, against]:
        if name not in [INHOUSE, *names]:
            raise InputError(
                "--option" if name != against else "--against", name, f"one of {[INHOUSE, *names]}"
            )
    what = [
        w
        for w, on in (
            ("input", input_path is not None),
            ("volume", volume),
            ("price", price),
            ("share", share is not None),
        )
        if on
    ]
    if len(what) > 1:
        raise InputError("--input/--volume/--price/--share", what, "one of them at a time")
    if (low is not None or high is not None) and not what:
        raise InputError(
            "--low/--high", (low, high), "used with --volume, --price, --share or --input"
        )
    kw: dict[str, Any] = {"against": against, "low": low, "high": high, "basis": basis}
    rows: list[dict[str, Any]] = []
    for name in chosen:
        row: dict[str, Any] = {"option": name, "against": against}
        if input_path is not None:
            row["input"] = _attempt(breakeven, resolved, input_path, owner=name, **kw)
        if share is not None:  # shown as an input: the line's share
            row["input"] = _attempt(breakeven_share, resolved, name, share, **kw)
        if not what or price:
            row["price"] = _attempt(breakeven_price, resolved, name, **kw)
        if (not what and by_volume) or volume:
            row["volume"] = _attempt(breakeven_volume, resolved, name, workload=workload, **kw)
        if not what:
            row["payback_month"] = _attempt(breakeven_month, resolved, name, against=against)
        rows.append(row)
    if plot is not None:
        from ..analysis.plots import cumulative_cost_png

        path = cumulative_cost_png(evaluate(resolved), _plot_dir(plot) / "cumulative_cost.png")
        if not as_json:
            console().print(f"wrote {inert(path)}")
    if as_json:
        data = [
            {
                k: (
                    _breakeven_record(v, resolved)
                    if isinstance(v, (BreakEven, NoSolutionError))
                    else v
                )
                for k, v in r.items()
            }
            for r in rows
        ]
        for r in data:
            if isinstance(r.get("payback_month"), dict):
                r["payback_month"] = None
        typer.echo(dump({"case": resolved.name, "basis": basis, "results": data}))
        return
    _show_breakeven(resolved, rows, input_path, workload)


def _show_breakeven(
    case: Case, rows: list[dict[str, Any]], input_path: str | None, workload: str | None
) -> None:
    """One sentence per option and figure, in labels and units."""
    from ..analysis.breakeven import price_paths, volume_path

    out = console()
    out.print(f"[bold]{inert(case.name)}[/]: break-even over the {case.term_months}-month term")
    varied = case.workload_index(workload) if rows and "volume" in rows[0] else 0
    unit = inert(case.workloads[varied].unit)
    for r in rows:
        name, against = inert(r["option"]), who(r["against"])
        for c in (k for k in ("input", "price", "volume", "payback_month") if k in r):
            v = r[c]
            if c == "payback_month":
                said = (
                    f"{name} never pays back its switching costs against {against}"
                    if isinstance(v, NoSolutionError)
                    else f"{name} has paid back its switching costs by month {v}"
                )
                out.print(f"  {said}")
                continue
            if isinstance(v, NoSolutionError):
                said = str(v).replace(volume_path(case, varied), f"{unit}s a month")
                out.print(f"  {name}: {inert(said.replace('tco ', 'TCO '))}")
                continue
            if c == "input":
                path = next(iter(v.inputs))
                at = f"{inert(input_label(case, path))} = {_num(v.value)}"
                base = _case_value(case, path)
            elif c == "price":
                path = price_paths(case, r["option"])[0]
                doc = input_doc(case, path)
                at = f"{_num(v.value)} {inert(doc.unit)} ({inert(doc.description.lower())})"
                base = _case_value(case, path)
            else:
                at = f"{_num(v.value)} {unit}s a month"
                base = case.workloads[varied].volume_per_month
            verb = "costs the same as" if v.exact else "crosses"
            said = f"{name} {verb} {against} at {at} (case: {_num(base)})"
            if not v.exact:
                said += f"; the costs jump there by {money(abs(v.gap))} {inert(case.currency)}"
            if len(v.crossings) > 1:
                said += f"; {len(v.crossings) - 1} more crossing(s) in the range"
            out.print(f"  {said}")


def _case_value(case: Case, path: str) -> float:
    from ..engine.compile import numeric_inputs

    return numeric_inputs(case).get(path, math.nan)


# ------------------------------------------------------------------------------ Monte Carlo


@app.command("simulate")
def simulate_cmd(
    case: CaseArg,
    n: Annotated[int, typer.Option("-n", "--draws", help="Number of draws.", min=1)] = 10_000,
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed (same seed, same result).", min=0)
    ] = 1,
    chunk_size: Annotated[
        int | None,
        typer.Option("--chunk-size", help="Draws per engine batch (default: the engine's).", min=1),
    ] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", help="Threads (default: CPUs).", min=1)
    ] = None,
    as_json: JsonOpt = False,
    plot: PlotOpt = None,
    rates: RatesOpt = None,
    wide: WideOpt = False,
) -> None:
    """Monte Carlo: percentiles of TCO and savings, and the chance each option is cheapest.

    Draws the case's uncertainty block: percentiles of TCO and NPV of savings, the chance each
    option beats in-house and the chance each is the cheapest.
    """
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from ..analysis import simulate as run_simulate
    from ..analysis import tune_allocator

    tune_allocator()  # this process is ours: let worker threads' heaps keep their memory
    err = Console(stderr=True)
    bar = Progress(
        TextColumn("simulating"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )
    # not started at all when hidden: rich releases before 14.1 print a newline even then
    shown = n >= PROGRESS_FROM and err.is_terminal
    with bar if shown else contextlib.nullcontext():
        task = bar.add_task("draws", total=n)
        sim = run_simulate(
            case,
            n=n,
            seed=seed,
            rate_cards=rates,
            workers=workers,
            **({} if chunk_size is None else {"chunk_size": chunk_size}),  # type: ignore[arg-type]
            progress=lambda done, _: bar.update(task, completed=done),
        )
    if plot is not None:
        from ..analysis.plots import savings_distribution_png

        path = savings_distribution_png(sim, _plot_dir(plot) / "savings_distribution.png")
        if not as_json:
            console().print(f"wrote {inert(path)}")
    if as_json:
        data = sim.to_dict()  # the inputs by path and by label, as everywhere in the CLI
        data["inputs"] = [{"path": p, "label": input_label(sim.case, p)} for p in sim.inputs]
        typer.echo(dump(data))
        return
    s = sim.summary()
    cur = sim.case.currency
    pct: Cell = lambda v, _m: f"{v:.1%}"  # noqa: E731
    cols = [
        Column("Option", lambda v, _m: v, right=False),
        Column("TCO P50", amount, optional=True),
        Column("Savings P5", amount),
        Column("P50", amount),
        Column("P95", amount),
        Column("P(beats in-house)", pct),
        Column("P(cheapest)", pct),
        Column("TCO P5", amount, optional=True),
        Column("TCO P95", amount, optional=True),
    ]
    rows = []
    for owner, r in s.iterrows():
        ih = owner == INHOUSE
        rows.append(
            [who(str(owner)), r["tco_P50"]]
            + (
                [None] * 4
                if ih
                else [
                    r["npv_savings_P5"],
                    r["npv_savings_P50"],
                    r["npv_savings_P95"],
                    r["p_cheaper_than_inhouse"],
                ]
            )
            + [r["p_cheapest"], r["tco_P5"], r["tco_P95"]]
        )
    out = print_table(
        f"{sim.case.name}: {sim.n:,} draws (seed {sim.seed}) of "
        f"{len(sim.inputs)} uncertain inputs, {cur}",
        cols,
        rows,
        wide=wide,
    )
    best = str(s["p_cheapest"].idxmax())
    if best != INHOUSE:
        corr = sim.drivers()[best]
        top = corr.abs().sort_values(ascending=False).head(3).index
        chance = float(s["p_cheapest"].to_numpy().max())
        out.print(
            f"{inert(best)} is the cheapest in {chance:.1%} of draws; its savings move "
            "most with "
            + ", ".join(
                f"{inert(input_label(sim.case, str(k)))} (rank corr. {float(corr[k]):+.2f})"
                for k in top
            ),
        )
    if sys.stdout.isatty() and n < 1000:
        out.print("[dim]few draws: percentiles are rough; try -n 10000 or more[/]")
