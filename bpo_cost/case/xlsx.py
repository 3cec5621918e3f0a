"""Read the Inputs sheet of a business-case workbook back into ``(key, value)`` pairs.

A workbook comes from outside (e-mail, a shared drive), so it is read defensively: the archive's
declared sizes and part count are capped before anything is parsed, XML parts declaring a DTD
(the door to entity-expansion "billion laughs" bombs and external entities) are refused, and
openpyxl itself parses through defusedxml, a dependency. Before openpyxl sees it, every XML
part is scanned whole (a stream, in chunks) for a DTD, and the shared strings and the cells of
every sheet are counted, so that a small file that unpacks to millions of strings or cells is
refused in a fraction of a second instead of parsed for minutes. Only the Inputs sheet is read,
in read-only mode, and at most ``MAX_INPUT_ROWS`` rows of it.
"""

from __future__ import annotations

import re
import warnings
import zipfile
import zlib
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from ..errors import BpoCostWarning, InvalidCaseError

__all__ = [
    "HEADER",
    "INPUTS",
    "MAX_CELLS",
    "MAX_CELLS_PER_ROW",
    "MAX_INPUT_ROWS",
    "MAX_PARTS",
    "MAX_SHARED_STRINGS",
    "MAX_UNCOMPRESSED_BYTES",
    "at_cell",
    "read_inputs",
    "read_located",
]

MAX_PARTS = 2_000  # a generated workbook has a few dozen
MAX_UNCOMPRESSED_BYTES = 200_000_000  # declared size of all parts; zipfile never reads past it
MAX_INPUT_ROWS = 10_000
# A generated workbook: a few thousand strings, ~130 cells a row (120 months), ~50,000 cells.
MAX_SHARED_STRINGS = 200_000
MAX_CELLS_PER_ROW = 1_000
MAX_CELLS = 2_000_000  # over all sheets
# The Inputs sheet as the workbook writer lays it out: the title and header it reads back by.
INPUTS = "Inputs"
HEADER = ("Key", "Value", "Unit", "Description", "Source")

_HEADER_SEARCH_ROWS = 20
_CHUNK = 1 << 20
# Tags counted in the scan, with or without a namespace prefix (x:c is a cell to openpyxl too).
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c|si)[\s>/]")
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
        formulas = _column_pairs(path, data_only=False)  # formula cells are said, saved or not
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
    computed: list[str] = []  # cells whose value a formula gave: taken as saved, but said
    for (key, value, row), (_, raw, _) in zip(values, formulas, strict=True):
        if key is None or not str(key).strip():
            continue
        if isinstance(raw, str) and raw.startswith("="):
            if value is None:
                problems.append((str(key).strip(), raw, row))
            else:
                computed.append(f"B{row}")
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
    if computed:
        shown = ", ".join(computed[:10]) + (
            f" and {len(computed) - 10} more" if computed[10:] else ""
        )
        warnings.warn(
            f"{path.name}: {INPUTS}!{shown} hold formulas; their saved values were read "
            "(a changed input they refer to counts only once the workbook is recalculated)",
            BpoCostWarning,
            stacklevel=3,
        )
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
            cells = 0
            for part in parts:
                if part.filename.lower().endswith((".xml", ".rels", ".vml")):
                    with archive.open(part) as f:
                        cells += _scan_part(f, part.filename, path.name, cells)
    except InvalidCaseError:  # a ValueError too: not a damaged file
        raise
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
        raise InvalidCaseError(
            path.name, type(exc).__name__, f"a readable .xlsx workbook ({str(exc)[:120]})"
        ) from None


def _scan_part(f: Any, part: str, name: str, cells_before: int) -> int:
    """Refuse a DTD anywhere in an XML part, too many shared strings or cells; return its cells."""
    kind = part.lower()
    sheet = kind.startswith("xl/worksheets/")
    strings = kind == "xl/sharedstrings.xml"
    count = in_row = 0
    carry = b""
    while chunk := f.read(_CHUNK):
        # NULs out: UTF-16 XML reads as ASCII; cut at the last "<" so no tag spans two chunks
        data = carry + chunk.replace(b"\x00", b"")
        cut = data.rfind(b"<")
        data, carry = (data, b"") if cut <= 0 else (data[:cut], data[cut:])
        upper = data.upper()
        if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
            raise InvalidCaseError(part, "<!DOCTYPE ...>", "XML without a DTD or entities")
        if not (sheet or strings):
            continue
        for tag in _TAG.finditer(data):
            kind_of = tag.group(1)
            if kind_of == b"row":
                in_row = 0
            elif kind_of == b"c" and sheet:
                count += 1
                in_row += 1
                if in_row > MAX_CELLS_PER_ROW or cells_before + count > MAX_CELLS:
                    raise InvalidCaseError(
                        f"{name} {part}",
                        f"more than {MAX_CELLS_PER_ROW:,} cells in a row"
                        if in_row > MAX_CELLS_PER_ROW
                        else f"more than {MAX_CELLS:,} cells",
                        f"a workbook of at most {MAX_CELLS_PER_ROW:,} cells a row and "
                        f"{MAX_CELLS:,} cells in all",
                    )
            elif kind_of == b"si" and strings:
                count += 1
                if count > MAX_SHARED_STRINGS:
                    raise InvalidCaseError(
                        f"{name} {part}",
                        f"more than {MAX_SHARED_STRINGS:,} shared strings",
                        f"a workbook of at most {MAX_SHARED_STRINGS:,} distinct texts",
                    )
    if b"<!DOCTYPE" in carry.upper() or b"<!ENTITY" in carry.upper():
        raise InvalidCaseError(part, "<!DOCTYPE ...>", "XML without a DTD or entities")
    return count if sheet else 0


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
