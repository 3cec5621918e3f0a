"""The house's import structure: no cycles between modules (the layers themselves are the
import-linter contract in pyproject.toml, which `.ci/run` checks with `lint-imports`)."""

from __future__ import annotations

import grimp


def test_no_module_imports_itself_through_others() -> None:
    graph = grimp.build_graph("bpo_cost")
    # The package root re-exports the faces; a submodule reading bpo_cost.__version__ is not a
    # cycle of the house's rooms.
    modules = sorted(m for m in graph.modules if m != "bpo_cost")
    cycles = []
    for module in modules:
        for imported in graph.find_modules_directly_imported_by(module):
            if imported != "bpo_cost" and graph.chain_exists(importer=imported, imported=module):
                cycles.append(f"{module} -> {imported} -> ... -> {module}")
    assert not cycles, "import cycles:\n" + "\n".join(cycles)
