"""One label per input, from the field descriptions: ``In-house: hourly base wage (USD / hour)``."""

from __future__ import annotations

from ..case.fields import input_doc
from ..case.models import Case
from ..case.paths import canonical_path, parse_path, path_label

__all__ = ["input_label"]


def input_label(case: Case, path: str) -> str:
    """The input at ``path`` (canonical or with names) as the analyst reads it (plain text:
    ``inert`` it before printing).

    The owner first (an option's name, or in-house), then the field's description and unit; an
    input the model has no description for keeps its readable path.
    """
    tree = case.model_dump()
    try:
        canonical = canonical_path(tree, path)
    except Exception:  # a path the case does not hold (an uncertainty-only key): as written
        return path
    doc = input_doc(case, canonical)
    if not doc.description:
        return path_label(tree, canonical)
    steps = parse_path(canonical)
    owner = ""
    if steps[0] == "options" and isinstance(steps[1], int):
        owner = f"{case.options[steps[1]].name}: "
    elif steps[0] == "inhouse":
        owner = "In-house: "
    text = doc.description[0].lower() + doc.description[1:] if owner else doc.description
    if isinstance(steps[-1], int):
        text += f" #{steps[-1] + 1}"
    unit = f" ({doc.unit})" if doc.unit and doc.unit not in ("text", "id") else ""
    return f"{owner}{text}{unit}"
