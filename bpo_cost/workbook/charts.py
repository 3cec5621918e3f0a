"""Native Excel charts for the Summary sheet (they render in LibreOffice too).

A waterfall is drawn as a stacked column chart (an invisible base, decreases, increases and the
two totals): Excel's own waterfall type is a chartex part that openpyxl and LibreOffice cannot
write or read.
"""

from __future__ import annotations

from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.chart._chart import ChartBase
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.text import (
    CharacterProperties,
    Paragraph,
    ParagraphProperties,
    RegularTextRun,
    RichTextProperties,
)
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "PALETTE",
    "annual_chart",
    "bridge_chart",
    "column_cm",
    "cumulative_chart",
    "place",
    "row_cm",
    "small_title",
]

# Series colours, in order, of every chart the workbook draws.
PALETTE = (
    "1F4E78",
    "C55A11",
    "548235",
    "7030A0",
    "BF9000",
    "2E75B6",
    "A5A5A5",
    "843C0C",
    "375623",
    "FF0000",
    "00B0F0",
    "92D050",
    "FFC000",
)


DEFAULT_ROW_POINTS = 15.0  # Excel's row height for Calibri 11
_CM_PER_POINT = 2.54 / 72


def column_cm(ws: Worksheet, column: int, *, digit_px: int = 7) -> float:
    """Width of a column on the page, in cm: width w is ``digit_px`` w + 5 pixels at 96 dpi
    (7 for Calibri 11; a spreadsheet without Calibri draws wider, about 9)."""
    dim = ws.column_dimensions.get(get_column_letter(column))
    if dim is not None and dim.hidden:
        return 0.0
    width = dim.width if dim is not None and dim.width else 8.43
    return float(int(width * digit_px + 5)) * 2.54 / 96


def row_cm(ws: Worksheet, row: int) -> float:
    """Height of a row on the page, in cm."""
    dim = ws.row_dimensions.get(row)
    if dim is not None and dim.hidden:
        return 0.0
    height = dim.height if dim is not None and dim.height else DEFAULT_ROW_POINTS
    return float(height) * _CM_PER_POINT


def place(ws: Worksheet, chart: ChartBase, row: int, column: int) -> tuple[int, int]:
    """Anchor ``chart`` at (row, column) and return the first free row below it and the first
    free column right of it, from the sheet's row heights and column widths."""
    ws.add_chart(chart, f"{get_column_letter(column)}{row}")
    bottom, height = row, 0.0
    while height < chart.height:
        height += row_cm(ws, bottom)
        bottom += 1
    right, width = column, 0.0
    while width < chart.width:
        width += column_cm(ws, right)
        right += 1
    return bottom + 1, right


def small_title(text: str, points: float = 10.0) -> Title:
    """A bold chart title of ``points`` size (the default title is 13-14 pt)."""
    font = CharacterProperties(sz=int(points * 100), b=True)
    paragraph = Paragraph(
        pPr=ParagraphProperties(defRPr=font), r=[RegularTextRun(rPr=font, t=text)]
    )
    return Title(tx=Text(rich=RichText(p=[paragraph])), overlay=False)


def _size(chart: LineChart | BarChart, width: float = 16.0, height: float = 8.5) -> None:
    chart.width, chart.height = width, height
    chart.legend.position = "b"


def cumulative_chart(
    ws: Worksheet, rows: list[tuple[int, str]], first_col: int, last_col: int, month_row: int
) -> LineChart:
    """Cumulative cost by owner over the term: one line per ``(row, name)`` of ``ws``."""
    chart = LineChart()
    chart.title = "Cumulative Cost Over the Term"
    chart.y_axis.title = "Cost"
    chart.x_axis.title = "Month"
    chart.y_axis.numFmt = "#,##0"
    for i, (row, name) in enumerate(rows):
        values = Reference(ws, min_col=first_col, max_col=last_col, min_row=row, max_row=row)
        s = Series(values, title=name)
        s.smooth = False
        s.graphicalProperties.line.solidFill = PALETTE[i % len(PALETTE)]
        s.graphicalProperties.line.width = 22000
        chart.series.append(s)
    chart.set_categories(
        Reference(ws, min_col=first_col, max_col=last_col, min_row=month_row, max_row=month_row)
    )
    chart.x_axis.tickLblSkip = 12
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    _size(chart)
    return chart


def annual_chart(
    ws: Worksheet, header_row: int, rows: list[tuple[int, str]], first_col: int, years: int
) -> BarChart:
    """Annual cost by owner: clustered columns, one series per owner, one group per year."""
    chart = BarChart()
    chart.type = "col"
    chart.title = "Annual Cost by Contract Year"
    chart.y_axis.numFmt = "#,##0"
    last = first_col + years - 1
    for i, (row, name) in enumerate(rows):
        s = Series(
            Reference(ws, min_col=first_col, max_col=last, min_row=row, max_row=row), title=name
        )
        s.graphicalProperties.solidFill = PALETTE[i % len(PALETTE)]
        chart.series.append(s)
    chart.set_categories(
        Reference(ws, min_col=first_col, max_col=last, min_row=header_row, max_row=header_row)
    )
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    _size(chart)
    return chart


def bridge_chart(
    ws: Worksheet,
    first_row: int,
    last_row: int,
    label_col: int,
    base_col: int,
    title: str,
    *,
    slanted: bool = False,
) -> BarChart:
    """A waterfall from stacked columns: base (invisible), decrease, increase, total; a small
    title. ``slanted`` step names for a narrow chart (level ones wrap inside words there)."""
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.gapWidth = 60
    chart.title = small_title(title)
    chart.y_axis.numFmt = '#,##0.0,,"m"'  # millions: a narrow axis leaves the steps room
    colours = (None, "548235", "C00000", "1F4E78")  # base, decrease, increase, total
    names = ("Base", "Decrease", "Increase", "Total")
    for k, (name, colour) in enumerate(zip(names, colours, strict=True)):
        c = base_col + k
        s = Series(
            Reference(ws, min_col=c, max_col=c, min_row=first_row, max_row=last_row), title=name
        )
        if colour is None:
            s.graphicalProperties = GraphicalProperties(noFill=True)
            s.graphicalProperties.line.noFill = True
        else:
            s.graphicalProperties.solidFill = colour
        chart.series.append(s)
    chart.set_categories(
        Reference(ws, min_col=label_col, max_col=label_col, min_row=first_row, max_row=last_row)
    )
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    _size(chart)
    chart.legend = None
    # small step names, level (wrapped) where there is room: the bars keep the chart's height
    size = CharacterProperties(sz=650)
    chart.x_axis.txPr = RichText(
        bodyPr=RichTextProperties(rot=-2_700_000 if slanted else 0, vert="horz"),
        p=[Paragraph(pPr=ParagraphProperties(defRPr=size), endParaRPr=size)],
    )
    chart.visible_cells_only = False  # its series are helper columns, folded away
    return chart
