"""Reference commands: what the engine computes."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from ..core.text import inert
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


ADDIN_FILES = ("bpo_cost.xlsm", "lite/main.py", "lite/requirements.txt")


def _xlwings_pin() -> str:
    """The xlwings requirement of the ``excel`` extra, as installed (the workbook's VBA is its)."""
    from importlib.metadata import PackageNotFoundError, requires

    try:
        wanted = requires("bpo-cost") or []
    except PackageNotFoundError:  # running from a source tree that was never installed
        wanted = []
    pins = [r.split(";")[0].strip() for r in wanted if r.startswith("xlwings") and "excel" in r]
    return pins[0] if pins else "xlwings (the release in pyproject.toml's excel extra)"


@app.command()
def addin(
    folder: Annotated[Path, typer.Argument(help="Folder to copy the add-in files into.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite files already there.")] = False,
) -> None:
    """Copy the Excel add-in workbook (bpo_cost.xlsm) and the xlwings Lite files out of the package.

    Desktop Excel on Windows: open bpo_cost.xlsm (steps in the project's addin/README.md).
    xlwings Lite: paste lite/main.py and lite/requirements.txt into its editor's tabs.
    """
    from .._resources import data_dir
    from ..errors import OutputError
    from ..files import atomic_write_bytes
    from ._app import console, output_dir

    source = data_dir("addin")
    output_dir(folder, "folder")
    targets = [(source / name, folder / name) for name in ADDIN_FILES]
    missing = [str(s.name) for s, _ in targets if not s.is_file()]
    if missing:
        raise OutputError(f"this installation has no add-in files ({', '.join(missing)} missing)")
    clash = [str(t) for _, t in targets if t.exists()]
    if clash and not force:
        raise OutputError(f"{clash[0]} exists; pass --force to overwrite it")
    out = console()
    for src, target in targets:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(target, src.read_bytes())
        out.print(f"wrote {inert(target)}", highlight=False)
    out.print(
        inert(
            f"bpo_cost.xlsm needs {_xlwings_pin()} in the Python that Excel uses: "
            'pip install "bpo-cost[excel]" (from a wheel file: pip install "FILE.whl[excel]")'
        ),
        highlight=False,
    )
