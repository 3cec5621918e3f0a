"""The ``bpo-cost`` command line (typer + rich). Errors: one line on stderr, exit status 2."""

from __future__ import annotations

import inspect
import sys
import warnings
from typing import Any

from typer.main import get_command

from ..core.text import inert
from ..errors import BpoCostError, BpoCostWarning, InvalidCaseError
from . import analysis as _analysis  # noqa: F401  (registers its commands)
from . import core as _core  # noqa: F401
from . import memo as _memo  # noqa: F401
from . import portfolio as _portfolio  # noqa: F401
from . import reference as _reference  # noqa: F401
from ._app import app

__all__ = ["app", "main"]


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app, turning every error into one line and a non-zero exit."""
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", BpoCostWarning)
            try:
                command = get_command(app)
                _plain_help(command)
                code = command.main(args=argv, prog_name="bpo-cost", standalone_mode=False)
            finally:
                for w in caught:
                    if issubclass(w.category, BpoCostWarning):
                        _say(f"warning: {w.message}")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BpoCostError as exc:
        for line in exc.errors if isinstance(exc, InvalidCaseError) else [str(exc)]:
            _say(f"error: {line}")  # every problem, one line each
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
            _say(f"error: {exc.format_message()} (see --help)")
            return int(exc.exit_code)
        _say(f"internal error: {type(exc).__name__}: {exc} (please report this)")
        return 3
    return code if isinstance(code, int) else 0


def _say(text: str) -> None:
    """One line on stderr; text from a case or a workbook cannot act on the terminal."""
    print(f"bpo-cost: {inert(text, markup=False)}", file=sys.stderr)


def _plain_help(command: Any) -> None:
    """Help without type placeholders: a flag shows none, a value its name (``--draws N``)."""
    # typer carries its own copy of click: its classes are recognised by what they have
    for cmd in [command, *getattr(command, "commands", {}).values()]:
        if cmd.help:  # a docstring's line breaks are not the terminal's: wrap at words
            paragraphs = inspect.cleandoc(cmd.help).split("\n\n")
            cmd.help = "\n\n".join(" ".join(p.split()) for p in paragraphs)
        help_option = cmd.get_help_option(type(command.context_class(cmd))(cmd))
        for param in [*cmd.params, *([help_option] if help_option else [])]:
            if getattr(param, "is_flag", False):
                param.metavar = ""
            elif param.metavar is None:
                param.metavar = _METAVARS.get(str(param.name), str(param.name).upper())
            if param.param_type_name == "argument":  # its name is shown; no "<path>" beside it
                param.display_type_rich = lambda ctx: None


_METAVARS = {
    "n": "N",
    "user_card": "CARD",
    "rates": "CARD",
    "ranges": "PATH=LOW:HIGH",
    "input_path": "PATH",
    "inputs": "PATH",
    "plot": "FOLDER",
    "csv": "PATH",
    "against": "OPTION",
    "option": "OPTION",
    "output": "FILE",
}
