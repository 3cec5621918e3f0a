"""The example cases shipped with bpo-cost (``workbooks/*.yaml`` in the source tree)."""

from __future__ import annotations

from pathlib import Path

from .._resources import data_dir
from ..errors import InputError

__all__ = [
    "DEFAULT_EXAMPLE",
    "DEFAULT_PORTFOLIO",
    "example_names",
    "example_path",
    "portfolio_example_path",
]

DEFAULT_EXAMPLE = "voice_customer_service"
DEFAULT_PORTFOLIO = "insurer"  # workbooks/portfolios/*.yaml


def example_names() -> list[str]:
    """Names of the bundled example cases."""
    return sorted(p.stem for p in data_dir("examples").glob("*.yaml"))


def example_path(name: str = DEFAULT_EXAMPLE) -> Path:
    """Path of a bundled example case by name (see ``example_names()``)."""
    path = data_dir("examples") / f"{name}.yaml"
    if not path.is_file():
        raise InputError("example", name, f"one of {example_names()}")
    return path


def portfolio_example_path(name: str = DEFAULT_PORTFOLIO) -> Path:
    """Path of a bundled example portfolio by name (``workbooks/portfolios/*.yaml``)."""
    folder = data_dir("examples") / "portfolios"
    path = folder / f"{name}.yaml"
    if not path.is_file():
        raise InputError("example", name, f"one of {sorted(p.stem for p in folder.glob('*.yaml'))}")
    return path
