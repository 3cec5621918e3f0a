"""The bpo-cost Excel functions in xlwings Lite (Windows, macOS and Excel on the web).

Paste this file into the main.py tab of the xlwings Lite editor, and requirements.txt (next to
this file) into its requirements.txt tab. xlwings Lite registers every function decorated with
xlwings' @func that main.py holds, imported ones included; addin/README.md has the steps.
"""

from bpo_cost.udfs import (
    BPO_COLLAR_FEE,
    BPO_ERLANG_AGENTS,
    BPO_ESCALATE,
    BPO_FTE,
    BPO_FX_FACTOR,
    BPO_GAINSHARE,
    BPO_HOURLY_FEE,
    BPO_LOADED_COST,
    BPO_NPV_SAVINGS,
    BPO_OUTCOME_FEE,
    BPO_PAYBACK,
    BPO_RATE,
    BPO_SERVICE_CREDIT,
    BPO_SERVICE_LEVEL,
    BPO_STAFFING,
    BPO_SUMMARY,
    BPO_TCO,
    BPO_TIERED_FEE,
)

__all__ = [
    "BPO_COLLAR_FEE",
    "BPO_ERLANG_AGENTS",
    "BPO_ESCALATE",
    "BPO_FTE",
    "BPO_FX_FACTOR",
    "BPO_GAINSHARE",
    "BPO_HOURLY_FEE",
    "BPO_LOADED_COST",
    "BPO_NPV_SAVINGS",
    "BPO_OUTCOME_FEE",
    "BPO_PAYBACK",
    "BPO_RATE",
    "BPO_SERVICE_CREDIT",
    "BPO_SERVICE_LEVEL",
    "BPO_STAFFING",
    "BPO_SUMMARY",
    "BPO_TCO",
    "BPO_TIERED_FEE",
]
