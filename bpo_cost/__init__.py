"""bpo-cost: what it really costs to keep a business function in-house or outsource it (BPO)."""

from __future__ import annotations

from .errors import (
    BpoCostError,
    InputError,
    InvalidCaseError,
    NoSolutionError,
    OutputError,
    RateCardError,
)

__version__ = "0.1.0"

__all__ = [
    "BpoCostError",
    "InputError",
    "InvalidCaseError",
    "NoSolutionError",
    "OutputError",
    "RateCardError",
    "__version__",
]
