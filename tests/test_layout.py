"""The house rule on private names: what two modules share is public in the lower one.

No module of ``bpo_cost`` imports (or reaches through an imported module for) a ``_private`` name
of another module, and none imports a private module ``_x`` of another package. The exceptions
are the shared basics ``bpo_cost._types`` (type aliases with units) and ``bpo_cost._resources``
(where bundled data lives): private to the distribution, not to a room, so every layer may read
them, as every httpx module reads ``httpx._types``; users never import them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import bpo_cost

PACKAGE = Path(bpo_cost.__file__).parent
SHARED_BASICS = {"bpo_cost._types", "bpo_cost._resources"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _private_module(target: str, importer_package: str) -> bool:
    """A module path with a private part that is not the importer's own package's."""
    parts = target.split(".")
    for i, part in enumerate(parts):
        if _private(part):
            parent, module = ".".join(parts[:i]), ".".join(parts[: i + 1])
            if parent != importer_package and module not in SHARED_BASICS:
                return True
    return False


def violations(module: str, source: str, *, is_package: bool = False) -> list[str]:
    """Where ``module`` (its ``source``) takes a private name or module from another module."""
    package = module if is_package else module.rpartition(".")[0]
    found: list[str] = []
    bound: dict[str, str] = {}  # local name -> the bpo_cost module it is bound to
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target.split(".")[0] != "bpo_cost":
                continue
            if _private_module(target, package):
                found.append(f"line {node.lineno}: private module {target}")
            for alias in node.names:
                full = f"{target}.{alias.name}"
                if full in MODULES:  # a submodule: private only if it is another package's
                    if _private_module(full, package):
                        found.append(f"line {node.lineno}: private module {full}")
                    bound[alias.asname or alias.name] = full
                elif _private(alias.name) and target != module:
                    found.append(f"line {node.lineno}: {alias.name} from {target}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] != "bpo_cost":
                    continue
                if _private_module(alias.name, package):
                    found.append(f"line {node.lineno}: private module {alias.name}")
                if alias.asname:
                    bound[alias.asname] = alias.name
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in bound
            and _private(node.attr)
        ):
            found.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
    return found


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_private_names_across_modules(module: str) -> None:
    path = MODULES[module]
    assert violations(module, path.read_text(), is_package=path.name == "__init__.py") == []


BAD = {
    "a private function": "from ..core.staffing import _checked",
    "a private constant": "from ..workbook.charts import _PALETTE",
    "an absolute import": "from bpo_cost.core.pricing import _collar_fee",
    "through a module": "from ..core import staffing\nstaffing._positive('x', 1)",
    "through a module alias": "import bpo_cost.core.staffing as s\ns._out(1)",
    "another package's private module": "from ..cli._app import app",
    "a private module as a name": "from ..cli import _app",
}
GOOD = {
    "a shared basic": "from .._types import FloatArray\nfrom .._resources import data_dir",
    "a public name under a private alias": "from ..excel.convert import cell_function as _cf",
    "the version": "from .. import __version__",
    "a public name": "from ..core.staffing import required_agents",
    "a module's own dunder": "from ..core import staffing\nstaffing.__name__",
    "another library's private name": "from numpy import _core",
}


@pytest.mark.parametrize("source", BAD.values(), ids=BAD)
def test_the_check_finds_private_imports(source: str) -> None:
    assert violations("bpo_cost.engine.inhouse", source)


@pytest.mark.parametrize("source", GOOD.values(), ids=GOOD)
def test_the_check_lets_public_imports_pass(source: str) -> None:
    assert violations("bpo_cost.engine.inhouse", source) == []


def test_a_package_may_use_its_own_private_modules() -> None:
    assert violations("bpo_cost.cli.core", "from ._app import app") == []
    assert violations("bpo_cost.cli", "from ._app import app", is_package=True) == []
    assert violations("bpo_cost.cli.core", "from . import _app") == []
