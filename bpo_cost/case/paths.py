"""Input paths: the one grammar that names a field of a case.

Every face names a field the same way: overrides and sensitivity inputs, uncertainty keys,
the key/value pairs of the Inputs sheet and the Excel case functions, and the labels the
analyses print. The grammar::

    path  := step ("." step)*
    step  := key ["[" name "]"]
    key   := a field name, or a 0-based list index (ASCII digits, no leading zero)
    name  := any text but "]", not only digits: the list item whose ``name`` it is

``options.1.pricing.rate`` is a *canonical* path (indices only): the form every program
compares. ``options[Offshore PH].pricing.rate`` says the same by name, for people; a name may
hold dots (``options[Nearshore MX v1.2]``). ``options[1]`` is accepted for ``options.1``.

Parsed, a path is a tuple of steps: ``str`` (a field), ``int`` (a list index) or ``Name`` (a
list item by name). A *generic* key drops the indices and names (``options.pricing.rate``: the
field, whichever option). On the Inputs sheet an uncertainty key is one segment of its pair key,
so its dots are written as ``/``: ``uncertainty.options/1/pricing/rate.low``.

Workloads are a list like the options: ``workloads.1.volume_per_month``, by name
``workloads[chat].volume_per_month``. A case of one workload is written in the v1 form, as
``workload:`` (its name left out when it is the default, ``main``), so its canonical paths are
the v1 paths (``workload.volume_per_month``), and ``canonical_path`` reads
``workloads.0.volume_per_month`` or ``workloads[main].volume_per_month`` as that.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeGuard

from ..errors import InputError

__all__ = [
    "DEFAULT_WORKLOAD",
    "V1_WORKLOAD",
    "WORKLOADS",
    "Name",
    "Step",
    "canonical_path",
    "format_path",
    "from_slashes",
    "generic_key",
    "in_list_form",
    "join_path",
    "parse_path",
    "path_label",
    "segments",
    "to_slashes",
    "value_at",
]

SEP = "."
V1_WORKLOAD, WORKLOADS = "workload", "workloads"  # a one-workload case's key; several's key
DEFAULT_WORKLOAD = "main"  # the name of the workload of a v1 file (`workload:`)
SLASH = "/"  # stands for SEP where a whole path is one segment of a pair key
_HINT = "dotted keys, e.g. options[Offshore PH].pricing.rate"


@dataclass(frozen=True)
class Name:
    """A list item chosen by its name: the ``[Offshore PH]`` of ``options[Offshore PH]``."""

    name: str


Step = str | int | Name


def _is_index(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _check_key(key: str, path: str) -> str | int:
    if not key or "]" in key:
        raise InputError("path", path, _HINT)
    if _is_index(key):
        if len(key) > 1 and key[0] == "0":
            raise InputError("path", path, "list indices without leading zeros")
        return int(key)
    return key


@functools.lru_cache(maxsize=4096)  # the same few paths are parsed batch after batch
def parse_path(path: str) -> tuple[Step, ...]:
    """The steps of a path: field names, list indices and names.

    Parameters
    ----------
    path : str
        A path in the grammar of this module, canonical or with names.

    Returns
    -------
    tuple of str, int and Name
        One step per key; a ``[name]`` is a step of its own after its key.

    Raises
    ------
    InputError
        If the path is empty or not in the grammar (an empty key, an unclosed bracket, text
        after a bracket, an index with a leading zero).

    Examples
    --------
    >>> parse_path("options[Nearshore MX v1.2].pricing.tiers.0.price")
    ('options', Name(name='Nearshore MX v1.2'), 'pricing', 'tiers', 0, 'price')
    >>> parse_path("options[2].pricing.rate")
    ('options', 2, 'pricing', 'rate')
    """
    if not isinstance(path, str) or not path:
        raise InputError("path", path, _HINT)
    steps: list[Step] = []
    i, n = 0, len(path)
    while True:
        j = i
        while j < n and path[j] not in ".[":
            j += 1
        steps.append(_check_key(path[i:j], path))
        if j < n and path[j] == "[":
            k = path.find("]", j)
            if k < 0:
                raise InputError("path", path, "balanced [name] brackets")
            inside = path[j + 1 : k]
            if not inside:
                raise InputError("path", path, _HINT)
            steps.append(_check_key(inside, path) if _is_index(inside) else Name(inside))
            j = k + 1
        if j == n:
            return tuple(steps)
        if path[j] != SEP:
            raise InputError("path", path, _HINT)
        i = j + 1


def format_path(steps: Iterable[Step]) -> str:
    """A path from its steps: the inverse of ``parse_path``.

    Parameters
    ----------
    steps : iterable of str, int and Name
        A key first; a ``Name`` only right after a key or an index.

    Returns
    -------
    str
        The path, indices written ``.1`` (never ``[1]``), so ``parse_path`` gives the steps back.

    Raises
    ------
    InputError
        If a step cannot be written so that it reads back the same: an empty key, a key with
        ``.``, ``[`` or ``]`` or only digits, a negative index, a name with ``]`` or only digits,
        a name first or after another name.

    Examples
    --------
    >>> format_path(["options", Name("Offshore PH"), "pricing", "rate"])
    'options[Offshore PH].pricing.rate'
    >>> format_path(["workload", "seasonality", 3])
    'workload.seasonality.3'
    """
    out: list[str] = []
    named = True  # no name may come first
    for step in steps:
        if isinstance(step, Name):
            if named or not _nameable(step.name):
                raise InputError("path step", step.name, "a name without ']', not only digits")
            out[-1] += f"[{step.name}]"
            named = True
            continue
        if isinstance(step, bool) or not isinstance(step, (str, int)):
            raise InputError("path step", step, "a field name, a list index or a Name")
        if isinstance(step, int):
            if step < 0:
                raise InputError("path step", step, "a list index >= 0")
            out.append(str(step))
        else:
            if not step or any(c in step for c in ".[]") or _is_index(step):
                raise InputError("path step", step, "a field name without '.', '[' or ']'")
            out.append(step)
        named = False
    if not out:
        raise InputError("path", "", "at least one step")
    return SEP.join(out)


def _nameable(name: object) -> TypeGuard[str]:
    """Whether ``name`` can select a list item in a path (else the item goes by its index)."""
    return isinstance(name, str) and bool(name) and "]" not in name and not _is_index(name)


def join_path(prefix: str, step: str | int) -> str:
    """``prefix`` and one more key or index (``prefix`` empty: the step alone).

    Examples
    --------
    >>> join_path("options.1", "pricing"), join_path("", "workload")
    ('options.1.pricing', 'workload')
    """
    return f"{prefix}{SEP}{step}" if prefix else str(step)


def segments(key: str) -> list[str]:
    """The dot-separated segments of a pair key, as written (no name lookups, no checks).

    A pair key is a canonical path, except that an uncertainty key inside it is one segment
    (see ``to_slashes``); digit segments are list indices.

    Examples
    --------
    >>> segments("uncertainty.options/1/pricing/rate.low")
    ['uncertainty', 'options/1/pricing/rate', 'low']
    """
    return key.split(SEP)


def generic_key(path: str) -> str:
    """The path without list indices and names: the field, whichever list item.

    Other text (a pair key whose uncertainty path holds a name, a heading) loses the segments
    that are indices, and nothing else.

    Examples
    --------
    >>> generic_key("options.1.pricing.rate"), generic_key("inhouse.other_roles[QA].headcount")
    ('options.pricing.rate', 'inhouse.other_roles.headcount')
    """
    try:
        keys = [s for s in parse_path(path) if isinstance(s, str)]
    except InputError:
        kept = [s for i, s in enumerate(segments(path)) if i == 0 or not _is_index(s)]
        return SEP.join(kept)
    return format_path(keys) if keys else path


def in_list_form(path: str) -> str:
    """A canonical path with v1's ``workload`` written as the list item it is, ``workloads.0``.

    The case models and the engine parameters hold the workloads as a list; this is the path
    through them.

    Examples
    --------
    >>> in_list_form("workload.seasonality.3"), in_list_form("workloads.1.unit")
    ('workloads.0.seasonality.3', 'workloads.1.unit')
    """
    head, sep, rest = path.partition(SEP)
    return f"{WORKLOADS}{SEP}0{sep}{rest}" if head == V1_WORKLOAD else path


def to_slashes(path: str) -> str:
    """An input path written as one segment of a pair key: ``/`` for every ``.``.

    Raises
    ------
    InputError
        If the path holds a ``/`` (in a name): it would not read back.

    Examples
    --------
    >>> to_slashes("options[Offshore PH v1.2].pricing.rate")
    'options[Offshore PH v1/2]/pricing/rate'
    """
    if SLASH in path:
        raise InputError(
            "uncertainty key", path, "a path without '/' (give the list index, not the name)"
        )
    return path.replace(SEP, SLASH)


def from_slashes(key: str) -> str:
    """The input path written by ``to_slashes``.

    Examples
    --------
    >>> from_slashes("options[Offshore PH v1/2]/pricing/rate")
    'options[Offshore PH v1.2].pricing.rate'
    """
    return key.replace(SLASH, SEP)


# ----------------------------------------------------------------- paths in a case's data tree


def canonical_path(tree: Mapping[str, Any], path: str) -> str:
    """The canonical path of ``path`` in a case's data tree (``model_dump``), names resolved.

    Parameters
    ----------
    tree : mapping
        The case as plain data: mappings, lists and values.
    path : str
        A path, canonical or with names.

    Returns
    -------
    str
        The path with 0-based indices only.

    Raises
    ------
    InputError
        If the path is not in the grammar or names nothing in the tree: the message says where
        it leaves the tree and what is there.

    Examples
    --------
    >>> tree = {"options": [{"name": "A", "pricing": {"rate": 9.0}},
    ...                     {"name": "B", "pricing": {"rate": 12.0}}]}
    >>> canonical_path(tree, "options[B].pricing.rate")
    'options.1.pricing.rate'
    """
    node: Any = tree
    done: list[str | int] = []
    for step in _workload_spelling(tree, parse_path(path), path):
        if isinstance(step, Name):
            names = (
                [x.get("name") if isinstance(x, Mapping) else None for x in node]
                if isinstance(node, list)
                else []
            )
            if step.name not in names:
                raise InputError("path", path, f"a name under {_shown(done)}: one of {names}")
            step = names.index(step.name)
        if isinstance(node, list):
            if not isinstance(step, int) or step >= len(node):
                raise InputError(
                    "path", path, f"a valid index at {_shown(done)} (0..{len(node) - 1})"
                )
            node = node[step]
        elif isinstance(node, Mapping) and str(step) in node:
            node = node[str(step)]
        else:
            raise InputError(
                "path",
                path,
                "the path of a field in the case"
                + (f" (no {str(step)!r} under {_shown(done)})" if done else ""),
            )
        done.append(step)
    return format_path(done)


def _workload_spelling(
    tree: Mapping[str, Any], steps: tuple[Step, ...], path: str
) -> tuple[Step, ...]:
    """The steps as the tree spells its workloads: ``workload`` (one) or ``workloads`` (several)."""
    if steps[0] == V1_WORKLOAD and V1_WORKLOAD not in tree and WORKLOADS in tree:
        names = [w.get("name") for w in tree[WORKLOADS]]
        raise InputError(
            "path", path, f"workloads[name]... in a case of several workloads: one of {names}"
        )
    if steps[0] == WORKLOADS and WORKLOADS not in tree and V1_WORKLOAD in tree:
        one = tree[V1_WORKLOAD]
        name = one.get("name", DEFAULT_WORKLOAD) if isinstance(one, Mapping) else None
        if len(steps) < 2 or steps[1] not in (0, Name(str(name))):
            raise InputError("path", path, f"workloads.0 or workloads[{name}] (the one workload)")
        return (V1_WORKLOAD, *steps[2:])
    return steps


def _shown(steps: list[str | int]) -> str:
    return SEP.join(map(str, steps))


def value_at(tree: Any, path: str) -> Any:
    """What a canonical path holds in a data tree (a KeyError or IndexError if nothing).

    Examples
    --------
    >>> value_at({"workload": {"seasonality": [1.1, 0.9]}}, "workload.seasonality.1")
    0.9
    """
    node = tree
    for step in parse_path(path):
        node = node[step] if isinstance(step, int) else node[str(step)]
    return node


def path_label(tree: Any, path: str) -> str:
    """A canonical path as people read it: list items that have a name go by their name.

    An item whose name cannot be written in brackets (it holds ``]`` or only digits) keeps its
    index. ``canonical_path`` reads the label back to the path.

    Examples
    --------
    >>> tree = {"options": [{"name": "Onshore US", "pricing": {"rate": 30.0}}]}
    >>> path_label(tree, "options.0.pricing.rate")
    'options[Onshore US].pricing.rate'
    """
    node = tree
    out: list[Step] = []
    for step in parse_path(path):
        if isinstance(step, int) and isinstance(node, list):
            node = node[step]
            name = node.get("name") if isinstance(node, Mapping) else None
            out.append(Name(name) if _nameable(name) else step)
        else:
            node = node[str(step)]
            out.append(step)
    return format_path(out)
