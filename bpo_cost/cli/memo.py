"""The ``memo`` command: the decision memo of a case as a PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..case.io import load_case
from ._app import CaseArg, RatesOpt, app, console


@app.command()
def memo(
    case: CaseArg,
    output: Annotated[Path, typer.Option("-o", "--output", help="The .pdf file to write.")],
    rates: RatesOpt = None,
    draws: Annotated[
        int,
        typer.Option("--draws", help="Monte Carlo draws for the risk section (0: none).", min=0),
    ] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the Monte Carlo draws.")] = 1,
) -> None:
    """Write a decision memo (PDF, three pages): recommendation, decision table, cost bridge,
    cumulative cost, hidden costs, what moves the answer and the risk. Needs matplotlib."""
    from ..memo import write_memo

    written = write_memo(
        load_case(case), output, rate_cards=rates, draws=draws, seed=seed, protect=(case,)
    )
    console().print(f"wrote {written}")
