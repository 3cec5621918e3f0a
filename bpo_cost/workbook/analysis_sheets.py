"""Sensitivity and Monte Carlo sheets for the business-case workbook (values, native charts).

These sheets hold numbers computed by bpo-cost when the workbook was written, not live formulas
(a Monte Carlo of thousands of draws does not belong in a spreadsheet's recalculation): each
sheet says so at the top. Pass the factories' results to ``write_workbook(extra_sheets=…)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference, ScatterChart, Series
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .. import __version__
from ..analysis import sensitivity as run_sensitivity
from ..analysis import simulate
from ..analysis.inputs import METRIC_LABELS, Metric
from ..case.distributions import Distribution
from ..case.fields import input_label
from ..core.text import title_case
from ..engine.components import INHOUSE, display_name
from ..errors import InputError
from ..result import Result
from .charts import PALETTE, place
from .styles import (
    HEADER_FONT,
    MONEY,
    NOTE_FONT,
    NUMBER,
    PERCENT,
    WRAP,
    heading,
    page_setup,
    put,
    text,
    title,
    wrap_height,
)
from .writer import ExtraSheet

__all__ = ["analysis_sheets", "monte_carlo_sheet", "sensitivity_sheet"]

_HEAD = Alignment(wrap_text=True, vertical="center", horizontal="center")
_LABEL = Alignment(wrap_text=True, vertical="bottom")
_INPUT_WIDTH = 64.0  # Sensitivity column A: an input's label (most on one line)


def _banner(ws: Worksheet, heading: str, note: str) -> None:
    title(ws, 1, 1, heading)
    text(
        ws,
        2,
        1,
        f"Computed by bpo-cost {__version__} when this workbook was written: values, "
        "not live formulas. " + note,
        font=NOTE_FONT,
    )


def sensitivity_sheet(
    *,
    inputs: Sequence[str] | None = None,
    ranges: Mapping[str, tuple[float, float]] | None = None,
    swing: float = 0.2,
    metric: Metric = "npv_savings",
    top: int = 15,
) -> ExtraSheet:
    """A "Sensitivity" sheet: the tornado table of each option and a tornado chart.

    Arguments are those of ``bpo_cost.analysis.sensitivity``; ``top`` inputs per option.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from bpo_cost import example_path
    >>> from bpo_cost.workbook import write_workbook
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "payroll.xlsx"
    >>> _ = write_workbook(example_path("payroll"), out, extra_sheets=[sensitivity_sheet()])
    >>> import openpyxl
    >>> "Sensitivity" in openpyxl.load_workbook(out).sheetnames
    True
    """
    if not isinstance(top, int) or top < 1:
        raise InputError("top", top, "a whole number >= 1")

    def add(wb: Workbook, result: Result) -> None:
        case = result.case
        table = run_sensitivity(case, inputs=inputs, ranges=ranges, swing=swing, metric=metric)
        label = METRIC_LABELS[metric]
        ws = wb.create_sheet("Sensitivity")
        _banner(
            ws,
            f"Sensitivity: what moves the {_lower(label)} most",
            "Each input is moved on its own to a low and a high value, every other input "
            f"at its case value. Ranges: ±{swing:.0%} of the case value, the P10-P90 of the "
            f"input's distribution (uncertainty block), or as given. {case.currency}.",
        )
        row = 4
        heads = [
            "Input",
            "Case value",
            "Low value",
            "High value",
            f"{label} at low",
            f"{label} at high",
            "Change at low",
            "Change at high",
            "Swing",
        ]
        for owner, rows in table.groupby("owner", sort=False):
            rows = rows.head(top)
            base = float(rows["base"].iloc[0])
            name = display_name(str(owner))
            title(
                ws, row, 1, f"{name}: {_lower(label)} {base:,.0f} at the case values", keep=(name,)
            )
            heading(ws, row + 1, heads)
            first = row + 2
            for i, r in enumerate(rows.to_dict(orient="records")):
                at = first + i
                words = input_label(case, str(r["path"]), unit=False)  # the analyst's words
                text(ws, at, 1, words)
                ws.cell(row=at, column=1).alignment = _LABEL  # on the line of its figures
                ws.row_dimensions[at].height = wrap_height(words, _INPUT_WIDTH)
                for c, v in enumerate([r["value"], r["low_value"], r["high_value"]], start=2):
                    put(ws, at, c, float(v), NUMBER)
                for c, v in enumerate(
                    [r["low"], r["high"], r["low"] - base, r["high"] - base, r["swing"]], start=5
                ):
                    put(ws, at, c, float(v), MONEY)
            last = first + len(rows) - 1
            for c in range(1, len(heads) + 1):
                ws.cell(row=row + 1, column=c).alignment = _HEAD
            ws.row_dimensions[row + 1].height = 30
            ws.column_dimensions["A"].width = _INPUT_WIDTH
            for letter in "BCDEFGHI":
                ws.column_dimensions[letter].width = 15
            below, _ = place(
                ws,
                _tornado_chart(ws, first, last, f"{name}: {label}", keep=(name,)),
                row,
                11,
            )
            row = max(last + 3, below)
        page_setup(ws, widths={}, freeze="A4")

    return add


def _lower(label: str) -> str:
    """A metric label inside a sentence: lower case, acronyms (NPV, TCO, IRR) kept."""
    return " ".join(w if w.isupper() else w.lower() for w in label.split(" "))


def _tornado_chart(
    ws: Worksheet, first: int, last: int, heading: str, *, keep: tuple[str, ...]
) -> BarChart:
    chart = BarChart()
    chart.type = "bar"  # horizontal bars
    chart.grouping = "clustered"
    chart.overlap = 100  # low and high bars on one line: a tornado
    chart.gapWidth = 40
    chart.title = title_case(heading, keep=keep)
    for col, name, colour in ((7, "Input low", "C00000"), (8, "Input high", "1F4E78")):
        s = Series(Reference(ws, min_col=col, min_row=first, max_row=last), title=name)
        s.graphicalProperties.solidFill = colour
        chart.series.append(s)
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    chart.y_axis.numFmt = "#,##0"
    chart.x_axis.scaling.orientation = "maxMin"  # largest swing on top
    chart.x_axis.tickLblPos = "low"  # the input names left of the plot, not over the bars
    chart.x_axis.tickLblSkip = 1  # every input named
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.width, chart.height = 18.0, max(9.5, 2.5 + 0.6 * (last - first + 1))
    chart.legend.position = "b"
    return chart


def monte_carlo_sheet(
    *, n: int = 10_000, seed: int = 1, uncertainty: Mapping[str, Distribution] | None = None
) -> ExtraSheet:
    """A "Monte Carlo" sheet: percentiles, chances and an S-curve of the NPV of savings.

    Draws the case's ``uncertainty`` block (plus ``uncertainty``) ``n`` times with ``seed``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from bpo_cost import example_path
    >>> from bpo_cost.workbook import write_workbook
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "claims.xlsx"
    >>> _ = write_workbook(example_path("claims_back_office"), out,
    ...                    extra_sheets=[monte_carlo_sheet(n=500, seed=3)])
    >>> import openpyxl
    >>> openpyxl.load_workbook(out)["Monte Carlo"]["A1"].value
    'Monte Carlo: How Sure Are the Savings?'
    """

    def add(wb: Workbook, result: Result) -> None:
        case = result.case
        sim = simulate(case, n=n, seed=seed, uncertainty=uncertainty)
        ws = wb.create_sheet("Monte Carlo")
        _banner(
            ws,
            "Monte Carlo: how sure are the savings?",
            f"{sim.n:,} draws of {len(sim.inputs)} uncertain inputs, seed {sim.seed}; the "
            f"same seed gives the same numbers. {case.currency}.",
        )
        s = sim.summary()
        q = [c.removeprefix("tco_") for c in s.columns if c.startswith("tco_P")]
        heads = [
            "Owner",
            "TCO (case)",
            "TCO mean",
            *(f"TCO {p}" for p in q),
            "NPV of savings (case)",
            "NPV of savings mean",
            *(f"NPV of savings {p}" for p in q),
            "P(cheaper than in-house)",
            "P(cheapest)",
        ]
        heading(ws, 4, heads)
        for c in range(1, len(heads) + 1):
            ws.cell(row=4, column=c).alignment = _HEAD
        ws.row_dimensions[4].height = 45
        for i, (owner, r) in enumerate(s.iterrows()):
            at = 5 + i
            text(ws, at, 1, display_name(str(owner)))
            values = [r["tco_base"], r["tco_mean"], *(r[f"tco_{p}"] for p in q)]
            if owner != INHOUSE:
                values += [
                    r["npv_savings_base"],
                    r["npv_savings_mean"],
                    *(r[f"npv_savings_{p}"] for p in q),
                ]
            for c, v in enumerate(values, start=2):
                put(ws, at, c, float(v), MONEY)
            c = len(heads) - 1
            if owner != INHOUSE:
                put(ws, at, c, float(r["p_cheaper_than_inhouse"]), PERCENT)
            put(ws, at, c + 1, float(r["p_cheapest"]), PERCENT)
        owners_last = 4 + len(s)
        chance = BarChart()
        chance.type = "col"
        chance.title = "Chance of Being the Cheapest (NPV of Cost)"
        chance.add_data(
            Reference(ws, min_col=len(heads), min_row=4, max_row=owners_last), titles_from_data=True
        )
        chance.set_categories(Reference(ws, min_col=1, min_row=5, max_row=owners_last))
        chance.y_axis.numFmt = "0%"
        chance.y_axis.scaling.min, chance.y_axis.scaling.max = 0.0, 1.0
        chance.legend = None
        chance.x_axis.delete = chance.y_axis.delete = False
        chance.width, chance.height = 14.0, 8.0
        ws.column_dimensions["A"].width = 34
        ws.column_dimensions["B"].width = 16
        for c in range(3, len(heads) + 1):
            ws.column_dimensions[get_column_letter(c)].width = 13

        # the uncertain inputs: parameters over C:E and correlations over G:H (merged), so that
        # the percentile table above keeps even columns
        row = owners_last + 3
        title(ws, row, 1, "Uncertain inputs")
        spans = {1: (1, 1), 2: (2, 2), 3: (3, 5), 4: (6, 6), 5: (7, 8)}  # field: first, last col
        widths = {
            k: 34.0 if k == 1 else 16.0 if k == 2 else 13.0 * (b - a + 1)
            for k, (a, b) in spans.items()
        }
        heads_in = ["Input", "Distribution", "Parameters", "Case value", "Rank correlation with"]
        heading(ws, row + 1, [""] * 8)
        for k, (a, _) in spans.items():
            text(ws, row + 1, a, title_case(heads_in[k - 1]), font=HEADER_FONT)
        for i, (label, value, d) in enumerate(
            zip(sim.labels, sim.case_values, sim.distributions, strict=True)
        ):
            at = row + 2 + i
            params = d.model_dump(
                exclude={"kind", "relative", "rank_correlation"}, exclude_none=True
            )
            cells: dict[int, str] = {
                1: input_label(case, label, unit=False),
                2: d.kind + (" (relative to the case value)" if d.relative else ""),
                3: ", ".join(
                    f"{k} {v:g}" if isinstance(v, float) else f"{k} {v}" for k, v in params.items()
                ),
                5: ", ".join(
                    f"{input_label(case, k, unit=False)} {v:+.2f}"
                    for k, v in d.rank_correlation.items()
                ),
            }
            for k, v in cells.items():
                a, b = spans[k]
                text(ws, at, a, v)
                ws.cell(row=at, column=a).alignment = WRAP  # long input paths shown whole
                if b > a:
                    ws.merge_cells(start_row=at, start_column=a, end_row=at, end_column=b)
            put(ws, at, spans[4][0], value, NUMBER)
            ws.cell(row=at, column=spans[4][0]).alignment = WRAP
            ws.row_dimensions[at].height = max(wrap_height(v, widths[k]) for k, v in cells.items())

        row = row + 3 + len(sim.inputs)
        title(ws, row, 1, "S-curve: chance that the NPV of savings is at most the value shown")
        options = [o for o in sim.owners if o != INHOUSE]
        heading(ws, row + 1, ["Probability", *options], keep=tuple(options))
        probs = np.arange(1, 100) / 100.0
        curve = np.percentile(sim.values("npv_savings")[:, 1:], probs * 100.0, axis=0)
        first = row + 2
        for i, p in enumerate(probs):
            put(ws, first + i, 1, float(p), PERCENT)
            for j in range(len(options)):
                put(ws, first + i, 2 + j, float(curve[i, j]), MONEY)
        last = first + len(probs) - 1
        scurve = ScatterChart()
        scurve.title = "NPV of Savings: Cumulative Probability"
        scurve.style = 13
        scurve.x_axis.title = f"NPV of savings ({case.currency})"
        scurve.y_axis.title = "Probability"
        scurve.x_axis.numFmt = "#,##0"
        scurve.y_axis.numFmt = "0%"
        y = Reference(ws, min_col=1, min_row=first, max_row=last)
        for j, name in enumerate(options):
            x = Reference(ws, min_col=2 + j, min_row=first, max_row=last)
            series = Series(y, x, title=name)
            series.marker.symbol = "none"
            series.smooth = False
            series.graphicalProperties.line.solidFill = PALETTE[j % len(PALETTE)]
            scurve.series.append(series)
        scurve.y_axis.scaling.min, scurve.y_axis.scaling.max = 0.0, 1.0
        scurve.y_axis.tickLblPos = "low"  # percentages left of the plot, not on the curves
        scurve.x_axis.delete = scurve.y_axis.delete = False
        scurve.width, scurve.height = 16.0, 9.0
        scurve.legend.position = "b"
        # the percentile table is the S-curve's data: folded under its title, not printed
        ws.row_dimensions.group(row + 1, last, outline_level=1, hidden=True)
        ws.sheet_properties.outlinePr.summaryBelow = False
        scurve.visible_cells_only = False
        _, right = place(ws, scurve, last + 2, 1)
        place(ws, chance, last + 2, right + 1)
        page_setup(ws, widths={}, freeze="B5")

    return add


def analysis_sheets(
    *, sensitivity: bool = True, simulate_draws: int | None = None, seed: int = 1
) -> list[ExtraSheet]:
    """The extra sheets for ``write_workbook``: Sensitivity, and Monte Carlo when asked."""
    sheets = [sensitivity_sheet()] if sensitivity else []
    if simulate_draws:
        sheets.append(monte_carlo_sheet(n=simulate_draws, seed=seed))
    return sheets
