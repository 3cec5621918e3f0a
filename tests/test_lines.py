"""Delivery lines, split awards and partial scope (#14): scope and wave paths, the vendor side
per line, the in-house work an option keeps, and bad input."""

from __future__ import annotations

from typing import Any

from bpo_cost.case.io import parse_case
from bpo_cost.core.timeline import month_axis
from bpo_cost.engine.compile import compile_case
from bpo_cost.engine.scope import handover_path, scopes, wave_path, whole_scope

from .strategies import bare_case

# ------------------------------------------------------------------------------ scope paths


def _option(case: dict[str, Any], overrides: dict[str, Any] | None = None) -> Any:
    p = compile_case(parse_case(case), overrides)
    return p, p.options[0]


def test_the_wave_and_hand_over_paths_step_as_the_waves_say() -> None:
    case = bare_case()
    case["options"][0]["waves"] = [{"month": 2, "share": 0.25}, {"month": 5, "share": 1.0}]
    case["options"][0]["transition"]["parallel_run_months"] = 2
    _, o = _option(case)
    months = month_axis(8)
    # by hand: 0 in month 1, 0.25 from month 2, 1 from month 5
    assert wave_path(o, months).tolist() == [[0, 0.25, 0.25, 0.25, 1, 1, 1, 1]]
    # wave 1 (0.25) hands over at 2 + 2 = 4, wave 2 (0.75) at 5 + 2 = 7
    assert handover_path(o, months).tolist() == [[0, 0, 0, 0.25, 0.25, 0.25, 1, 1]]


def test_without_waves_the_whole_scope_moves_in_month_1() -> None:
    case = bare_case()
    case["options"][0]["transition"]["parallel_run_months"] = 3
    p, o = _option(case)
    months = month_axis(6)
    assert wave_path(o, months).tolist() == [[1.0] * 6]
    assert handover_path(o, months).tolist() == [[0, 0, 0, 1, 1, 1]]  # after 3 parallel months
    assert whole_scope(p, o)


def test_a_batch_may_vary_wave_months_and_line_shares() -> None:
    case = bare_case()
    o = case["options"][0]
    o["lines"] = [{"share": 0.6, "pricing": o.pop("pricing")}]
    o["waves"] = [{"month": 2, "share": 0.5}, {"month": 4, "share": 1.0}]
    p, opt = _option(
        case, {"options.0.waves.0.month": [1.0, 3.0], "options.0.lines.0.share": [0.6, 0.2]}
    )
    months = month_axis(4)
    assert wave_path(opt, months).tolist() == [[0.5, 0.5, 0.5, 1], [0, 0, 0.5, 1]]
    assert [s.tolist() for s in scopes(p, opt)] == [[[0.6], [0.2]]]
    assert not whole_scope(p, opt)
