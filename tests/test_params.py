"""Typed compiled parameters: every field of the case model has its place, typed for the engine."""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from typing import Any

import numpy as np
import pytest
from pydantic import BaseModel

from bpo_cost.api import resolve_rates
from bpo_cost.case import models
from bpo_cost.case.examples import example_names, example_path
from bpo_cost.case.io import flatten, load_case, parse_case
from bpo_cost.engine import params
from bpo_cost.engine.compile import Compiler, numeric_inputs
from bpo_cost.errors import InputError

from .strategies import bare_case

# Numbers of the case that shape the model, kept as plain numbers (never varied per scenario).
STRUCTURAL = {("Case", "term_months"): int, ("Tier", "up_to"): float}
# What the case has and the engine does not read: the Monte Carlo block; and the reverse.
CASE_ONLY = {("Case", "uncertainty")}
PARAMS_ONLY = {("Params", "n_scenarios")}


def _params_class(model: type[BaseModel]) -> type:
    return params.Params if model is models.Case else getattr(params, model.__name__)


def _strip(ann: Any) -> Any:
    while typing.get_origin(ann) is typing.Annotated:
        ann = typing.get_args(ann)[0]
    return ann


def _model_kind(ann: Any) -> Any:
    """A case-model annotation reduced to what the engine sees of it."""
    ann = _strip(ann)
    origin = typing.get_origin(ann)
    if origin in (typing.Union, types.UnionType):
        args = [_strip(a) for a in typing.get_args(ann) if a is not type(None)]
        if float in args:  # a number, or a rate-card reference to one
            kind: Any = "number"
        elif len(args) > 1:
            kind = ("union", frozenset(_model_kind(a) for a in args))
        else:
            kind = _model_kind(args[0])
        return ("optional", kind) if type(None) in typing.get_args(ann) else kind
    if origin is list:
        item = _model_kind(typing.get_args(ann)[0])
        return "numbers" if item == "number" else ("blocks", item)
    if origin is typing.Literal:
        return ("literal", frozenset(typing.get_args(ann)))
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return ("block", _params_class(ann).__name__)
    if ann in (int, float):
        return "number"
    return ann  # str, bool, dt.date


def _params_kind(hint: Any, structural: type | None) -> Any:
    """A params annotation reduced the same way (arrays hold numbers, tuples hold blocks)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        kind = (
            _params_kind(args[0], structural)
            if len(args) == 1
            else ("union", frozenset(_params_kind(a, None) for a in args))
        )
        return ("optional", kind) if type(None) in typing.get_args(hint) else kind
    if origin is np.ndarray:
        return "number-or-numbers"
    if origin is tuple:
        return ("blocks", _params_kind(typing.get_args(hint)[0], None))
    if origin is typing.Literal:
        return ("literal", frozenset(typing.get_args(hint)))
    if dataclasses.is_dataclass(hint):
        return ("block", hint.__name__)
    if structural is not None and hint is structural:
        return "number"
    return hint


def _model_classes() -> list[type[BaseModel]]:
    """Every model class a Case holds, found by walking its field annotations."""
    found: list[type[BaseModel]] = []

    def visit(ann: Any) -> None:
        if (
            isinstance(ann, type)
            and issubclass(ann, BaseModel)
            and ann not in found
            and ann.__module__ == models.__name__
        ):
            found.append(ann)
            for f in ann.model_fields.values():
                visit(f.annotation)
        for arg in typing.get_args(ann):
            visit(arg)

    visit(models.Case)
    return found


MODEL_CLASSES = _model_classes()


def test_every_block_of_the_case_model_is_found() -> None:
    names = {m.__name__ for m in MODEL_CLASSES}
    assert names == set(models.__all__) - {"FunctionId"}  # FunctionId is a Literal


@pytest.mark.parametrize("model", MODEL_CLASSES, ids=lambda m: m.__name__)
def test_every_field_of_the_case_model_has_its_place_in_the_params(model: type[BaseModel]) -> None:
    block = _params_class(model)
    assert dataclasses.is_dataclass(block)
    assert block.__dataclass_params__.frozen  # type: ignore[attr-defined]
    hints = typing.get_type_hints(block)
    case_fields = {n for n in model.model_fields if (model.__name__, n) not in CASE_ONLY}
    param_fields = {n for n in hints if (block.__name__, n) not in PARAMS_ONLY}
    assert [n for n in model.model_fields if n in case_fields] == [
        f.name for f in dataclasses.fields(block) if f.name in param_fields
    ], "same fields, in the same order"
    for name in case_fields:
        want = _model_kind(model.model_fields[name].annotation)
        got = _params_kind(hints[name], STRUCTURAL.get((model.__name__, name)))
        assert _same(want, got), f"{model.__name__}.{name}: the case has {want}, params {got}"


def _same(want: Any, got: Any) -> bool:
    if got == "number-or-numbers":  # an array: a number (1 or n, 1) or numbers (1 or n, k)
        return want in ("number", "numbers")
    if isinstance(want, tuple) and isinstance(got, tuple) and want[0] == got[0] == "optional":
        return _same(want[1], got[1])
    return bool(want == got)


def test_the_structural_numbers_are_the_ones_no_batch_may_vary() -> None:
    case, _ = resolve_rates(load_case(example_path("claims_back_office")))
    allowed = numeric_inputs(case)
    assert "term_months" not in allowed
    assert not [p for p in allowed if p.endswith(".up_to")]


def _old_numeric_inputs(case: models.Case) -> dict[str, float]:
    # the definition numeric_inputs had before the params were typed: every number of the
    # case's data but the term and the tier bounds, in case order
    return {
        path: float(v)
        for path, v in flatten(case.model_dump(mode="python"))
        if isinstance(v, (int, float))
        and not isinstance(v, bool)
        and path != "term_months"
        and not path.endswith(".up_to")
    }


@pytest.mark.parametrize("name", example_names())
def test_numeric_inputs_are_every_number_of_the_case(name: str) -> None:
    case, _ = resolve_rates(load_case(example_path(name)))
    got = numeric_inputs(case)
    assert list(got.items()) == list(_old_numeric_inputs(case).items())


def _check(value: Any, hint: Any, where: str, n: int) -> None:
    """``value`` is what ``hint`` says, arrays shaped (1 or n, k) and numbers read-only."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(hint)
        if value is None:
            assert type(None) in args, where
            return
        matching = [a for a in args if a is not type(None) and _matches(value, a)]
        assert len(matching) == 1, where
        _check(value, matching[0], where, n)
    elif origin is np.ndarray:
        assert isinstance(value, np.ndarray) and value.dtype == np.float64, where
        assert value.ndim == 2 and value.shape[0] in (1, n), where
    elif origin is tuple:
        assert isinstance(value, tuple), where
        for i, item in enumerate(value):
            _check(item, typing.get_args(hint)[0], f"{where}.{i}", n)
    elif origin is typing.Literal:
        assert value in typing.get_args(hint), where
    elif dataclasses.is_dataclass(hint):
        assert type(value) is hint, where
        for f_name, f_hint in typing.get_type_hints(hint).items():
            _check(getattr(value, f_name), f_hint, f"{where}.{f_name}", n)
    else:
        assert type(value) is hint, f"{where}: {type(value).__name__} is not {hint}"


def _matches(value: Any, hint: Any) -> bool:
    origin = typing.get_origin(hint)
    if origin is np.ndarray:
        return isinstance(value, np.ndarray)
    if origin is tuple:
        return isinstance(value, tuple)
    if origin is typing.Literal:
        return value in typing.get_args(hint)
    return isinstance(value, hint)


@pytest.mark.parametrize("name", example_names())
def test_compiled_examples_have_the_declared_types(name: str) -> None:
    case, _ = resolve_rates(load_case(example_path(name)))
    compiler = Compiler(case)
    p = compiler()
    _check(p, params.Params, "params", 1)
    for a in _arrays(p):
        assert a.shape[0] == 1 and not a.flags.writeable
    some = dict(list(compiler.allowed.items())[::7])
    varied = compiler({k: [v, v * 0.9, v * 1.1] for k, v in some.items()})
    _check(varied, params.Params, "params", 3)
    assert varied.n_scenarios == 3


def _arrays(node: Any) -> list[np.ndarray]:
    if isinstance(node, np.ndarray):
        return [node]
    if isinstance(node, tuple):
        return [a for item in node for a in _arrays(item)]
    if dataclasses.is_dataclass(node):
        return [a for f in dataclasses.fields(node) for a in _arrays(getattr(node, f.name))]
    return []


def test_an_override_copies_only_the_blocks_on_its_path() -> None:
    case, _ = resolve_rates(load_case(example_path("claims_back_office")))
    c = Compiler(case)
    base = c.base
    p = c({"options.1.transition.ramp_months": [3.0, 4.0]})
    assert p.options[1].transition.ramp_months.tolist() == [[3.0], [4.0]]
    assert p.options[1] is not base.options[1]
    assert p.options[1].transition is not base.options[1].transition
    assert p.options[1].pricing is base.options[1].pricing  # off the path: shared
    assert p.options[0] is base.options[0]
    assert p.workload is base.workload and p.inhouse is base.inhouse
    assert base.options[1].transition.ramp_months.tolist() == [[6.0]]  # the base is untouched


def test_blocks_are_frozen() -> None:
    p = Compiler(parse_case(bare_case()))()
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.workload.volume_per_month = np.ones((1, 1))  # type: ignore[misc]


def test_a_rate_card_reference_must_be_resolved_first() -> None:
    ref = {"card": "wage", "function": "data_entry", "location": "US", "statistic": "typical"}
    case = parse_case(bare_case(inhouse={**bare_case()["inhouse"], "wage_per_hour": ref}))
    with pytest.raises(InputError, match="resolve rate-card references first") as err:
        Compiler(case)
    assert err.value.field == "inhouse.wage_per_hour"


def test_dates_and_text_stay_as_the_case_has_them() -> None:
    p = Compiler(parse_case(bare_case()))()
    assert p.start == dt.date(2027, 1, 1) and p.options[0].name == "Vendor"
    assert p.term_months == 12 and type(p.term_months) is int
