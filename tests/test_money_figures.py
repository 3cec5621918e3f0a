"""Issue #15, timing conventions and figures a CFO can trust: discounting at the end, middle or
start of the month, payback within half a cent, and an IRR flagged when it says nothing.

Goldens are hand calculations, worked in the comments; the engine is fed hand-built monthly
streams (``Components``) so nothing else can move them.
"""

from __future__ import annotations

import copy
import json
import math

import numpy as np
import pytest
import yaml

from bpo_cost import evaluate, example_path, load_case
from bpo_cost.cli import main
from bpo_cost.core.finance import PAYBACK_TOLERANCE
from bpo_cost.engine.run import Components, irr_caveat, summarize
from bpo_cost.errors import BpoCostError

# 1 % a month exactly: (1 + a)^(1/12) - 1 = 0.01 for a = 1.01^12 - 1
ANNUAL = 1.01**12 - 1


def _summary(savings: list[float], discounting: str = "end_of_month") -> tuple[float, ...]:
    """(NPV of in-house cost, payback, annual IRR, investment share) of an option saving
    ``savings`` each month: in-house costs nothing, the option costs -savings."""
    months = len(savings)
    c = Components(
        np.ones((1, months)),
        {
            "inhouse": {"x": np.zeros((1, months))},
            "option": {"x": -np.asarray([savings], dtype=float)},
        },
    )
    s = summarize(c, ANNUAL, discounting)  # type: ignore[arg-type]
    return (
        float(s.npv_cost[0, 1]),
        float(s.payback_month[0, 1]),
        float(s.irr[0, 1]),
        float(s.investment_share[0, 1]),
    )


# Hand: a cost of 100 in each of months 1-3 at 1 % a month, -NPV of savings = NPV of cost.
#   end of month (Excel's NPV(1%,100,100,100)): 100 x (1/1.01 + 1/1.01^2 + 1/1.01^3)
#     = 100 x (0.9900990 + 0.9802960 + 0.9705901) = 294.0985
#   mid-month: each discounted half a month less: 294.0985 x 1.01^0.5 = 295.5654
#   start of month: 100 x (1 + 1/1.01 + 1/1.01^2) = 297.0395
@pytest.mark.parametrize(
    ("discounting", "golden"),
    [("end_of_month", 294.0985), ("mid_month", 295.5654), ("start_of_month", 297.0395)],
)
def test_npv_under_each_timing_convention_matches_the_hand_calculation(
    discounting: str, golden: float
) -> None:
    npv_cost, *_ = _summary([-100.0, -100.0, -100.0], discounting)
    assert npv_cost == pytest.approx(golden, abs=5e-5)


def test_timing_moves_only_the_npvs_and_by_exactly_the_shift() -> None:
    case = load_case(example_path("claims_back_office")).model_dump(mode="json")
    end = evaluate(case)
    assert end.case.discounting == "end_of_month"  # the default: Excel's NPV, numbers unchanged
    i = (1 + case["discount_rate_annual"]) ** (1 / 12) - 1
    for discounting, shift in (("mid_month", 0.5), ("start_of_month", 1.0)):
        other = evaluate(case | {"discounting": discounting})
        a, b = end.summary_arrays, other.summary_arrays
        np.testing.assert_allclose(b.npv_cost, a.npv_cost * (1 + i) ** shift, rtol=1e-12)
        np.testing.assert_allclose(b.npv_savings, a.npv_savings * (1 + i) ** shift, rtol=1e-12)
        for same in ("tco", "savings", "payback_month", "irr", "investment_share"):
            np.testing.assert_array_equal(getattr(b, same), getattr(a, same))
        assert other.to_dict()["discounting"] == discounting


def test_an_unknown_timing_convention_is_refused_naming_the_field() -> None:
    case = load_case(example_path("payroll")).model_dump(mode="json")
    with pytest.raises(BpoCostError, match=r"discounting .*end_of_month.*got 'monthly'"):
        evaluate(case | {"discounting": "monthly"})


def test_payback_at_exact_break_even_is_stable_under_rounding() -> None:
    # Invest 300.30, save 100.10 a month: in exact arithmetic cumulative savings are 0 in
    # month 4, so payback is month 4. In doubles the sum is -2.8e-14, not 0.
    stream = [-300.3, 100.1, 100.1, 100.1, 100.1]
    assert -1e-9 < np.cumsum(stream)[3] < 0.0  # the case the tolerance exists for
    assert _summary(stream)[1] == 4.0
    # the same break-even that rounds the other way: 0.3 = 0.1 x 3 sums to +2.8e-17
    assert 0.0 < np.cumsum([-0.3, 0.1, 0.1, 0.1])[3] < 1e-9
    assert _summary([-0.3, 0.1, 0.1, 0.1, 0.1])[1] == 4.0


def test_a_real_shortfall_of_a_cent_is_not_forgiven() -> None:
    # short by 0.01 in month 4 (> half a cent): payback waits for month 5
    assert PAYBACK_TOLERANCE == 0.005
    assert _summary([-300.31, 100.1, 100.1, 100.1, 0.02])[1] == 5.0


def test_quick_payback_with_a_real_investment_flags_the_payback_and_the_rate() -> None:
    # Invest 1,000 in month 1, save 500 in months 2-12: cumulative -1000, -500, 0 -> month 3.
    # Investment share 1000 / (11 x 500) = 0.1818 (not under 1 %). The monthly IRR solves
    # 1000 = 500 x (annuity factor of 11 months): factor 2 -> r ~ 49.9 %, far above 100 % a year.
    _, payback, rate, share = _summary([-1000.0] + [500.0] * 11)
    assert payback == 3.0
    assert share == pytest.approx(1000 / 5500, rel=1e-12)
    assert rate > 100.0
    assert irr_caveat(rate, payback, share, 4500.0) == "payback in month 3, IRR above 100% a year"


def test_no_real_investment_phase_gives_every_reason() -> None:
    # 5 up front against 11 x 1,000 of savings: share 5 / 11000 = 0.045 %, payback month 2
    _, payback, rate, share = _summary([-5.0] + [1000.0] * 11)
    assert (payback, share) == (2.0, pytest.approx(5 / 11000, rel=1e-12))
    assert irr_caveat(rate, payback, share, 10_995.0) == (
        "payback in month 2, up-front cost under 1% of savings, IRR above 100% a year"
    )


def test_a_real_investment_keeps_its_irr() -> None:
    # Invest 10,000, save 500 a month for 35 months: payback month 21 (-10000 + 20 x 500 = 0),
    # share 10000 / 17500; IRR: the annuity factor of 35 months at r is 20 -> r = 3.50 % a
    # month (tables: factor 20.00 at 3.5 %), 1.035^12 - 1 = 51.1 % a year: below the ceiling.
    _, payback, rate, share = _summary([-10_000.0] + [500.0] * 35)
    assert payback == 21.0
    assert share == pytest.approx(10_000 / 17_500, rel=1e-12)
    monthly = (1 + rate) ** (1 / 12) - 1
    annuity = (1 - (1 + monthly) ** -35) / monthly
    assert annuity == pytest.approx(20.0, rel=1e-9)
    assert rate == pytest.approx(1.035**12 - 1, abs=2e-3)
    assert irr_caveat(rate, payback, share, 7_500.0) is None


def test_no_irr_has_no_note() -> None:
    assert irr_caveat(math.nan, 1.0, 0.0, 100.0) is None


def test_json_gives_the_number_and_the_flag(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(example_path("claims_back_office")), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["discounting"] == "end_of_month"
    flagged = 0
    for o in out["options"]:
        if o["irr"] is not None and o["irr"] > 1.0:
            flagged += 1
            assert o["irr_meaningful"] is False
            assert "IRR above 100% a year" in o["irr_note"]
        else:
            assert o["irr_meaningful"] is (o["irr"] is not None and o["irr_note"] is None)
    assert flagged  # the example has offshore options with IRRs of several hundred percent


def test_cli_shows_the_convention_the_reason_and_npv_against_npv(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = str(example_path("claims_back_office"))
    assert main(["evaluate", path, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert main(["evaluate", path, "--wide"]) == 0
    text = capsys.readouterr().out
    assert "discounted end of month" in text
    assert "IRR above 100% a year" in text
    best = min(out["options"], key=lambda o: o["npv_cost"])
    share = best["npv_savings"] / out["inhouse"]["npv_cost"]
    assert f"({share:.1%} of in-house NPV of cost)" in text
    assert "of in-house TCO" not in text


def test_monte_carlo_discounts_as_the_case_says() -> None:
    # the simulation's own evaluation of the case as written (its base) is evaluate's, bit for
    # bit, under the case's timing convention (not Excel's end of month)
    from bpo_cost.analysis import simulate

    case = load_case(example_path("claims_back_office")).model_dump(mode="json")
    case |= {"discounting": "start_of_month"}
    wage = case["inhouse"]["wage_per_hour"]
    case["uncertainty"] = {
        "inhouse.wage_per_hour": {"kind": "uniform", "low": wage - 1, "high": wage + 1}
    }
    sim = simulate(case, n=8, seed=1, workers=1)
    want = evaluate(case).summary_arrays.npv_cost[0]
    np.testing.assert_array_equal(sim.base("npv_cost"), want)
    end = evaluate(case | {"discounting": "end_of_month"}).summary_arrays.npv_cost[0]
    assert not np.allclose(want, end, rtol=1e-6)  # the convention did move the figure


def test_an_irr_of_the_other_sign_than_the_savings_is_flagged() -> None:
    # Savings of 238,861 over the term with an IRR of -30.9 % a year: one of two roots.
    assert irr_caveat(-0.309, 19.0, 0.4, 238_861.0) == (
        "IRR and savings of opposite sign: another rate fits too"
    )
    assert irr_caveat(0.25, 19.0, 0.4, 238_861.0) is None
    assert irr_caveat(-0.05, 19.0, 0.4, -1_000.0) is None  # loses money, and says so


def test_a_terminated_option_whose_irr_is_the_wrong_root_is_flagged() -> None:
    # The UK example's Indian option ended at month 36 (fee 300,000 then, rehiring, the ramp):
    # the savings invest, save, then turn negative again, so the stream has two rates. The
    # NPV of the savings at 0 % is their sum (> 0) and at 5 % a month below 0 (the early
    # shortfall weighs most), so a positive monthly rate fits; Newton from Excel's guess finds
    # a negative one. Neither is the option's return: the note says so.
    case = yaml.safe_load(example_path("uk_insurer_contact_centre").read_text(encoding="utf-8"))
    ended = copy.deepcopy(next(o for o in case["options"] if o["name"] == "Offshore IN"))
    ended["name"] = "Ends 36"
    ended["termination"] = {"month": 36, "fees": [{"up_to_month": 36, "amount": 300_000.0}]}
    case["options"] = [ended]
    case.pop("uncertainty", None)  # it names the options this case leaves out
    result = evaluate(case)
    flows = result.components.total("inhouse")[0] - result.components.total("Ends 36")[0]
    month = np.arange(1, flows.size + 1)
    assert flows.sum() > 0 and (flows / 1.05**month).sum() < 0  # a positive root in (0, 5 %)
    irr_annual = float(result.summary_arrays.irr[0, 1])
    assert irr_annual < 0
    assert result.irr_note(1) == "IRR and savings of opposite sign: another rate fits too"
