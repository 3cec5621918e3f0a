"""Input paths: one grammar for overrides, uncertainty keys, key/value pairs and labels."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given

from bpo_cost.api import resolve_rates
from bpo_cost.case.examples import example_names, example_path
from bpo_cost.case.io import case_from_pairs, case_to_pairs, load_case, parse_case
from bpo_cost.case.paths import (
    Name,
    canonical_path,
    format_path,
    from_slashes,
    generic_key,
    parse_path,
    path_label,
    to_slashes,
    value_at,
)
from bpo_cost.engine.compile import numeric_inputs
from bpo_cost.errors import InputError, InvalidCaseError

from .strategies import bare_case, path_steps, path_texts

# ------------------------------------------------------------------------- parse and format


@pytest.mark.parametrize(
    ("path", "steps"),
    [
        ("workload.volume_per_month", ("workload", "volume_per_month")),
        ("workload.seasonality.3", ("workload", "seasonality", 3)),
        ("options.1.pricing.rate", ("options", 1, "pricing", "rate")),
        ("options[Offshore PH].pricing.rate", ("options", Name("Offshore PH"), "pricing", "rate")),
        ("options[Nearshore MX v1.2].pricing", ("options", Name("Nearshore MX v1.2"), "pricing")),
        ("options[2].pricing.rate", ("options", 2, "pricing", "rate")),  # [2] means .2
        (
            "inhouse.other_roles[QA lead].headcount",
            ("inhouse", "other_roles", Name("QA lead"), "headcount"),
        ),
        ("options.0[A]", ("options", 0, Name("A"))),
        (
            "uncertainty.options/1/pricing/rate.low",
            ("uncertainty", "options/1/pricing/rate", "low"),
        ),
        ("a.٣", ("a", "٣")),  # only ASCII digits make an index
    ],
    ids=[
        "field",
        "list number",
        "option by index",
        "option by name",
        "name with dots",
        "index in brackets",
        "role by name",
        "name after index",
        "pair key of an uncertainty input",
        "arabic digit is a key",
    ],
)
def test_parse(path: str, steps: tuple[Any, ...]) -> None:
    assert parse_path(path) == steps


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("", "dotted keys"),
        ("options[A.1", "balanced [name] brackets"),
        ("options[A.1]x", "dotted keys"),
        ("options[A][B]", "dotted keys"),
        ("options[]", "dotted keys"),
        ("[A].rate", "dotted keys"),
        ("workload..volume", "dotted keys"),
        ("workload.", "dotted keys"),
        (".workload", "dotted keys"),
        ("work]load", "dotted keys"),
        ("options.01.pricing", "without leading zeros"),
    ],
    ids=[
        "empty",
        "unclosed bracket",
        "text after bracket",
        "two names",
        "empty name",
        "name first",
        "empty key",
        "trailing dot",
        "leading dot",
        "stray bracket",
        "leading zero",
    ],
)
def test_bad_paths_say_what_is_allowed(path: str, allowed: str) -> None:
    with pytest.raises(InputError) as err:
        parse_path(path)
    assert err.value.field == "path" and err.value.value == path
    assert allowed in err.value.allowed


@pytest.mark.parametrize(
    "steps",
    [
        [],
        [Name("A"), "rate"],
        ["options", Name("A"), Name("B")],
        ["options", Name("x]y")],
        ["options", Name("12")],
        ["a.b"],
        ["7"],
        [""],
        ["options", -1],
        ["options", True],
    ],
    ids=[
        "nothing",
        "name first",
        "two names",
        "bracket in name",
        "digits as name",
        "dot in key",
        "digits as key",
        "empty key",
        "negative index",
        "bool",
    ],
)
def test_steps_that_would_not_read_back_are_refused(steps: list[Any]) -> None:
    with pytest.raises(InputError):
        format_path(steps)


@given(path_steps())
def test_steps_round_trip(steps: list[Any]) -> None:
    assert parse_path(format_path(steps)) == tuple(steps)


@given(path_texts)
def test_paths_round_trip(path: str) -> None:
    assert format_path(parse_path(path)) == path


def test_brackets_around_an_index_are_written_as_a_dotted_index() -> None:
    assert format_path(parse_path("options[2].pricing.rate")) == "options.2.pricing.rate"


# ------------------------------------------------------------------- generic keys, slashes


def _old_generic_key(key: str) -> str:
    # the regex generic_key had before the grammar had one home
    return re.sub(r"\.\d+(?=\.|$)", "", key)


@pytest.mark.parametrize("name", example_names())
def test_generic_key_of_every_pair_key_is_as_before(name: str) -> None:
    for key, _ in case_to_pairs(load_case(example_path(name))):
        assert generic_key(key) == _old_generic_key(key)


@pytest.mark.parametrize(
    ("key", "generic"),
    [
        ("options.1.pricing.tiers.0.price", "options.pricing.tiers.price"),
        ("options[Offshore PH].pricing.rate", "options.pricing.rate"),
        ("workload.seasonality.11", "workload.seasonality"),
        ("Inputs (edit the values)", "Inputs (edit the values)"),
        ("uncertainty.options[A/1]/pricing/rate.low", "uncertainty.options[A/1]/pricing/rate.low"),
        ("", ""),
    ],
    ids=["indices", "name", "last index", "a heading", "pair key with a name", "empty"],
)
def test_generic_key(key: str, generic: str) -> None:
    assert generic_key(key) == generic


@given(path_texts.filter(lambda p: "/" not in p))
def test_slashes_round_trip(path: str) -> None:
    written = to_slashes(path)
    assert "." not in written and from_slashes(written) == path


def test_a_name_with_a_slash_cannot_be_an_uncertainty_key() -> None:
    with pytest.raises(InputError, match="without '/'"):
        to_slashes("inhouse.other_roles[QA/Trainer].headcount")
    case = bare_case(
        inhouse={
            **bare_case()["inhouse"],
            "other_roles": [{"name": "QA/Trainer", "headcount": 2, "wage_per_hour": 30.0}],
        },
        uncertainty={
            "inhouse.other_roles[QA/Trainer].headcount": {"kind": "uniform", "low": 1, "high": 3}
        },
    )
    with pytest.raises(InvalidCaseError, match="without '/'"):
        parse_case(case)
    case["uncertainty"] = {
        "inhouse.other_roles.0.headcount": {"kind": "uniform", "low": 1, "high": 3}
    }
    parse_case(case)  # by index it can


def test_uncertainty_keys_with_dotted_names_survive_the_pairs() -> None:
    data = bare_case(
        uncertainty={
            "options[Vendor].pricing.price": {
                "kind": "uniform",
                "low": 14,
                "high": 16,
                "rank_correlation": {"workload.volume_per_month": 0.5},
            },
            "workload.volume_per_month": {"kind": "uniform", "low": 900, "high": 1100},
        }
    )
    data["options"][0]["name"] = "Vendor v1.2"
    data["uncertainty"]["options[Vendor v1.2].pricing.price"] = data["uncertainty"].pop(
        "options[Vendor].pricing.price"
    )
    case = parse_case(data)
    pairs = case_to_pairs(case)
    keys = [k for k, _ in pairs if k.startswith("uncertainty.")]
    assert "uncertainty.options[Vendor v1/2]/pricing/price.low" in keys
    assert (
        "uncertainty.options[Vendor v1/2]/pricing/price.rank_correlation.workload/volume_per_month"
        in keys
    )
    assert case_from_pairs(pairs).uncertainty == case.uncertainty


# ------------------------------------------------------------------------- paths in a tree

TREE = {
    "options": [
        {"name": "A.1", "pricing": {"rate": 1.0}},
        {"name": "x]y", "pricing": {"rate": 2.0}},
        {"name": "2", "pricing": {"rate": 3.0}},
    ],
    "workload": {"seasonality": [1.0, 0.5]},
}


@pytest.mark.parametrize(
    ("path", "canonical", "label"),
    [
        ("options[A.1].pricing.rate", "options.0.pricing.rate", "options[A.1].pricing.rate"),
        ("options.1.pricing.rate", "options.1.pricing.rate", "options.1.pricing.rate"),
        ("options[2].pricing.rate", "options.2.pricing.rate", "options.2.pricing.rate"),
        ("workload.seasonality.1", "workload.seasonality.1", "workload.seasonality.1"),
    ],
    ids=["by name", "name with ] keeps its index", "digits name keeps its index", "list number"],
)
def test_canonical_path_and_label(path: str, canonical: str, label: str) -> None:
    assert canonical_path(TREE, path) == canonical
    assert path_label(TREE, canonical) == label
    assert canonical_path(TREE, label) == canonical


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("options[B].pricing.rate", "a name under options: one of ['A.1', 'x]y', '2']"),
        ("options.3.pricing.rate", "a valid index at options (0..2)"),
        ("options.first.pricing", "a valid index at options (0..2)"),
        ("options.0.price", "the path of a field in the case (no 'price' under options.0)"),
        ("workload[A].seasonality", "a name under workload: one of []"),
        ("volume", "the path of a field in the case"),
        ("options[A.1", "balanced [name] brackets"),
        ("options[A.1]x", "dotted keys, e.g. options[Offshore PH].pricing.rate"),
    ],
    ids=[
        "unknown name",
        "index too big",
        "key on a list",
        "unknown field",
        "name on a mapping",
        "unknown top field",
        "unclosed",
        "junk",
    ],
)
def test_canonical_path_says_where_it_leaves_the_tree(path: str, allowed: str) -> None:
    with pytest.raises(InputError) as err:
        canonical_path(TREE, path)
    assert err.value.allowed == allowed


@pytest.mark.parametrize("name", example_names())
def test_every_input_of_the_examples_reads_back_from_its_label(name: str) -> None:
    case, _ = resolve_rates(load_case(example_path(name)))
    tree = case.model_dump(mode="python")
    named = 0
    for path, value in numeric_inputs(case).items():
        label = path_label(tree, path)
        named += "[" in label
        assert canonical_path(tree, label) == path
        assert value_at(tree, path) == value
    assert named > 0  # every example has options, which have names
