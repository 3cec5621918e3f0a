"""The curated public surface (as httpx's test_exported_members)."""

import bpo_cost


def test_all_is_exactly_the_public_names():
    public = {n for n in dir(bpo_cost) if not n.startswith("_")} | {"__version__"}
    modules = {n for n in public if type(getattr(bpo_cost, n)).__name__ == "module"}
    assert set(bpo_cost.__all__) == (public - modules) | {"write_workbook"}


def test_every_exported_name_resolves():
    for name in bpo_cost.__all__:
        assert getattr(bpo_cost, name) is not None


def test_single_version_source():
    from importlib.metadata import version

    assert version("bpo-cost") == bpo_cost.__version__
