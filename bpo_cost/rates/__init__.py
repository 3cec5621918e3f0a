"""Benchmark rate cards: rows with a source and a date, lookup, ageing and CSV loading."""

from .cards import *  # noqa: F403
from .cards import __all__ as __all__
