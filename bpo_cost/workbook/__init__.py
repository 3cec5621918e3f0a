"""Business-case workbooks: every figure a live Excel formula over a visible Inputs sheet.

``write_workbook(case, path)`` writes one; ``read_inputs(path)`` reads its Inputs sheet back
(``load_case("FILE.xlsx")`` does that for you). Inputs have defined names ``input_name(key)``
(``in_<dotted key with _>``) for sheets added through ``extra_sheets``.
"""

from __future__ import annotations

from ..case.xlsx import read_inputs
from .refs import input_name
from .writer import build_workbook, write_workbook

__all__ = ["build_workbook", "input_name", "read_inputs", "write_workbook"]
