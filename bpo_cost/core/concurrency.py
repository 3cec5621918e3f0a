"""Chat concurrency: how many chats an agent's time covers, for staffing chat by Erlang C.

Chat is staffed with Erlang C on an effective handle time, the handle time divided by a
concurrency factor. The factor is below the number of chats open at once, because each chat
slows the others. Published table (docs/methodology.md#staffing): a maximum of 1, 2, 3, 4, 5
concurrent chats gives a factor of 1, 1.7, 2.5, 2.9, 3.5. Between whole numbers the factor is
interpolated linearly; above 5 nothing is published, so the case refuses it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._types import ArrayLike

__all__ = [
    "CONCURRENCY_FACTORS",
    "MAX_CONCURRENCY",
    "concurrency_factor",
    "concurrency_factor_unchecked",
]

CONCURRENCY_FACTORS = (1.0, 1.7, 2.5, 2.9, 3.5)  # maximum 1, 2, 3, 4, 5 concurrent chats
MAX_CONCURRENCY = float(len(CONCURRENCY_FACTORS))
_AT = np.arange(1.0, MAX_CONCURRENCY + 1.0)


def concurrency_factor(concurrency: ArrayLike) -> Any:
    """The factor that divides the handle time of a chat agent with ``concurrency`` chats open.

    Parameters
    ----------
    concurrency : array_like
        Maximum concurrent contacts per agent, 1 to 5 (1: one contact at a time, as voice).

    Returns
    -------
    float or ndarray
        The published factor at whole numbers, linear in between; the shape of the input.

    Examples
    --------
    >>> concurrency_factor(1.0), concurrency_factor(3), float(concurrency_factor(2.5))
    (1.0, 2.5, 2.1)
    """
    c = np.asarray(concurrency, dtype=float)
    if np.any(c < 1.0) or np.any(c > MAX_CONCURRENCY) or not np.all(np.isfinite(c)):
        raise ValueError(f"concurrency must be between 1 and {MAX_CONCURRENCY:g}")
    f = np.interp(c, _AT, CONCURRENCY_FACTORS)
    return float(f) if f.ndim == 0 else f


def concurrency_factor_unchecked(concurrency: ArrayLike) -> Any:
    """``concurrency_factor`` for validated input, on the engine's hot path (clamped, no checks)."""
    return np.interp(np.asarray(concurrency, dtype=float), _AT, CONCURRENCY_FACTORS)
