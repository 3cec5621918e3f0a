"""The house's import structure: no cycles between modules (the layers themselves are the
import-linter contract in pyproject.toml, which `.ci/run` checks with `lint-imports`)."""

from __future__ import annotations

import grimp


def test_no_module_imports_itself_through_others() -> None:
    # Imports under TYPE_CHECKING name types for the checker and never run: not cycles.
    graph = grimp.build_graph("bpo_cost", exclude_type_checking_imports=True)
    # The package root is the facade: it re-exports the rooms (the faces lazily) and a room may
    # read bpo_cost.__version__ from it; paths through it are not cycles between rooms.
    for importer in graph.find_modules_that_directly_import("bpo_cost"):
        graph.remove_import(importer=importer, imported="bpo_cost")
    for imported in graph.find_modules_directly_imported_by("bpo_cost"):
        graph.remove_import(importer="bpo_cost", imported=imported)
    # remove_module would drop the whole package (every module is a descendant of the root)
    # and leave nothing to check; the edges are what go.
    assert len(graph.modules) > 50, sorted(graph.modules)
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if graph.chain_exists(importer=imported, imported=module):
                cycles.append(f"{module} -> {imported} -> ... -> {module}")
    assert not cycles, "import cycles:\n" + "\n".join(cycles)
