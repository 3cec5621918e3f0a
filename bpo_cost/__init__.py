"""bpo-cost: what it really costs to keep a business function in-house or outsource it (BPO).

>>> import bpo_cost
>>> result = bpo_cost.evaluate(bpo_cost.example_path("payroll"))
>>> result.summary().loc["Nearshore PL", "pricing_model"]
'per_transaction'
"""

from types import ModuleType
from typing import TYPE_CHECKING

from .api import evaluate, resolve_rates
from .case.examples import example_names, example_path
from .case.io import case_from_pairs, case_to_pairs, load_case
from .case.models import Case
from .errors import (
    BpoCostError,
    BpoCostWarning,
    InputError,
    InvalidCaseError,
    NoSolutionError,
    OutputError,
    RateCardError,
)
from .rates.cards import RateRef, load_cards
from .result import Result

__version__ = "0.1.0"

__all__ = [
    "BpoCostError",
    "BpoCostWarning",
    "BreakEven",
    "Case",
    "InputError",
    "InvalidCaseError",
    "NoSolutionError",
    "OutputError",
    "RateCardError",
    "RateRef",
    "Result",
    "Simulation",
    "__version__",
    "breakeven",
    "breakeven_month",
    "breakeven_price",
    "breakeven_volume",
    "case_from_pairs",
    "case_to_pairs",
    "evaluate",
    "example_names",
    "example_path",
    "load_cards",
    "load_case",
    "portfolio",
    "resolve_rates",
    "scenario_grid",
    "sensitivity",
    "simulate",
    "write_memo",
    "write_workbook",
]


# Faces loaded on first use, not at import: the workbook pulls in openpyxl; the analyses a
# thread pool, which xlwings Lite (Pyodide) has not got. Type checkers and IDEs see them through
# the imports below; dir() and tab completion through __dir__.
if TYPE_CHECKING:
    from .analysis import (
        BreakEven,
        Simulation,
        breakeven,
        breakeven_month,
        breakeven_price,
        breakeven_volume,
        scenario_grid,
        sensitivity,
        simulate,
    )
    from .analysis.portfolio import portfolio
    from .memo import write_memo
    from .workbook import write_workbook

_LAZY = {
    "portfolio": "analysis.portfolio",  # the submodule's name: bpo_cost.analysis.portfolio
    "write_memo": "memo",
    "write_workbook": "workbook",
    **dict.fromkeys(
        [
            "BreakEven",
            "Simulation",
            "breakeven",
            "breakeven_month",
            "breakeven_price",
            "breakeven_volume",
            "scenario_grid",
            "sensitivity",
            "simulate",
        ],
        "analysis",
    ),
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value  # looked up once
        return value
    raise AttributeError(f"module 'bpo_cost' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public names, loaded or not, and the subpackages (what tab completion offers)."""
    modules = {k for k, v in globals().items() if isinstance(v, ModuleType) and k[0] != "_"}
    return sorted(set(__all__) | modules)
