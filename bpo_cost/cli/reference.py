"""Reference commands: what the engine computes."""

from __future__ import annotations

import dataclasses
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from ..engine.components import COMPONENTS
from ._app import app, dump

_WIDTH = 80  # the table wraps its labels to fit a classic terminal


@app.command()
def components(
    as_json: Annotated[
        bool, typer.Option("--json", help="Print every field, descriptions included, as JSON.")
    ] = False,
) -> None:
    """List the cost components: key, label and the owners that have them."""
    if as_json:
        typer.echo(dump([dataclasses.asdict(c) for c in COMPONENTS]))
        return
    table = Table(title=f"Cost components ({len(COMPONENTS)})", box=box.SIMPLE_HEAD)
    table.add_column("Key", no_wrap=True)
    table.add_column("Label")
    table.add_column("Owners", no_wrap=True)
    for c in COMPONENTS:
        table.add_row(c.key, c.label, ", ".join(c.owners))
    out = Console()
    if not out.is_terminal or out.width > _WIDTH:
        out = Console(width=_WIDTH)
    out.print(table)
