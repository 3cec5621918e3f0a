"""The workbook face of delivery lines, partial scope and migration waves (#14): the sheets'
rows, read-back of lines and waves, and, recalculated by LibreOffice, the fees of a split award
against a hand calculation from the case's inputs, the in-house work kept under partial scope
and waves against the In-house sheet, and an edited wave month moving every row."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest

from bpo_cost import load_case
from bpo_cost.case.models import Case
from bpo_cost.core.staffing import required_agents
from bpo_cost.core.timeline import volume_path
from bpo_cost.workbook import write_workbook
from tests.delivery_cases import DELIVERY, blended_voice, split_claims

FIRST = 4  # column D: month 1
WAVE_EDIT = {"options.2.waves.0.month": 5}  # blended_voice: the offshore blend's first wave


def _rows(ws: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    for i, (a,) in enumerate(ws.iter_rows(max_col=1, values_only=True), start=1):
        if isinstance(a, str):
            out.setdefault(a, i)
    return out


def _months(ws: Any, row: int, months: int) -> np.ndarray:
    cells = next(
        ws.iter_rows(
            min_row=row, max_row=row, min_col=FIRST, max_col=FIRST + months - 1, values_only=True
        )
    )
    return np.array(cells, dtype=float)


def _volume(case: Case) -> np.ndarray:
    w = case.workloads[0]
    return volume_path(
        np.array([[w.volume_per_month]]),
        np.array([[w.growth_per_year]]),
        np.array([w.seasonality]),
        case.start,
        np.arange(1.0, case.term_months + 1)[None, :],
    )[0]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("delivery")
    return {
        name: write_workbook(make(), folder / f"{name}.xlsx") for name, make in DELIVERY.items()
    }


@pytest.fixture(scope="module")
def recalculated(
    written: dict[str, Path],
    recalc: Callable[[Sequence[Path]], list[Path]],
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Any]:
    edited = tmp_path_factory.mktemp("edited") / "edited_wave.xlsx"
    wb = openpyxl.load_workbook(written["blended_voice"])
    for row in wb["Inputs"].iter_rows(min_row=5):
        if row[0].value in WAVE_EDIT:
            row[1].value = WAVE_EDIT[row[0].value]
    wb.save(edited)
    paths = [*written.values(), edited]
    out = recalc(paths)
    names = [*written, "edited_wave"]
    return {n: openpyxl.load_workbook(p, data_only=True) for n, p in zip(names, out, strict=True)}


@pytest.mark.parametrize("name", list(DELIVERY))
def test_lines_and_waves_read_back(written: dict[str, Path], name: str) -> None:
    """The Inputs sheet holds every line (share, provider, location, clauses) and wave."""
    assert load_case(written[name]) == Case.model_validate(DELIVERY[name]())


def test_a_v1_option_keeps_its_rows_and_a_partial_one_shows_its_scope(
    written: dict[str, Path],
) -> None:
    wb = openpyxl.load_workbook(written["blended_voice"])
    onshore, nearshore, offshore = (
        _rows(wb[t]) for t in ("Onshore US", "Nearshore CO", "Offshore PH")
    )
    assert not {"wave_share", "scope", "kept_cost", "running_cost"} & set(onshore)
    assert {"scope", "kept_cost", "running_cost", "inhouse_fixed"} <= set(nearshore)
    assert "wave_share" not in nearshore and "wave_share" in offshore
    assert {"vendor_volume[line 1]", "vendor_volume[line 2]", "vendor.fees[line 1]"} <= set(
        offshore
    )
    labels = [c.value for c in wb["Offshore PH"]["A"] if isinstance(c.value, str)]
    assert "Billing: line 1 (hourly; Vendor C, onshore US)" in labels
    assert "Billing: line 2 (hourly; Vendor C, offshore PH)" in labels
    staffing = [c.value for c in wb["Staffing"]["A"] if isinstance(c.value, str)]
    assert {
        "Pool: Offshore PH line 1",
        "Pool: Offshore PH line 2",
        "Pool: Nearshore CO: in-house work kept",
        "Pool: Nearshore CO: in-house work running",
    } <= set(staffing)


pytestmark_lo = pytest.mark.libreoffice


@pytestmark_lo
@pytest.mark.parametrize("name", [*DELIVERY, "edited_wave"])
def test_opens_without_errors(recalculated: dict[str, Any], name: str) -> None:
    errors = [
        (ws.title, c.coordinate, c.value)
        for ws in recalculated[name].worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and (c.value.startswith("#") or c.value.startswith("Err:"))
    ]
    assert not errors, errors[:5]


@pytestmark_lo
def test_a_split_awards_fees_by_hand(recalculated: dict[str, Any]) -> None:
    """Each line billed on its own volume: V x share x S(t) (after the line's automation), its
    own minimum, tiers, escalator and service credits; nothing before the first wave."""
    case = Case.model_validate(split_claims())
    months = np.arange(1, case.term_months + 1)
    year = (months - 1) // 12
    s = np.select([months >= 13, months >= 6, months >= 2], [1.0, 0.7, 0.25], 0.0)
    v = _volume(case)
    ws = recalculated["split_claims"]["Split award"]
    rows = _rows(ws)
    # line 1: all-units tiers 4.2 / 3.9 / 3.6 at 10,000 / 15,000, minimum 10,000, the option's
    # escalator (COLA 5 % capped at 4 %, productivity 2 %) and credits (10 % x 15 %)
    billed = np.maximum(v * 0.6 * s, 10000.0)
    price = np.where(billed <= 10000, 4.2, np.where(billed <= 15000, 3.9, 3.6))
    fees1 = billed * price * 1.04**year * 0.98**year * (s > 0)
    # line 2: 9.5 a claim, minimum 4,000, 10 % automated from month 8, its own 3 % escalator and
    # credits (8 % x 20 %)
    handled = v * 0.4 * s * (1 - 0.1 * (months >= 8))
    fees2 = 9.5 * np.maximum(handled, 4000.0) * 1.03**year * (s > 0)
    for key, want in (
        ("vendor.fees[line 1]", fees1),
        ("vendor.fees[line 2]", fees2),
        ("vendor.service_credits[line 1]", -fees1 * 0.10 * 0.15),
        ("vendor.service_credits[line 2]", -fees2 * 0.08 * 0.20),
        ("vendor.fees", fees1 + fees2),
    ):
        np.testing.assert_allclose(_months(ws, rows[key], case.term_months), want, rtol=1e-12)
    assert fees1[0] == 0 and fees2[0] == 0  # before the first wave: no minimum either


def _fixed(ih: Any, case: Case, price_index: np.ndarray) -> np.ndarray:
    """F from the In-house sheet: fixed roles' pay, their seats and the fixed costs."""
    rows, t = _rows(ih), case.term_months
    heads = _months(ih, rows["other_heads"], t)
    seat = case.inhouse.facilities_per_seat_month + case.inhouse.it_per_seat_month
    return (
        _months(ih, rows["inhouse.other_staff"], t)
        + heads * seat * price_index
        + _months(ih, rows["inhouse.fixed"], t)
    )


@pytestmark_lo
def test_kept_work_follows_the_in_house_sheet(recalculated: dict[str, Any]) -> None:
    """Back office (linear): half the scope kept costs F + half the volume-driven in-house
    cost; before the first wave everything is kept (the whole in-house cost, no parallel run);
    once every wave has handed over nothing is kept or runs."""
    case = Case.model_validate(split_claims())
    t = case.term_months
    wb = recalculated["split_claims"]
    ih, tl = wb["In-house"], wb["Timeline"]
    total = _months(ih, _rows(ih)["total"], t)
    fixed = _fixed(ih, case, _months(tl, _rows(tl)["price_index"], t))
    half = wb["Offshore PH hourly"]
    rows = _rows(half)
    kept = _months(half, rows["kept_cost"], t) + _months(half, rows["inhouse_fixed"], t)
    np.testing.assert_allclose(_months(half, rows["inhouse_fixed"], t), fixed, rtol=1e-12)
    np.testing.assert_allclose(kept, fixed + 0.5 * (total - fixed), rtol=1e-12)
    parallel = _months(half, rows["transition.parallel_run"], t)
    p = case.options[3].transition.parallel_run_months
    np.testing.assert_allclose(parallel[:p], 0.5 * (total - fixed)[:p], rtol=1e-12)
    np.testing.assert_allclose(parallel[p:], 0.0, atol=1e-6)
    split = wb["Split award"]
    rows = _rows(split)
    kept = _months(split, rows["kept_cost"], t) + _months(split, rows["inhouse_fixed"], t)
    assert kept[0] == pytest.approx(total[0], rel=1e-12)
    parallel = _months(split, rows["transition.parallel_run"], t)
    assert parallel[0] == pytest.approx(0.0, abs=1e-6)
    done = 13 + case.options[0].transition.parallel_run_months - 1  # the last hand-over
    np.testing.assert_allclose(_months(split, rows["kept_cost"], t)[12:], 0.0, atol=1e-6)
    np.testing.assert_allclose(parallel[done:], 0.0, atol=1e-6)
    # a wave's moved work runs in-house for the parallel run: months m_k .. m_k + P - 1
    running = np.zeros(t, bool)
    for month in (2, 6, 13):
        running[month - 1 : month - 1 + case.options[0].transition.parallel_run_months] = True
    assert (parallel[running] > 0).all()
    np.testing.assert_allclose(parallel[~running], 0.0, atol=1e-6)


def _pool_agents(ws: Any, pool: str, months: int) -> np.ndarray:
    current, row = "", 0
    for i, (a,) in enumerate(ws.iter_rows(max_col=1, values_only=True), start=1):
        if isinstance(a, str) and a.startswith("Pool: "):
            current = a.removeprefix("Pool: ")
        elif current == pool and a == "required_agents":
            row = i
            break
    assert row, pool
    return _months(ws, row, months)


@pytestmark_lo
@pytest.mark.parametrize("edited", [False, True])
def test_live_lines_and_kept_calls_are_staffed_on_their_own_traffic(
    recalculated: dict[str, Any], edited: bool
) -> None:
    """Erlang C on a line's share of the calls (a blend loses pooling) and on the calls the
    nearshore option keeps in-house (30 %); an edited wave month moves the line's traffic."""
    case = Case.model_validate(blended_voice())
    t = case.term_months
    months = np.arange(1, t + 1)
    rt = case.workloads[0].real_time
    assert rt is not None
    intervals = rt.open_hours_per_month * 60 / rt.interval_minutes
    v = _volume(case)
    first = 5 if edited else 3
    s = np.where(months >= 9, 1.0, np.where(months >= first, 0.4, 0.0))
    offshore = case.options[2]
    assert offshore.automation is not None
    automated = 1 - offshore.automation.share * (months >= offshore.automation.start_month)
    ih = case.inhouse
    pools = {
        "Offshore PH line 1": (v * 0.2 * s * automated, case.workloads[0].handle_minutes, 0.85),
        "Offshore PH line 2": (v * 0.8 * s * automated, 6.6, 0.85),
        "Nearshore CO: in-house work kept": (
            v * 0.3,
            case.workloads[0].handle_minutes,
            ih.occupancy,
        ),
    }
    ws = recalculated["edited_wave" if edited else "blended_voice"]["Staffing"]
    for pool, (volume, handle, occupancy) in pools.items():
        want = required_agents(
            volume / intervals,
            handle * 60,
            rt.interval_minutes,
            service_level_target=rt.service_level_target,
            answer_seconds=rt.answer_seconds,
            occupancy=occupancy,
        )
        np.testing.assert_array_equal(_pool_agents(ws, pool, t), want, err_msg=pool)


@pytestmark_lo
def test_an_edited_wave_month_moves_every_row(recalculated: dict[str, Any]) -> None:
    before, after = (recalculated[n]["Offshore PH"] for n in ("blended_voice", "edited_wave"))
    rows = _rows(before)
    t = 60
    for key in ("vendor.fees", "transition.knowledge_transfer", "transition.productivity_dip"):
        a, b = _months(before, rows[key], t), _months(after, rows[key], t)
        assert (a[2:4] > 0).all() and (b[:4] == 0).all() and (b[4:6] > 0).all(), key
    kept_a, kept_b = (_months(x, rows["kept_cost"], t) for x in (before, after))
    assert (kept_b[2:4] > kept_a[2:4]).all()
