"""One description of every input field: the case model says what a field means, its unit and the
source of its default; the JSON Schema, the Inputs and Method sheets and the Excel function help
read it from there."""

from __future__ import annotations

import ast
import inspect
import json
import re
import types
import typing
from typing import Any

import openpyxl
import pytest
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from bpo_cost import evaluate, udfs
from bpo_cost.case import models
from bpo_cost.case.examples import example_path
from bpo_cost.case.fields import FieldDoc, field_doc, input_doc
from bpo_cost.case.io import case_to_pairs, load_case
from bpo_cost.cli import main
from bpo_cost.excel import functions as excel_functions
from bpo_cost.workbook.inputs import FIRST_INPUT_ROW, inputs_sheet
from bpo_cost.workbook.method import method_sheet

from .strategies import workbook_examples

MODELS = sorted(
    (
        m
        for m in vars(models).values()
        if isinstance(m, type)
        and issubclass(m, BaseModel)
        and m.__module__ == models.__name__
        and m.model_fields  # not the shared base
    ),
    key=lambda m: m.__name__,
)
FIELDS = [(m, name) for m in MODELS for name in m.model_fields]
IDS = [f"{m.__name__}.{name}" for m, name in FIELDS]

PRIVATE_NOTES = re.compile(r"DOMAIN\.md")  # notes users do not have (see test_citations)


def _arms(ann: Any) -> list[Any]:
    """The types a field may hold, Annotated, Optional and list stripped."""
    origin = typing.get_origin(ann)
    if origin is typing.Annotated:
        return _arms(typing.get_args(ann)[0])
    if origin in (typing.Union, types.UnionType):
        return [a for arg in typing.get_args(ann) if arg is not type(None) for a in _arms(arg)]
    if origin is list:
        return _arms(typing.get_args(ann)[0])
    return [ann]


def _holds_a_value(info: FieldInfo) -> bool:
    """A value the Inputs sheet shows (a number, text, date...), not a block of the case."""
    return any(
        not (isinstance(a, type) and issubclass(a, BaseModel)) and typing.get_origin(a) is not dict
        for a in _arms(info.annotation)
    )


def _is_tag(info: FieldInfo) -> bool:
    """The one-value Literal that tells the pricing models apart: a tag, not an assumption."""
    args = typing.get_args(info.annotation)
    return typing.get_origin(info.annotation) is typing.Literal and len(args) == 1


def test_the_models_are_all_found() -> None:
    assert {m.__name__ for m in MODELS} >= {"Case", "InHouse", "Transition", "Tier", "Kpi"}
    assert len(FIELDS) > 90


@pytest.mark.parametrize(("model", "name"), FIELDS, ids=IDS)
def test_every_field_says_what_it_means(model: type[BaseModel], name: str) -> None:
    info = model.model_fields[name]
    assert info.description and info.description.strip() == info.description
    assert not PRIVATE_NOTES.search(info.description)


@pytest.mark.parametrize(("model", "name"), FIELDS, ids=IDS)
def test_every_value_has_a_unit_and_every_default_a_source(
    model: type[BaseModel], name: str
) -> None:
    info = model.model_fields[name]
    extra = info.json_schema_extra
    if not _holds_a_value(info):  # a block of the case (workload, pricing...): no unit of its own
        assert extra is None or "unit" not in extra
        return
    assert isinstance(extra, dict) and set(extra) <= {"unit", "source"}
    unit = extra["unit"]
    assert isinstance(unit, str) and unit
    # the only placeholders are the case currency and the unit of work
    assert unit.format(currency="EUR", unit="claim") == unit.replace("{currency}", "EUR").replace(
        "{unit}", "claim"
    )
    default = None if info.default is PydanticUndefined else info.default
    if info.default_factory is not None:
        default = info.default_factory()  # type: ignore[call-arg]
    needs_source = default not in (None, "") and not _is_tag(info)
    source = extra.get("source", "")
    assert bool(source) == needs_source, f"source {source!r} for default {default!r}"
    assert isinstance(source, str) and not PRIVATE_NOTES.search(source)


def test_field_doc_reads_the_model() -> None:
    assert field_doc(models.InHouse, "shrinkage") == FieldDoc(
        "Share of paid time not worked (breaks, leave, training)",
        "share",
        "shrinkage 20-35 %: docs/methodology.md#staffing",
        0.30,
    )
    assert field_doc(models.InHouse, "wage_per_hour").default is None  # required
    assert field_doc(models.InHouse, "other_roles").unit == ""  # a block


def test_input_doc_puts_in_the_case_currency_and_unit_of_work() -> None:
    case = load_case(example_path("claims_back_office"))
    assert (case.currency, case.workload.unit) == ("USD", "claim")
    assert input_doc(case, "inhouse.wage_per_hour").unit == "USD / hour"
    collar = next(i for i, o in enumerate(case.options) if getattr(o.pricing, "collar", None))
    arc = input_doc(case, f"options.{collar}.pricing.collar.arc")
    assert (arc.unit, arc.description) == (
        "USD / claim",
        "Additional resource charge per unit above the band",
    )
    eur = case.model_copy(update={"currency": "EUR"})
    assert input_doc(eur, f"options.{collar}.pricing.collar.arc").unit == "EUR / claim"


def test_input_doc_of_list_elements_and_keys_without_a_field() -> None:
    case = load_case(example_path("voice_customer_service"))
    month = input_doc(case, "workload.seasonality.11")
    assert (month.default, month.unit, month.source) == (1.0, "factor", "flat (1.0)")
    assert input_doc(case, "options.0.name").default is None  # required
    assert input_doc(case, "uncertainty.inhouse/wage_per_hour.kind") == FieldDoc()
    assert input_doc(case, "inhouse.no_such_field") == FieldDoc()
    assert input_doc(case, "options.99.name") == FieldDoc()


# ------------------------------------------------------------------------------ JSON Schema


def test_the_schema_command_carries_descriptions_units_and_sources(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["schema"]) == 0
    text = capsys.readouterr().out
    schema = json.loads(text)
    assert not PRIVATE_NOTES.search(text)
    assert "{currency}" in schema["description"] and "{unit}" in schema["description"]
    defs = {**schema["$defs"], "Case": schema}
    checked = 0
    for model in MODELS:
        properties = defs[model.__name__]["properties"]
        v1 = {"workload"} if model is models.Case else set()  # v1's one workload, beside workloads
        assert set(properties) == set(model.model_fields) | v1
        for name, info in model.model_fields.items():
            prop = properties[name]
            assert prop["description"] == info.description, f"{model.__name__}.{name}"
            extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
            for key in ("unit", "source"):
                assert prop.get(key) == extra.get(key), f"{model.__name__}.{name} {key}"
            checked += 1
    assert checked == len(FIELDS)
    shrinkage = defs["InHouse"]["properties"]["shrinkage"]
    assert (shrinkage["unit"], shrinkage["default"]) == ("share", 0.3)
    assert shrinkage["source"].startswith("shrinkage 20-35 %")


# ------------------------------------------------------------------------- workbook sheets


def _model_field(case: models.Case, key: str) -> FieldInfo:
    """The pydantic field behind an Inputs key, found by walking the case object."""
    node: Any = case
    parts = key.split(".")
    if parts[-1].isdigit():  # an element of a list of values (seasonality)
        parts = parts[:-1]
    for part in parts[:-1]:
        node = node[int(part)] if part.isdigit() else getattr(node, part)
    return type(node).model_fields[parts[-1]]


@pytest.mark.parametrize("name", workbook_examples())
def test_the_inputs_sheet_shows_the_models_text(name: str) -> None:
    result = evaluate(example_path(name))
    case = result.case
    wb = openpyxl.Workbook()
    ws = inputs_sheet(wb, result)
    rows = list(ws.iter_rows(min_row=FIRST_INPUT_ROW, max_col=6, values_only=True))
    pairs = case_to_pairs(case)
    assert [r[0] for r in rows] == [k for k, _ in pairs]
    for key, _, _, unit, description, source in rows:
        assert not PRIVATE_NOTES.search(str(source))
        if key.startswith("uncertainty."):
            continue
        info = _model_field(case, key)
        extra = info.json_schema_extra
        assert isinstance(extra, dict) and info.description
        assert unit == str(extra["unit"]).replace("{currency}", case.currency).replace(
            "{unit}", case.unit
        )
        assert description.startswith(info.description), key
        if str(source).startswith("Default: "):
            assert source == f"Default: {extra['source']}"


def test_structural_inputs_say_so_on_the_inputs_sheet() -> None:
    wb = openpyxl.Workbook()
    ws = inputs_sheet(wb, evaluate(example_path("claims_back_office")))
    text = {r[0]: r[4] for r in ws.iter_rows(min_row=FIRST_INPUT_ROW, values_only=True)}
    structural = {k for k, v in text.items() if v.endswith("(structural: regenerate)")}
    assert structural == {"term_months"} | {
        k for k in text if re.fullmatch(r"options\.\d+\.pricing\.(model|basis|tier_mode)", k)
    }
    assert text["term_months"] == "Length of the contract term (structural: regenerate)"


def test_an_edited_model_description_reaches_the_inputs_sheet(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(models.InHouse.model_fields["shrinkage"], "description", "Edited once")
    wb = openpyxl.Workbook()
    ws = inputs_sheet(wb, evaluate(example_path("payroll")))
    text = {r[0]: r[4] for r in ws.iter_rows(min_row=FIRST_INPUT_ROW, values_only=True)}
    assert text["inhouse.shrinkage"] == "Edited once"


def test_the_method_sheet_lists_the_models_default_sources() -> None:
    wb = openpyxl.Workbook()
    method_sheet(wb, evaluate(example_path("voice_customer_service")))
    rows = [r for r in wb["Method & sources"].iter_rows(values_only=True) if r[0]]
    start = next(i for i, r in enumerate(rows) if r[0] == "Defaults and Their Sources")
    table = {r[0]: r[1:4] for r in rows[start + 2 :] if "." in str(r[0]) or r[0] == "currency"}
    assert table["inhouse.shrinkage"] == (
        "0.3",
        "shrinkage 20-35 %: docs/methodology.md#staffing",
        "share",
    )
    assert table["options.transition.exit_share_of_annual_spend"][1].startswith("Peukert")
    assert not any(PRIVATE_NOTES.search(str(c)) for r in rows for c in r)


# ------------------------------------------------------------------------- Excel function help


def _arg_docs() -> dict[tuple[str, str], str]:
    """Every ``@arg(name, doc=...)`` of the Excel functions, evaluated as xlwings gets it."""
    source = inspect.getsource(excel_functions)
    docs = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("BPO_"):
            for d in node.decorator_list:
                if isinstance(d, ast.Call) and ast.unparse(d.func) == "arg":
                    doc = next(k.value for k in d.keywords if k.arg == "doc")
                    value = eval(  # the module's own expression, in the module's namespace
                        compile(ast.Expression(doc), "doc", "eval"), vars(excel_functions)
                    )
                    docs[node.name, ast.literal_eval(d.args[0])] = value
    return docs


ARG_DOCS = _arg_docs()

# (function, argument) -> the case field whose meaning the argument takes
FROM_THE_MODEL = {
    ("BPO_FTE", "shrinkage"): (models.InHouse, "shrinkage"),
    ("BPO_FTE", "occupancy"): (models.InHouse, "occupancy"),
    ("BPO_FTE", "paid_hours_per_year"): (models.InHouse, "paid_hours_per_year"),
    ("BPO_ERLANG_AGENTS", "service_level_target"): (models.RealTime, "service_level_target"),
    ("BPO_ERLANG_AGENTS", "answer_seconds"): (models.RealTime, "answer_seconds"),
    ("BPO_ERLANG_AGENTS", "interval_minutes"): (models.RealTime, "interval_minutes"),
    ("BPO_SERVICE_LEVEL", "answer_seconds"): (models.RealTime, "answer_seconds"),
    ("BPO_SERVICE_LEVEL", "interval_minutes"): (models.RealTime, "interval_minutes"),
    **{
        ("BPO_LOADED_COST", name): (models.InHouse, name)
        for name in inspect.signature(udfs.BPO_LOADED_COST).parameters
    },
    ("BPO_HOURLY_FEE", "hourly_rate"): (models.HourlyPricing, "rate"),
    ("BPO_HOURLY_FEE", "minimum_billed"): (models.HourlyPricing, "minimum_billed_per_month"),
    ("BPO_TIERED_FEE", "tier_mode"): (models.PerTransactionPricing, "tier_mode"),
    ("BPO_TIERED_FEE", "minimum_volume"): (
        models.PerTransactionPricing,
        "minimum_volume_per_month",
    ),
    ("BPO_COLLAR_FEE", "base_fee"): (models.Collar, "base_fee_per_month"),
    ("BPO_COLLAR_FEE", "baseline_volume"): (models.Collar, "baseline_volume"),
    ("BPO_COLLAR_FEE", "arc"): (models.Collar, "arc"),
    ("BPO_COLLAR_FEE", "rrc"): (models.Collar, "rrc"),
    ("BPO_COLLAR_FEE", "dead_band"): (models.Collar, "dead_band"),
    ("BPO_OUTCOME_FEE", "price_per_outcome"): (models.OutcomePricing, "price_per_outcome"),
    ("BPO_OUTCOME_FEE", "outcome_rate"): (models.OutcomePricing, "outcome_rate"),
    ("BPO_OUTCOME_FEE", "base_fee"): (models.OutcomePricing, "base_fee_per_month"),
    ("BPO_GAINSHARE", "baseline_cost"): (models.Gainshare, "baseline_cost_per_month"),
    ("BPO_GAINSHARE", "share"): (models.Gainshare, "share"),
    ("BPO_GAINSHARE", "cap"): (models.Gainshare, "cap_per_month"),
    ("BPO_GAINSHARE", "painshare"): (models.Gainshare, "painshare"),
    ("BPO_SERVICE_CREDIT", "expected_breach_share"): (
        models.ServiceCredits,
        "expected_breach_share",
    ),
    ("BPO_SERVICE_CREDIT", "at_risk_share"): (models.ServiceCredits, "at_risk_share"),
    ("BPO_ESCALATE", "cola_per_year"): (models.Escalator, "cola_per_year"),
    ("BPO_ESCALATE", "cap_per_year"): (models.Escalator, "cap_per_year"),
    ("BPO_ESCALATE", "productivity_per_year"): (models.Escalator, "productivity_per_year"),
    ("BPO_FX_FACTOR", "drift_per_year"): (models.ContractCurrency, "drift_per_year"),
    ("BPO_FX_FACTOR", "band"): (models.ContractCurrency, "band"),
    ("BPO_FX_FACTOR", "client_share"): (models.ContractCurrency, "client_share"),
    ("BPO_RATE", "function_id"): (models.Workload, "function"),
}


def test_every_argument_is_documented_within_excels_limit() -> None:
    for name in (n for n in udfs.__all__ if n.startswith("BPO_")):
        for arg in inspect.signature(getattr(udfs, name)).parameters:
            doc = ARG_DOCS[name, arg]
            assert doc and len(doc) <= 255 and "\n" not in doc and "  " not in doc, (name, arg)
            assert doc.endswith(".") and not PRIVATE_NOTES.search(doc)


@pytest.mark.parametrize(
    ("function", "arg"), sorted(FROM_THE_MODEL), ids=[f"{f}.{a}" for f, a in sorted(FROM_THE_MODEL)]
)
def test_an_argument_that_is_a_case_field_takes_the_models_words(function: str, arg: str) -> None:
    model, field = FROM_THE_MODEL[function, arg]
    description = model.model_fields[field].description
    assert description and ARG_DOCS[function, arg].startswith(description)


def _shown(default: Any) -> str:
    if isinstance(default, bool):
        return "TRUE" if default else "FALSE"
    return f"{default:g}" if isinstance(default, float) else str(default)


@pytest.mark.parametrize("function", sorted(n for n in udfs.__all__ if n.startswith("BPO_")))
def test_the_empty_value_an_argument_documents_is_its_default(function: str) -> None:
    for p in inspect.signature(getattr(udfs, function)).parameters.values():
        said = re.search(r"Empty: ([^ ]+?)\.$", ARG_DOCS[function, p.name])
        if p.default is p.empty or p.default is None:
            continue  # required, or a None default documented in words (no cap, as published)
        assert said is not None, (function, p.name)
        assert said.group(1) == _shown(p.default), (function, p.name)
