"""The decision memo: a few pages an executive reads in five minutes, from the same ``Result``
as the workbook and the CLI (recommendation, decision table, cost bridge, cumulative cost, hidden
costs with their method, what moves the answer, the assumptions that matter, the risk)."""

from __future__ import annotations

import io
from pathlib import Path

from ..api import CaseSource, evaluate
from ..errors import InputError, OutputError
from ..files import atomic_write_bytes
from ..rates.cards import RateCards
from .content import MemoContent, memo_content
from .draw import draw_memo

__all__ = ["MemoContent", "memo_content", "write_memo"]


def write_memo(
    case: CaseSource,
    path: str | Path,
    *,
    rate_cards: RateCards | str | Path | None = None,
    draws: int = 10_000,
    seed: int = 1,
    protect: tuple[str | Path, ...] = (),
) -> Path:
    """Write the decision memo of a case as a PDF of three pages.

    Parameters
    ----------
    case : a Case, a mapping, or the path of a case file (YAML, JSON or a generated workbook).
    path : the ``.pdf`` file to write (atomically).
    rate_cards : rate cards for references in the case (see ``evaluate``).
    draws : Monte Carlo draws for the risk section when the case has an uncertainty block
        (0: no risk section).
    seed : the draws' seed; the same seed gives the same memo.
    protect : files that must not be overwritten (the case the memo is made from).

    Returns
    -------
    Path
        The written file.

    Notes
    -----
    Needs matplotlib (``pip install bpo-cost[plot]``): it is the only drawing dependency.
    Every figure is the engine's (``Result.summary``, the monthly components, ``sensitivity``,
    ``simulate``), formatted by ``bpo_cost.memo.content.money`` and ``percent``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from bpo_cost import example_path
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "payroll.pdf"
    >>> write_memo(example_path("payroll"), out, draws=0).name
    'payroll.pdf'
    """
    target = Path(path)
    if target.suffix.lower() != ".pdf":
        raise InputError("memo path", str(path), "a file name ending in .pdf")
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 0:
        raise InputError("draws", draws, "a whole number >= 0")
    try:
        import matplotlib  # noqa: F401
    except ImportError as e:  # matplotlib is the plot extra
        raise OutputError("the memo needs matplotlib: pip install 'bpo-cost[plot]'") from e
    content = memo_content(evaluate(case, rate_cards=rate_cards), draws=draws, seed=seed)
    buffer = io.BytesIO()
    draw_memo(content, buffer)
    return atomic_write_bytes(target, buffer.getvalue(), protect=protect)
