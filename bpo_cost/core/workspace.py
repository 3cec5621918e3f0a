"""Month grids a Monte Carlo worker keeps from one batch to the next (``Workspace``).

A batch of draws makes a few dozen ``(draws, months)`` grids and frees them. Made fresh each
batch, megabyte-sized grids go back to the operating system when freed (glibc trims the free
top of a thread's heap, or unmaps them) and page-fault in again in the next batch: a third of
the run's time in batches of 2,048 draws (``benchmarks/bench_mc_path.py``). Inside
``Workspace.active`` the engine's grid-making operations write into memory the workspace keeps
instead (``op(np.multiply, a, b)``, ``out=scratch(...)``), so a worker's memory stays mapped,
and no allocator setting is changed. Everywhere else numpy makes fresh arrays, exactly as
before: the same operations in the same order, which write every element of their result, so
the numbers are the same bit for bit either way.

A kept block is free again when no array uses it any more (its reference count: every view of
it refers to it), so a batch's dead temporaries are reused within the batch too, and the few
blocks in use stay in the processor's cache. Small arrays (under ``MIN_BYTES``) are left to
numpy: the allocator keeps those.
"""

from __future__ import annotations

import contextlib
import math
import operator
import sys
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

import numpy as np
import numpy.typing as npt

from .._types import FloatArray

__all__ = ["MIN_BYTES", "Workspace", "as_float", "into", "op", "scratch", "zeros"]

# Under this, glibc serves an array from its heap's free lists, not from memory it maps
# and gives back; a block of the workspace would only cost Python time.
MIN_BYTES = 64 * 1024


class Workspace:
    """Memory for the month grids of batch after batch of one thread (not thread-safe).

    Examples
    --------
    >>> ws = Workspace()
    >>> with ws.active():
    ...     a = op(np.multiply, np.ones((100, 120)), 2.0)
    ...     first = a.sum()
    ...     del a  # dead: its block is free for the next grid
    ...     b = op(np.multiply, np.ones((90, 120)), 3.0)
    >>> float(first), b.shape, float(b.sum()), ws.blocks
    (24000.0, (90, 120), 32400.0, 1)
    """

    def __init__(self) -> None:
        self._blocks: list[npt.NDArray[np.uint8]] = []

    @contextlib.contextmanager
    def active(self) -> Iterator[Workspace]:
        """Run a batch with its grids from this workspace (in this thread or task)."""
        token = _ACTIVE.set(self)
        try:
            yield self
        finally:
            _ACTIVE.reset(token)

    def take(self, shape: tuple[int, ...], dtype: npt.DTypeLike = float) -> npt.NDArray[Any]:
        """A ``shape`` array in a free block (the smallest large enough, else a new one), its
        contents undefined."""
        dtype = np.dtype(dtype)
        nbytes = math.prod(shape) * dtype.itemsize
        blocks = self._blocks
        best = -1
        for i in range(len(blocks)):
            # free: referred to by the list alone (every array made from a block, a view of a
            # view too, refers to the block itself)
            size = blocks[i].size
            smallest = best < 0 or size < blocks[best].size
            if size >= nbytes and smallest and _references(blocks, i) == _FREE:
                best = i
        if best < 0:
            best = len(self._blocks)
            self._blocks.append(np.empty(nbytes, np.uint8))
        return self._blocks[best][:nbytes].view(dtype).reshape(shape)

    @property
    def blocks(self) -> int:
        """How many blocks the workspace keeps."""
        return len(self._blocks)


_ACTIVE: ContextVar[Workspace | None] = ContextVar("bpo_cost_workspace", default=None)


def _references(blocks: list[npt.NDArray[np.uint8]], i: int) -> int:
    return sys.getrefcount(blocks[i])


# What `_references` counts for a block nothing else refers to, as this interpreter counts it
# (None: no reference counts to read, so no workspace: numpy makes every array).
_FREE = _references([np.empty(0, np.uint8)], 0) if hasattr(sys, "getrefcount") else None


def scratch(
    *operands: Any, shape: tuple[int, ...] = (), dtype: npt.DTypeLike = float
) -> npt.NDArray[Any] | None:
    """The ``out=`` of an operation on ``operands``: an array of their broadcast shape (and
    ``shape``'s) from the active workspace, or None (numpy makes a new array) outside one or
    for a small array."""
    ws = _ACTIVE.get()
    if ws is None or _FREE is None:
        return None
    full = _broadcast(shape, operands)
    if math.prod(full) * (8 if dtype is float else np.dtype(dtype).itemsize) < MIN_BYTES:
        return None
    return ws.take(full, dtype)


def op(ufunc: Callable[..., Any], *operands: Any) -> FloatArray:
    """``ufunc(*operands)`` (``np.multiply``, ``np.add``…), into the active workspace if
    there is one."""
    if _ACTIVE.get() is None:  # no batch: nothing to keep, and an Excel cell's call stays cheap
        return _fresh(ufunc, operands)
    result: FloatArray = ufunc(*operands, out=scratch(*operands))
    return result


def into(acc: Any, ufunc: Callable[..., Any], *operands: Any) -> FloatArray:
    """``ufunc(*operands)`` into ``acc`` when it is an array of the result's shape, else as
    `op`: ``acc`` must be an array the caller made (by `op`), one no one else holds."""
    if isinstance(acc, np.ndarray) and acc.shape == _broadcast((), operands):
        result: FloatArray = ufunc(*operands, out=acc)
        return result
    if _ACTIVE.get() is None:  # as in `op`, one call less: a plain number's path
        return _fresh(ufunc, operands)
    return op(ufunc, *operands)


# Outside a batch the arithmetic is the operator's: plain numbers (an Excel cell's arguments)
# stay Python floats, as fast as the expression was, and arrays get numpy's ufunc all the same.
# IEEE arithmetic either way: the same numbers.
_OPERATORS: dict[Any, Callable[[Any, Any], Any]] = {
    np.add: operator.add,
    np.subtract: operator.sub,
    np.multiply: operator.mul,
    np.divide: operator.truediv,
}


def _fresh(ufunc: Callable[..., Any], operands: tuple[Any, ...]) -> FloatArray:
    result: FloatArray = _OPERATORS.get(ufunc, ufunc)(*operands)
    return result


def zeros(shape: tuple[int, ...], dtype: npt.DTypeLike = float) -> npt.NDArray[Any]:
    """``np.zeros(shape, dtype)``, from the active workspace if there is one."""
    out = scratch(shape=shape, dtype=dtype)
    if out is None:
        return np.zeros(shape, dtype)
    out[...] = 0
    return out


def as_float(condition: npt.NDArray[np.bool_]) -> FloatArray:
    """A condition as 0.0 and 1.0 (``condition.astype(float)``), from the active workspace if
    there is one."""
    out = scratch(condition)
    if out is None:
        return condition.astype(float)
    np.copyto(out, condition)
    return out


def _broadcast(shape: tuple[int, ...], operands: tuple[Any, ...]) -> tuple[int, ...]:
    """The shape numpy broadcasts ``shape`` and the operands' shapes to, if they broadcast
    (else the operation raises): ``np.broadcast_shapes`` without its cost per call."""
    out = shape
    for x in operands:
        s = x.shape if isinstance(x, np.ndarray) else np.shape(x)
        if s == out or not s:
            continue
        if not out:
            out = s
            continue
        ndim = max(len(out), len(s))
        a = (1,) * (ndim - len(out)) + out
        b = (1,) * (ndim - len(s)) + s
        out = tuple(d if e == 1 else e for d, e in zip(a, b, strict=True))
    return out
