"""The ``BPO_*`` Excel functions under the module name the add-in's ``UDF Modules`` setting uses.

They live in ``bpo_cost.excel.functions``; xlwings finds them here by their decorator marks.
"""

from .excel.functions import *  # noqa: F403
from .excel.functions import __all__ as __all__
