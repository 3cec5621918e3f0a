"""What an input means: its description, unit and the source of its default, read from the model.

The case model says each once (``Field(description=...)``, ``json_schema_extra={"unit": ...,
"source": ...}``); the JSON Schema carries them as they are, and every face reads them here: the
workbook's Inputs and Method sheets through :func:`input_doc`, the Excel function help through
:func:`field_doc`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from ..errors import InputError
from .models import Case
from .paths import canonical_path, parse_path, path_label
from .rules import field_at

__all__ = ["CURRENCY", "UNIT_OF_WORK", "FieldDoc", "field_doc", "input_doc", "input_label"]

CURRENCY = "{currency}"  # in a unit: the case currency
UNIT_OF_WORK = "{unit}"  # in a unit: the workload's unit of work


@dataclass(frozen=True)
class FieldDoc:
    """What an input means, in the model's words.

    Attributes
    ----------
    description : str
        What the input is ("" when the model has no field there).
    unit : str
        Its unit, e.g. ``"{currency} / hour"``; :func:`input_doc` puts in the case's currency and
        unit of work.
    source : str
        Where the default comes from ("" when there is no default or it needs no source).
    default : Any
        The model default; None when the input is required or has no value by default.
    """

    description: str = ""
    unit: str = ""
    source: str = ""
    default: Any = None


def field_doc(model: type[BaseModel], name: str) -> FieldDoc:
    """The text of one field of a case model class, its unit with the placeholders.

    Parameters
    ----------
    model : type of BaseModel
        A model of ``bpo_cost.case.models`` (``InHouse``, ``Collar``...).
    name : str
        The field's name.

    Returns
    -------
    FieldDoc
        Description, unit (``{currency}``, ``{unit}`` left as they are), source and default.

    Examples
    --------
    >>> from bpo_cost.case.models import InHouse
    >>> field_doc(InHouse, "shrinkage").default
    0.3
    >>> field_doc(InHouse, "wage_per_hour").unit
    '{currency} / hour'
    """
    return _doc(model.model_fields[name], None)


def input_doc(case: Case, key: str) -> FieldDoc:
    """The text of the input at path ``key`` of ``case``, units in its currency and unit of work.

    Parameters
    ----------
    case : Case
        The case: its currency and unit of work go into the unit.
    key : str
        An input path as in ``case_to_pairs``: ``inhouse.shrinkage``, ``options.1.pricing.rate``.

    Returns
    -------
    FieldDoc
        The field's text; an element of a list (``workload.seasonality.3``) has its field's text
        and the element's default. A key the model has no field for (``uncertainty.…``) gives an
        empty ``FieldDoc``.

    Examples
    --------
    >>> from bpo_cost.case.examples import example_path
    >>> from bpo_cost.case.io import load_case
    >>> case = load_case(example_path("payroll"))
    >>> input_doc(case, "inhouse.wage_per_hour").unit
    'USD / hour'
    >>> input_doc(case, "workload.seasonality.0").default
    1.0
    """
    info, in_list = field_at(case, key)
    if info is None:
        return FieldDoc()
    doc = _doc(info, int(key.rsplit(".", 1)[1]) if in_list else None)
    unit = doc.unit.replace(CURRENCY, case.currency).replace(UNIT_OF_WORK, case.unit)
    return FieldDoc(doc.description, unit, doc.source, doc.default)


def _doc(info: FieldInfo, index: int | None) -> FieldDoc:
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    default: Any = None
    if index is None:
        default = None if info.default is PydanticUndefined else info.default
    elif info.default_factory is not None:  # an element of a list with a default
        items = info.default_factory()  # type: ignore[call-arg]
        default = items[index] if isinstance(items, list) and index < len(items) else None
    return FieldDoc(
        info.description or "", str(extra.get("unit", "")), str(extra.get("source", "")), default
    )


def input_label(case: Case, path: str, *, unit: bool = True) -> str:
    """The input at ``path`` (canonical or with names) as the analyst reads it.

    The owner first (an option's name, in-house, or the workload's name in a case of several),
    then the field's description and, with
    ``unit``, its unit: ``In-house: hourly base wage of an agent (USD / hour)``. An input the
    model has no description for keeps its readable path; one the case does not hold (an
    uncertainty-only key) is shown as written. Plain text: ``inert`` it before a terminal.
    """
    tree = case.model_dump()
    try:
        canonical = canonical_path(tree, path)
    except InputError:
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
    elif steps[0] == "workloads" and isinstance(steps[1], int):  # one of several: by name
        owner = f"{case.workloads[steps[1]].name}: "
    text = doc.description[0].lower() + doc.description[1:] if owner else doc.description
    if isinstance(steps[-1], int):
        text += f" #{steps[-1] + 1}"
    shown = unit and doc.unit and doc.unit not in ("text", "id")
    return f"{owner}{text} ({doc.unit})" if shown else f"{owner}{text}"
