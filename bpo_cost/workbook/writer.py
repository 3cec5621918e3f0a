"""Write a business-case workbook: every figure a live formula over a visible Inputs sheet."""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from openpyxl import Workbook

from .. import __version__
from ..api import CaseSource, evaluate
from ..case.models import Case
from ..errors import InputError, OutputError
from ..files import atomic_write_bytes, reproducible_zip
from ..rates.cards import RateCards
from ..result import Result
from .cashflows import Owner, cashflows_sheet
from .costs import inhouse_sheet, timeline_sheet
from .inputs import LISTS, inputs_sheet
from .method import method_sheet
from .options import option_sheet
from .refs import check_name, check_title
from .staff_summary import STAFFING_SUMMARY, staffing_summary_sheet
from .staffing import INHOUSE_POOL, StaffingPlan
from .styles import print_headers, xml_text
from .summary import summary_sheet
from .validity import check_workbook
from .workloads import workload_refs

__all__ = ["APPLICATION", "RESERVED_TITLES", "ExtraSheet", "build_workbook", "write_workbook"]

# The "application" document property: ours, not the writing library's version, so that a case
# gives the same file whatever openpyxl release pip resolved.
APPLICATION = f"Microsoft Excel Compatible / bpo-cost {__version__}"

ExtraSheet = Callable[[Workbook, Result], None]

# Sheets this writer makes, and those the decision-analysis face adds through extra_sheets.
RESERVED_TITLES = (
    "Summary",
    "Inputs",
    "Timeline",
    "In-house",
    STAFFING_SUMMARY,
    "Staffing",
    "Cash flows",
    "Method & sources",
    "Lists",
    "Sensitivity",
    "Monte Carlo",
)


def write_workbook(
    case: CaseSource,
    path: str | Path,
    *,
    rate_cards: RateCards | str | Path | None = None,
    protect: Iterable[str | Path] = (),
    extra_sheets: Sequence[ExtraSheet] = (),
) -> Path:
    """Write the business-case workbook of a case: live formulas, charts, an Inputs sheet.

    Parameters
    ----------
    case : a Case, a mapping, or the path of a case file (YAML, JSON or a generated workbook).
    path : the ``.xlsx`` file to write (atomically: a failed write leaves no partial file).
    rate_cards : rate cards for references in the case (see ``evaluate``).
    protect : files that must not be overwritten (the case the workbook is made from).
    extra_sheets : callables ``fn(workbook, result)`` called after the standard sheets, e.g.
        to add Sensitivity and Monte Carlo sheets.

    Returns
    -------
    Path
        The written file.

    Notes
    -----
    Sheets: Summary (decision table, recommendation, charts), Inputs (every assumption with its
    unit and source; defined names ``in_<key>``), Timeline, In-house and one sheet per option
    (one row per engine component, one column per month; one block of rows per workload, one
    billing block per delivery line; under partial scope or waves the wave path, the in-house
    work kept and still running, and the transition wave by wave), Staffing summary (volumes,
    agents, FTE, billed units, supervisors and seats per owner and workload), Staffing (Erlang
    C, for live channels: in-house, each hourly line, each option's kept and running in-house
    work), Cash flows (savings, NPV, IRR,
    payback), Method & sources. Every formula computes what the engine computes;
    ``load_case(path)`` reads the Inputs sheet back.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from bpo_cost import example_path
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "payroll.xlsx"
    >>> write_workbook(example_path("payroll"), out).name
    'payroll.xlsx'
    >>> from bpo_cost import evaluate  # the workbook reads back as the same case
    >>> evaluate(out).summary()["tco"].equals(evaluate(example_path("payroll")).summary()["tco"])
    True
    """
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise InputError("workbook path", str(path), "a file name ending in .xlsx")
    result = evaluate(case, rate_cards=rate_cards)
    try:
        wb = build_workbook(result)
        for add in extra_sheets:
            add(wb, result)
        print_headers(wb, result.case.name)
        taken: list[str] = []
        for ws in wb.worksheets:
            taken.append(check_title(ws.title, taken))
        for name in wb.defined_names:
            check_name(name)
        check_workbook(wb)
        buffer = io.BytesIO()
        wb.save(buffer)
    except MemoryError:  # as in evaluate: one clear error, and no file written
        raise OutputError(f"cannot write {target.name}: out of memory for this case") from None
    stamp = f"{wb.properties.created:%Y-%m-%dT%H:%M:%SZ}"  # the case's start: see build_workbook
    return atomic_write_bytes(
        target,
        reproducible_zip(buffer.getvalue(), modified=stamp, application=APPLICATION),
        protect=protect,
    )


def build_workbook(result: Result) -> Workbook:
    """The workbook of an evaluated case, in memory (see ``write_workbook``)."""
    case = result.case
    wb = Workbook()
    summary = wb.active
    summary.title = "Summary"
    inputs_sheet(wb, result)
    tl = timeline_sheet(wb, case)
    wls = workload_refs(case)
    plan = StaffingPlan(result) if any(w.real_time is not None for w in wls) else None
    hours = plan.hours if plan is not None else None
    ih = inhouse_sheet(wb, case, tl, hours)
    owners = [Owner(INHOUSE_POOL, "In-house", "in-house", ih)]
    grids = [tl, ih]
    for i, title in enumerate(option_titles(case)):
        o = case.options[i]
        annual = float(result.summary_arrays.irr[0, i + 1])
        hint = None if math.isnan(annual) else float((1.0 + annual) ** (1 / 12) - 1.0)
        owners.append(
            Owner(
                o.name,
                o.name,
                case.pricing_model(o),
                option_sheet(wb, case, i, title, tl, ih, hours),
                hint,
            )
        )
        grids.append(owners[-1].grid)
    grids.append(staffing_summary_sheet(wb, case, owners, plan))
    if plan is not None:
        grids.append(plan.write(wb, {o.key: o.grid for o in owners}))
    cf = cashflows_sheet(wb, case, tl, owners)
    for g in [*grids, cf.grid]:
        g.print_first_year()
    summary_sheet(summary, case, cf, tl)
    method_sheet(wb, result)
    wb.move_sheet(LISTS, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(LISTS))
    wb.active = 0
    props = wb.properties
    props.creator = props.lastModifiedBy = "bpo-cost"
    props.title = xml_text(case.name)  # docProps/core.xml is XML too
    # Pinned, with the time of saving (see write_workbook), so a case always gives the same file.
    props.created = dt.datetime(case.start.year, case.start.month, 1)
    wb.calculation.fullCalcOnLoad = True  # Excel computes every formula on opening
    return wb


def option_titles(case: Case) -> list[str]:
    """Sheet titles of the options: the option name, or "Option i" where that would clash."""
    taken = {t.lower() for t in RESERVED_TITLES} | {o.name.lower() for o in case.options}
    titles: list[str] = []
    for i, o in enumerate(case.options):
        title = o.name
        if title.lower() in {t.lower() for t in [*RESERVED_TITLES, *titles, "History"]}:
            title = next(
                t
                for k in range(len(taken) + 1)
                if (t := f"Option {i + 1}" + (f"-{k}" if k else "")).lower() not in taken
            )
        taken.add(title.lower())
        titles.append(check_title(title, [*RESERVED_TITLES, *titles]))
    return titles
