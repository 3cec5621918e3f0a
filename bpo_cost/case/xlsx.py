"""Read the Inputs sheet of a business-case workbook back into ``(key, value)`` pairs.

A workbook comes from outside (e-mail, a shared drive), so it is read defensively: the archive's
declared sizes and part count are capped before anything is parsed, XML parts declaring a DTD
(the door to entity-expansion "billion laughs" bombs and external entities) are refused, and
openpyxl itself parses through defusedxml, a dependency. Only the Inputs sheet is read, in
read-only mode, and at most ``MAX_INPUT_ROWS`` rows of it.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from ..errors import InvalidCaseError

__all__ = [
    "HEADER",
    "INPUTS",
    "MAX_INPUT_ROWS",
    "MAX_PARTS",
    "MAX_UNCOMPRESSED_BYTES",
    "at_cell",
    "read_inputs",
    "read_located",
]

MAX_PARTS = 2_000  # a generated workbook has a few dozen
MAX_UNCOMPRESSED_BYTES = 200_000_000  # declared size of all parts; zipfile never reads past it
MAX_INPUT_ROWS = 10_000
# The Inputs sheet as the workbook writer lays it out: the title and header it reads back by.
INPUTS = "Inputs"
HEADER = ("Key", "Value", "Unit", "Description", "Source")

_HEADER_SEARCH_ROWS = 20
_PROLOG_BYTES = 4096
# What a damaged or hostile file raises from zipfile, zlib and openpyxl's parsers.
_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    KeyError,
    ValueError,
    SyntaxError,
    TypeError,
    OSError,
    InvalidFileException,
    EOFError,
    IndexError,
    AttributeError,
    NotImplementedError,
)


def read_inputs(path: str | Path) -> list[tuple[str, Any]]:
    """The ``(key, value)`` pairs of a workbook's Inputs sheet, edits included.

    Parameters
    ----------
    path : a workbook written by ``write_workbook`` (or any .xlsx with an Inputs sheet whose
        columns A:B under a "Key" / "Value" header hold dotted keys and values).

    Returns
    -------
    list of (str, value)
        In sheet order; ``case_io.case_from_pairs`` turns them into a case. Empty keys are
        skipped; an empty value means "use the default".

    Raises
    ------
    InvalidCaseError
        The file is not a readable workbook, exceeds the size limits, contains an XML DTD, has
        no Inputs sheet, or an input cell holds a formula without a saved result.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from bpo_cost import example_path
    >>> from bpo_cost.workbook import write_workbook
    >>> out = write_workbook(example_path("payroll"), pathlib.Path(tempfile.mkdtemp()) / "p.xlsx")
    >>> dict(read_inputs(out))["workload.volume_per_month"]
    10000
    """
    return [(key, value) for key, value, _ in read_located(path)]


def at_cell(line: str, rows: dict[str, int]) -> str:
    """``key must be …`` as ``Inputs!B12 (key) must be …`` when the key has a row."""
    for key in sorted(rows, key=len, reverse=True):
        if line.startswith(key) and line[len(key) : len(key) + 1] in (" ", ":", ""):
            return f"{INPUTS}!B{rows[key]} ({key}){line[len(key) :]}"
    return f"{INPUTS} sheet: {line}"


def read_located(path: str | Path) -> list[tuple[str, Any, int]]:
    """``(key, value, sheet row)`` of every filled key row; every formula problem at once."""
    path = Path(path)
    _check_archive(path)
    try:
        values = _column_pairs(path, data_only=True)
        # only an empty saved value can hide a formula never calculated: read formulas then
        blank = any(v is None and k is not None and str(k).strip() for k, v, _ in values)
        formulas = _column_pairs(path, data_only=False) if blank else values
    except InvalidCaseError:
        raise
    except _ERRORS as exc:
        root: BaseException = exc
        while root.__cause__ is not None:  # openpyxl wraps the parser's error in a ValueError
            root = root.__cause__
        raise InvalidCaseError(
            path.name, type(root).__name__, f"a readable .xlsx workbook ({str(exc)[:120]})"
        ) from None
    found: list[tuple[str, Any, int]] = []
    problems: list[tuple[str, Any, int]] = []
    for (key, value, row), (_, raw, _) in zip(values, formulas, strict=True):
        if key is None or not str(key).strip():
            continue
        if value is None and isinstance(raw, str) and raw.startswith("="):
            problems.append((str(key).strip(), raw, row))
        found.append((str(key).strip(), value, row))
    if problems:
        allowed = (
            "a value: the formula has no saved result "
            "(open the workbook in Excel or LibreOffice and save it)"
        )
        lines = [
            f"{INPUTS}!B{row} ({key}) must be {allowed}: got {raw!r}" for key, raw, row in problems
        ]
        key, raw, _ = problems[0]
        raise InvalidCaseError(key, raw, allowed, errors=lines, message=lines[0])
    return found


def _check_archive(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            if len(parts) > MAX_PARTS:
                raise InvalidCaseError(
                    path.name, f"{len(parts)} parts", f"a workbook of at most {MAX_PARTS} parts"
                )
            size = sum(p.file_size for p in parts)
            if size > MAX_UNCOMPRESSED_BYTES:
                raise InvalidCaseError(
                    path.name,
                    f"{size:,} bytes uncompressed",
                    f"at most {MAX_UNCOMPRESSED_BYTES:,} bytes uncompressed",
                )
            for part in parts:
                if part.filename.lower().endswith((".xml", ".rels", ".vml")):
                    with archive.open(part) as f:
                        prolog = f.read(_PROLOG_BYTES).replace(b"\x00", b"").upper()
                    if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
                        raise InvalidCaseError(
                            part.filename, "<!DOCTYPE ...>", "XML without a DTD or entities"
                        )
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
        raise InvalidCaseError(
            path.name, type(exc).__name__, f"a readable .xlsx workbook ({str(exc)[:120]})"
        ) from None


def _column_pairs(path: Path, *, data_only: bool) -> list[tuple[Any, Any, int]]:
    # Our own file handle: openpyxl leaves its archive open when parsing fails.
    with path.open("rb") as handle:
        wb = load_workbook(handle, read_only=True, data_only=data_only, keep_links=False)
        try:
            return _pairs(wb, path)
        finally:
            wb.close()


def _pairs(wb: Any, path: Path) -> list[tuple[Any, Any, int]]:
    if INPUTS not in wb.sheetnames:
        raise InvalidCaseError(
            path.name,
            wb.sheetnames[:5],
            f"a workbook with an {INPUTS} sheet (one written by bpo-cost workbook)",
        )
    rows = wb[INPUTS].iter_rows(min_col=1, max_col=2, values_only=True)
    number = 0  # the sheet row of each pair, for messages that name the cell
    for _, row in zip(range(_HEADER_SEARCH_ROWS), rows, strict=False):  # at most N rows
        number += 1
        if tuple(row[:2]) == HEADER[:2]:
            break
    else:
        raise InvalidCaseError(
            f"{INPUTS} sheet",
            "no header",
            f"a '{HEADER[0]}' / '{HEADER[1]}' header in the first {_HEADER_SEARCH_ROWS} rows",
        )
    out: list[tuple[Any, Any, int]] = []
    for row in rows:
        if len(out) >= MAX_INPUT_ROWS:
            raise InvalidCaseError(
                f"{INPUTS} sheet",
                f"more than {MAX_INPUT_ROWS} rows",
                f"at most {MAX_INPUT_ROWS} input rows",
            )
        number += 1
        padded = (*row, None, None)
        out.append((padded[0], padded[1], number))
    return out
