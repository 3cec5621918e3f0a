"""The component registry is the one list: engine, workbook, CLI and README agree with it."""

from __future__ import annotations

import csv
import gzip
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings

from bpo_cost import evaluate, load_case
from bpo_cost.case.examples import example_names, example_path
from bpo_cost.cli import main
from bpo_cost.engine.compile import compile_case
from bpo_cost.engine.components import (
    COMPONENT_BY_KEY,
    COMPONENTS,
    INHOUSE,
    INHOUSE_COMPONENTS,
    OPTION_COMPONENTS,
    STAFF_COMPONENTS,
    OwnerKind,
    display_name,
    inhouse_keys,
    keys_of,
    option_keys,
)
from bpo_cost.engine.scope import whole_scope
from bpo_cost.workbook import write_workbook
from bpo_cost.workbook.delivery import full_scope
from bpo_cost.workbook.writer import option_titles
from tests.strategies import cases

from .strategies import workbook_examples

ROOT = Path(__file__).resolve().parents[1]
BASELINES = Path(__file__).resolve().parent / "baselines"
KEY = re.compile(r"[a-z]+(?:_[a-z]+)*(?:\.[a-z]+(?:_[a-z]+)*)?")
KINDS: tuple[OwnerKind, ...] = ("inhouse", "option")


def kind(owner: str) -> OwnerKind:
    return "inhouse" if owner == INHOUSE else "option"


# ------------------------------------------------------------------------------ the registry


def test_registry_entries_are_well_formed() -> None:
    keys = [c.key for c in COMPONENTS]
    assert len(set(keys)) == len(keys), "a key appears twice"
    labels = [c.label for c in COMPONENTS]
    assert len(set(labels)) == len(labels), "a label appears twice"
    for c in COMPONENTS:
        assert KEY.fullmatch(c.key), c.key
        assert c.label and c.description.endswith("."), c.key
        assert c.owners and len(set(c.owners)) == len(c.owners), c.key
        assert set(c.owners) <= set(KINDS), c.key
        assert not c.staff or "inhouse" in c.owners, f"{c.key}: staff cost of no in-house owner"
    assert dict(COMPONENT_BY_KEY) == {c.key: c for c in COMPONENTS}


def test_owner_lists_follow_the_registry() -> None:
    assert keys_of("inhouse") == INHOUSE_COMPONENTS
    assert keys_of("option", blocks=True) == OPTION_COMPONENTS  # an option sheet's rows
    assert tuple(c.key for c in COMPONENTS if c.staff) == STAFF_COMPONENTS
    assert set(STAFF_COMPONENTS) <= set(INHOUSE_COMPONENTS)
    assert display_name(INHOUSE) == "In-house" and display_name("Offshore PH") == "Offshore PH"


@pytest.mark.parametrize("name", sorted(p.name for p in BASELINES.iterdir() if p.is_dir()))
def test_registry_order_is_the_release_order(name: str) -> None:
    """Keys and order per owner as the 0.1.0 release wrote them (tests/baselines/*/components.csv):
    CSV columns, workbook rows and lists keep their order; components added since come after."""
    seen: dict[str, list[str]] = {}
    with gzip.open(BASELINES / name / "components.csv.gz", "rt", newline="") as f:
        for row in csv.DictReader(f):
            parts = seen.setdefault(row["owner"], [])
            if row["component"] not in parts:
                parts.append(row["component"])
    assert INHOUSE in seen
    for owner, parts in seen.items():
        assert keys_of(kind(owner))[: len(parts)] == tuple(parts), owner


# -------------------------------------------------------------------------------- the engine


def assert_engine_keys(result: Any) -> None:
    comps = result.components
    assert comps.owners[0] == INHOUSE
    options = {o.name: o for o in result.case.options}
    p = compile_case(result.case)
    keeps = {o.name: not whole_scope(p, o) for o in p.options}  # partial scope or waves
    for owner in comps.owners:
        want = (
            inhouse_keys(result.case.inhouse)
            if owner == INHOUSE
            else option_keys(options[owner], keeps_work=keeps[owner])
        )
        # list equality: the producers give every key once, nothing else, in registry order
        assert list(comps.parts[owner]) == list(want), owner
        assert list(comps.by_owner[owner]) == list(want), owner


@pytest.mark.parametrize("name", example_names())
def test_engine_output_is_the_registry_per_owner(name: str) -> None:
    assert_engine_keys(evaluate(example_path(name)))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases())
def test_engine_output_is_the_registry_for_any_case(case: dict[str, Any]) -> None:
    """Every pricing model, clause and hidden cost in play (tests/strategies.py)."""
    assert_engine_keys(evaluate(case))


@pytest.mark.parametrize("name", example_names())
def test_credits_are_never_a_cost(name: str) -> None:
    result = evaluate(example_path(name))
    for owner, parts in result.components.by_owner.items():
        for key, values in parts.items():
            if COMPONENT_BY_KEY[key].credit:
                assert np.all(values <= 0.0), (owner, key)


# ------------------------------------------------------------------------------ the workbook


def component_rows(ws: Any, header: str, width: int) -> list[tuple[Any, ...]]:
    """The rows after the one whose column A is ``header``, up to the next empty row."""
    rows = ws.iter_rows(min_col=1, max_col=width, values_only=True)
    for row in rows:
        if row[0] == header:
            break
    else:
        raise AssertionError(f"{ws.title}: no {header!r} row")
    out = []
    for row in rows:
        if row[0] is None:
            break
        out.append(row)
    return out


@pytest.fixture(scope="module", params=workbook_examples())
def book(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    name = request.param
    path = write_workbook(example_path(name), tmp_path_factory.mktemp("wb") / f"{name}.xlsx")
    return load_case(example_path(name)), openpyxl.load_workbook(path)


def test_cost_sheets_have_a_row_per_component(book: Any) -> None:
    case, wb = book
    rows = {"inhouse": INHOUSE_COMPONENTS, "option": OPTION_COMPONENTS}  # no improvement path
    want = {k: [(c.key, c.label) for c in COMPONENTS if c.key in rows[k]] for k in KINDS}
    assert component_rows(wb["In-house"], "Cost components", 2) == want["inhouse"]
    for title in option_titles(case):
        assert component_rows(wb[title], "Cost components", 2) == want["option"], title


def test_method_sheet_describes_every_component_of_the_case(book: Any) -> None:
    """Every component an owner of the case has; a block no owner has brings none."""
    case, wb = book
    rows = component_rows(wb["Method & sources"], "Component", 3)
    applies = {"inhouse": "In-house", "option": "Each option"}
    present = set(inhouse_keys(case.inhouse)).union(
        *(option_keys(o, keeps_work=not full_scope(case, o)) for o in case.options)
    )
    assert rows == [
        (c.key, ", ".join(applies[k] for k in c.owners), c.description)
        for c in COMPONENTS
        if c.block is None or c.key in present
    ]
    taxed = any(o.taxes is not None for o in case.options)
    assert ("tax.vat" in [r[0] for r in rows]) == taxed  # a block no owner has brings none


# ----------------------------------------------------------------------------------- the CLI


def test_cli_lists_the_registry_in_80_columns(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["components"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    header = next(i for i, line in enumerate(lines) if line.split()[:2] == ["Key", "Label"])
    label_at, owners_at = lines[header].index("Label"), lines[header].index("Owners")
    rows = [  # a label too long for its column goes on in the next line, with no key
        (line[:label_at].strip(), line[owners_at:].strip())
        for line in lines[header + 1 :]
        if line[:label_at].strip() and KEY.fullmatch(line[:label_at].strip())
    ]
    assert rows == [(c.key, ", ".join(c.owners)) for c in COMPONENTS]


def test_cli_json_is_the_registry(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["components", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data == [
        {
            "key": c.key,
            "label": c.label,
            "description": c.description,
            "owners": list(c.owners),
            "staff": c.staff,
            "credit": c.credit,
            "block": c.block,
        }
        for c in COMPONENTS
    ]


# -------------------------------------------------------------------------------- the README


def readme_lists() -> dict[str, list[str]]:
    """The keys of each bullet of README "What is computed" (``- in-house: `key`, …``)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## What is computed\n", 1)[1].split("\n## ", 1)[0]
    bullets = re.split(r"\n- ", section)[1:]
    lists: dict[str, list[str]] = {}
    for bullet in bullets:
        bullet = bullet.split("\n\n", 1)[0]
        head, _, body = bullet.partition(":")
        lists[head.strip()] = re.findall(r"`([^`]+)`", body)
    return lists


def test_readme_lists_every_component_by_owner() -> None:
    lists = readme_lists()
    assert lists == {
        "in-house": list(keys_of("inhouse", blocks=True)),
        "each option": list(keys_of("option", blocks=True)),
    }


def test_readme_marks_the_credits_negative() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## What is computed\n", 1)[1].split("\n## ", 1)[0]
    marked = re.findall(r"`([^`]+)` \(negative\)", section)
    assert sorted(marked) == sorted(c.key for c in COMPONENTS if c.credit)
