"""The house's import structure: no cycles between modules (the layers themselves are the
import-linter contract in pyproject.toml, which `.ci/run` checks with `lint-imports`)."""

from __future__ import annotations

import grimp


def test_no_module_imports_itself_through_others() -> None:
    graph = grimp.build_graph("bpo_cost")
    # The package root is the facade: it re-exports the rooms (the faces lazily) and a room may
    # read bpo_cost.__version__ from it; paths through it are not cycles between rooms.
    graph.remove_module("bpo_cost")
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if graph.chain_exists(importer=imported, imported=module):
                cycles.append(f"{module} -> {imported} -> ... -> {module}")
    assert not cycles, "import cycles:\n" + "\n".join(cycles)
