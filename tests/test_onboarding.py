"""Onboarding: examples, starters per pricing model, a schema editors understand, plain help
(issue "Analyst experience", items 2 and 4)."""

from __future__ import annotations

import json

import pytest

from bpo_cost import evaluate, example_names
from bpo_cost.cli import main
from bpo_cost.cli.core import SCHEMA_FILE, STARTERS


def test_examples_lists_every_example_and_starter(capsys):
    assert main(["examples"]) == 0
    out = capsys.readouterr().out
    for name in [*example_names(), *STARTERS]:
        assert name in out
    assert "workbooks/" not in out  # a pip user has no repository


@pytest.mark.parametrize(
    "args",
    [["--example", n] for n in example_names()] + [["--model", m] for m in STARTERS],
    ids=lambda a: a[1],
)
def test_init_writes_a_case_that_evaluates_with_its_schema_line(capsys, tmp_path, args):
    path = tmp_path / "case.yaml"
    assert main(["init", str(path), *args]) == 0
    text = path.read_text()
    assert text.startswith(f"# yaml-language-server: $schema={SCHEMA_FILE}\n")
    assert json.loads((tmp_path / SCHEMA_FILE).read_text())["title"] == "Case"
    result = evaluate(path)
    if args[0] == "--model":
        assert {o.pricing.model for o in result.case.options} == {args[1]}


def test_init_refuses_an_unknown_model_or_both(capsys, tmp_path):
    assert main(["init", str(tmp_path / "a.yaml"), "--model", "fixed"]) == 2
    assert "--model must be one of hourly, per_transaction, outcome: got 'fixed'" in (
        capsys.readouterr().err
    )
    assert main(["init", str(tmp_path / "a.yaml"), "--model", "hourly", "--example", "x"]) == 2


def _walk(node, found):
    if isinstance(node, dict):
        if node.get("type") in ("number", "integer"):
            found.append(node)
        for v in node.values():
            _walk(v, found)
    elif isinstance(node, list):
        for v in node:
            _walk(v, found)
    return found


def test_schema_has_standard_bounds_descriptions_and_units(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    numbers = _walk(schema, [])
    assert numbers
    assert not [n for n in numbers if {"ge", "gt", "le", "lt"} & n.keys()]
    attrition = schema["$defs"]["InHouse"]["properties"]["attrition_per_year"]
    assert (attrition["minimum"], attrition["maximum"]) == (0, 3)
    assert attrition["description"] and attrition["unit"] == "share / year"
    shrinkage = schema["$defs"]["InHouse"]["properties"]["shrinkage"]
    assert shrinkage["exclusiveMaximum"] == 1


@pytest.mark.parametrize("command", ["", "breakeven", "simulate", "init", "rates", "workbook"])
def test_help_has_no_placeholders_and_no_broken_sentences(capsys, monkeypatch, command):
    monkeypatch.setenv("COLUMNS", "80")
    assert main([command, "--help"] if command else ["--help"]) == 0
    out = capsys.readouterr().out
    assert "<bool>" not in out and "<str>" not in out and "<path>" not in out
    assert "(or another\n" not in out and "NPV of savings,\n" not in out
