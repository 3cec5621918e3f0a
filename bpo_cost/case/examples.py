"""The example cases shipped with bpo-cost (``workbooks/*.yaml`` in the source tree)."""

from __future__ import annotations

from pathlib import Path

from .._resources import data_dir
from ..errors import InputError

__all__ = ["DEFAULT_EXAMPLE", "example_names", "example_path"]

DEFAULT_EXAMPLE = "voice_customer_service"


def example_names() -> list[str]:
    """Names of the bundled example cases."""
    return sorted(p.stem for p in data_dir("examples").glob("*.yaml"))


def example_path(name: str = DEFAULT_EXAMPLE) -> Path:
    """Path of a bundled example case by name (see ``example_names()``)."""
    path = data_dir("examples") / f"{name}.yaml"
    if not path.is_file():
        raise InputError("example", name, f"one of {example_names()}")
    return path
