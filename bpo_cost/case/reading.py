"""Reading case files as untrusted text: bytes to text, then YAML or JSON to plain data.

Case files come from colleagues and vendors, so every limit is checked before anything grows:
the file's size, its encoding, and for YAML a scan of the parser's events (fast with the C
parser, cheap without it) that refuses aliases (a "billion laughs" document cannot expand), deep
nesting, too many nodes and duplicate keys before a single object is built. JSON refuses
duplicate keys too: in both, a key given twice is an error naming the key and its line, never a
silent "last one wins".
"""

from __future__ import annotations

import codecs
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

from ..errors import InvalidCaseError

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_YAML_NODES",
    "decode",
    "parse_json",
    "parse_yaml",
    "read_text",
]

MAX_FILE_BYTES = 2_000_000  # a YAML/JSON case is a few kB; refuse anything that could be a bomb
MAX_DEPTH = 12
# Scalars and collections: the largest real case (12 options with tiers and an uncertainty block)
# has a few thousand; a hostile 2 MB file has about a million, and is refused after this many.
MAX_YAML_NODES = 50_000

# The C parser (libyaml) is ~10x faster; PyYAML without it falls back to the pure-Python one.
SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# UTF-32 first: its little-endian mark begins with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
_SAVE_AS = "UTF-8 text (save the file as UTF-8)"


def read_text(path: Path, limit: int = MAX_FILE_BYTES) -> str:
    """The text of a case file of at most ``limit`` bytes (see `decode`)."""
    try:
        with path.open("rb") as f:
            raw = f.read(limit + 1)  # never more, whatever the size said a moment ago
    except OSError as exc:
        raise InvalidCaseError(
            "case file", path.name, f"a readable file ({exc.strerror or exc})"
        ) from None
    if len(raw) > limit:
        raise InvalidCaseError("case file", path.name, f"at most {limit:,} bytes")
    return decode(raw, path.name)


def decode(raw: bytes, name: str) -> str:
    """Text from bytes: UTF-8 with or without a byte-order mark, or UTF-16/32 with one.

    Anything else is refused, naming the encoding or the offset of the first byte that is not
    UTF-8 (never replaced silently: a replaced byte in a number or a name changes its meaning).
    """
    codec, label = "utf-8", "UTF-8"
    for bom, bom_codec, bom_label in _BOMS:
        if raw.startswith(bom):
            codec, label = bom_codec, bom_label
            break
    else:
        if b"\x00" in raw[:4]:  # ASCII text in UTF-16/32 without a mark: every other byte is 0
            raise InvalidCaseError(name, "UTF-16 or UTF-32 without a byte-order mark", _SAVE_AS)
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        raise InvalidCaseError(
            name,
            f"byte {raw[exc.start]:#04x} at offset {exc.start}",
            f"{label} text throughout (save the file as UTF-8)",
        ) from None


def _too_long_number(name: str) -> InvalidCaseError:
    digits = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else 4300
    return InvalidCaseError(
        name, "a number too long to read", f"numbers of at most {digits:,} digits"
    )


# -------------------------------------------------------------------------------------- YAML


class _Mapping:
    """A mapping open in the event scan: the keys seen (with their lines), and whose turn it is."""

    __slots__ = ("key_next", "keys")

    def __init__(self) -> None:
        self.keys: dict[str, int] = {}
        self.key_next = True


def parse_yaml(text: str, name: str) -> Any:
    """Plain data (dicts, lists, scalars) from YAML text, after `scan_yaml` accepted it."""
    try:
        scan_yaml(text, name)
        return yaml.load(text, Loader=SafeLoader)  # a safe loader: plain data only
    except InvalidCaseError:  # a ValueError too: not the one below
        raise
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "document"
        problem = getattr(exc, "problem", None) or "syntax error"
        raise InvalidCaseError(name, where, f"valid YAML ({problem})") from None
    except ValueError:  # an integer beyond Python's digit limit for int("...")
        raise _too_long_number(name) from None


def scan_yaml(text: str, name: str) -> None:
    """Refuse aliases, deep nesting, too many nodes and duplicate keys from the parser's events.

    One iterative pass, before anything is built: PyYAML's composer is recursive and would take
    minutes over a hostile file, and its constructor lets the last of two equal keys win.
    """
    stack: list[_Mapping | None] = []  # the open collections (None: a sequence)
    top: _Mapping | None = None  # stack[-1], or None at the top or in a sequence
    nodes = 0
    for event in yaml.parse(text, Loader=SafeLoader):
        kind = type(event)  # one lookup per event: this loop is most of a load's Python time
        if kind is yaml.ScalarEvent:
            nodes += 1
            if top is not None:
                if top.key_next:
                    _new_key(top, event, name)
                top.key_next = not top.key_next
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            nodes += 1
            if len(stack) >= MAX_DEPTH:
                raise InvalidCaseError(name, "...", f"nested at most {MAX_DEPTH} levels")
            top = _Mapping() if kind is yaml.MappingStartEvent else None
            stack.append(top)
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            stack.pop()
            top = stack[-1] if stack else None
            if top is not None:  # a collection was a value (or a key) of this mapping
                top.key_next = not top.key_next
        elif kind is yaml.AliasEvent:
            raise InvalidCaseError(name, "*alias", "YAML without anchors/aliases")
        if nodes > MAX_YAML_NODES:
            raise InvalidCaseError(
                name, f"more than {MAX_YAML_NODES:,} values", "a case of a sensible size"
            )


def _new_key(mapping: _Mapping, event: Any, name: str) -> None:  # a ScalarEvent
    line = event.start_mark.line + 1 if event.start_mark is not None else 0
    if event.value in mapping.keys:
        raise _duplicate(name, event.value, line, mapping.keys[event.value])
    mapping.keys[event.value] = line


def _duplicate(name: str, key: Any, line: int, first: int) -> InvalidCaseError:
    message = (
        f"{name}, line {line}: the key {key!r} is given twice in the same block (first on line "
        f"{first}); give each key once"
    )
    return InvalidCaseError(f"{name} line {line}", key, "a key given once", message=message)


# -------------------------------------------------------------------------------------- JSON


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def parse_json(text: str, name: str) -> Any:
    """Plain data from JSON text; a key given twice in an object is an error naming it, line too."""
    try:
        return json.loads(text, object_pairs_hook=_unique)
    except _DuplicateKey as dup:
        key, line, first = _json_duplicate(text, dup.key)
        raise _duplicate(name, key, line, first) from None
    except json.JSONDecodeError as exc:
        raise InvalidCaseError(name, f"line {exc.lineno}", f"valid JSON ({exc.msg})") from None
    except RecursionError:
        raise InvalidCaseError(name, "...", f"nested at most {MAX_DEPTH} levels") from None
    except ValueError:  # an integer beyond Python's digit limit for int("...")
        raise _too_long_number(name) from None


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:]')


def _json_duplicate(text: str, key: str) -> tuple[str, int, int]:
    """The first key given twice in one object, with the lines of both (json.loads gives none)."""
    stack: list[dict[str, int] | None] = []
    last: re.Match[str] | None = None
    for m in _JSON_TOKEN.finditer(text):
        token = m.group()
        if token in "{[":
            stack.append({} if token == "{" else None)
        elif token in "}]":
            if stack:
                stack.pop()
        elif token == ":" and last is not None and stack and stack[-1] is not None:
            k = json.loads(last.group())
            line = text.count("\n", 0, last.start()) + 1
            if k in stack[-1]:
                return k, line, stack[-1][k]
            stack[-1][k] = line
        last = m if token.startswith('"') else None
    return key, 0, 0  # not reached for text json.loads read
