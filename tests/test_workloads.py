"""Several workloads in one case: v1 equivalence, order, pooling, chat and staffing figures."""

from __future__ import annotations

import copy
import itertools
import math
from typing import Any

import numpy as np
import pytest
import yaml

from bpo_cost import evaluate, example_names, example_path
from bpo_cost.case.io import parse_case
from bpo_cost.core.concurrency import concurrency_factor
from bpo_cost.errors import InvalidCaseError
from bpo_cost.result import Result

from .strategies import bare_case, contact_centre

REL = 1e-12  # float round-off of sums taken in another order


def _same_result(a: Result, b: Result, *, exact: bool) -> None:
    assert a.owners == b.owners
    for owner in a.owners:
        for key, got in a.components.by_owner[owner].items():
            want = b.components.by_owner[owner][key]
            if exact:
                assert np.array_equal(got, want), (owner, key)
            else:
                np.testing.assert_allclose(got, want, rtol=REL, atol=1e-9, err_msg=f"{owner} {key}")
    for name in ("tco", "npv_cost", "savings", "payback_month", "irr", "cost_per_unit"):
        got, want = getattr(a.summary_arrays, name), getattr(b.summary_arrays, name)
        if exact:
            np.testing.assert_array_equal(got, want, err_msg=name)
        else:
            np.testing.assert_allclose(got, want, rtol=REL, err_msg=name)


# ----------------------------------------------------------------------- v1 == one workload


V1_EXAMPLES = [n for n in example_names() if "\nworkload:" in example_path(n).read_text("utf-8")]


def test_the_v1_examples_are_still_written_in_v1() -> None:
    # the four of release 0.1.0 and the UK insurer's (#14), one workload each
    assert V1_EXAMPLES == [
        "claims_back_office",
        "it_help_desk",
        "payroll",
        "uk_insurer_contact_centre",
        "voice_customer_service",
    ]


@pytest.mark.parametrize("name", V1_EXAMPLES)
def test_a_one_item_workloads_list_is_exactly_the_v1_file(name: str) -> None:
    v1 = yaml.safe_load(example_path(name).read_text(encoding="utf-8"))
    listed = copy.deepcopy(v1)
    listed["workloads"] = [{"name": "desk", **listed.pop("workload")}]
    _same_result(evaluate(listed), evaluate(v1), exact=True)


def test_v1_paths_name_the_one_workload_whichever_way_it_is_written() -> None:
    case = parse_case(bare_case())
    assert case.workloads[0].name == "main"  # the default name of a v1 workload
    dumped = case.model_dump()
    assert "workload" in dumped and "workloads" not in dumped and "name" not in dumped["workload"]
    from bpo_cost.case.paths import canonical_path

    for path in ("workload.volume_per_month", "workloads.0.volume_per_month"):
        assert canonical_path(dumped, path) == "workload.volume_per_month"
    assert canonical_path(dumped, "workloads[main].volume_per_month") == (
        "workload.volume_per_month"
    )


# ------------------------------------------------------------------------- several workloads


def test_workload_order_changes_no_number() -> None:
    base = contact_centre()
    want = evaluate(base)
    for order in itertools.permutations(range(3)):
        case = copy.deepcopy(base)
        case["workloads"] = [base["workloads"][i] for i in order]
        case["options"][0]["lines"] = [base["options"][0]["lines"][i] for i in order[::-1]]
        _same_result(evaluate(case), want, exact=False)


def test_with_nothing_pooled_the_case_is_the_sum_of_its_one_workload_cases() -> None:
    base = contact_centre()
    whole = evaluate(base)
    parts = []
    for w, line in zip(base["workloads"], base["options"][0]["lines"], strict=True):
        one = copy.deepcopy(base)
        one["workloads"] = [w]
        one["options"][0]["lines"] = [line]
        parts.append(evaluate(one))
    for owner in whole.owners:
        for key, got in whole.components.by_owner[owner].items():
            want = sum(p.components.by_owner[owner][key] for p in parts)
            np.testing.assert_allclose(got, want, rtol=REL, atol=1e-9, err_msg=f"{owner} {key}")


def test_option_pricing_serves_the_workloads_without_a_line_billed_together() -> None:
    # one price per unit for chat and email: the same as two lines of that price (linear), and
    # the volume minimum applies to chat and email together
    base = contact_centre()
    shared = copy.deepcopy(base)
    shared["options"][0]["pricing"] = {"model": "per_transaction", "price": 2.0}
    shared["options"][0]["lines"] = base["options"][0]["lines"][:1]
    lined = copy.deepcopy(base)
    for line in lined["options"][0]["lines"][1:]:
        line["pricing"] = {"model": "per_transaction", "price": 2.0}
    _same_result(evaluate(shared), evaluate(lined), exact=False)
    floor = copy.deepcopy(shared)
    floor["options"][0]["pricing"]["minimum_volume_per_month"] = 1e6
    fees = evaluate(floor).components.by_owner["Vendor"]["vendor.fees"][0]
    voice = evaluate(shared).staffing()
    billed_voice = voice.query(
        "owner == 'Vendor' and workload == 'voice' and measure == 'billed_hours'"
    )["value"].to_numpy()
    np.testing.assert_allclose(fees, 2.0 * 1e6 + 14.0 * billed_voice, rtol=1e-12)


# ------------------------------------------------------------------------------- staffing


def _erlang_c_agents(calls: float, handle_s: float, interval_min: float, target: float) -> int:
    """Fewest agents meeting the service level: Erlang C written out from its definition."""
    a = calls * handle_s / (interval_min * 60.0)
    n = math.floor(a) + 1
    while True:
        top = a**n / math.factorial(n) * n / (n - a)
        p_wait = top / (sum(a**k / math.factorial(k) for k in range(n)) + top)
        if 1.0 - p_wait * math.exp(-(n - a) * 20.0 / handle_s) >= target:
            return n
        n += 1


def _one_live(handle_minutes: float, concurrency: float = 1.0) -> dict[str, Any]:
    # 52,000 contacts over 260 open hours = 100 per 30-minute interval
    return bare_case(
        workload={
            "function": "customer_service_voice",
            "unit": "call",
            "volume_per_month": 52_000.0,
            "handle_minutes": handle_minutes,
            "real_time": {"open_hours_per_month": 260.0, "concurrency": concurrency},
        },
        inhouse={"shrinkage": 0.3, "supervision_span": 10.0, "occupancy": 1.0},
    )


def _figure(result: Result, owner: str, workload: str, measure: str) -> np.ndarray:
    f = result.staffing()
    rows = f[(f.owner == owner) & (f.workload == workload) & (f.measure == measure)]
    return rows["value"].to_numpy()


def test_staffing_of_the_erlang_worked_example_by_hand() -> None:
    # 100 calls / 30 min / 180 s / 80-20: 14 agents (the published worked example)
    assert _erlang_c_agents(100, 180, 30, 0.8) == 14
    r = evaluate(_one_live(3.0))
    assert set(_figure(r, "inhouse", "main", "agents")) == {14.0}
    hours = 14 * 260.0  # agents x open hours
    fte = hours / (2080 / 12)  # 21 productive FTE
    np.testing.assert_allclose(_figure(r, "inhouse", "main", "productive_fte"), fte, rtol=1e-12)
    np.testing.assert_allclose(_figure(r, "inhouse", "all", "paid_fte"), fte / 0.7, rtol=1e-12)
    np.testing.assert_allclose(_figure(r, "inhouse", "all", "supervisors"), 3.0, rtol=1e-12)
    np.testing.assert_allclose(_figure(r, "inhouse", "all", "seats"), 33.0, rtol=1e-12)
    # and the salaries are those FTE paid: 30 x $20 x 2080 / 12
    salaries = r.components.by_owner["inhouse"]["inhouse.salaries"][0]
    np.testing.assert_allclose(salaries, 30 * 20 * 2080 / 12, rtol=1e-12)
    np.testing.assert_allclose(_figure(r, "Vendor", "main", "volume"), 52_000.0)
    # an hourly vendor at its default 85 % occupancy cap still needs 14 (A/N = 10/14 < 0.85):
    # it bills their hours, 14 x 260
    hourly = _one_live(3.0)
    hourly["options"][0]["pricing"] = {"model": "hourly", "rate": 10.0}
    h = evaluate(hourly)
    np.testing.assert_allclose(_figure(h, "Vendor", "main", "billed_hours"), 3640.0, rtol=1e-12)
    fees = h.components.by_owner["Vendor"]["vendor.fees"][0]
    np.testing.assert_allclose(fees, 36_400.0, rtol=1e-12)


def test_chat_is_staffed_on_handle_time_over_the_published_factor() -> None:
    # two chats at once: factor 1.7, so 306 s of chat staff like 180 s of voice: 14 agents
    assert concurrency_factor(2) == 1.7
    assert _erlang_c_agents(100, 306 / 1.7, 30, 0.8) == 14
    chat = evaluate(_one_live(306 / 60, concurrency=2))
    assert set(_figure(chat, "inhouse", "main", "agents")) == {14.0}
    # one at a time, the same chats need more agents
    alone = evaluate(_one_live(306 / 60))
    want = _erlang_c_agents(100, 306, 30, 0.8)
    assert want > 14 and set(_figure(alone, "inhouse", "main", "agents")) == {want}


def test_interpolated_concurrency_factor() -> None:
    assert concurrency_factor([1, 1.5, 4.5, 5]).tolist() == pytest.approx([1, 1.35, 3.2, 3.5])
    with pytest.raises(ValueError, match="between 1 and 5"):
        concurrency_factor(0.5)


def test_staffing_frame_covers_every_owner_and_pools_in_house() -> None:
    r = evaluate(contact_centre())
    f = r.staffing()
    assert list(f.columns) == ["month", "date", "owner", "workload", "measure", "value"]
    assert set(f.owner) == {"inhouse", "Vendor"}
    assert set(f.workload) == {"voice", "chat", "email", "all"}
    paid = f[(f.owner == "inhouse") & (f.measure == "paid_fte")]
    per = paid[paid.workload != "all"].groupby("month")["value"].sum().to_numpy()
    np.testing.assert_allclose(per, paid[paid.workload == "all"]["value"].to_numpy(), rtol=1e-12)
    assert f[(f.workload == "email") & (f.measure == "agents")].empty  # deferred work
    # the wide form holds the same numbers
    wide = r.staffing(wide=True)
    assert wide[("inhouse", "all", "seats")].tolist() == (
        f[(f.owner == "inhouse") & (f.workload == "all") & (f.measure == "seats")]["value"].tolist()
    )


# ------------------------------------------------------------------------------ bad input


def _refused(case: dict[str, Any]) -> InvalidCaseError:
    with pytest.raises(InvalidCaseError) as info:
        parse_case(case)
    assert len(info.value.errors) == 1, info.value.errors
    return info.value


def test_duplicate_workload_names_are_refused() -> None:
    case = contact_centre()
    case["workloads"][1]["name"] = "voice"
    assert "workloads: names must be unique, 'voice'" in str(_refused(case))


def test_a_line_for_a_workload_the_case_lacks_is_refused() -> None:
    case = contact_centre()
    case["options"][0]["lines"][2]["workload"] = "fax"
    said = str(_refused(case))
    assert "options.0.lines.2.workload = 'fax' is not a workload of the case" in said


def test_lines_of_one_workload_above_a_share_of_1_are_refused() -> None:
    case = contact_centre()
    case["options"][0]["lines"][2]["workload"] = "chat"  # two lines of share 1
    said = str(_refused(case))
    assert said.startswith("options.0.lines: the shares of workload 'chat' add up to 2;")
    case["options"][0]["lines"][2]["share"] = 0.5
    case["options"][0]["lines"][1]["share"] = 0.5
    parse_case(case)  # a 50/50 split is a workload's whole scope


def test_a_workload_without_a_line_or_pricing_stays_in_house() -> None:
    case = contact_centre()
    gone = case["options"][0]["lines"].pop()["workload"]
    parsed = parse_case(case)
    option, workload = parsed.options[0], parsed.workloads[parsed.workload_index(gone)]
    assert parsed.deliveries(option, workload) == []
    assert parsed.line_shares(option, workload) == 0.0
    case["options"][0]["lines"] = []
    assert str(_refused(case)).startswith("options.0.pricing is required: option")


def test_concurrency_below_one_is_refused() -> None:
    case = contact_centre()
    case["workloads"][1]["real_time"]["concurrency"] = 0.5
    said = str(_refused(case))
    assert said.startswith("workloads.1.real_time.concurrency must be")


def test_an_override_of_a_pooled_field_is_refused_naming_it() -> None:
    case = contact_centre()
    case["workloads"][2]["inhouse"]["supervision_span"] = 5
    said = str(_refused(case))
    assert "workloads.2.inhouse" in said and "'supervision_span' cannot differ by workload" in said


def test_a_v1_case_names_its_workload_as_written() -> None:
    case = bare_case()
    case["workload"]["volume_per_month"] = -1
    assert str(_refused(case)).startswith("workload.volume_per_month must be")


def test_the_workbook_holds_several_workloads(tmp_path: Any) -> None:
    """Written and read back as the case (tests/test_workbook_fidelity.py: its figures)."""
    from bpo_cost import load_case, write_workbook

    path = write_workbook(contact_centre(), tmp_path / "x.xlsx")
    assert load_case(path) == load_case(contact_centre())


# ------------------------------------------------------------------------- the other faces


def _pairs(case: dict[str, Any]) -> list[list[Any]]:
    from bpo_cost.case.io import case_to_pairs

    return [[k, v] for k, v in case_to_pairs(parse_case(case))]


def test_case_functions_take_several_workloads_from_pairs() -> None:
    from bpo_cost import udfs

    case = contact_centre()
    pairs = _pairs(case)
    keys = [k for k, _ in pairs]
    assert "workloads.1.real_time.concurrency" in keys and "options.0.lines.2.workload" in keys
    summary = udfs.BPO_SUMMARY(pairs)
    want = evaluate(case).summary()
    assert summary[1][0] == "inhouse" and summary[1][2] == pytest.approx(want["tco"].iloc[0])
    table = udfs.BPO_STAFFING(pairs, "inhouse")
    assert table[0][:3] == ["month", "voice volume", "voice agents"]
    assert "all seats" in table[0] and len(table) == 1 + case["term_months"]
    f = evaluate(case).staffing()
    seats = f[(f.owner == "inhouse") & (f.measure == "seats")]["value"].tolist()
    assert [row[table[0].index("all seats")] for row in table[1:]] == pytest.approx(seats)
    bad = [[k, "fax" if k == "options.0.lines.2.workload" else v] for k, v in pairs]
    out = udfs.BPO_STAFFING(bad, "inhouse")
    assert isinstance(out, str) and out.startswith("#VALUE!") and "lines.2.workload" in out


def test_evaluate_staffing_table_json_and_csv(tmp_path: Any, capsys: Any) -> None:
    import json

    from bpo_cost.cli import main

    path = tmp_path / "centre.yaml"
    path.write_text(yaml.safe_dump(contact_centre()), encoding="utf-8")
    assert main(["evaluate", str(path), "--staffing"]) == 0
    text = capsys.readouterr().out
    assert "agents / interval" in text and "chat" in text and "seats" in text
    assert main(["evaluate", str(path), "--json", "--staffing"]) == 0
    data = json.loads(capsys.readouterr().out)
    records = {(r["owner"], r["workload"], r["measure"]): r["values"] for r in data["staffing"]}
    assert len(records[("inhouse", "chat", "agents")]) == 12
    assert main(["evaluate", str(path), "--json"]) == 0
    assert "staffing" not in json.loads(capsys.readouterr().out)  # as release 0.1.0 wrote it
    assert main(["evaluate", str(path), "--csv", str(tmp_path / "out")]) == 0
    manifest = json.loads((tmp_path / "out" / "bpo-cost-manifest.json").read_text())
    assert "staffing.csv" in json.dumps(manifest)
    import pandas as pd

    frame = pd.read_csv(tmp_path / "out" / "staffing.csv")
    assert list(frame.columns) == ["month", "date", "owner", "workload", "measure", "value"]


def test_analyses_vary_any_workloads_fields_by_name() -> None:
    from bpo_cost import breakeven_volume, scenario_grid, sensitivity, simulate

    case = contact_centre()
    case["uncertainty"] = {
        "workloads[chat].volume_per_month": {"kind": "uniform", "low": 15_000, "high": 25_000},
        "workloads[email].handle_minutes": {"kind": "uniform", "low": 5, "high": 7},
        "workloads[chat].real_time.concurrency": {"kind": "uniform", "low": 1.5, "high": 3},
    }
    sim = simulate(case, n=200, seed=1)
    drawn = sim.sampled()
    assert drawn.shape[1] == 3
    grid = scenario_grid(
        case,
        {
            "workloads[voice].volume_per_month": [40_000, 60_000],
            "workloads[chat].inhouse.wage_per_hour": [16, 20],
        },
    )
    assert len(grid) == 4 * 2  # scenarios x owners
    tornado = sensitivity(case, inputs=["workloads[chat].volume_per_month"])
    assert set(tornado["input"]) == {"workloads[chat].volume_per_month"}
    case["options"][0]["lines"][2]["pricing"]["price"] = 6.0  # dearer than in-house per email
    be = breakeven_volume(case, "Vendor", workload="email", low=0, high=1e6)
    swapped = copy.deepcopy(case)
    swapped["workloads"][2]["volume_per_month"] = be.value
    r = evaluate(swapped)
    assert r.summary_arrays.tco[0, 0] == pytest.approx(r.summary_arrays.tco[0, 1], rel=1e-6)
    with pytest.raises(Exception, match="workload"):
        breakeven_volume(case, "Vendor")  # several workloads: say which


def test_the_schema_takes_both_forms_and_the_new_fields(capsys: Any) -> None:
    import json

    from bpo_cost.cli import main

    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert {"workload", "workloads"} <= set(schema["properties"])
    assert schema["oneOf"] == [{"required": ["workloads"]}, {"required": ["workload"]}]
    defs = schema["$defs"]
    assert "name" in defs["Workload"]["required"] and "name" not in defs["WorkloadV1"]["required"]
    concurrency = defs["RealTime"]["properties"]["concurrency"]
    assert (concurrency["minimum"], concurrency["maximum"]) == (1, 5)
    assert set(defs["WorkloadInHouse"]["properties"]) == {"wage_per_hour", "shrinkage", "occupancy"}
    assert {"workload", "share", "pricing", "location", "provider"} <= set(
        defs["Line"]["properties"]
    )


def test_breakeven_command_takes_the_workload_whose_volume_varies(capsys: Any) -> None:
    from bpo_cost.cli import main

    path = str(example_path("contact_centre_multichannel"))
    assert main(["breakeven", path, "--volume"]) == 2
    assert "--workload must be the workload whose volume varies" in capsys.readouterr().err
    assert main(["breakeven", path, "--volume", "--workload", "fax"]) == 2
    assert "--workload must be one of the case's workloads" in capsys.readouterr().err
    args = ["--volume", "--workload", "email", "--option", "Nearshore CO", "--json"]
    assert main(["breakeven", path, *args]) == 0
    assert "workloads[email].volume_per_month" in capsys.readouterr().out


def test_the_tornado_leaves_out_a_voice_channels_concurrency_of_one() -> None:
    from bpo_cost import sensitivity

    voice = sensitivity(example_path("voice_customer_service"))
    assert not voice["input"].str.contains("concurrency").any()
    centre = sensitivity(example_path("contact_centre_multichannel"))
    concurrency = set(centre[centre["input"].str.contains("concurrency")]["input"])
    assert concurrency == {"workloads[chat].real_time.concurrency"}  # chat's 2: it swings


def test_analysis_commands_on_the_multichannel_example(capsys: Any) -> None:
    from bpo_cost.cli import main

    path = str(example_path("contact_centre_multichannel"))
    assert main(["sensitivity", path, "--input", "workloads[chat].volume_per_month"]) == 0
    assert "chat: volume in month 1 before seasonality" in capsys.readouterr().out
    assert main(["simulate", path, "-n", "200", "--seed", "1"]) == 0
    assert "Offshore PH" in capsys.readouterr().out


def test_case_workload_is_the_one_workload_or_a_clear_error() -> None:
    from bpo_cost.errors import InputError

    assert parse_case(bare_case()).workload.name == "main"
    with pytest.raises(InputError, match="workload must be one"):
        _ = parse_case(contact_centre()).workload


def test_zero_variance_monte_carlo_of_several_workloads_is_the_deterministic_result() -> None:
    from bpo_cost import resolve_rates, simulate
    from bpo_cost.analysis.inputs import Inputs
    from bpo_cost.case.distributions import Pert, Triangular
    from bpo_cost.case.io import load_case
    from bpo_cost.engine.compile import numeric_inputs

    case = resolve_rates(load_case(example_path("contact_centre_multichannel")))[0]
    values = numeric_inputs(case)
    ins = Inputs(case)
    paths = [
        *case.uncertainty,
        "workloads[email].inhouse.wage_per_hour",
        "workloads[chat].inhouse.occupancy",
        "options[Offshore PH].lines.0.pricing.price",
    ]
    dists = {
        p: (Triangular if i % 2 else Pert)(
            low=values[ins.canonical(p)],
            mode=values[ins.canonical(p)],
            high=values[ins.canonical(p)],
        )
        for i, p in enumerate(paths)
    }
    sim = simulate(case, n=30, seed=3, uncertainty=dists, chunk_size=16)
    det = evaluate(case).summary()
    for j, owner in enumerate(sim.owners):
        assert (sim.tco[:, j] == det.loc[owner, "tco"]).all()
        assert (sim.npv_cost[:, j] == det.loc[owner, "npv_cost"]).all()
