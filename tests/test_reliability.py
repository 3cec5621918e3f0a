"""Reliability round 2: one regression test per finding of the outside attack (issue "Why").

Each test failed (or hung) on the release before this change and passes now. Hangs run in a
child process with a deadline, so a regression fails the test instead of stalling the suite.
"""

from __future__ import annotations

import copy
import json
import math
import os
import signal
import subprocess
import sys
import textwrap
import time
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import numpy as np
import pytest
import yaml

from bpo_cost import (
    BpoCostError,
    BpoCostWarning,
    InvalidCaseError,
    OutputError,
    RateCardError,
    evaluate,
)
from bpo_cost.analysis import montecarlo
from bpo_cost.case.distributions import Normal, correlation_matrix
from bpo_cost.case.examples import example_path
from bpo_cost.case.io import load_case, parse_case
from bpo_cost.cli import main
from bpo_cost.core.staffing import required_agents
from bpo_cost.errors import InputError
from bpo_cost.workbook import write_workbook

from .test_bad_inputs import full_case

# Names this change added are imported inside the tests that use them, so that this file also
# runs against the release before it (each test then fails on its own, not the whole file).
MAX_TIERS = 30  # bpo_cost.case.models.MAX_TIERS
MAX_SHARED_STRINGS = 200_000  # bpo_cost.case.xlsx.MAX_SHARED_STRINGS
DEADLINE = 60.0  # seconds: the fixed code answers in about one; the old one never did


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def in_child(code: str) -> str:
    """Run ``code`` in a fresh interpreter within DEADLINE; its stdout."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=DEADLINE,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def one_line_error(err: str) -> None:
    assert err.startswith("bpo-cost: error: ") and err.count("\n") == 1, err


def dumped(data: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(parse_case(data).model_dump(mode="json"))


# ------------------------------------------------------------------------------------- hangs


def test_tiny_inhouse_occupancy_is_refused_not_a_hang():
    out = in_child(
        """
        from bpo_cost import InvalidCaseError, evaluate
        from tests.test_bad_inputs import full_case
        d = full_case(); d["inhouse"]["occupancy"] = 1e-300
        try:
            evaluate(d)
        except InvalidCaseError as e:
            print(e)
        """
    )
    assert "inhouse.occupancy" in out and "load / occupancy" in out


def test_tiny_vendor_occupancy_is_refused_not_a_hang():
    out = in_child(
        """
        from bpo_cost import InvalidCaseError, evaluate
        from tests.test_bad_inputs import full_case
        d = full_case(); d["options"][0]["pricing"]["occupancy"] = 1e-300
        try:
            evaluate(d)
        except InvalidCaseError as e:
            print(e)
        """
    )
    assert "options.0.pricing.occupancy" in out


def test_erlang_agents_with_a_denormal_occupancy_is_a_cell_error_not_a_hang():
    out = in_child(
        """
        from bpo_cost.excel.functions import BPO_ERLANG_AGENTS
        print(BPO_ERLANG_AGENTS(100, 180, 0.8, 20, 30, 5e-324))
        """
    )
    assert out.startswith("#VALUE!") and "occupancy" in out


def reference_agents(a: float, tau: float, target: float, occupancy: float) -> int:
    """The textbook search, one agent at a time from 0: the answer the closed form must keep."""
    n, b = 0, 1.0
    while True:
        n += 1
        b = a * b / (n + a * b)
        if n > a:
            c = n * b / (n - a * (1.0 - b))
            if 1.0 - c * math.exp(-(n - a) * tau) >= target and a / n <= occupancy:
                return n


@pytest.mark.parametrize("occupancy", [1.0, 0.9, 0.85, 0.5, 0.3, 0.1, 0.013])
@pytest.mark.parametrize("erlangs", [0.01, 0.7, 3.0, 10.0, 42.5])
def test_occupancy_cap_in_closed_form_gives_the_stepwise_answer(erlangs, occupancy):
    volume = erlangs * 30 * 60 / 180  # 180-second calls in a 30-minute interval
    got = required_agents(
        volume, 180, service_level_target=0.8, answer_seconds=20, occupancy=occupancy
    )
    assert got == reference_agents(volume * 180 / 1800, 20 / 180, 0.8, occupancy)


def test_occupancy_beyond_two_million_agents_is_an_input_error():
    out = in_child(
        """
        from bpo_cost.core.staffing import required_agents
        from bpo_cost.errors import InputError
        try:
            required_agents(100, 180, service_level_target=0.8, answer_seconds=20, occupancy=1e-9)
        except InputError as e:
            print(e)
        """
    )
    assert out.startswith("occupancy must be")


# ------------------------------------------------------------------------------------ memory


def test_thousands_of_tiers_are_refused_at_the_door():
    data = dumped(full_case())
    tiers = [{"up_to": float(i + 1), "price": 1.0} for i in range(20_000)] + [{"price": 1.0}]
    data["options"][1]["pricing"]["tiers"] = tiers
    with pytest.raises(InvalidCaseError, match=r"options\.1\.pricing\.tiers"):
        parse_case(data)


def test_the_most_tiers_allowed_still_evaluate():
    data = dumped(full_case())
    tiers = [{"up_to": 100.0 * (i + 1), "price": 3.0} for i in range(MAX_TIERS - 1)]
    data["options"][1]["pricing"]["tiers"] = [*tiers, {"price": 2.0}]
    assert evaluate(data).summary().shape[0] == 5


def test_an_uncertainty_block_of_thousands_is_refused():
    data = dumped(full_case())
    data["uncertainty"] = {f"x{i}": {"kind": "normal", "mean": 1, "sd": 1} for i in range(1001)}
    with pytest.raises(InvalidCaseError, match=r"uncertainty must be at most 1000 items"):
        parse_case(data)


def test_no_correlation_matrix_is_built_without_correlations():
    dists = {f"x{i}": Normal(mean=1.0, sd=0.1) for i in range(5_000)}
    tracemalloc.start()
    try:
        assert correlation_matrix(dists) is None
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 10_000_000  # a 5,000 x 5,000 identity alone is 200 MB


def test_draws_beyond_memory_are_refused_before_allocating(monkeypatch, capsys):
    monkeypatch.setattr(montecarlo, "_memory_budget", lambda: 4_000_000_000)
    start = time.perf_counter()
    code, _, err = run(
        capsys, "simulate", str(example_path("claims_back_office")), "-n", "50000000"
    )
    assert code == 2, err
    one_line_error(err)
    assert "at most" in err and "draws" in err
    assert time.perf_counter() - start < 10


def test_out_of_memory_in_a_simulation_is_an_input_error(monkeypatch):
    def no_memory(*args: Any, **kwargs: Any) -> Any:
        raise MemoryError

    monkeypatch.setattr(montecarlo.np, "empty", no_memory)
    with pytest.raises(InputError, match="out of memory"):
        montecarlo.simulate(example_path("claims_back_office"), n=100, seed=1)


def test_out_of_memory_anywhere_is_one_line_exit_2(monkeypatch, capsys):
    from bpo_cost.cli import core

    def no_memory(*args: Any, **kwargs: Any) -> Any:
        raise MemoryError

    monkeypatch.setattr(core, "evaluate", no_memory)
    code, _, err = run(capsys, "evaluate", str(example_path("payroll")))
    assert code == 2
    one_line_error(err)
    assert "out of memory" in err


# ----------------------------------------------------------------------------------- crashes


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_an_integer_of_5000_digits_is_an_invalid_case(tmp_path, suffix, capsys):
    data = dumped(full_case())
    text = json.dumps(data) if suffix == ".json" else yaml.safe_dump(data)
    text = text.replace("1000.0", "9" * 5000, 1)
    assert "9" * 5000 in text
    path = tmp_path / f"case{suffix}"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidCaseError, match="digits"):
        load_case(path)
    code, _, err = run(capsys, "evaluate", str(path))
    assert code == 2
    one_line_error(err)


def test_zero_volume_evaluates_to_json(tmp_path, capsys):
    data = dumped(full_case())
    data["workload"]["volume_per_month"] = 0
    path = tmp_path / "zero.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    code, out, err = run(capsys, "evaluate", str(path), "--json")
    assert code == 0, err
    assert json.loads(out)["inhouse"]["cost_per_unit"] is None


def test_csv_into_a_place_that_cannot_hold_a_folder_is_one_line(capsys):
    code, _, err = run(capsys, "evaluate", str(example_path("payroll")), "--csv", "/proc/bpo")
    assert code == 2
    one_line_error(err)


def test_a_rate_card_cell_over_128_kib_is_a_rate_card_error(tmp_path, capsys):
    card = tmp_path / "billing_hourly.csv"
    header = "function,location,tier,currency,unit,low,typical,high,source,as_of,note\n"
    row = "data_entry,IN,offshore,USD,hour,5,6,7,src,2025-01-01," + "x" * 140_000 + "\n"
    card.write_text(header + row, encoding="utf-8")
    code, _, err = run(capsys, "evaluate", str(example_path("payroll")), "--rates", str(card))
    assert code == 2, err
    one_line_error(err)
    assert "billing_hourly.csv row" in err
    from bpo_cost.rates.cards import load_cards

    with pytest.raises(RateCardError):
        load_cards(card)


# ------------------------------------------------------------------- files that must be valid

HOSTILE_TEXT = "Claims \x01\x1b[2J\x1b]0;pwned\x07 \ufffe\uffff\x85 review"
CLEAN_TEXT = "Claims [2J]0;pwned  review"


def hostile_case() -> dict[str, Any]:
    data = dumped(full_case())
    data["name"] = HOSTILE_TEXT
    data["description"] = HOSTILE_TEXT
    data["workload"]["unit"] = "call\x1b[1m"
    data["inhouse"]["other_roles"][0]["name"] = HOSTILE_TEXT
    data["inhouse"]["stranded_costs"][0]["name"] = HOSTILE_TEXT
    data["options"][0]["provider"] = HOSTILE_TEXT
    data["options"][3]["pricing"]["kpi"]["name"] = HOSTILE_TEXT
    return data


def test_control_characters_in_case_text_still_give_a_valid_workbook(tmp_path):
    out = write_workbook(hostile_case(), tmp_path / "hostile.xlsx")
    with zipfile.ZipFile(out) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                ElementTree.fromstring(archive.read(name))  # raises on invalid XML
        core = archive.read("docProps/core.xml").decode("utf-8")
    assert CLEAN_TEXT in core
    back = load_case(out)  # and bpo-cost reads it back
    assert back.name == CLEAN_TEXT
    assert back.options[0].provider == CLEAN_TEXT


def test_formula_limits_are_those_of_excel():
    from bpo_cost.workbook.validity import formula_problem

    assert formula_problem("=" + "+".join(["A1"] * 3000)) == "9,000 characters (Excel allows 8,192)"
    assert "nested 65 deep" in str(formula_problem("=" + "IF(A1," * 65 + "0" + ")" * 65))
    assert formula_problem("=" + "IF(A1," * 64 + "0" + ")" * 64) is None
    assert "255 arguments" in str(formula_problem("=SUM(" + ",".join(["1"] * 256) + ")"))
    assert formula_problem("=SUM(" + ",".join(["1"] * 255) + ")") is None
    assert formula_problem('="((((,,,,"&A1') is None  # text is not nesting


def test_a_formula_over_the_limits_is_an_output_error_naming_the_cell():
    from openpyxl import Workbook

    from bpo_cost.workbook.validity import check_workbook

    wb = Workbook()
    wb.active.title = "Costs"
    wb.active["C7"] = "=" + "IF(A1," * 70 + "0" + ")" * 70
    with pytest.raises(OutputError, match=r"Costs!C7"):
        check_workbook(wb)


@pytest.mark.parametrize(("mode", "count"), [("all_units", 70), ("incremental", 100)])
def test_tier_tables_beyond_excel_formula_limits_are_never_written(tmp_path, mode, count):
    # the release before this change wrote 70 nested IFs (Excel allows 64) and a 16,077-character
    # formula (Excel allows 8,192) for these, and exited 0
    data = dumped(full_case())
    tiers = [{"up_to": 100.0 * (i + 1), "price": 3.0 - i / 1000} for i in range(count - 1)]
    data["options"][1]["pricing"].update(tiers=[*tiers, {"price": 2.0}], tier_mode=mode)
    with pytest.raises(InvalidCaseError, match="tiers"):
        write_workbook(data, tmp_path / "t.xlsx")
    assert not (tmp_path / "t.xlsx").exists()


@pytest.mark.parametrize("mode", ["all_units", "incremental"])
def test_the_longest_tier_tables_write_formulas_within_excel_limits(tmp_path, mode):
    from openpyxl import load_workbook

    from bpo_cost.workbook.validity import formula_problem

    data = dumped(full_case())
    tiers = [{"up_to": 100.0 * (i + 1), "price": 3.0 - i / 100} for i in range(MAX_TIERS - 1)]
    data["options"][1]["pricing"].update(tiers=[*tiers, {"price": 2.0}], tier_mode=mode)
    out = write_workbook(data, tmp_path / f"{mode}.xlsx")
    wb = load_workbook(out)
    formulas = [c.value for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas and all(formula_problem(str(f)) is None for f in formulas)


# ----------------------------------------------------------------------- silent wrong numbers


def test_option_names_differing_only_in_case_are_refused():
    data = dumped(full_case())
    data["options"][0]["name"] = "Vendor"
    data["options"][1]["name"] = "VENDOR"
    with pytest.raises(InvalidCaseError, match="unique ignoring case"):
        parse_case(data)


YAML_DUPLICATE = "name: a\nworkload:\n  unit: call\n  unit: claim\n"
JSON_DUPLICATE = '{"name": "a",\n "workload": {"unit": "call",\n  "unit": "claim"}}'


@pytest.mark.parametrize(
    ("suffix", "text", "line", "first"),
    [(".yaml", YAML_DUPLICATE, 4, 3), (".json", JSON_DUPLICATE, 3, 2)],
    ids=["yaml", "json"],
)
def test_a_duplicate_key_is_an_error_naming_key_and_line(tmp_path, suffix, text, line, first):
    path = tmp_path / f"case{suffix}"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidCaseError) as info:
        load_case(path)
    message = str(info.value)
    assert f"line {line}" in message and "'unit'" in message and f"line {first}" in message


def test_the_same_key_in_different_blocks_is_fine(tmp_path):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(dumped(full_case())), encoding="utf-8")
    assert load_case(path).options[0].name == "Hourly"  # "name" appears in many blocks


# ------------------------------------------------------------------------------ slow refusals


def workbook_with(tmp_path: Path, parts: dict[str, bytes]) -> Path:
    """A generated workbook with some parts replaced."""
    good = write_workbook(example_path("payroll"), tmp_path / "good.xlsx")
    out = tmp_path / "hostile.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, parts.get(info.filename, src.read(info)))
        for name in parts.keys() - set(src.namelist()):
            dst.writestr(name, parts[name])
    return out


def test_millions_of_shared_strings_are_refused_quickly(tmp_path):
    many = MAX_SHARED_STRINGS * 5
    xml = (
        b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        b'2006/main">' + b"<si><t>a</t></si>" * many + b"</sst>"
    )
    path = workbook_with(tmp_path, {"xl/sharedStrings.xml": xml})
    start = time.perf_counter()
    with pytest.raises(InvalidCaseError, match="shared strings"):
        load_case(path)
    assert time.perf_counter() - start < 5


def test_rows_of_16384_cells_are_refused_quickly(tmp_path):
    row = b'<row r="%d">' + b'<c t="n"><v>1</v></c>' * 16_384 + b"</row>"
    rows = b"".join(row.replace(b"%d", str(r).encode()) for r in range(1, 30))
    xml = (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheetData>' + rows + b"</sheetData></worksheet>"
    )
    with zipfile.ZipFile(write_workbook(example_path("payroll"), tmp_path / "p.xlsx")) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    path = workbook_with(tmp_path, dict.fromkeys(sheets, xml))
    start = time.perf_counter()
    with pytest.raises(InvalidCaseError, match="cells in a row"):
        load_case(path)
    assert time.perf_counter() - start < 5


# ---------------------------------------------------------------------------------- leftovers

KILLED_WRITER = """
import sys, time
from bpo_cost.files import atomic_write
def slow(path):
    path.write_bytes(b"half")
    print("writing", flush=True)
    time.sleep(60)
atomic_write(sys.argv[1], slow)
"""


def test_a_killed_write_leaves_nothing_after_the_next_write(tmp_path):
    target = tmp_path / "out.xlsx"
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(target)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None and child.stdout.readline() == "writing\n"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    child.stdout.close()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # stranded
    from bpo_cost.files import atomic_write_bytes

    atomic_write_bytes(target, b"whole")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]


def test_a_running_writer_keeps_its_temporary(tmp_path):
    from bpo_cost.files import clean_stale

    mine = tmp_path / f".out.xlsx.{os.getpid()}.abcdefgh.tmp"
    mine.write_bytes(b"in progress")
    assert clean_stale(tmp_path) == [] and mine.exists()


def test_csv_files_are_replaced_as_a_set(tmp_path):
    from bpo_cost.files import atomic_write_set

    old = {"a.csv": b"old a", "b.csv": b"old b"}
    for name, data in old.items():
        (tmp_path / name).write_bytes(data)

    def fail(path: Path) -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(OutputError, match="No space left"):
        atomic_write_set(tmp_path, {"a.csv": lambda p: p.write_bytes(b"new a"), "b.csv": fail})
    assert {n: (tmp_path / n).read_bytes() for n in old} == old  # not half new, half old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv"]


def test_csv_output_carries_a_manifest_of_its_files(tmp_path, capsys):
    import hashlib

    from bpo_cost.files import MANIFEST

    code, _, err = run(capsys, "evaluate", str(example_path("payroll")), "--csv", str(tmp_path))
    assert code == 0, err
    manifest = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))
    assert sorted(manifest["sha256"]) == [
        "components.csv",
        "staffing.csv",
        "summary.csv",
        "totals.csv",
    ]
    for name, digest in manifest["sha256"].items():
        assert hashlib.sha256((tmp_path / name).read_bytes()).hexdigest() == digest


# -------------------------------------------------------------------------------------- also


def yaml_case_text() -> str:
    return example_path("payroll").read_text(encoding="utf-8")


@pytest.mark.parametrize("codec", ["utf-16", "utf-32", "utf-8-sig"])
def test_unicode_with_a_byte_order_mark_is_read(tmp_path, codec):
    for suffix, text in ((".yaml", yaml_case_text()), (".json", json.dumps(dumped(full_case())))):
        path = tmp_path / f"case{suffix}"
        path.write_bytes(text.encode(codec))
        assert load_case(path).term_months > 0


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_utf16_without_a_mark_is_refused_naming_the_encoding(tmp_path, codec):
    path = tmp_path / "case.yaml"
    path.write_bytes(yaml_case_text().encode(codec))
    with pytest.raises(InvalidCaseError, match="UTF-16 or UTF-32"):
        load_case(path)


def test_invalid_utf8_is_refused_with_the_byte_offset(tmp_path):
    raw = yaml_case_text().encode("utf-8")
    at = raw.index(b"payroll")
    path = tmp_path / "case.yaml"
    path.write_bytes(raw[:at] + b"\xff" + raw[at + 1 :])
    with pytest.raises(InvalidCaseError, match=f"offset {at}"):
        load_case(path)


def test_formula_cells_on_inputs_are_a_warning_naming_the_cells(tmp_path):
    from openpyxl import load_workbook

    out = write_workbook(example_path("payroll"), tmp_path / "p.xlsx")
    wb = load_workbook(out)
    ws = wb["Inputs"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "term_months")
    ws.cell(row, 2).value = "=12*5"
    wb.save(out)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "xlsx", "--outdir", str(tmp_path / "calc"), out],
        check=True,
        capture_output=True,
        timeout=120,
    )
    with pytest.warns(BpoCostWarning, match=f"Inputs!B{row}"):
        case = load_case(tmp_path / "calc" / "p.xlsx")
    assert case.term_months == 60


def test_a_dtd_after_the_first_4_kib_is_refused(tmp_path):
    padding = b"<!--" + b"x" * 8192 + b"-->"
    xml = b'<?xml version="1.0"?>' + padding + b'<!DOCTYPE x [<!ENTITY a "b">]><x/>'
    path = workbook_with(tmp_path, {"docProps/custom.xml": xml})
    with pytest.raises(InvalidCaseError, match="DTD"):
        load_case(path)


def test_a_two_megabyte_yaml_bomb_is_refused_within_a_second(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text("name: x\nlist: [" + "1," * 990_000 + "1]\n", encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(InvalidCaseError, match="values"):
        load_case(path)
    assert time.perf_counter() - start < 5  # ~0.1 s with libyaml; generous for a loaded CI


def test_sampling_keeps_working_without_a_matrix():
    x = montecarlo.sample({"a": Normal(mean=0.0, sd=1.0)}, 4, seed=1)
    assert x.shape == (4, 1) and np.isfinite(x).all()


def test_a_lognormal_spread_that_overflows_is_refused():
    # found by the long fuzz run (BPO_FUZZ_N=2000): (sd / mean) ** 2 raised OverflowError
    from bpo_cost.case.distributions import LogNormal

    with pytest.raises(ValueError, match="times the mean"):
        LogNormal(mean=1e-300, sd=1e300)
    data = dumped(full_case())
    data["uncertainty"] = {
        "workload.volume_per_month": {"kind": "lognormal", "mean": 1e-300, "sd": 1e300}
    }
    with pytest.raises(InvalidCaseError, match="uncertainty"):
        parse_case(data)


def test_out_of_memory_in_evaluate_is_an_input_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import bpo_cost.api as api

    def exhausted(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(api, "evaluate_arrays", exhausted)
    with pytest.raises(BpoCostError, match="memory"):
        api.evaluate(example_path("payroll"))


def test_out_of_memory_while_writing_a_workbook_writes_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import bpo_cost.workbook.writer as writer

    def exhausted(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(writer, "build_workbook", exhausted)
    with pytest.raises(BpoCostError, match="out of memory"):
        writer.write_workbook(example_path("payroll"), tmp_path / "p.xlsx")
    assert list(tmp_path.iterdir()) == []
