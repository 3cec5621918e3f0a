"""The curated public surface (as httpx's test_exported_members)."""

import bpo_cost


def test_all_is_exactly_the_public_names():
    public = {n for n in dir(bpo_cost) if not n.startswith("_")} | {"__version__"}
    modules = {n for n in public if type(getattr(bpo_cost, n)).__name__ == "module"}
    lazy = set(bpo_cost._LAZY)  # faces loaded on first use
    assert set(bpo_cost.__all__) == (public - modules - lazy) | lazy


def test_importing_the_package_loads_no_heavy_face():
    import subprocess
    import sys

    code = (
        "import sys, bpo_cost; print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'openpyxl', 'matplotlib', 'xlwings'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_pandas_loads_on_first_use_not_at_import():
    import subprocess
    import sys

    code = (
        "import sys, bpo_cost; a = 'pandas' in sys.modules; "
        "f = bpo_cost.evaluate(bpo_cost.example_path('payroll')).summary(); "
        "print(a, 'pandas' in sys.modules, type(f).__name__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True", "DataFrame"]


def test_every_exported_name_resolves():
    for name in bpo_cost.__all__:
        assert getattr(bpo_cost, name) is not None


def test_single_version_source():
    from importlib.metadata import version

    assert version("bpo-cost") == bpo_cost.__version__


def test_lazy_names_are_listed_by_dir_before_they_load():
    import subprocess
    import sys

    code = (
        "import sys, bpo_cost; names = dir(bpo_cost); "
        "print(all(n in names for n in bpo_cost._LAZY), 'bpo_cost.analysis' in sys.modules, "
        "'bpo_cost.workbook' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False", "False"]


def test_type_checkers_see_every_lazy_name():
    """The TYPE_CHECKING imports (what mypy and IDEs read) name exactly the lazy faces."""
    import ast
    from pathlib import Path

    tree = ast.parse(Path(bpo_cost.__file__).read_text(encoding="utf-8"))
    guarded = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING"
    )
    seen = {
        (alias.name, node.module)
        for node in guarded.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert seen == {(name, module) for name, module in bpo_cost._LAZY.items()}
