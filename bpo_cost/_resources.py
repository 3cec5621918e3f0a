"""Where bundled data lives: inside the wheel, or at the repository root in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_REPO = _PACKAGE.parent


def data_dir(name: str) -> Path:
    """``rates``, ``examples`` or ``addin``: the wheel copy if installed, else the checkout's."""
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return _REPO / {"rates": "rates", "examples": "workbooks", "addin": "addin"}[name]
