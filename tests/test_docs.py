"""The documentation site covers the code: every case-file field, cost component, Excel function
and command has its place on a generated reference page, and every bundled example has a worked
case page.

The pages are generated from the code by ``docs/_ext/bpo_reference.py``, which the Sphinx build
also runs (and which fails that build when something is missing from the built HTML); these
tests run the same generator without Sphinx, so they run in the README's test command. Building
the site itself is ``.ci/run``'s docs step.
"""

from __future__ import annotations

import importlib.util
import inspect
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
from pydantic import BaseModel

import bpo_cost
from bpo_cost import udfs
from bpo_cost.case import distributions, models
from bpo_cost.engine.components import COMPONENTS
from bpo_cost.rates.cards import FUNCTION_IDS

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bpo_reference", DOCS / "_ext" / "bpo_reference.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bpo_reference"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return gen.generate(tmp_path_factory.mktemp("docs"))


def _models() -> set[type[BaseModel]]:
    """Every model class the case file can contain, found independently of the generator: the
    BaseModel subclasses defined in the case and distribution modules that a Case reaches."""
    found: set[type[BaseModel]] = set()
    todo: list[type[BaseModel]] = [models.Case]
    while todo:
        model = todo.pop()
        if model in found:
            continue
        found.add(model)
        for info in model.model_fields.values():
            text = repr(info.annotation)
            for name, obj in [*vars(models).items(), *vars(distributions).items()]:
                if (
                    inspect.isclass(obj)
                    and issubclass(obj, BaseModel)
                    and re.search(rf"\b{name}\b", text)
                ):
                    todo.append(obj)
    return found


def test_every_case_field_is_on_the_case_file_page(pages: dict[str, str]) -> None:
    text = pages["case-file"]
    for model in _models():
        assert f"## {model.__name__}\n" in text, model.__name__
        section = text.split(f"## {model.__name__}\n", 1)[1].split("\n## ", 1)[0]
        for name in model.model_fields:
            assert re.search(rf"^\| `([\w\[\].<>]+\.)?{name}` \|", section, re.M), (model, name)


def test_field_rows_carry_the_models_text(pages: dict[str, str]) -> None:
    row = next(r for r in gen.case_fields()[1] if r.path == "inhouse.shrinkage")
    info = models.InHouse.model_fields["shrinkage"]
    assert row.description == info.description
    assert row.default == "0.3" and row.unit == info.json_schema_extra["unit"]  # type: ignore[index]
    assert "(>= 0, < 1)" in row.kind  # the bounds of ShareBelowOne
    assert row.source and row.source in pages["case-file"]
    term = next(r for r in gen.case_fields()[1] if r.path == "term_months")
    assert term.default == "required" and "(>= 12, <= 120)" in term.kind


def test_every_component_is_on_the_components_page(pages: dict[str, str]) -> None:
    for c in COMPONENTS:
        assert f"| `{c.key}` | {c.label} |" in pages["components"]


def test_every_excel_function_and_argument_is_documented(pages: dict[str, str]) -> None:
    functions = gen.excel_functions()
    public = {n for n in udfs.__all__ if n.startswith("BPO_")}
    assert set(functions) == public
    for name, (description, args) in functions.items():
        assert f"## {name}\n" in pages["excel"]
        assert description == inspect.getdoc(getattr(udfs, name))
        assert [a.name for a in args] == list(inspect.signature(getattr(udfs, name)).parameters)
        for a in args:
            assert a.doc, f"{name}({a.name}) has no @arg doc"  # the recording decorators work
            assert a.doc.replace("|", "\\|") in pages["excel"]


def test_excel_argument_help_is_the_model_description() -> None:
    """The help of BPO_FTE's shrinkage is built from the model's field text (said once)."""
    args = dict((a.name, a) for a in gen.excel_functions()["BPO_FTE"][1])
    assert args["shrinkage"].doc.startswith(models.InHouse.model_fields["shrinkage"].description)
    assert args["shrinkage"].default == "0.3"


def test_every_command_and_option_is_on_the_cli_page(pages: dict[str, str]) -> None:
    for name, cmd in gen.commands().items():
        assert f"## bpo-cost {name}\n" in pages["cli"]
        section = pages["cli"].split(f"## bpo-cost {name}\n", 1)[1].split("\n## ", 1)[0]
        for p in cmd.params:
            if p.param_type_name == "option" and p.name != "help":
                assert f"`{p.opts[0]}`" in section, (name, p.opts)


def test_rate_coverage_lists_every_function_and_location(pages: dict[str, str]) -> None:
    text = pages["rate-coverage"]
    cards = bpo_cost.load_cards()
    header = text.splitlines()[0]
    for location in cards.locations:
        assert f"| {location} |" in header or f" {location} |" in header
    for function in FUNCTION_IDS:
        assert f"(`{function}`) |" in text


def test_the_build_checks_every_kind_of_name() -> None:
    wanted = list(gen.expected())
    names = {name for _, name in wanted}
    assert {c.key for c in COMPONENTS} <= names
    assert {f"bpo-cost {n}" for n in gen.commands()} <= names
    assert {f"{r.path}" for r in gen.case_fields()[1]} <= names
    assert "options[].pricing.rate" in names and "uncertainty.<input>.mode" in names


def test_the_build_check_finds_what_a_site_lacks(tmp_path: Path) -> None:
    folder = tmp_path / gen.GENERATED
    folder.mkdir(parents=True)
    (folder / "components.html").write_text(
        "<table><tr><td><code>inhouse.salaries</code></td></tr></table>", encoding="utf-8"
    )
    wanted = [
        ("components", "inhouse.salaries"),
        ("components", "vendor.fees"),
        ("cli", "bpo-cost evaluate"),
    ]
    assert gen.missing_from_site(tmp_path, wanted) == [
        "components: vendor.fees",
        "cli: bpo-cost evaluate",
    ]


def _toctree_entries() -> set[str]:
    entries: set[str] = set()
    for page in DOCS.rglob("*.md"):
        if "_build" in page.parts:
            continue
        for block in re.findall(
            r"```\{toctree\}\n(.*?)```", page.read_text(encoding="utf-8"), re.S
        ):
            folder = page.parent.relative_to(DOCS)
            for line in block.splitlines():
                if line.strip() and not line.startswith(":"):
                    entries.add((folder / line.strip()).as_posix())
    return entries


def test_every_example_has_an_executed_case_page() -> None:
    entries = _toctree_entries()
    for name in bpo_cost.example_names():
        page = DOCS / "cases" / f"{name}.md"
        assert page.is_file(), f"no worked case page for the example {name!r}"
        text = page.read_text(encoding="utf-8")
        assert "file_format: mystnb" in text and "```{code-cell}" in text
        assert f'example_path("{name}")' in text
        assert f"cases/{name}" in entries


def test_the_site_contains_the_methodology_and_the_reference() -> None:
    entries = _toctree_entries()
    for page in ["methodology", "rate-cards", "reference/python", "getting-started/analyst"]:
        assert page in entries, page
    for name in gen.PAGES:
        if name != "rate-coverage":  # included in rate-cards.md, not a page of its own
            assert f"{gen.GENERATED}/{name}" in entries, name


def test_the_methodology_gives_every_component_its_formula() -> None:
    """Each component of the registry is in docs/methodology.md as `key` or as key(m) = ...:
    a formula table row or a formula line, not a word in passing ("exit", "automation")."""
    text = (DOCS / "methodology.md").read_text(encoding="utf-8")
    missing = [
        c.key
        for c in COMPONENTS
        if not re.search(rf"`{re.escape(c.key)}`|(?<![\w.]){re.escape(c.key)}\(m\)", text)
    ]
    assert not missing, f"say how these are computed in docs/methodology.md: {missing}"
