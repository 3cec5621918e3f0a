from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from ..core.text import inert
from ..engine.components import display_name
from ..errors import OutputError
from .tables import out

app = typer.Typer(
    name="bpo-cost",
    help="Total cost of ownership: keep a business function in-house or outsource it (BPO).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


CaseArg = Annotated[Path, typer.Argument(help="Case file: .yaml, .json, or a generated .xlsx.")]
RatesOpt = Annotated[
    Path | None, typer.Option("--rates", help="Your own rate card (CSV file or folder); wins.")
]


def money(x: float) -> str:
    return f"{x:,.0f}"


def dump(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)


def who(owner: str) -> str:
    """An owner's display name, inert: case text is never markup or a terminal control."""
    return inert(display_name(owner))


def output_dir(folder: Path, option: str) -> Path:
    """A folder to write into, made if missing; a file of that name is an OutputError."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise OutputError(f"{option} {folder}: not a folder (a file is in the way)") from None
    except OSError as exc:  # a read-only disk, a folder we may not enter
        raise OutputError(f"{option} {folder}: cannot make the folder ({exc.strerror})") from None
    return folder


def console() -> Console:
    """The console for results (see ``tables.out``)."""
    return out()


WideOpt = Annotated[
    bool, typer.Option("--wide", help="Every column, even where the terminal is too narrow.")
]
