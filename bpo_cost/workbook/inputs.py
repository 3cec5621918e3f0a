"""The Inputs sheet: every assumption of the case, one ``(key, value)`` pair a row.

Columns A:B are the case itself (``case_io.case_to_pairs``): read-back and the Excel ``BPO_*``
functions take them as they are; the key in small grey type, for machines. C is the input as
people read it (options by name, list items from 1; a Monte Carlo parameter after its input),
D the unit, E what the input means (both in the case model's words, ``case.fields``),
F where the value comes from (the rate card it was read from, the source
of the model default, or the case). Widths are chosen so that most rows take one line. Every input
has a defined name ``in_<key with _>``; values with a range or a fixed set of choices carry data
validation taken from the model, so Excel refuses what read-back would refuse.
"""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..case.fields import input_doc
from ..case.io import NONE, case_to_pairs
from ..case.models import Case
from ..case.paths import Name, canonical_path, from_slashes, parse_path, path_label, segments
from ..case.rules import Rule, generic_key, rule
from ..case.xlsx import HEADER, INPUTS
from ..engine.components import INHOUSE, display_name
from ..errors import InputError
from ..result import Result
from . import styles as st
from .refs import col, input_name, quote

__all__ = ["COLUMNS", "FIRST_INPUT_ROW", "inputs_sheet"]

LISTS = "Lists"
HEADER_ROW = 4
FIRST_INPUT_ROW = HEADER_ROW + 1
# Inputs that shape the sheets rather than feed their formulas (Summary's structure check)
# Columns A:B are the case (read-back); then the input as people read it, unit, meaning, source.
COLUMNS = (*HEADER[:2], "Input", *HEADER[2:])
_WRAPPED = (40.0, 18.0, 48.0, 44.0, 44.0)  # widths: Key, Value, Input, Description, Source
_UNIT_WIDTH = 16.0
_KEY_FONT = Font(name=st.FONT, size=9, color="595959")  # keys: small grey type, for machines
_STRUCTURAL = frozenset(
    {
        "term_months",
        *(
            f"options.{p}pricing.{f}"
            for p in ("", "lines.")
            for f in ("model", "basis", "tier_mode")
        ),
        "options.lines.workload",  # which workload a line bills shapes the billing rows
        "options.contract_currency.clause",  # a currency clause is a formula of its own
        "options.lines.contract_currency.clause",
        "workload.name",  # a line names its workload (the Summary's structure check)
        "workloads.name",
    }
)


def inputs_sheet(wb: Workbook, result: Result) -> Worksheet:
    """Write the Inputs sheet (and the hidden Lists sheet its drop-downs read)."""
    case = result.case
    ws = wb.create_sheet(INPUTS)
    st.title(ws, 1, 1, f"Inputs: {case.name}", keep=(case.name,))
    st.text(
        ws,
        2,
        1,
        "Blue cells are inputs: change them here and every sheet follows. "
        "Columns A:B are the case: bpo-cost evaluate reads this workbook back. Inputs marked "
        "structural shape the sheets: change them in the case file and regenerate.",
        font=st.NOTE_FONT,
    )
    st.heading(ws, HEADER_ROW, list(COLUMNS))
    rates = {r.path: r for r in result.rates_used}
    tree = case.model_dump(mode="json")
    rules: dict[Rule, list[str]] = {}
    row = FIRST_INPUT_ROW
    for key, value in case_to_pairs(case):
        field = input_doc(case, key)
        label, unit, description = _label(tree, key), field.unit, field.description
        if key.startswith("uncertainty."):
            label, unit, description = _uncertainty(case, tree, key)
        st.text(ws, row, 1, key, font=_KEY_FONT)
        _value(ws, row, value, unit, case.currency)
        st.text(ws, row, 3, label)
        st.text(ws, row, 4, unit)
        if generic_key(key) in _STRUCTURAL:
            description += " (structural: regenerate)"
        st.text(ws, row, 5, description)
        if key in rates:
            r = rates[key]
            source = f"Rate card: {r.detail}; {r.source}, as of {r.as_of}"
        elif field.default is not None and value == field.default:
            source = "Default" + (f": {field.source}" if field.source else "")
        else:
            source = "Case"
        st.text(ws, row, 6, source)
        ws.cell(row=row, column=1).alignment = st.SHRINK
        for c in range(2, 7):  # wrapped text shown whole, never cut; a row reads across at top
            ws.cell(row=row, column=c).alignment = st.WRAP
        shown = value if isinstance(value, str) else ""
        if " " not in shown:  # a code (claims_processing): one line, shrunk to fit
            ws.cell(row=row, column=2).alignment = st.SHRINK
            shown = ""
        texts = (shown, label, unit, description, source)
        widths = (_WRAPPED[1], _WRAPPED[2], _UNIT_WIDTH, *_WRAPPED[3:])
        ws.row_dimensions[row].height = max(
            st.wrap_height(t, w) for t, w in zip(texts, widths, strict=True)
        )
        if not key.startswith("uncertainty."):  # distributions feed no formula: no name
            wb.defined_names[input_name(key)] = DefinedName(
                input_name(key), attr_text=f"{quote(INPUTS)}!$B${row}"
            )
        r_ = rule(case, key)
        if r_ is not None and r_.kind not in ("text", "date") and value != NONE:
            rules.setdefault(r_, []).append(f"B{row}")
        row += 1
    last = row - 1
    _range_names(wb, ws, last)
    _validations(wb, ws, rules)
    st.page_setup(
        ws,
        widths={"D": _UNIT_WIDTH} | dict(zip("ABCEF", _WRAPPED, strict=True)),
        freeze=f"C{FIRST_INPUT_ROW}",
        title_rows=f"{HEADER_ROW}:{HEADER_ROW}",
    )
    return ws


def _label(tree: Any, key: str) -> str:
    """An input as people read it: options by name, other list items counted from 1."""
    try:
        steps = parse_path(path_label(tree, key))
    except (KeyError, IndexError, TypeError, ValueError):  # a key the tree has no node for
        steps = tuple(segments(key))
    words: list[str] = []
    node = tree
    for step in steps:
        if isinstance(step, Name) and words:
            words[-1] = step.name  # "Offshore PH" rather than "options, Offshore PH"
        elif isinstance(step, int) and words[-1:] == ["lines"] and _workload_of(node, step):
            words[-1] = _line_label(node, step)  # "Offshore PH > chat line > ..."
        elif isinstance(step, int) and words:
            words[-1] += f" #{step + 1}"
        elif step == INHOUSE and not words:
            words.append(display_name(INHOUSE))  # "In-house", as on every other sheet
        else:
            words.append(str(step).replace("_", " "))
        node = _child(node, step)
    label = " > ".join(words)
    return label[:1].upper() + label[1:]


def _uncertainty(case: Case, tree: Any, key: str) -> tuple[str, str, str]:
    """Label, unit and description of a Monte Carlo parameter: ``uncertainty.<input path, / for
    .>.<parameter>`` reads as "<the input>: <parameter>", in the input's unit."""
    parts = segments(key)
    target, param = from_slashes(parts[1]), parts[2:]
    dist = case.uncertainty.get(target)
    name, canonical = _readable(tree, target)
    kind = dist.kind if dist is not None else "distribution"
    values = ("low", "mode", "high", "mean", "sd", "values")
    if param[0] in values:
        relative = dist is not None and dist.relative
        unit = "share of case value" if relative else input_doc(case, canonical).unit
    else:
        unit = {"kind": "distribution", "relative": "TRUE / FALSE"}.get(param[0], "factor")
    words = param[0].replace("_", " ")
    if param[0] == "values" and len(param) > 1:
        words = f"value #{int(param[1]) + 1}"
    elif param[0] == "weights" and len(param) > 1:
        words = f"weight #{int(param[1]) + 1}"
    elif param[0] == "rank_correlation" and len(param) > 1:
        words = f"rank correlation with {_readable(tree, from_slashes(param[1]))[0]}"
    return f"{name}: {words}", unit, f"Monte Carlo ({kind}): {words.split(' with ')[0]}"


def _readable(tree: Any, path: str) -> tuple[str, str]:
    """An input path as people read it, and its canonical form ("" and the path as written for
    an input the case leaves out)."""
    try:
        canonical = canonical_path(tree, path)
    except InputError:
        return path, ""
    return _label(tree, canonical), canonical


def _child(node: Any, step: Any) -> Any:
    """The node a step leads to in the dumped case (None past its leaves)."""
    if isinstance(step, Name) and isinstance(node, list):
        return next((x for x in node if isinstance(x, dict) and x.get("name") == step.name), None)
    if isinstance(step, int) and isinstance(node, list) and step < len(node):
        return node[step]
    return node.get(step) if isinstance(node, dict) and isinstance(step, str) else None


def _workload_of(lines: Any, j: int) -> str:
    """The workload a line prices ("" if the node is not a list of lines)."""
    line = _child(lines, j)
    return str(line.get("workload", "")) if isinstance(line, dict) else ""


def _line_label(lines: Any, j: int) -> str:
    """A line as people read it: "chat line", numbered as on the option's sheet ("chat line 2")
    when the option has several lines of that workload (a blend or a split award)."""
    workload = _workload_of(lines, j)
    same = [k for k in range(len(lines)) if _workload_of(lines, k) == workload]
    return f"{workload} line" + (f" {j + 1}" if len(same) > 1 else "")


def _value(ws: Worksheet, row: int, value: Any, unit: str, currency: str) -> None:
    if isinstance(value, str):
        st.text(ws, row, 2, value, font=st.INPUT_FONT)
    else:
        fmt = None  # General; dates get st.DAY in put
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if "share" in unit or "decimal" in unit:
                fmt = "0.00%"  # typing 5 into a percentage cell gives 5 % in Excel
            elif unit.startswith(currency):
                fmt = st.MONEY_CENTS
            elif isinstance(value, float) and not value.is_integer():
                fmt = "#,##0.0###"  # 173.3333, not General's 173.333333333
        st.put(ws, row, 2, value, fmt, font=st.INPUT_FONT)
    ws.cell(row=row, column=2).fill = st.INPUT_FILL


def _range_names(wb: Workbook, ws: Worksheet, last: int) -> None:
    """``in_workload_seasonality`` (a workload's 12 factors, for INDEX; one per workload) and
    ``bpo_case`` (A:B)."""
    groups: dict[str, list[int]] = {}
    for r in range(FIRST_INPUT_ROW, last + 1):
        key = str(ws.cell(row=r, column=1).value)
        if generic_key(key) in ("workload.seasonality", "workloads.seasonality"):
            groups.setdefault(key.rsplit(".", 1)[0], []).append(r)
    for key, rows in groups.items():
        if rows != list(range(rows[0], rows[0] + 12)):
            raise RuntimeError(f"seasonality rows are not 12 consecutive rows: {rows}")
        name = input_name(key)
        wb.defined_names[name] = DefinedName(
            name, attr_text=f"{quote(INPUTS)}!$B${rows[0]}:$B${rows[-1]}"
        )
    wb.defined_names["bpo_case"] = DefinedName(
        "bpo_case", attr_text=f"{quote(INPUTS)}!$A${FIRST_INPUT_ROW}:$B${last}"
    )


def _validations(wb: Workbook, ws: Worksheet, rules: dict[Rule, list[str]]) -> None:
    lists = wb.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    st.text(lists, 1, 1, "Allowed values of the Inputs drop-downs")
    list_col = 0
    for r, cells in rules.items():
        allowed = r.describe() if len(r.describe()) < 200 else "a value from the drop-down"
        kw: dict[str, Any] = {
            "allow_blank": True,
            "showErrorMessage": True,
            "errorTitle": "Not allowed",
            "error": f"Must be {allowed}.",
            "showInputMessage": True,
            "prompt": f"Must be {allowed}.",
        }
        if r.kind == "bool":
            dv = DataValidation(type="list", formula1='"TRUE,FALSE"', **kw)
        elif r.kind == "list":
            list_col += 1
            for i, choice in enumerate(r.choices):
                st.text(lists, i + 2, list_col, choice)
            c = col(list_col)
            dv = DataValidation(
                type="list", formula1=f"{quote(LISTS)}!${c}$2:${c}${len(r.choices) + 1}", **kw
            )
        elif r.low is not None and r.high is not None:
            dv = DataValidation(
                type=r.kind, operator="between", formula1=repr(r.low), formula2=repr(r.high), **kw
            )
        elif r.low is not None:
            dv = DataValidation(
                type=r.kind,
                operator="greaterThan" if r.low_strict else "greaterThanOrEqual",
                formula1=repr(r.low),
                **kw,
            )
        elif r.high is not None:
            dv = DataValidation(
                type=r.kind,
                operator="lessThan" if r.high_strict else "lessThanOrEqual",
                formula1=repr(r.high),
                **kw,
            )
        else:
            dv = DataValidation(
                type=r.kind, operator="between", formula1="-1E+307", formula2="1E+307", **kw
            )
        for cell in cells:
            dv.add(cell)
        ws.add_data_validation(dv)
