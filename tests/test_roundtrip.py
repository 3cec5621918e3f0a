"""A case survives JSON and key/value (Inputs sheet, Excel range) round trips unchanged."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings

from bpo_cost import case_from_pairs, case_to_pairs, example_names, example_path, load_case
from bpo_cost.case.io import parse_case

from .strategies import cases

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(cases())
def test_json_round_trip(data):
    case = parse_case(data)
    assert parse_case(json.loads(case.model_dump_json())) == case


@FAST
@given(cases())
def test_pairs_round_trip_including_explicit_none(data):
    case = parse_case(data)
    assert case_from_pairs(case_to_pairs(case)) == case


def test_no_cap_is_written_as_none_and_read_back():
    case = parse_case(
        {
            **json.loads(load_case(example_path("payroll")).model_dump_json()),
            "options": [
                {
                    **json.loads(load_case(example_path("payroll")).options[0].model_dump_json()),
                    "escalator": {"cola_per_year": 0.03, "cap_per_year": None},
                }
            ],
        }
    )
    pairs = dict(case_to_pairs(case))
    assert pairs["options.0.escalator.cap_per_year"] == "none"
    assert case_from_pairs(pairs.items()).options[0].escalator.cap_per_year is None


def test_examples_round_trip_with_their_uncertainty_blocks():
    for name in example_names():
        case = load_case(example_path(name))
        assert case_from_pairs(case_to_pairs(case)) == case


def test_a_gap_in_list_indices_names_the_list():
    from bpo_cost.errors import InvalidCaseError

    pairs = [*case_to_pairs(load_case(example_path("payroll")))]
    pairs = [(k.replace("options.1.", "options.2."), v) for k, v in pairs]
    try:
        case_from_pairs(pairs)
    except InvalidCaseError as exc:
        assert str(exc) == "options (list indices) must be consecutive from 0: got [0, 2]"
    else:
        raise AssertionError("a gap in the option numbers was accepted")
