"""Fuzzing the loaders: nothing but a BpoCostError may escape, whatever the file holds.

Mutations of every example case (bytes flipped, cut, duplicated; values swapped for odd scalars;
structure nested or emptied), hostile YAML (aliases, tags, huge documents), and the same for JSON.
Each input is loaded and, when it loads, evaluated. ``BPO_FUZZ_N`` sets the number of mutations
per example (default 150; the issue note reports a long run).
"""

from __future__ import annotations

import copy
import json
import os
import random
import warnings
from pathlib import Path
from typing import Any

import pytest
import yaml

from bpo_cost import BpoCostError, evaluate, example_names, example_path, load_case

N = int(os.environ.get("BPO_FUZZ_N", "150"))
ODD = [
    None,
    "",
    "x",
    -1,
    0,
    1e308,
    -1e308,
    float("nan"),
    True,
    [],
    {},
    [1, 2],
    "2027-99",
    "1e999",
    10**30,
    "\u202e",
    "=1+1",
    {"card": "wage"},
    # reliability round 2: control characters and markup, denormals, long numbers and lists
    "\x1b[2J\x1b]0;t\x07[link=http://e.x]x[/link]\ufffe\x01",
    "[/x]",
    1e-300,
    5e-324,
    "9" * 5000,
    [0.0] * 5000,
]


def attempt(path: Path) -> str:
    """Load and evaluate; return 'ok' or 'refused'. Any other exception fails the test."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            evaluate(load_case(path))
    except BpoCostError:
        return "refused"
    return "ok"


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if not b:
            b = bytearray(b"x")
        op = rng.randrange(4)
        i = rng.randrange(len(b))
        if op == 0:
            b[i] = rng.randrange(256)
        elif op == 1:
            del b[i : i + rng.randint(1, 40)]
        elif op == 2:
            b[i:i] = b[rng.randrange(len(b)) :][: rng.randint(1, 60)]
        else:
            b = b[:i]
    return bytes(b) or b"x"


def leaves(node: Any, out: list[tuple[Any, Any]]) -> None:
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for k, v in items:
        if isinstance(v, (dict, list)) and v:
            leaves(v, out)
        out.append((node, k))


def mutate_tree(data: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    tree = json.loads(json.dumps(data, default=str))
    for _ in range(rng.randint(1, 4)):
        spots: list[tuple[Any, Any]] = []
        leaves(tree, spots)
        parent, key = rng.choice(spots)
        op = rng.randrange(4)
        if op == 0:
            parent[key] = copy.deepcopy(rng.choice(ODD))  # never share (or nest) one object
        elif op == 1 and isinstance(parent, dict):
            del parent[key]
        elif op == 2:
            parent[key] = {"nested": parent[key]}
        else:
            value = parent[key]
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                parent[key] = value * rng.choice([-1, 0, 100, 1e-9, 1e12])
    return tree


@pytest.mark.parametrize("name", example_names())
def test_mutated_yaml_and_json_never_crash(name, tmp_path):
    rng = random.Random(f"fuzz-{name}")
    text = example_path(name).read_bytes()
    tree = yaml.safe_load(text)
    outcomes = {"ok": 0, "refused": 0}
    for i in range(N):
        raw = tmp_path / f"m{i}.yaml"
        raw.write_bytes(mutate_bytes(text, rng))
        outcomes[attempt(raw)] += 1
        structured = tmp_path / f"t{i}.json"
        structured.write_text(json.dumps(mutate_tree(tree, rng), allow_nan=True))
        outcomes[attempt(structured)] += 1
    assert outcomes["refused"] > 0 and sum(outcomes.values()) == 2 * N


def test_mutated_workloads_and_lines_never_crash(tmp_path):
    """Mutations aimed at the fields of several workloads: names, lines, concurrency, overrides;
    every case that loads is evaluated with its staffing figures too."""
    from .strategies import contact_centre

    rng = random.Random("fuzz-workloads")
    base = contact_centre()
    odd_names = ["voice", "VOICE", "all", "", "fax", 3, None, "chat "]
    outcomes = {"ok": 0, "refused": 0}
    for i in range(N):
        tree = copy.deepcopy(base)
        for _ in range(rng.randint(1, 3)):
            w = rng.choice(tree["workloads"])
            line = rng.choice(tree["options"][0]["lines"] or [{}])
            spot, key, value = rng.choice(
                [
                    (w, "name", rng.choice(odd_names)),
                    (line, "workload", rng.choice(odd_names)),
                    (
                        w.setdefault("real_time", {}),
                        "concurrency",
                        rng.choice([0.5, 1, 5.5, "2", *ODD]),
                    ),
                    (
                        w.setdefault("inhouse", {}),
                        rng.choice(["wage_per_hour", "shrinkage", "occupancy", "supervision_span"]),
                        rng.choice(ODD),
                    ),
                    (
                        tree["options"][0],
                        "pricing",
                        rng.choice([None, {"model": "hourly", "rate": 9.0}]),
                    ),
                    (tree, "workload", copy.deepcopy(w)),
                ]
            )
            spot[key] = copy.deepcopy(value)
        if rng.random() < 0.3:
            rng.shuffle(tree["workloads"])
        path = tmp_path / f"w{i}.json"
        path.write_text(json.dumps(tree, allow_nan=True))
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                evaluate(load_case(path)).staffing()
            outcomes["ok"] += 1
        except BpoCostError:
            outcomes["refused"] += 1
    assert outcomes["refused"] > 0 and outcomes["ok"] > 0


HOSTILE = {
    "billion-laughs": "a: &a ['x','x','x','x','x']\nb: &b [*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b]\n",
    "python-object": "!!python/object/apply:os.system ['echo pwned']\n",
    "python-name": "name: !!python/name:os.system\n",
    "deep-nesting": "a: " + "[" * 5000 + "]" * 5000 + "\n",
    "not-a-mapping": "- 1\n- 2\n",
    "scalar": "42\n",
    "empty": "",
    "binary": "\x00\x01\x02",
    "huge-key": "x" * 100 + ": 1\n",
    "merge-key": "base: &b {name: x}\ncase:\n  <<: *b\n",
    "duplicate-key": "name: a\nname: b\n",
    "many-nodes": "a: [" + "1," * 500_000 + "1]\n",
    "long-integer": "name: a\nterm_months: " + "9" * 5000 + "\n",
    "utf-16-no-bom": "name: a\n".encode("utf-16-le").decode("latin-1"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_yaml_is_refused_cleanly(name, tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text(HOSTILE[name])
    with pytest.raises(BpoCostError):
        load_case(path)


def test_oversized_file_is_refused(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_bytes(b"# " + b"x" * 3_000_000 + b"\n")
    with pytest.raises(BpoCostError, match="bytes"):
        load_case(path)


@pytest.mark.parametrize(
    "text",
    [
        '{"name": NaN}',
        "[1, 2",
        '{"a": ' * 2000,
        "[" * 100_000 + "]" * 100_000,
        "\ufeff{}",
        "{}",
        '{"name": "a", "name": "b"}',
        '{"term_months": ' + "9" * 5000 + "}",
    ],
    ids=["nan", "unclosed", "deep-unclosed", "deep", "bom", "empty-object", "dup", "long-int"],
)
def test_bad_json_is_refused(tmp_path, text):
    path = tmp_path / "case.json"
    path.write_text(text)
    with pytest.raises(BpoCostError):
        load_case(path)


def test_no_eval_or_exec_in_the_package():
    root = Path(__file__).resolve().parents[1] / "bpo_cost"
    for source in root.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        for banned in ("eval(", "exec(", "yaml.load(", "pickle", "yaml.Loader", "UnsafeLoader"):
            hits = [
                line
                for line in text.splitlines()
                if banned in line and "SafeLoader" not in line and "literal_eval" not in line
            ]
            assert not hits, f"{source.name}: {hits}"


# ----------------------------------------------------------------------------- workbooks (.xlsx)


def _payroll_workbook(tmp_path: Path) -> Path:
    from bpo_cost.workbook import write_workbook

    return write_workbook(example_path("payroll"), tmp_path / "payroll.xlsx")


def test_mutated_workbook_bytes_never_crash(tmp_path):
    rng = random.Random("fuzz-xlsx-bytes")
    data = _payroll_workbook(tmp_path).read_bytes()
    outcomes = {"ok": 0, "refused": 0}
    for i in range(max(N // 5, 20)):
        path = tmp_path / f"b{i}.xlsx"
        path.write_bytes(mutate_bytes(data, rng))
        outcomes[attempt(path)] += 1
    assert outcomes["refused"] > 0


def test_mutated_inputs_sheet_never_crashes(tmp_path):
    """Edits an analyst could make: any cell of the Inputs sheet set to an odd value."""
    import openpyxl

    rng = random.Random("fuzz-xlsx-cells")
    source = _payroll_workbook(tmp_path)
    wb = openpyxl.load_workbook(source)
    ws = wb["Inputs"]
    cells = [c for row in ws.iter_rows(min_col=1, max_col=2) for c in row if c.value is not None]
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # what openpyxl cannot put in a cell

    odd = [
        v
        for v in ODD
        if not isinstance(v, (list, dict)) and not ILLEGAL_CHARACTERS_RE.search(str(v))
    ] + ["=1/0", "#N/A", "27%", "1,000"]
    outcomes = {"ok": 0, "refused": 0}
    for i in range(max(N // 5, 20)):
        wb = openpyxl.load_workbook(source)
        ws = wb["Inputs"]
        for _ in range(rng.randint(1, 3)):
            cell = rng.choice(cells)
            value = rng.choice(odd)
            ws.cell(cell.row, cell.column).value = value
        path = tmp_path / f"c{i}.xlsx"
        wb.save(path)
        outcomes[attempt(path)] += 1
    assert outcomes["refused"] > 0 and outcomes["ok"] > 0


CODECS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252"]


@pytest.mark.parametrize("name", example_names())
def test_cases_in_any_encoding_never_crash(name, tmp_path):
    rng = random.Random(f"codec-{name}")
    text = example_path(name).read_text(encoding="utf-8")
    outcomes = {"ok": 0, "refused": 0}
    plain = tmp_path / "plain.yaml"  # the file as written loads, whatever the draws below
    plain.write_text(text, encoding="utf-8")
    assert attempt(plain) == "ok"
    for i in range(max(N // 10, 5)):
        raw = text.encode(rng.choice(CODECS), errors="replace")
        path = tmp_path / f"c{i}{rng.choice(['.yaml', '.json'])}"
        path.write_bytes(mutate_bytes(raw, rng) if rng.random() < 0.5 else raw)
        outcomes[attempt(path)] += 1
    assert outcomes["refused"] > 0


@pytest.mark.parametrize("name", example_names())
def test_mutated_cases_write_workbooks_that_read_back(name, tmp_path):
    from bpo_cost.workbook import write_workbook

    rng = random.Random(f"book-{name}")
    tree = yaml.safe_load(example_path(name).read_bytes())
    outcomes = {"ok": 0, "refused": 0}
    for i in range(max(N // 50, 3)):
        data = mutate_tree(tree, rng)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out = write_workbook(data, tmp_path / f"w{i}.xlsx")
                load_case(out)  # every workbook written reads back
        except BpoCostError:
            outcomes["refused"] += 1
        else:
            outcomes["ok"] += 1
    assert sum(outcomes.values()) == max(N // 50, 3)
