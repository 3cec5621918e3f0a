"""Delivery lines, split awards and partial scope (#14): scope and wave paths, the vendor side
per line, the in-house work an option keeps, and bad input."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pytest

from bpo_cost import evaluate, example_names, example_path
from bpo_cost.case.io import load_case, parse_case
from bpo_cost.core.timeline import month_axis
from bpo_cost.engine import run as engine_run
from bpo_cost.engine.compile import compile_case
from bpo_cost.engine.scope import handover_path, scopes, wave_path, whole_scope
from bpo_cost.errors import InvalidCaseError
from bpo_cost.workbook.delivery import full_scope

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


# ------------------------------------------------------------------------- v1 == one line

REL = 1e-12  # float round-off of the same sums in another order


def _as_lines(case: dict[str, Any]) -> dict[str, Any]:
    """Every option's pricing as one line of share 1 per workload without a line."""
    case = copy.deepcopy(case)
    names = [w["name"] for w in case["workloads"]] if "workloads" in case else [None]
    for o in case["options"]:
        pricing = o.pop("pricing", None)
        lined = {x.get("workload") for x in o.get("lines", [])}
        if pricing is not None:
            o.setdefault("lines", [])
            o["lines"] += [
                {"pricing": copy.deepcopy(pricing)} | ({} if n is None else {"workload": n})
                for n in names
                if n not in lined
            ]
    return case


def _case_dict(name: str) -> dict[str, Any]:
    import yaml

    data: dict[str, Any] = yaml.safe_load(example_path(name).read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("name", example_names())
def test_one_line_of_share_1_per_workload_is_the_v1_option(name: str) -> None:
    v1 = _case_dict(name)
    v1.pop("uncertainty", None)  # its paths name the option's pricing; evaluate ignores it
    if any(o.get("pricing") is None for o in v1["options"]):
        pytest.skip("every option already priced by lines")
    want, got = evaluate(v1), evaluate(_as_lines(v1))
    for owner in want.owners:
        for key, a in want.components.by_owner[owner].items():
            b = got.components.by_owner[owner][key]
            if len(v1.get("workloads", [1])) == 1:
                assert np.array_equal(a, b), (owner, key)  # the same sums: exact
            else:  # the line bills the workload alone, as the option's pricing did not
                np.testing.assert_allclose(b, a, rtol=REL, atol=1e-9, err_msg=f"{owner} {key}")


@pytest.mark.parametrize("name", example_names())
def test_the_general_path_forced_on_a_v1_option_gives_the_v1_numbers(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = load_case(example_path(name))
    want = evaluate(case)
    monkeypatch.setattr(engine_run, "whole_scope", lambda p, option: False)
    got = evaluate(case)
    moves_all = {o.name for o in case.options if full_scope(case, o)}  # the v1 options
    for owner in want.owners:
        if owner != "inhouse" and owner not in moves_all:
            continue  # waves or partial scope: the general path already
        parts = got.components.by_owner[owner]
        if owner != "inhouse":
            assert not parts.pop("inhouse.kept").any()  # nothing kept
        assert list(parts) == list(want.components.by_owner[owner])
        for key, a in want.components.by_owner[owner].items():
            np.testing.assert_allclose(
                parts[key], a, rtol=REL, atol=1e-9, err_msg=f"{name} {owner} {key}"
            )


# ------------------------------------------------------------------- partial scope: by hand


def _partial(share: float = 0.6, parallel: int = 2) -> dict[str, Any]:
    """bare_case (1,000 forms of 60 minutes at $20/h: $20,000 a month in-house) with $1,000 of
    fixed costs a month, and its vendor ($15 a form) taking ``share`` of the work."""
    case = bare_case()
    case["inhouse"]["fixed_costs_per_month"] = 1000.0
    o = case["options"][0]
    o["lines"] = [{"share": share, "pricing": o.pop("pricing")}]
    o["transition"]["parallel_run_months"] = parallel
    return case


def test_partial_scope_keeps_the_rest_in_house_at_its_cost() -> None:
    with pytest.warns(Warning):  # 60 minutes a form: outside the data-entry benchmark
        result = evaluate(_partial())
    vendor = result.components.by_owner["Vendor"]
    # by hand: the vendor bills 60% of 1,000 forms at $15 = $9,000; the 400 forms kept are
    # 400 h x $20 = $8,000, plus the $1,000 fixed cost that stays while any work does
    assert vendor["vendor.fees"][0].tolist() == [9000.0] * 12
    assert vendor["inhouse.kept"][0].tolist() == [9000.0] * 12
    # parallel run, months 1-2: the 600 forms moved still run in-house, 600 h x $20 = $12,000
    # (the fixed cost is the kept work's already)
    assert vendor["transition.parallel_run"][0].tolist() == [12000.0] * 2 + [0.0] * 10
    assert result.summary_arrays.tco[0, 1] == pytest.approx(12 * 18000.0 + 2 * 12000.0)


def test_no_fee_before_the_first_wave_even_under_a_minimum() -> None:
    case = bare_case()
    o = case["options"][0]
    o["pricing"]["minimum_volume_per_month"] = 800.0
    o["waves"] = [{"month": 3, "share": 0.5}, {"month": 6, "share": 1.0}]
    with pytest.warns(Warning):
        vendor = evaluate(case).components.by_owner["Vendor"]
    # by hand: nothing in months 1-2; 500 forms billed at the 800 minimum in months 3-5
    # (800 x $15 = $12,000); all 1,000 forms from month 6
    assert vendor["vendor.fees"][0, :7].tolist() == [0, 0, 12000, 12000, 12000, 15000, 15000]
    # the work not yet moved stays in-house: 1,000, then 500 forms, at $20 an hour
    assert vendor["inhouse.kept"][0, :7].tolist() == [20000, 20000, 10000, 10000, 10000, 0, 0]


# ------------------------------------------------------------------ blends and split awards


def _blend(onshore: dict[str, Any], offshore: dict[str, Any]) -> dict[str, Any]:
    """bare_case's work delivered 20% onshore (US) and 80% offshore (PH)."""
    case = bare_case()
    o = case["options"][0]
    del o["pricing"]
    o["lines"] = [
        {"share": 0.2, "location": {"tier": "onshore", "country": "US"}, "provider": "Acme US"}
        | onshore,
        {"share": 0.8, "provider": "Acme PH"} | offshore,
    ]
    return case


def _vendor(case: dict[str, Any]) -> dict[str, np.ndarray]:
    with pytest.warns(Warning):  # 60 minutes a form: outside the data-entry benchmark
        out: dict[str, np.ndarray] = evaluate(case).components.by_owner["Vendor"]
    return out


def test_a_per_transaction_blend_bills_each_line_on_its_own_volume() -> None:
    onshore = {
        "pricing": {"model": "per_transaction", "price": 30.0},
        "service_credits": {"at_risk_share": 0.1, "expected_breach_share": 0.5},
    }
    offshore = {
        "pricing": {
            "model": "per_transaction",
            "tiers": [{"up_to": 900, "price": 14.0}, {"price": 10.0}],
            "tier_mode": "all_units",
        }
    }
    vendor = _vendor(_blend(onshore, offshore))
    # by hand: onshore 200 forms x $30 = 6,000; offshore 800 forms, under the 900 bound of its
    # own tiers (the workload's 1,000 would be above it), all at $14 = 11,200
    assert vendor["vendor.fees"][0, 0] == pytest.approx(6000.0 + 11200.0, rel=1e-15)
    # the onshore line's own credits: 10% at risk x 50% breached x 6,000; offshore: none
    assert vendor["vendor.service_credits"][0, 0] == pytest.approx(-300.0, rel=1e-15)
    assert "inhouse.kept" not in vendor  # the whole workload moves


HOURLY_BLEND = (  # onshore $40 an hour at 80% occupancy; offshore $12, 1,000 hours at least
    {"pricing": {"model": "hourly", "rate": 40.0, "occupancy": 0.8}},
    {
        "pricing": {
            "model": "hourly",
            "rate": 12.0,
            "occupancy": 0.85,
            "minimum_billed_per_month": 1e3,
        }
    },
)


def test_an_hourly_blend_staffs_each_line_on_its_share() -> None:
    vendor = _vendor(_blend(*HOURLY_BLEND))
    # by hand: onshore 200 forms x 1 h / 0.8 = 250 h x $40 = 10,000; offshore 800 h / 0.85 =
    # 941.18 h, under its own 1,000-hour minimum: 1,000 h x $12 = 12,000
    assert vendor["vendor.fees"][0, 0] == pytest.approx(10000.0 + 12000.0, rel=1e-15)


def test_a_50_50_split_between_identical_linear_lines_is_one_line() -> None:
    one = bare_case()
    one["options"][0]["transition"]["parallel_run_months"] = 2
    split = copy.deepcopy(one)
    pricing = split["options"][0].pop("pricing")
    split["options"][0]["lines"] = [
        {"share": 0.5, "pricing": pricing, "provider": "A"},
        {"share": 0.5, "pricing": copy.deepcopy(pricing), "provider": "B"},
    ]
    for model in ({"model": "per_transaction", "price": 15.0}, {"model": "hourly", "rate": 21.0}):
        one["options"][0]["pricing"] = model
        for line in split["options"][0]["lines"]:
            line["pricing"] = copy.deepcopy(model)
        want, got = _vendor(one), _vendor(split)
        assert list(got) == list(want)
        for key in want:
            np.testing.assert_allclose(got[key], want[key], rtol=REL, atol=1e-9, err_msg=key)


def test_line_order_changes_no_number() -> None:
    onshore = {"pricing": {"model": "per_transaction", "price": 30.0}}
    offshore = {"pricing": {"model": "hourly", "rate": 12.0}}
    case = _blend(onshore, offshore)
    case["options"][0]["lines"][0]["share"] = 0.15  # 5% stays in-house
    reverse = copy.deepcopy(case)
    reverse["options"][0]["lines"].reverse()
    want, got = _vendor(case), _vendor(reverse)
    for key in want:
        np.testing.assert_allclose(got[key], want[key], rtol=REL, atol=1e-9, err_msg=key)


# ---------------------------------------------------------------------------- bad input


def _refusal(edit: Any) -> str:
    case = bare_case()
    o = case["options"][0]
    o["lines"] = [{"pricing": o.pop("pricing")}]
    edit(o["lines"])
    with pytest.raises(InvalidCaseError) as info:
        parse_case(case)
    return str(info.value)


def test_shares_above_1_for_a_workload_are_refused_naming_the_lines() -> None:
    said = _refusal(lambda lines: lines.append({"share": 0.5, **copy.deepcopy(lines[0])}))
    assert said.startswith("options.0.lines: the shares of workload 'main' add up to 1.5;")
    assert "at most 1" in said


def test_a_negative_share_is_refused_naming_the_field() -> None:
    said = _refusal(lambda lines: lines[0].update(share=-0.2))
    assert said == "options.0.lines.0.share must be more than 0: got -0.2"


def test_a_line_for_an_unknown_workload_is_refused_naming_the_field() -> None:
    said = _refusal(lambda lines: lines[0].update(workload="fax"))
    assert said.startswith("options.0.lines.0.workload = 'fax' is not a workload of the case")
    assert "['main']" in said


# ------------------------------------------------------------------------------------ faces


def _face_case() -> dict[str, Any]:
    """A 15/80 blend (5% stays in-house) moved in two waves, named as an analyst would."""
    case = _blend(
        {"pricing": {"model": "per_transaction", "price": 30.0}},
        {"pricing": {"model": "per_transaction", "price": 10.0}},
    )
    o = case["options"][0]
    o["name"] = "Blend PH-US"
    o["lines"][0]["share"] = 0.15
    o["waves"] = [{"month": 3, "share": 0.5}, {"month": 6, "share": 1.0}]
    return case


def test_results_name_each_lines_provider_and_location() -> None:
    with pytest.warns(Warning):
        result = evaluate(_face_case())
    lines = result.to_dict()["options"][0]["lines"]
    assert [(x["provider"], x["location"]["country"], x["share"]) for x in lines] == [
        ("Acme US", "US", 0.15),
        ("Acme PH", "PH", 0.8),
    ]
    assert result.delivery("Blend PH-US") == (
        "15% US onshore (Acme US), 80% PH offshore (Acme PH), 5% in-house; "
        "waves 50% by month 3, 100% by month 6"
    )
    assert result.delivery("inhouse") is None


def test_the_cli_table_says_each_options_lines_in_80_columns(
    evaluate_at_80: Callable[[Mapping[str, Any]], str],
) -> None:
    out = evaluate_at_80(_face_case())
    said = " ".join(out.split())  # the console wraps the line at 80 columns
    assert "Blend PH-US: 15% US onshore (Acme US), 80% PH offshore (Acme PH), 5% in-house" in said
    assert max(len(line.rstrip()) for line in out.splitlines()) <= 80


def test_excel_case_functions_spill_the_kept_work() -> None:
    from bpo_cost import udfs
    from bpo_cost.case.io import case_to_pairs

    from .test_udfs import excel_rows

    with pytest.warns(Warning):
        case = parse_case(_face_case())
        result = evaluate(case)
        table = udfs.BPO_TCO(excel_rows(case_to_pairs(case)), "Blend PH-US")
    assert "inhouse.kept" in table[0]
    got = np.array(table[1:], dtype=float)[:, table[0].index("inhouse.kept")]
    np.testing.assert_array_equal(got, result.components.by_owner["Blend PH-US"]["inhouse.kept"][0])


def test_sensitivity_varies_a_line_share_and_a_wave_month() -> None:
    from bpo_cost.analysis import sensitivity

    frame = sensitivity(
        _face_case(), inputs=["options.0.lines.0.share", "options.0.waves.0.month"], metric="tco"
    )
    rows = frame[frame["owner"] == "Blend PH-US"].set_index("path")
    # by hand, share 0.15 -> 0.12 and 0.18: each point of onshore share costs ($30 - $20) x
    # 1,000 forms a month moved (the kept work is in-house at $20), over the 7 months from
    # the second wave (months 6-12) and half of it over the 3 months of the first (3-5)
    per_point = (30.0 - 20.0) * 1000.0 * (7 + 3 * 0.5)
    share = rows.loc["options.0.lines.0.share"]
    assert share["high"] - share["low"] == pytest.approx(per_point * 0.06, rel=1e-12)
    month = rows.loc["options.0.waves.0.month"]
    assert (month["low_value"], month["high_value"]) == (2.0, 4.0)


def test_break_even_on_the_onshore_share_of_a_blend() -> None:
    from bpo_cost.analysis import breakeven_share

    case = _blend(
        {"pricing": {"model": "per_transaction", "price": 30.0}},
        {"pricing": {"model": "per_transaction", "price": 10.0}},
    )
    b = breakeven_share(case, "Vendor", 0)
    # by hand: $30 x + $10 (1 - x) a form = in-house $20 a form at x = 0.5; the offshore line
    # takes the rest of the workload
    assert b.value == pytest.approx(0.5, rel=1e-9) and b.exact
    assert b.inputs["options.0.lines.1.share"] == pytest.approx(0.5, rel=1e-9)


def test_monte_carlo_draws_a_share() -> None:
    from bpo_cost.analysis import simulate

    case = _face_case()
    case["uncertainty"] = {"options.0.lines.0.share": {"kind": "uniform", "low": 0.1, "high": 0.2}}
    sim = simulate(case, n=64, seed=3)
    tco = sim.tco[:, 1]
    assert tco.min() < tco.max()  # the share moves the blend's cost


def test_staffing_of_an_hourly_blend_counts_each_lines_hours() -> None:
    with pytest.warns(Warning):
        frame = evaluate(_blend(*HOURLY_BLEND)).staffing()
    month_1 = frame[(frame["owner"] == "Vendor") & (frame["month"] == 1)]
    got = {(r.workload, r.measure): r.value for r in month_1.itertuples()}
    # by hand: 200 forms / 0.8 = 250 h onshore and 800 / 0.85 = 941.18 h offshore handled;
    # billed, each line under its own minimum: 250 + 1,000 h
    assert got[("main", "volume")] == pytest.approx(1000.0, rel=1e-15)
    assert got[("main", "billed_hours")] == pytest.approx(250.0 + 800.0 / 0.85, rel=1e-12)
    assert got[("all", "billed_hours")] == pytest.approx(250.0 + 1000.0, rel=1e-12)


def test_workload_order_changes_no_number_of_a_blend_with_kept_work() -> None:
    from .strategies import contact_centre

    case = contact_centre()
    case["options"][0]["lines"][1]["share"] = 0.3  # chat: 30% here, 60% offshore, 10% kept
    case["options"][0]["lines"].append(
        {
            "workload": "chat",
            "share": 0.6,
            "location": {"tier": "offshore", "country": "IN"},
            "pricing": {"model": "per_transaction", "price": 1.4},
        }
    )
    case["options"][0]["waves"] = [{"month": 2, "share": 0.5}, {"month": 4, "share": 1.0}]
    want = evaluate(case)
    for order in ([2, 0, 1], [1, 2, 0]):
        moved = copy.deepcopy(case)
        moved["workloads"] = [case["workloads"][i] for i in order]
        got = evaluate(moved)
        for owner in want.owners:
            for key, a in want.components.by_owner[owner].items():
                b = got.components.by_owner[owner][key]
                np.testing.assert_allclose(b, a, rtol=REL, atol=1e-6, err_msg=f"{owner} {key}")


def test_the_monte_carlo_path_gives_the_figures_of_the_full_run() -> None:
    from bpo_cost.engine.run import cost_figures, run, run_figures

    p = compile_case(parse_case(_face_case()), {"options.0.lines.0.share": [0.1, 0.15, 0.2]})
    owners, tco, npv = run_figures(p, 12)
    assert owners == ["inhouse", "Blend PH-US"]
    want_tco, want_npv = cost_figures(run(p, 12), p.discount_rate_annual)
    assert np.array_equal(tco, want_tco) and np.array_equal(npv, want_npv)
    assert tco[0, 1] < tco[1, 1] < tco[2, 1]  # onshore is dearer than the in-house work


def test_a_split_award_pays_each_provider_its_lines() -> None:
    with pytest.warns(Warning):
        result = evaluate(_face_case())
    spend = result.vendor_spend_by_provider("Blend PH-US")
    # by hand: nothing in months 1-2, half the scope in months 3-5, all of it in 6-12:
    # 1,000 forms x (3 x 0.5 + 7) = 8,500 forms of the workload; Acme US 15% at $30, Acme PH
    # 80% at $10; no credits (none expected to be breached)
    assert spend == pytest.approx({"Acme US": 8500 * 0.15 * 30.0, "Acme PH": 8500 * 0.8 * 10.0})
    vendor = result.components.by_owner["Blend PH-US"]
    total = sum(v.sum() for k, v in vendor.items() if k.startswith("vendor."))
    assert sum(spend.values()) == pytest.approx(total, rel=1e-12)
    assert result.vendor_spend_by_provider("inhouse") == {}


def test_portfolio_spend_by_provider_pays_each_line_provider(tmp_path: Any) -> None:
    import warnings

    import yaml

    import bpo_cost

    path = tmp_path / "blend.yaml"
    path.write_text(yaml.safe_dump(_face_case()), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # 60 minutes a form: outside the data-entry benchmark
        result = bpo_cost.portfolio({"name": "P", "functions": [{"name": "f", "case": str(path)}]})
        alone = evaluate(str(path)).vendor_spend_by_provider("Blend PH-US")
    spend = result.spend_by("provider", {"f": "Blend PH-US"})["vendor_spend"]
    assert spend.to_dict() == pytest.approx(alone)  # by hand in the split-award test above
    assert list(spend.index) == ["Acme PH", "Acme US"]  # the larger first


def test_a_live_queue_split_in_two_loses_pooling() -> None:
    from .strategies import contact_centre

    one = contact_centre()
    split = copy.deepcopy(one)
    voice = split["options"][0]["lines"][0]  # hourly, on the live voice channel
    split["options"][0]["lines"].append(copy.deepcopy(voice) | {"share": 0.5})
    voice["share"] = 0.5
    want = evaluate(one).components.by_owner
    got = evaluate(split).components.by_owner
    name = one["options"][0]["name"]
    # Erlang C: two queues of half the traffic need more agents than one queue of all of it
    assert got[name]["vendor.fees"].sum() > want[name]["vendor.fees"].sum()


def test_the_cli_refuses_a_workload_over_its_whole_in_one_line(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    import yaml

    from bpo_cost.cli import main

    case = _blend(
        {"pricing": {"model": "per_transaction", "price": 30.0}},
        {"pricing": {"model": "per_transaction", "price": 10.0}},
    )
    case["options"][0]["lines"][0]["share"] = 0.3  # 0.3 + 0.8
    path = tmp_path / "over.yaml"
    path.write_text(yaml.safe_dump(case), encoding="utf-8")
    assert main(["evaluate", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert (
        len(err) == 1 and "options.0.lines: the shares of workload 'main' add up to 1.1" in err[0]
    )
