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
