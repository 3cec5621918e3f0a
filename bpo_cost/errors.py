"""Errors raised by bpo-cost.

Every error the library raises on purpose derives from one base class::

    BpoCostError
    ├── InputError            a value is not allowed (names the field, the value, what is allowed)
    │   ├── InvalidCaseError  a case file or mapping failed validation
    │   └── RateCardError     a rate card row is malformed, or a lookup found no rate
    ├── NoSolutionError       a root search (IRR, XIRR, break-even) has no answer
    └── OutputError           a file could not be written (nothing partial is left behind)

    BpoCostWarning (UserWarning)  a legal but suspicious value (a 60 % discount rate, a wage
                                  below the rate card's low): the result is computed, and flagged

The Excel face turns any of them into a short ``#VALUE! ...`` text in the cell; the command line
prints the message on one line and exits with status 2.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "BpoCostError",
    "BpoCostWarning",
    "InputError",
    "InvalidCaseError",
    "NoSolutionError",
    "OutputError",
    "RateCardError",
]


class BpoCostError(Exception):
    """Base class of every error bpo-cost raises on purpose."""


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class InputError(BpoCostError, ValueError):
    """A value is not allowed: ``"<field> must be <allowed>: got <value>"``."""

    def __init__(self, field: str, value: Any, allowed: str) -> None:
        self.field = field
        self.value = value
        self.allowed = allowed
        super().__init__(f"{field} must be {allowed}: got {_show(value)}")


class InvalidCaseError(InputError):
    """A case failed validation; ``errors`` holds every problem, the message the first."""

    def __init__(
        self,
        field: str,
        value: Any,
        allowed: str,
        *,
        errors: list[str] | None = None,
        message: str | None = None,
    ) -> None:
        super().__init__(field, value, allowed)
        first = message or str(self)
        self.errors = errors or [first]
        more = len(self.errors) - 1
        self.args = (f"{first} (and {more} more problem{'s' * (more > 1)})" if more else first,)


class RateCardError(InputError):
    """A rate card row is malformed, or no rate matches a lookup."""


class BpoCostWarning(UserWarning):
    """A legal but suspicious input: check it before you trust the result."""


class NoSolutionError(BpoCostError, ArithmeticError):
    """A root search found no answer; the message says why."""


class OutputError(BpoCostError, OSError):
    """A file could not be written; the target is left as it was."""
