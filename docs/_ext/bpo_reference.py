"""The reference pages of the docs site, generated from the code at build time.

Each page is Markdown (MyST) written from the one home of what it lists: the case-file fields
from the pydantic models (read through ``bpo_cost.case.fields``), the cost components from the
registry ``bpo_cost.engine.components``, the Excel functions from the ``@arg`` documentation and
signatures in ``bpo_cost.excel.functions``, the commands from the ``bpo-cost`` click/typer
application, the rate-card coverage from the bundled cards. Nothing here is copied text, so a
change in the code changes the site.

Importing this module needs bpo-cost only; :func:`setup` (the Sphinx extension) imports Sphinx.
At build time the extension writes the pages before Sphinx reads the sources, and after the build
checks that every field, component, Excel function and command is on a page of the built site.
"""

from __future__ import annotations

import html
import importlib.util
import inspect
import re
import types
import typing
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import annotated_types
from pydantic import BaseModel

GENERATED = "reference/generated"  # under the docs folder, not committed (.gitignore)


# ------------------------------------------------------------------------------- Markdown helpers


def _cell(text: Any) -> str:
    """A value as one Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ").strip()


def _code(text: Any) -> str:
    return f"`{text}`" if str(text) != "" else ""


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def _anchor(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# ------------------------------------------------------------------------------------ case file


@dataclass(frozen=True)
class FieldRow:
    """One input of the case file, as the reference lists it."""

    path: str  # e.g. inhouse.shrinkage, options[].pricing.rate
    model: str  # the model class that has the field
    name: str
    kind: str  # the type in words, with bounds
    unit: str
    default: str
    description: str
    source: str


def _bounds(metadata: list[Any]) -> list[str]:
    out = []
    for m in metadata:
        for attr, sign in (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<")):
            if isinstance(m, getattr(annotated_types, attr.capitalize())):
                out.append(f"{sign} {getattr(m, attr):g}")
        if isinstance(m, annotated_types.MinLen):
            out.append(f"length >= {m.min_length}")
        if isinstance(m, annotated_types.MaxLen):
            out.append(f"length <= {m.max_length}")
    return out


def _kind(tp: Any, models: list[type[BaseModel]]) -> str:
    """A type in the analyst's words; nested models are collected in ``models``."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Annotated:
        inner = _kind(args[0], models)
        bounds = _bounds(list(args[1:]))
        for extra in args[1:]:  # a Field(...) inside Annotated keeps its bounds in metadata
            bounds += _bounds(list(getattr(extra, "metadata", [])))
        return f"{inner} ({', '.join(bounds)})" if bounds else inner
    if origin in (typing.Union, types.UnionType):
        parts = [_kind(a, models) for a in args if a is not type(None)]
        text = " or ".join(parts)
        return text + " or null" if type(None) in args else text
    if origin is typing.Literal:
        return "one of " + ", ".join(f"`{a}`" for a in args)
    if origin is list:
        return f"list of {_kind(args[0], models)}"
    if origin is dict:
        return f"map of {_kind(args[0], models)} to {_kind(args[1], models)}"
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        if tp not in models:
            models.append(tp)
        return f"[{tp.__name__}](#{_anchor(tp.__name__)})"
    return {float: "number", int: "whole number", str: "text", bool: "true/false"}.get(
        tp, getattr(tp, "__name__", str(tp))
    )


def _default(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, BaseModel):
        return "(its defaults)"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def case_fields() -> tuple[list[type[BaseModel]], list[FieldRow], dict[str, list[str]]]:
    """Every model reachable from the case, every field of each with its path, and every path
    at which each model appears (by model name)."""
    from bpo_cost.case.fields import field_doc
    from bpo_cost.case.models import Case

    models: list[type[BaseModel]] = [Case]
    paths: dict[type[BaseModel], str] = {Case: ""}
    rows: list[FieldRow] = []
    where: dict[str, list[str]] = {}
    i = 0
    while i < len(models):  # breadth first: the order the case file reads
        model = models[i]
        i += 1
        for name, info in model.model_fields.items():
            found: list[type[BaseModel]] = []
            kind = _kind(info.annotation, found)
            bounds = [b for b in _bounds(info.metadata) if b not in kind]
            if bounds:
                kind += f" ({', '.join(bounds)})"
            doc = field_doc(model, name)
            prefix = paths[model]
            path = f"{prefix}.{name}" if prefix else name
            if info.default_factory is not None:
                produced = info.default_factory()  # type: ignore[call-arg]
                default = "" if produced in ({}, []) else _default(produced)
            elif info.is_required():
                default = "required"
            else:
                default = _default(doc.default)
            rows.append(
                FieldRow(
                    path, model.__name__, name, kind, doc.unit, default, doc.description, doc.source
                )
            )
            # an element of a list is path[]; a value of a map (by input path) is path.<input>
            inside = "[]" if kind.startswith("list of") else ""
            inside = ".<input>" if kind.startswith("map of") else inside
            for sub in found:
                if sub not in models:
                    models.append(sub)
                    paths[sub] = path + inside
                where.setdefault(sub.__name__, []).append(path + inside)
    return models, rows, where


def case_file_page() -> str:
    models, rows, where = case_fields()
    out = [
        "# Case-file reference",
        "",
        "Every input of a case file (YAML or JSON), generated from the case model: the same text",
        "`bpo-cost schema` prints and the workbook's Inputs sheet shows. A unit `{currency}` is",
        "the case currency, `{unit}` the workload's unit of work; `[]` in a path is an element of",
        "a list (`options[].pricing.rate` is written `options.0.pricing.rate` as an input path),",
        "`<input>` the input path an uncertainty entry is for.",
        "Where a default comes from is in the *source* column and in",
        "[the methodology](../../methodology.md).",
        "",
    ]
    for model in models:
        mine = [r for r in rows if r.model == model.__name__]
        at = ", ".join(f"`{w}`" for w in dict.fromkeys(where.get(model.__name__, [])))
        out += [
            f"## {model.__name__}",
            "",
            f"At {at}." if at else "The file itself.",
            "",
            (inspect.getdoc(model) or "").split("\n\n")[0],
            "",
        ]
        out += _table(
            ["input", "type", "unit", "default", "meaning", "source"],
            [
                [
                    _code(r.path),
                    r.kind,
                    r.unit,
                    _code(r.default) if r.default != "required" else r.default,
                    r.description,
                    r.source,
                ]
                for r in mine
            ],
        )
        out.append("")
    return "\n".join(out)


# ----------------------------------------------------------------------------------- components


def components_page() -> str:
    from bpo_cost.engine.components import COMPONENTS

    out = [
        "# Cost components",
        "",
        "The registry `bpo_cost.engine.components`, in its order (the order of every table, sheet",
        "and chart). The formulas, defaults and sources behind them are in",
        "[the methodology](../../methodology.md): in-house components under",
        "[In-house cost](../../methodology.md#in-house-cost), vendor ones under",
        "[Pricing](../../methodology.md#pricing) and [Clauses](../../methodology.md#clauses),",
        "transition and retained ones under [Hidden costs](../../methodology.md#hidden-costs).",
        "",
    ]
    rows = []
    for c in COMPONENTS:
        flags = [w for w, on in (("staff cost", c.staff), ("credit (<= 0)", c.credit)) if on]
        rows.append([_code(c.key), c.label, ", ".join(c.owners), ", ".join(flags), c.description])
    out += _table(["key", "label", "owners", "kind", "how it is computed"], rows)
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------------------ Excel functions


@dataclass(frozen=True)
class ExcelArg:
    name: str
    doc: str
    default: str  # "" when required


def excel_functions() -> dict[str, tuple[str, list[ExcelArg]]]:
    """Each ``BPO_`` function: its wizard description and its arguments with their ``@arg`` doc.

    Off Windows, xlwings' ``func``/``arg`` decorators keep nothing; the functions module is run
    once more with recording stand-ins, so the text is exactly what Excel's wizard shows.
    """
    import xlwings

    from bpo_cost.excel import functions as real

    docs: dict[str, dict[str, str]] = {}

    def arg(name: str, *_: Any, **options: Any) -> Callable[[Any], Any]:
        def inner(f: Any) -> Any:
            docs.setdefault(f.__name__, {})[name] = str(options.get("doc", ""))
            return f

        return inner

    def func(*_: Any, **__: Any) -> Callable[[Any], Any]:
        return lambda f: f

    spec = importlib.util.spec_from_file_location("bpo_cost.excel._for_docs", real.__file__)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    saved = xlwings.func, xlwings.arg
    xlwings.func, xlwings.arg = func, arg  # type: ignore[assignment]
    try:
        spec.loader.exec_module(module)
    finally:
        xlwings.func, xlwings.arg = saved  # type: ignore[assignment]

    out: dict[str, tuple[str, list[ExcelArg]]] = {}
    for name in sorted(n for n in real.__all__ if n.startswith("BPO_")):
        fn = getattr(real, name)
        args = []
        for p in inspect.signature(fn).parameters.values():
            default = (
                ""
                if p.default is p.empty
                else ("empty" if p.default is None else _default(p.default))
            )
            args.append(ExcelArg(p.name, docs.get(name, {}).get(p.name, ""), default))
        out[name] = (inspect.getdoc(fn) or "", args)
    return out


def excel_page() -> str:
    functions = excel_functions()
    out = [
        "# Excel functions",
        "",
        f"The {len(functions)} `=BPO_…` functions of the add-in (category *BPO Cost* in Excel's",
        "function wizard), generated from their code: the description is the wizard's, each",
        "argument's text is its `@arg` help, and an argument with a default may be left empty.",
        "A bad argument shows `#VALUE! <what is wrong>` in the cell. Installing the add-in:",
        "[Excel](../../getting-started/analyst.md#excel).",
        "",
    ]
    for name, (description, args) in functions.items():
        signature = ", ".join(a.name if not a.default else f"[{a.name}]" for a in args)
        out += [f"## {name}", "", "```text", f"={name}({signature})", "```", "", description, ""]
        out += _table(
            ["argument", "default", "meaning"],
            [[_code(a.name), a.default or "required", a.doc] for a in args],
        )
        out.append("")
    return "\n".join(out)


# ------------------------------------------------------------------------------------- commands


def commands() -> dict[str, Any]:
    """The ``bpo-cost`` commands as click objects (a group's subcommands as ``group sub``), in
    the order ``--help`` lists them."""
    from typer.main import get_command

    from bpo_cost.cli import app

    def walk(group: Any, prefix: str) -> Iterator[tuple[str, Any]]:
        for name, cmd in group.commands.items():
            yield prefix + name, cmd
            if hasattr(cmd, "commands"):  # a command group: its subcommands too
                yield from walk(cmd, f"{prefix}{name} ")

    return dict(walk(get_command(app), ""))


def _plain(text: str | None) -> str:
    """Help text without typer's rich markup."""
    return re.sub(r"(?<!\\)\[/?[a-z ]+\]", "", text or "").replace("\\[", "[").strip()


def cli_page() -> str:
    out = [
        "# Command line",
        "",
        "The `bpo-cost` commands with their arguments and options, generated from the",
        "application's own help (`bpo-cost COMMAND --help` prints the same). Errors print one line",
        "naming the input, the value and what is allowed, and exit with status 2.",
        "",
    ]
    for name, cmd in commands().items():
        out += [f"## bpo-cost {name}", "", _plain(cmd.help), ""]
        usage = [name]
        rows = []
        for p in cmd.params:
            if p.param_type_name == "argument":
                usage.append(p.name.upper() if p.required else f"[{p.name.upper()}]")
                rows.append(
                    [
                        _code(p.name.upper()),
                        "argument",
                        _plain(getattr(p, "help", "")),
                        "" if p.required else _code(p.default),
                    ]
                )
            elif p.param_type_name == "option" and p.name != "help":
                names = " / ".join(_code(o) for o in [*p.opts, *p.secondary_opts])
                default = "" if p.default in (None, False, ()) or p.is_flag else _code(p.default)
                rows.append([names, "option", _plain(p.help), default])
        out += ["```text", "bpo-cost " + " ".join(usage) + " [OPTIONS]", "```", ""]
        if rows:
            out += _table(["name", "kind", "meaning", "default"], rows)
        out.append("")
    return "\n".join(out)


# ----------------------------------------------------------------------------------- rate cards


def rates_page() -> str:
    from bpo_cost import load_cards

    cards = load_cards()
    presets = cards.presets
    locations = cards.locations
    letters = {"billing_hourly": "B", "per_transaction": "T", "wage": "W"}
    have: dict[tuple[str, str], list[str]] = {}
    derived = {card: 0 for card in letters}
    dates: dict[str, set[str]] = {card: set() for card in letters}
    for card, letter in letters.items():
        for row in cards.rows(card):  # type: ignore[arg-type]
            mark = letter + ("*" if re.search(r"DERIVED|PROXY|ASSUMED", row.note) else "")
            have.setdefault((row.function, row.location), [])
            if mark not in have[(row.function, row.location)]:
                have[(row.function, row.location)].append(mark)
            derived[card] += "*" in mark
            dates[card].add(row.as_of.isoformat())
    out = [
        "| function | " + " | ".join(locations) + " |",
        "|---|" + "---|" * len(locations),
    ]
    for function, preset in presets.items():
        cells = [" ".join(have.get((function, loc), [])) or "–" for loc in locations]
        out.append(f"| {preset.label} (`{function}`) | " + " | ".join(cells) + " |")
    out += [
        "",
        "B: billing per hour (`billing_hourly`), T: price per unit of work (`per_transaction`),",
        "W: in-house wage (`wage`); `*`: the row is derived, a proxy or assumed (its `note` says",
        "how). Rows per card:",
        "",
    ]
    out += _table(
        ["card", "rows", "derived, proxy or assumed", "as_of dates"],
        [
            [
                _code(card),
                str(len(cards.rows(card))),
                str(derived[card]),  # type: ignore[arg-type]
                f"{min(dates[card])} to {max(dates[card])}",
            ]
            for card in letters
        ],
    )
    return "\n".join(out) + "\n"


# -------------------------------------------------------------------------------------- pages


PAGES: dict[str, Callable[[], str]] = {
    "case-file": case_file_page,
    "components": components_page,
    "excel": excel_page,
    "cli": cli_page,
    "rate-coverage": rates_page,
}


def generate(docs: Path) -> dict[str, str]:
    """Write every generated page under ``docs/reference/generated`` (only those that changed,
    so Sphinx re-reads only them); returns name -> Markdown."""
    folder = docs / GENERATED
    folder.mkdir(parents=True, exist_ok=True)
    texts = {name: make() for name, make in PAGES.items()}
    for name, text in texts.items():
        path = folder / f"{name}.md"
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    return texts


def expected() -> Iterator[tuple[str, str]]:
    """(page, name) for everything the site must show: every field path, component key, Excel
    function and command, with the generated page that shows it."""
    from bpo_cost.engine.components import COMPONENTS

    for row in case_fields()[1]:
        yield "case-file", row.path
    for c in COMPONENTS:
        yield "components", c.key
    for name in excel_functions():
        yield "excel", name
    for name in commands():
        yield "cli", f"bpo-cost {name}"


# ------------------------------------------------------------------------------- the extension


def _text_of_html(path: Path) -> str:
    raw = path.read_text(encoding="utf-8")
    return html.unescape(re.sub(r"<[^>]+>", "", raw))


def missing_from_site(out: Path, wanted: Iterable[tuple[str, str]]) -> list[str]:
    """What of ``wanted`` (page, name) the built HTML site in ``out`` does not show."""
    pages: dict[str, str] = {}
    missing = []
    for page, name in wanted:
        if page not in pages:
            built = out / GENERATED / f"{page}.html"
            pages[page] = _text_of_html(built) if built.is_file() else ""
        if name not in pages[page]:
            missing.append(f"{page}: {name}")
    return missing


def setup(app: Any) -> dict[str, Any]:
    """Sphinx: generate the pages when the build starts; check the built site when it ends."""
    from sphinx.errors import ExtensionError

    def write_pages(app: Any) -> None:
        generate(Path(app.srcdir))
        app.env.bpo_expected = list(expected())  # what the built site must show

    def check_site(app: Any, exception: Exception | None) -> None:
        if exception is not None or app.builder.format != "html":
            return
        missing = missing_from_site(Path(app.outdir), app.env.bpo_expected)
        if missing:
            raise ExtensionError("missing from the built site: " + "; ".join(missing))

    app.connect("builder-inited", write_pages)
    app.connect("build-finished", check_site)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
