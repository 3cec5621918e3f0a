"""Tables that fit the terminal without cutting a number.

On a terminal a table is tried at full precision, then with compact money (``15.57M``), then
without its optional columns (right to left); the first that fits is printed, with a note naming
``--wide`` when columns were left out. Piped output keeps full precision and every column.
"""

from __future__ import annotations

import math
import shutil
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich import box
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

from ..core.text import inert

__all__ = [
    "Cell",
    "Column",
    "amount",
    "compact",
    "full",
    "out",
    "plain",
    "print_table",
    "terminal_width",
]

PIPE_WIDTH = 10_000  # piped output: never wrap a row, whatever its width


def terminal_width() -> int | None:
    """The terminal's width in columns, or None when output goes to a file or a pipe."""
    if not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size().columns


def out(width: int | None = None) -> Console:
    """A console for results: no emoji codes or number colouring applied to case text."""
    w = terminal_width() if width is None else width
    return Console(
        width=w or PIPE_WIDTH, emoji=False, highlight=False, soft_wrap=False, no_color=w is None
    )


def full(x: float) -> str:
    """Money at full precision: ``15,569,383``."""
    return "" if math.isnan(x) else f"{x:,.0f}"


def compact(x: float) -> str:
    """Money in four significant figures with a k/M/B suffix from 100,000 on.

    Examples
    --------
    >>> [compact(x) for x in (15_569_383, 9_762_373, 273_904, 34_622, -1_234_567_890)]
    ['15.57M', '9.762M', '273.9k', '34,622', '-1.235B']
    """
    if math.isnan(x):
        return ""
    a = abs(x)
    for size, suffix, start in ((1e9, "B", 999_950_000), (1e6, "M", 999_950), (1e5, "k", 1e5)):
        if a >= start:  # 999,960 would round to 1000.0k: 1.000M
            unit = 1e3 if suffix == "k" else size
            v = abs(x) / unit
            digits = max(0, 4 - len(str(int(round(v, 2)))))
            return f"{'-' if x < 0 else ''}{v:,.{digits}f}{suffix}"
    return f"{x:,.0f}"


Cell = Callable[[Any, Callable[[float], str]], str]


def amount(value: Any, money: Callable[[float], str]) -> str:
    """A money cell, in the table's money format (full or compact)."""
    return money(value)


def plain(value: Any, _money: Callable[[float], str]) -> str:
    """A cell shown as it is (text already ``inert``, or a number the row formatted)."""
    return str(value)


@dataclass(frozen=True)
class Column:
    """A table column: ``cell(value, money)`` renders a value (None: blank) with a money format."""

    header: str
    cell: Cell
    right: bool = True
    optional: bool = False  # left out first when the terminal is too narrow (see --wide)


def _build(title: str, cols: Sequence[Column], rows: Sequence[Sequence[Any]], money: Any) -> Table:
    t = Table(title=inert(title), box=box.SIMPLE_HEAD, title_justify="left")
    cells = [
        ["" if v is None else c.cell(v, money) for v, c in zip(r, cols, strict=True)] for r in rows
    ]
    for j, c in enumerate(cols):
        # a number is never wrapped or shrunk: its column is at least as wide as its widest cell
        widest = max([len(r[j]) for r in cells] + [len(c.header)]) if c.right else None
        t.add_column(
            inert(c.header),
            justify="right" if c.right else "left",
            no_wrap=c.right,
            min_width=widest,
        )
    for r in cells:
        t.add_row(*r)
    return t


def _size(console: Console, table: Table) -> Measurement:
    """The table's own widths (``Console.measure`` caps them at the console's width)."""
    return console.measure(table, options=console.options.update_width(PIPE_WIDTH))


def print_table(
    title: str,
    cols: Sequence[Column],
    rows: Sequence[Sequence[Any]],
    *,
    wide: bool = False,
    width: int | None = None,
) -> Console:
    """Print ``rows`` (one value per column) as a table that fits; return the console used.

    Cells are made with ``Column.cell``; case text in them must already be ``inert``.
    """
    tw = terminal_width() if width is None else width
    if tw is None:
        console = out(PIPE_WIDTH)
        table = _build(title, cols, rows, full)
        console.width = max(80, _size(console, table).maximum)
        console.print(table)
        return console
    console = out(tw)
    keep = list(range(len(cols)))
    optional = [i for i, c in enumerate(cols) if c.optional][::-1]
    attempts: list[tuple[Callable[[float], str], list[int]]] = [(full, keep), (compact, keep)]
    if not wide:
        dropped = list(keep)
        for i in optional:
            dropped = [k for k in dropped if k != i]
            attempts.append((compact, dropped))
    for money, chosen in attempts:
        sub = [cols[i] for i in chosen]
        table = _build(title, sub, [[r[i] for i in chosen] for r in rows], money)
        if _size(console, table).maximum <= tw:  # fits with nothing wrapped
            console.print(table)
            _note(console, cols, chosen)
            return console
    # Too narrow even so (or --wide): names wrap; if the numbers alone do not fit, print at the
    # table's own width (the terminal folds the lines; no number is cut).
    money, chosen = attempts[1] if wide else attempts[-1]
    sub = [cols[i] for i in chosen]
    table = _build(title, sub, [[r[i] for i in chosen] for r in rows], money)
    size = _size(console, table)
    if size.minimum > tw:
        console.width = size.maximum
    console.print(table)
    _note(console, cols, chosen)
    return console


def _note(console: Console, cols: Sequence[Column], chosen: list[int]) -> None:
    if len(chosen) < len(cols):
        left = ", ".join(cols[i].header for i in range(len(cols)) if i not in chosen)
        console.print(f"[dim]not shown at this width: {inert(left)} (--wide)[/]")
