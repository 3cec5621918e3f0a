"""The retained organisation (#14 item 3): roles loaded like in-house pay, a share of fees.

Golden values are worked out by hand below from the formulas of docs/methodology.md#hidden-costs
(the role of the DESIGN.md case-file sketch: a vendor manager, 2 FTE at 45 an hour).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from bpo_cost import evaluate, sensitivity, simulate
from bpo_cost.case.checks import suspicious_values
from bpo_cost.case.distributions import Uniform
from bpo_cost.case.examples import example_names, example_path
from bpo_cost.case.io import case_to_pairs, parse_case
from bpo_cost.cli import main
from bpo_cost.engine.compile import numeric_inputs
from bpo_cost.rates.cards import load_cards
from tests.test_udfs import excel_rows

from .strategies import bare_case

MANAGER = {"name": "Vendor manager", "fte": 2.0, "wage_per_hour": 45.0}


def retained_case(**retained: Any) -> dict[str, Any]:
    """``bare_case`` over 24 months, 3 % wage inflation, US on-costs, its option ``retained``."""
    case = bare_case(term_months=24, wage_inflation_per_year=0.03)
    case["inhouse"] |= {"benefits_load": 0.25, "payroll_tax": 0.0765}
    case["options"][0]["retained"] = retained
    return case


def test_one_role_month_by_month_against_a_hand_calculation() -> None:
    # 2 FTE x 45 /h x 2080 / 12 h = 15,600 a month of base pay; loaded x (1 + 0.25 + 0.0765)
    # = 20,693.40 in months 1-12; x 1.03 (wage inflation, contract year 2) = 21,314.202 after.
    result = evaluate(retained_case(roles=[MANAGER]))
    got = result.monthly()[("Vendor", "retained.organisation")].to_numpy()
    np.testing.assert_allclose(got[:12], 20_693.40, rtol=1e-12)
    np.testing.assert_allclose(got[12:], 21_314.202, rtol=1e-12)
    share = result.monthly()[("Vendor", "retained.share_of_fees")].to_numpy()
    np.testing.assert_array_equal(share, 0.0)  # no share given


def test_share_of_fees_against_a_hand_calculation() -> None:
    # bare_case fees: 1,000 units x 15 = 15,000 a month; 2 % of that is 300.
    result = evaluate(retained_case(share_of_fees=0.02))
    monthly = result.monthly()
    np.testing.assert_allclose(monthly[("Vendor", "retained.share_of_fees")], 300.0, rtol=1e-12)
    np.testing.assert_array_equal(monthly[("Vendor", "retained.organisation")], 0.0)  # no roles
    tco = result.summary().loc["Vendor", "tco"]
    assert tco == pytest.approx(24 * (15_000 + 300), rel=1e-12)


def test_no_block_no_components_and_the_same_totals() -> None:
    """An option without ``retained`` has no retained components; an empty block costs nothing."""
    without = retained_case()
    del without["options"][0]["retained"]
    plain = evaluate(without)
    assert not any(c.startswith("retained.") for c in plain.components.parts["Vendor"])
    empty = evaluate(retained_case())
    np.testing.assert_array_equal(empty.totals().to_numpy(), plain.totals().to_numpy())


def test_the_organisation_scales_with_fte_and_sums_the_roles() -> None:
    analyst = {"name": "SLA analyst", "fte": 0.5, "wage_per_hour": 30.0}
    both = evaluate(retained_case(roles=[MANAGER, analyst])).monthly()
    # pay 2 x 45 + 0.5 x 30 = 105 an hour against the manager's 90
    ratio = both[("Vendor", "retained.organisation")] / 20_693.40
    np.testing.assert_allclose(ratio.to_numpy()[:12], 105 / 90, rtol=1e-12)


def test_a_rate_card_wage_is_resolved_and_reported() -> None:
    ref = {"card": "wage", "function": "data_entry", "location": "US", "statistic": "typical"}
    result = evaluate(retained_case(roles=[{**MANAGER, "wage_per_hour": ref}]))
    used = [r for r in result.rates_used if r.path == "options.0.retained.roles.0.wage_per_hour"]
    assert len(used) == 1
    month_1 = result.monthly()[("Vendor", "retained.organisation")].iloc[0]
    assert month_1 == pytest.approx(2 * used[0].value * 2080 / 12 * 1.3265, rel=1e-12)


def test_the_fte_and_the_share_vary_in_sensitivity_and_monte_carlo() -> None:
    case = retained_case(roles=[MANAGER], share_of_fees=0.01)
    paths = ["options.0.retained.roles.0.fte", "options.0.retained.share_of_fees"]
    assert set(paths) <= set(numeric_inputs(parse_case(case)))
    table = sensitivity(case, inputs=paths, ranges={paths[0]: (1.0, 3.0)}, metric="tco")
    row = table[(table.owner == "Vendor") & (table.path == paths[0])].iloc[0]
    # one FTE is half the organisation: 20,693.40 x 12 + 21,314.202 x 12 a year, over two FTE
    assert row["high"] - row["low"] == pytest.approx(12 * (20_693.40 + 21_314.202), rel=1e-9)
    sim = simulate(case, n=200, seed=7, uncertainty={paths[0]: Uniform(low=1.0, high=3.0)})
    fte = sim.sampled().iloc[:, 0].to_numpy()
    per_fte = 12 * (20_693.40 + 21_314.202) / 2  # two years of one FTE, from the golden above
    want = 24 * 15_000 * 1.01 + fte * per_fte  # fees + 1 % share + the drawn organisation
    np.testing.assert_allclose(sim.values("tco")[:, 1], want, rtol=1e-9)
    assert np.ptp(sim.values("tco")[:, 0]) == 0  # in-house does not move


def test_case_functions_and_cli_show_the_components(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bpo_cost import udfs

    case = parse_case(retained_case(roles=[MANAGER], share_of_fees=0.01))
    table = udfs.BPO_TCO(excel_rows(case_to_pairs(case)), "Vendor")
    assert table[0][-3:] == ["retained.organisation", "retained.share_of_fees", "total"]
    assert table[1][-3] == pytest.approx(20_693.40, rel=1e-12)
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case.model_dump(mode="json")), encoding="utf-8")
    assert main(["evaluate", str(path), "--csv", str(tmp_path)]) == 0
    rows = (tmp_path / "components.csv").read_text(encoding="utf-8")
    assert "retained.organisation" in rows and "retained.share_of_fees" in rows


@pytest.mark.parametrize("name", example_names())
def test_every_example_option_has_a_retained_organisation_and_no_second_governance(
    name: str,
) -> None:
    """#14 item 7: people on every option, and no governance share or FTE counted beside them."""
    result = evaluate(example_path(name))
    monthly = result.monthly()
    for option in result.case.options:
        assert option.retained is not None and option.retained.roles, option.name
        assert option.transition.governance_share_of_fees == 0.0, option.name
        assert option.transition.governance_fte == 0.0, option.name
        assert monthly[(option.name, "retained.organisation")].min() > 0, option.name
        assert monthly[(option.name, "governance")].max() == 0.0, option.name


def test_a_v1_case_keeps_its_numbers_and_a_retained_block_adds_only_to_its_option() -> None:
    """The voice example as release 0.1.0 had it (tests/baselines) carries no retained block."""
    v1 = Path(__file__).parent / "baselines" / "voice_customer_service" / "case.yaml"
    data = yaml.safe_load(v1.read_text(encoding="utf-8"))
    assert all("retained" not in o for o in data["options"])
    changed = copy.deepcopy(data)
    changed["options"][2]["retained"] = {"roles": [MANAGER]}
    a, b = evaluate(data), evaluate(changed)
    assert b.summary_arrays.tco[0, 3] > a.summary_arrays.tco[0, 3]
    np.testing.assert_array_equal(a.summary_arrays.tco[0, :3], b.summary_arrays.tco[0, :3])


def test_governance_beside_retained_roles_is_flagged_once() -> None:
    """The methodology asks for one of the two: a governance share beside roles is a warning."""
    cards = load_cards()

    def flagged(case: dict[str, Any]) -> list[str]:
        found = suspicious_values(parse_case(case), cards)
        return [f for f in found if "retained" in f]

    case = retained_case(roles=[MANAGER])
    assert flagged(case) == []  # bare_case: governance share 0
    case["options"][0]["transition"]["governance_share_of_fees"] = 0.04
    (found,) = flagged(case)
    assert found.startswith("options.0.transition.governance_share_of_fees = 0.04 beside")
    case["options"][0]["retained"] = {"share_of_fees": 0.02}  # no roles: not the same thing
    assert flagged(case) == []
