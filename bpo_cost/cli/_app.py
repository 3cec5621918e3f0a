from __future__ import annotations

import typer
from rich.console import Console

app = typer.Typer(
    name="bpo-cost",
    help="Total cost of ownership: keep a business function in-house or outsource it (BPO).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def console() -> Console:
    """A console wide enough for the comparison table when output is not a terminal."""
    c = Console()
    return c if c.is_terminal else Console(width=160)
