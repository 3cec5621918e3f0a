"""Reading cases from YAML, JSON, mappings, key/value pairs and workbooks; errors name the field.

A case flattens to ``(path, value)`` pairs whose paths are canonical input paths (``paths``:
dotted, 0-based list indices: ``options.1.pricing.rate``, ``workload.seasonality.0``). The
Inputs sheet of a business-case workbook and the Excel ``BPO_*`` case functions use exactly
these pairs.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from ..errors import InvalidCaseError
from .models import Case
from .paths import (
    DEFAULT_WORKLOAD,
    V1_WORKLOAD,
    WORKLOADS,
    from_slashes,
    join_path,
    segments,
    to_slashes,
)
from .reading import MAX_DEPTH, parse_json, parse_yaml, read_text

__all__ = ["case_from_pairs", "case_to_pairs", "load_case", "parse_case"]

MAX_WORKBOOK_BYTES = 50_000_000  # a long live-channel workbook is a few MB; the reader caps parts


def parse_case(data: Mapping[str, Any] | Case) -> Case:
    """Validate a mapping into a Case, turning pydantic's report into one clear InvalidCaseError."""
    if isinstance(data, Case):
        return data
    if not isinstance(data, Mapping):
        raise InvalidCaseError(
            "case", type(data).__name__, "a mapping of fields (YAML/JSON object)"
        )
    try:
        return Case.model_validate(dict(data))
    except ValidationError as exc:
        raise _invalid(exc, v1=V1_WORKLOAD in data and WORKLOADS not in data) from None
    except RecursionError:
        raise InvalidCaseError("case", "...", f"nested at most {MAX_DEPTH} levels") from None


def _invalid(exc: ValidationError, *, v1: bool = False) -> InvalidCaseError:
    """``v1``: the file gave one ``workload:``: its errors name it so, not ``workloads.0``."""
    problems: list[tuple[str, Any, str]] = []  # (field path, value, what is allowed)
    for err in exc.errors(include_url=False):
        given = [str(p) for p in err["loc"]]
        raw = [V1_WORKLOAD, *given[2:]] if v1 and given[:2] == [WORKLOADS, "0"] else given
        value = err.get("input")
        tags = [p for p in raw if _is_tag(p)]
        # A number-or-reference field: report the branch the user meant (a mapping is a reference).
        if "RateRef" in raw and not isinstance(value, Mapping) and err["type"] == "model_type":
            continue
        if tags and isinstance(value, Mapping) and err["type"] in _NUMBER_ERRORS:
            continue  # the number branch of a number-or-reference given a reference
        # union branches add the branch's type name to the path ("float", "RateRef", "hourly")
        path = ".".join(p for p in raw if not _is_tag(p)) or "case"
        ctx = err.get("ctx") or {}
        if err["type"] == "missing":
            hint = _field_hint(given)
            problems.append((path, _Said(f"{path} is required but missing{hint}"), ""))
        elif err["type"] == "extra_forbidden":
            problems.append((path, value, "a known field (check the spelling)"))
        elif err["type"] == "union_tag_invalid":
            problems.append(
                (
                    f"{path}.{ctx.get('discriminator', '').strip(chr(39))}",
                    ctx.get("tag"),
                    f"one of {ctx.get('expected_tags')}",
                )
            )
        elif err["type"] == "value_error":  # a rule across fields: its text says what is wrong
            said = _Said(err["msg"].removeprefix("Value error, "))
            problems.append((path, said, "") if raw else (said.split(" ")[0], said, ""))
        else:
            allowed = _allowed(err["type"], ctx, err["msg"])
            limit = ctx.get("le", ctx.get("lt"))
            if (
                isinstance(limit, (int, float))
                and limit <= 3
                and isinstance(value, (int, float))
                and 1 < value <= 100
            ):
                allowed += f" (rates and shares are decimals: {value / 100:g} for {value:g}%)"
            problems.append((path, value, allowed))
    if not problems:  # every error came from a branch we skipped: report the first one plainly
        err = exc.errors(include_url=False)[0]
        loc = ".".join(str(p) for p in err["loc"] if not _is_tag(str(p))) or "case"
        problems.append((loc, err.get("input"), _allowed(err["type"], {}, err["msg"])))
    problems = _spelling_first(problems)
    lines = [
        (str(v) if v.startswith(p) else f"{p}: {v}")
        if isinstance(v, _Said)
        else f"{p} must be {a}: got {_shown(v)}"
        for p, v, a in problems
    ]
    path, value, allowed = problems[0]
    return InvalidCaseError(path, value, allowed, errors=lines, message=lines[0])


_NUMBER_ERRORS = {"float_type", "float_parsing", "int_type", "int_parsing"}


def _field_hint(loc: list[str]) -> str:
    """`` (one of low, typical, high)`` or `` (its description)`` for the field at ``loc``."""
    models: list[type[BaseModel]] = [Case]
    info = None
    for part in loc:
        if part.isdigit():
            continue
        named = [m for m in _models_in(*models) if m.__name__ == part]
        if named:  # a union branch pydantic named: that model
            models = named
            continue
        fields = [m.model_fields[part] for m in models if part in m.model_fields]
        if not fields:
            if part in _UNION_TAGS:  # "hourly": the branch whose model literal it is
                continue
            return ""
        info = fields[0]
        models = _models_in(info.annotation)
    if info is None:
        return ""
    choices = [a for a in _flat(info.annotation) if isinstance(a, str)]
    if choices:
        return " (one of " + ", ".join(choices) + ")"
    return f" ({info.description[0].lower()}{info.description[1:]})" if info.description else ""


def _flat(annotation: Any) -> list[Any]:
    args = get_args(annotation)
    if not args:
        return [annotation]
    return [x for a in args for x in _flat(a)]


def _models_in(*annotations: Any) -> list[type[BaseModel]]:
    return [
        a
        for ann in annotations
        for a in _flat(ann)
        if isinstance(a, type) and issubclass(a, BaseModel)
    ]


def _is_tag(part: str) -> bool:
    """A union branch pydantic adds to an error's location (not a field the analyst wrote)."""
    return part in _UNION_TAGS or _TAG.fullmatch(part) is not None


_TAG = re.compile(r"[a-z]+(-[a-z]+)+(\[.*)?")  # function-after[...], constrained-float ...


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# pydantic's error types in the analyst's words (the limits come from the error's context)
_WORDS = {
    "float_parsing": "a number",
    "float_type": "a number",
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "finite_number": "a finite number",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "string_type": "text",
    "date_parsing": "a date written YYYY-MM-DD or a month written YYYY-MM",
    "date_from_datetime_parsing": "a date written YYYY-MM-DD or a month written YYYY-MM",
    "date_type": "a date written YYYY-MM-DD or a month written YYYY-MM",
    "model_type": "a group of fields (a YAML/JSON mapping)",
    "dict_type": "a mapping of fields",
    "list_type": "a list",
}
_BOUNDS = {"ge": "at least", "gt": "more than", "le": "at most", "lt": "less than"}


def _allowed(kind: str, ctx: Mapping[str, Any], msg: str) -> str:
    if kind in _WORDS:
        return _WORDS[kind]
    for key, words in _BOUNDS.items():
        if kind.endswith(("_than_equal", "_than")) and key in ctx:
            return f"{words} {ctx[key]:g}" if isinstance(ctx[key], float) else f"{words} {ctx[key]}"
    if kind == "literal_error":
        return "one of " + str(ctx.get("expected", "")).replace("'", "")
    if kind == "too_short":
        return f"at least {ctx.get('min_length')} item(s)"
    if kind == "too_long":
        return f"at most {ctx.get('max_length')} items"
    if kind == "string_too_short":
        return f"at least {ctx.get('min_length')} character(s)"
    if kind == "string_too_long":
        return f"at most {ctx.get('max_length')} characters"
    if kind == "string_pattern_mismatch":
        return "text of letters, digits, spaces and _ - . ( ), starting with a letter or digit"
    text = msg[0].lower() + msg[1:] if msg else "valid"
    for prefix in ("input should be ", "value should be "):
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


def _case_from_workbook(path: Path) -> Case:
    """The case on a workbook's Inputs sheet; every problem names its cell (``Inputs!B12``)."""
    from .xlsx import at_cell, read_located  # the workbook face imports openpyxl

    located = read_located(path)
    rows = {key: row for key, _, row in located}
    try:
        return case_from_pairs([(key, value) for key, value, _ in located])
    except InvalidCaseError as exc:
        lines = [at_cell(line, rows) for line in exc.errors]
        raise InvalidCaseError(
            exc.field, exc.value, exc.allowed, errors=lines, message=lines[0]
        ) from None


def _spelling_first(problems: list[tuple[str, Any, str]]) -> list[tuple[str, Any, str]]:
    """A misspelt key explains the missing field beside it: show it first, with a suggestion."""
    missing = [
        p for p, v, _ in problems if isinstance(v, _Said) and " is required but missing" in v
    ]
    unknown: list[tuple[str, Any, str]] = []
    rest: list[tuple[str, Any, str]] = []
    for path, value, allowed in problems:
        if not allowed.startswith("a known field"):
            rest.append((path, value, allowed))
            continue
        parent, _, name = path.rpartition(".")
        siblings = [m.rpartition(".")[2] for m in missing if m.rpartition(".")[0] == parent]
        close = difflib.get_close_matches(name, siblings, n=1)
        if close:
            allowed = f"a known field (did you mean {close[0]}?)"
        unknown.append((path, value, allowed))
    return unknown + rest


class _Said(str):
    """A validator's own sentence, shown as it is."""


_UNION_TAGS = {"float", "RateRef", "hourly", "per_transaction", "outcome", "constrained-float"}


def load_case(source: str | Path | Mapping[str, Any] | Case) -> Case:
    """Load a case from a YAML/JSON file, a generated workbook (.xlsx), or a mapping.

    Examples
    --------
    >>> from bpo_cost import load_case
    >>> from bpo_cost import example_path
    >>> load_case(example_path("voice_customer_service")).term_months
    60
    """
    if isinstance(source, (Mapping, Case)):
        return parse_case(source)
    path = Path(source)
    if not path.is_file():
        raise InvalidCaseError(
            "case file", str(source), "an existing .yaml, .yml, .json or .xlsx file"
        )
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        if path.stat().st_size > MAX_WORKBOOK_BYTES:
            raise InvalidCaseError(
                "case file", str(source), f"at most {MAX_WORKBOOK_BYTES:,} bytes"
            )
        return _case_from_workbook(path)
    if suffix == ".json":
        data = parse_json(read_text(path), path.name)
    elif suffix in (".yaml", ".yml"):
        data = parse_yaml(read_text(path), path.name)
    else:
        raise InvalidCaseError("case file", path.name, "a .yaml, .yml, .json or .xlsx file")
    _check_depth(data)
    return parse_case(data)


def _check_depth(data: Any, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise InvalidCaseError("case", "...", f"nested at most {MAX_DEPTH} levels")
    if isinstance(data, Mapping):
        for v in data.values():
            _check_depth(v, depth + 1)
    elif isinstance(data, list):
        for v in data:
            _check_depth(v, depth + 1)


# ------------------------------------------------------------------------ flat key/value pairs


def flatten(data: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """Nested dicts/lists to ``(canonical path, leaf)`` pairs; None leaves are kept."""
    if isinstance(data, Mapping):
        items: Iterable[tuple[Any, Any]] = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    else:
        return [(prefix, data)]
    out: list[tuple[str, Any]] = []
    for key, value in items:
        out.extend(flatten(value, join_path(prefix, key)))
    return out


NONE = "none"  # the text that says "no value" where the default is a value (no cap, say)


def case_to_pairs(case: Case) -> list[tuple[str, Any]]:
    """The case as ``(path, value)`` pairs, every field including defaults, in model order.

    A field left empty where its default is a value is written as ``"none"``. Distributions of
    the ``uncertainty`` block are keyed ``uncertainty.<input path with / for .>.<field>``.
    """
    return _model_pairs(case, "")


def _model_pairs(model: BaseModel, prefix: str) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for name, field in type(model).model_fields.items():
        value, key = getattr(model, name), join_path(prefix, name)
        if isinstance(model, Case) and name == WORKLOADS and len(value) == 1:
            one = _model_pairs(value[0], V1_WORKLOAD)  # the v1 form (Case.v1_form)
            out += [kv for kv in one if kv != (f"{V1_WORKLOAD}.name", DEFAULT_WORKLOAD)]
        elif isinstance(value, BaseModel):
            out += _model_pairs(value, key)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    out += _model_pairs(item, join_path(key, i))
                else:
                    out.append((join_path(key, i), item))
        elif isinstance(value, dict):  # uncertainty: input path -> distribution
            for path, item in value.items():
                sub = join_path(key, to_slashes(str(path)))
                out += (
                    _model_pairs(item, sub) if isinstance(item, BaseModel) else flatten(item, sub)
                )
        elif value is None:
            if (
                field.default is not None
                and field.default_factory is None
                and not field.is_required()
            ):
                out.append((key, NONE))
        else:
            out.append((key, value))
    return out


def unflatten(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """``(dotted.path, value)`` pairs back to nested dicts and lists (digits index lists)."""
    root: dict[str, Any] = {}
    for raw_key, value in pairs:
        key = str(raw_key).strip()
        if not key or value is None or (isinstance(value, str) and not value.strip()):
            continue  # an empty cell means "use the default"
        if isinstance(value, str) and value.strip().lower() == NONE:
            value = None  # explicitly no value, e.g. no cap
        parts = segments(key)
        node: Any = root
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if last:
                if part in node:
                    raise InvalidCaseError(key, value, "given once (no duplicate or clashing key)")
                node[part] = value
            else:
                node = node.setdefault(part, {})
                if not isinstance(node, dict):
                    raise InvalidCaseError(key, value, "a key that does not clash with another")
    tree: dict[str, Any] = _lists(root, "")
    return tree


def _lists(node: Any, path: str) -> Any:
    """Dicts whose keys are all 0..n-1 become lists (the order keys were given does not matter)."""
    if not isinstance(node, dict):
        return node
    node = {k: _lists(v, join_path(path, k)) for k, v in node.items()}
    if node and all(k.isdigit() for k in node):
        idx = sorted(int(k) for k in node)
        if idx != list(range(len(idx))):
            raise InvalidCaseError(f"{path or 'case'} (list indices)", idx, "consecutive from 0")
        return [node[str(i)] for i in idx]
    return node


def case_from_pairs(pairs: Iterable[tuple[Any, Any]]) -> Case:
    """Build a case from ``(path, value)`` pairs (an Inputs sheet, or a two-column Excel range)."""
    cleaned = []
    for key, value in pairs:
        if isinstance(value, dt.datetime):
            value = value.date()
        cleaned.append((key, value))
    tree = unflatten(cleaned)
    if "uncertainty" in tree:  # input paths were written with / for . (see case_to_pairs)
        tree["uncertainty"] = _from_slashes(tree["uncertainty"])
    return parse_case(tree)


def _from_slashes(node: Any) -> Any:
    if isinstance(node, dict):
        return {from_slashes(str(k)): _from_slashes(v) for k, v in node.items()}
    return node
