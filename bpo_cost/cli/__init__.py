"""The ``bpo-cost`` command line (typer + rich). Errors: one line on stderr, exit status 2."""

from __future__ import annotations

import sys
import warnings

from typer.main import get_command

from ..errors import BpoCostError, BpoCostWarning
from . import analysis as _analysis  # noqa: F401  (registers its commands)
from . import core as _core  # noqa: F401
from . import reference as _reference  # noqa: F401
from ._app import app

__all__ = ["app", "main"]


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app, turning every error into one line and a non-zero exit."""
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", BpoCostWarning)
            try:
                code = get_command(app).main(args=argv, prog_name="bpo-cost", standalone_mode=False)
            finally:
                for w in caught:
                    if issubclass(w.category, BpoCostWarning):
                        print(f"bpo-cost: warning: {w.message}", file=sys.stderr)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BpoCostError as exc:
        print(f"bpo-cost: error: {exc}", file=sys.stderr)
        return 2
    except MemoryError:  # a bound did not foresee it: still one line, and the input's fault
        print("bpo-cost: error: out of memory: the case or the run is too large", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("bpo-cost: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # bare `bpo-cost`: the help, as asked
            exc.show()  # type: ignore[attr-defined]
            return 2
        if hasattr(exc, "format_message") and hasattr(exc, "exit_code"):  # typer usage errors
            print(f"bpo-cost: error: {exc.format_message()} (see --help)", file=sys.stderr)
            return int(exc.exit_code)
        print(
            f"bpo-cost: internal error: {type(exc).__name__}: {exc} (please report this)",
            file=sys.stderr,
        )
        return 3
    return code if isinstance(code, int) else 0
