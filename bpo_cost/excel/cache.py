"""A cache for the case functions: one evaluated case per distinct range, bounded by memory.

Excel recalculates every ``BPO_*`` case function of a sheet with the same key/value range, and a
sheet may compare many cases. The cache is keyed on the range exactly as Excel sent it, so a hit
converts nothing; the key holds each cell's type beside its value, so ``TRUE`` and ``1`` (equal in
Python, with equal hashes) are different ranges. Any changed cell is a new key (``-0.0`` and
``0.0`` share one: Excel has no negative zero). Outputs made from an entry (a spilled table) are
memoised on it.

The least recently used entries go first once the estimated size passes ``max_bytes``. Excel may
call functions from several threads: see `RangeCache` for why that is safe without locks.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

__all__ = ["Entry", "RangeCache", "range_key"]

T = TypeVar("T")

# A memoised table's size: a list slot and a boxed float or short text per cell, roughly.
_BYTES_PER_CELL = 64


def range_key(value: Any) -> Hashable:
    """A hashable key of a range as Excel sent it: its shape, and each cell's type and value.

    Examples
    --------
    >>> range_key([["a", True]]) == range_key([["a", 1.0]])
    False
    >>> range_key([["a", 1.0]]) == range_key([["a", 1.0]])
    True
    """
    rows = value if isinstance(value, (list, tuple)) else [value]
    if all(map(isinstance, rows, itertools.repeat((list, tuple)))):
        shape: tuple[int, ...] = tuple(map(len, rows))
        cells = tuple(itertools.chain.from_iterable(rows))
    else:  # one row (or column) as a flat list, or one cell
        shape, cells = (-1,), tuple(rows)
    # Whole-range passes in C: a hit costs microseconds, not a Python loop over the cells. The
    # types keep TRUE apart from 1 (equal, with equal hashes).
    return (shape, cells, tuple(map(type, cells)))


class Entry(Generic[T]):
    """A cached value and the outputs memoised on it."""

    __slots__ = ("_cache", "key", "nbytes", "outputs", "value")

    def __init__(self, cache: RangeCache[T], key: Hashable, value: T, nbytes: int) -> None:
        self._cache = cache
        self.key = key
        self.value = value
        self.nbytes = nbytes
        self.outputs: dict[Hashable, tuple[tuple[Any, ...], ...]] = {}

    def output(
        self, key: Hashable, make: Callable[[], list[list[Any]]]
    ) -> tuple[tuple[Any, ...], ...]:
        """The table ``make`` returns for ``key``, made once; immutable (tuples of rows)."""
        table = self.outputs.get(key)
        if table is None:
            made = tuple(map(tuple, make()))
            table = self.outputs.setdefault(key, made)  # another thread's, if it was first
            if table is made:
                self.nbytes += _BYTES_PER_CELL * sum(map(len, made))
                self._cache.evict(keep=self)
        return table


class RangeCache(Generic[T]):
    """Values made from ranges, kept while their estimated size fits in ``max_bytes``.

    Parameters
    ----------
    max_bytes : int
        The budget for the values and their memoised outputs; the entry in use is kept even if
        it alone is larger.
    size : callable
        The estimated size of a value in bytes.

    Notes
    -----
    No locks (xlwings Lite runs in Pyodide, without the threading module): every change of the
    shared entries is one dict operation, atomic in CPython, so concurrent calls at worst make a
    value twice or evict a little early. ``hits`` and ``misses`` are counts for benchmarks and
    tests, exact only without concurrent calls.

    Examples
    --------
    >>> cache = RangeCache(max_bytes=1000, size=lambda v: 100)
    >>> cache.entry([["a", 1.0]], lambda: "made").value
    'made'
    >>> cache.entry([["a", 1.0]], lambda: "made again").value, cache.hits, cache.misses
    ('made', 1, 1)
    """

    def __init__(self, max_bytes: int, size: Callable[[T], int]) -> None:
        self.max_bytes = max_bytes
        self._size = size
        self._entries: dict[Hashable, Entry[T]] = {}  # least recently used first
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def nbytes(self) -> int:
        """The estimated size of every entry and its outputs."""
        return sum(e.nbytes for e in list(self._entries.values()))

    def entry(self, raw: Any, make: Callable[[], T]) -> Entry[T]:
        """The entry of the range ``raw``; ``make()`` gives its value on a miss.

        An exception from ``make`` goes to the caller and nothing is cached.
        """
        key = range_key(raw)
        try:
            hash(key)
        except TypeError:  # a cell Excel never sends (a list): not cached
            return Entry(self, None, make(), 0)
        found = self._entries.pop(key, None)
        if found is not None:
            self.hits += 1
            return self._entries.setdefault(key, found)  # back in, as the most recently used
        self.misses += 1
        made = Entry(self, key, make(), 0)
        made.nbytes = self._size(made.value)
        found = self._entries.setdefault(key, made)  # another thread's, if it was first
        if found is made:
            self.evict(keep=made)
        return found

    def evict(self, *, keep: Entry[T]) -> None:
        """Drop the least recently used entries, but not ``keep``, down to the budget."""
        if self._entries.get(keep.key) is keep:  # in use: the most recently used
            self._entries[keep.key] = self._entries.pop(keep.key, keep)
        entries = list(self._entries.values())  # a snapshot, oldest first
        excess = sum(e.nbytes for e in entries) - self.max_bytes
        for oldest in entries:
            if excess <= 0 or oldest is keep:
                break
            if self._entries.get(oldest.key) is oldest:
                self._entries.pop(oldest.key, None)
            excess -= oldest.nbytes

    def clear(self) -> None:
        """Forget every entry and start counting hits and misses again."""
        self._entries.clear()
        self.hits = self.misses = 0
