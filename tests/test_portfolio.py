"""Portfolios: loading and its errors, evaluation, constrained choice, portfolio Monte Carlo, Dask,
the command and the workbook."""

from __future__ import annotations

import ctypes
import itertools
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import bpo_cost
from bpo_cost import evaluate, example_path
from bpo_cost.analysis import choice as choice_module
from bpo_cost.analysis.choice import DEFAULT_GAP, ChoiceTable, choose
from bpo_cost.analysis.portfolio import evaluate_portfolio
from bpo_cost.case.examples import portfolio_example_path
from bpo_cost.case.portfolio import Constraints, load_portfolio
from bpo_cost.cli import main
from bpo_cost.core.text import title_case
from bpo_cost.errors import InputError, NoSolutionError
from bpo_cost.workbook.portfolio import write_portfolio_workbook

CLAIMS = example_path("claims_back_office")
PAYROLL = example_path("payroll")


def _portfolio(*functions: tuple[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "name": "Test portfolio",
        "functions": [{"name": n, "case": str(c)} for n, c in functions],
        **extra,
    }


# ------------------------------------------------------------------------------------ loading


def test_the_insurer_example_has_at_least_12_functions_from_the_rate_cards():
    text = portfolio_example_path().read_text(encoding="utf-8")
    loaded = load_portfolio(portfolio_example_path())
    assert len(loaded.cases) >= 12
    assert text.count("card: wage") >= 12  # every in-house wage from the rate card
    assert loaded.portfolio.uncertainty  # shared uncertainty
    families = {c.workload.function for c in loaded.cases.values()}
    assert {"it_help_desk", "payroll", "accounts_payable", "customer_service_voice"} <= families


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (
            _portfolio(("claims", "no_such_case.yaml")),
            ["functions[claims].case", "no_such_case.yaml", "existing case file"],
        ),
        (
            _portfolio(("claims", CLAIMS), ("Claims", PAYROLL)),
            ["functions", "two functions named", "unique"],
        ),
        (
            _portfolio(("claims", CLAIMS), currency="EUR"),
            ["functions[claims].case.currency", "USD", "exchange_rates"],
        ),
        (
            _portfolio(("claims", CLAIMS), constraints={"must_stay_inhouse": ["claim"]}),
            ["constraints.must_stay_inhouse", "'claim'", "not a function"],
        ),
        (
            _portfolio(("claims", CLAIMS), discount_rate_annual=5),
            ["discount_rate_annual", "less than or equal to 2", "5"],
        ),
        (
            _portfolio(("claims", CLAIMS), uncertainty={"volume": {"kind": "uniform", "low": 0}}),
            ["uncertainty"],
        ),
        (
            _portfolio(("claims", {"name": "x", "term_months": 500})),
            ["functions[claims].case"],
        ),
    ],
    ids=[
        "missing-case-file",
        "duplicate-names",
        "currency-without-rate",
        "unknown-function",
        "shared-rate-out-of-range",
        "not-a-shared-driver",
        "bad-inline-case",
    ],
)
def test_bad_portfolios_name_the_function_and_the_field(data, words):
    with pytest.raises(InputError) as exc:
        load_portfolio(data)
    for word in words:
        assert word in str(exc.value)


def test_shared_assumptions_replace_the_cases_and_exchange_rates_convert():
    data = _portfolio(
        ("claims", CLAIMS),
        currency="EUR",
        exchange_rates={"USD": 0.5},
        discount_rate_annual=0.1,
    )
    loaded = load_portfolio(data)
    assert loaded.cases["claims"].discount_rate_annual == 0.1
    result = evaluate_portfolio(loaded)
    case = loaded.cases["claims"]
    alone = evaluate(case).summary()
    f = result.functions[0]
    # money is linear in the currency: the portfolio's figures are the case's times the rate
    np.testing.assert_allclose(f.npv_savings, 0.5 * alone["npv_savings"].to_numpy(), rtol=1e-15)


# --------------------------------------------------------------------------------- evaluation


def test_a_one_function_portfolio_equals_the_case():
    result = bpo_cost.portfolio(_portfolio(("claims", CLAIMS)))
    alone = evaluate(CLAIMS)
    s = alone.summary()
    figures = result.figures().loc["claims"]
    for metric in ("tco", "npv_cost", "npv_savings", "savings"):
        assert figures[metric].to_numpy().tolist() == s[metric].to_numpy().tolist()
    best = str(s["npv_savings"].idxmax())
    plan = result.best_plan()
    assert plan == {"claims": best if s["npv_savings"].max() > 0 else "inhouse"}
    monthly = result.monthly()
    assert monthly["cost"].to_numpy().tolist() == alone.totals()[best].to_numpy().tolist()
    assert monthly["inhouse_cost"].sum() == pytest.approx(s.loc["inhouse", "tco"], rel=1e-12)
    assert result.totals()["npv_savings"] == s.loc[best, "npv_savings"]


def test_a_function_of_several_workloads_moves_its_whole_team():
    multi = example_path("contact_centre_multichannel")
    result = evaluate_portfolio(_portfolio(("contact_centre", multi)))
    alone = evaluate(multi)
    staff = alone.staffing(wide=True)
    team = staff[("inhouse", "all", "paid_fte")] + staff[("inhouse", "all", "supervisors")]
    f = result.functions[0]
    for j, option in enumerate(alone.case.options, start=1):
        month = max(option.transition.parallel_run_months, 1)
        assert f.headcount_moved[j] == pytest.approx(team.iloc[month - 1], rel=1e-12)
    assert result.totals()["npv_savings"] == alone.summary()["npv_savings"].max()


def test_programme_totals_add_up_and_serialise():
    result = evaluate_portfolio(portfolio_example_path())
    plan = result.best_plan()
    rows = result.plan_figures(plan)
    monthly = result.monthly(plan)
    assert monthly["savings"].sum() == pytest.approx(rows["savings"].sum(), rel=1e-12)
    assert monthly["transition_spend"].sum() == pytest.approx(
        rows["transition_spend"].sum(), rel=1e-12
    )
    assert monthly["headcount_moved"].sum() == pytest.approx(rows["headcount_moved"].sum())
    assert result.spend_by("provider")["share"].sum() == pytest.approx(1.0)
    assert result.spend_by("location")["vendor_spend"].sum() == pytest.approx(
        rows["vendor_spend"].sum()
    )
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert len(data["functions"]) == len(result.functions)
    assert data["totals"]["npv_savings"] == pytest.approx(rows["npv_savings"].sum())


def test_headcount_moved_is_the_inhouse_team_at_the_handover():
    result = evaluate_portfolio(_portfolio(("payroll", PAYROLL)))
    f = result.functions[0]
    assert f.headcount_moved[0] == 0
    # payroll: 10,000 payslips x 4.95 min = 825 h a month (x seasonality, 1.0 in months 2-11)
    # / (2080/12 x 0.78 x 0.8 = 108.2 h) = 7.6 agent FTE, plus supervisors at a span of 8 (0.95):
    # about 8.6 people, moved after the parallel run
    assert 7 < f.headcount_moved[1] < 10
    assert f.handover_month.tolist() == [0.0, 3.0, 2.0]


# ----------------------------------------------------------------------- constrained choice


def _brute_force(t: ChoiceTable, c: Constraints) -> float | None:
    """The best feasible value by enumerating every plan (written without the solver)."""
    best = None
    for combo in itertools.product(*[range(len(o)) for o in t.owners]):
        if _violations(t, c, combo):
            continue
        value = sum(float(t.value[i][j]) for i, j in enumerate(combo))
        best = value if best is None else max(best, value)
    return best


def _violations(t: ChoiceTable, c: Constraints, combo: Sequence[int]) -> list[str]:
    bad = []
    picked = list(enumerate(combo))
    spend = {}
    total = 0.0
    for i, j in picked:
        if j:
            spend[t.providers[i][j]] = spend.get(t.providers[i][j], 0.0) + t.spend[i][j]
            total += t.spend[i][j]
    if c.max_provider_share is not None:
        for p, s in spend.items():
            if s > c.max_provider_share * total + 1e-6 * max(total, 1):
                bad.append(f"share {p}")
    for y in range(t.years):
        moved = sum(t.transition[i][j, y] for i, j in picked)
        heads = sum(t.headcount[i][j, y] for i, j in picked)
        budget, most = c.transition_budget_per_year, c.max_headcount_moved_per_year
        if budget is not None and moved > budget + 1e-6:
            bad.append(f"budget {y}")
        if most is not None and heads > most + 1e-6:
            bad.append(f"headcount {y}")
    for i, j in picked:
        if t.functions[i] in c.must_stay_inhouse and j:
            bad.append("stay")
        if t.functions[i] in c.must_outsource and not j:
            bad.append("outsource")
    return bad


@st.composite
def tables(draw: st.DrawFn) -> tuple[ChoiceTable, Constraints]:
    n = draw(st.integers(1, 4))
    years = draw(st.integers(1, 2))
    money = st.integers(0, 100).map(float)
    owners, value, spend, providers, transition, headcount = [], [], [], [], [], []
    for _ in range(n):
        k = draw(st.integers(1, 3))
        owners.append(["inhouse", *(f"o{j}" for j in range(k))])
        value.append(np.array([0.0, *(draw(st.integers(-50, 100)) for _ in range(k))], float))
        spend.append(np.array([0.0, *(draw(money) for _ in range(k))]))
        providers.append(["", *(draw(st.sampled_from("ABC")) for _ in range(k))])
        tr = np.zeros((k + 1, years))
        hc = np.zeros((k + 1, years))
        for j in range(1, k + 1):
            tr[j, draw(st.integers(0, years - 1))] = draw(money)
            hc[j, draw(st.integers(0, years - 1))] = draw(st.integers(0, 20))
        transition.append(tr)
        headcount.append(hc)
    names = [f"f{i}" for i in range(n)]
    table = ChoiceTable(names, owners, value, spend, providers, transition, headcount)
    stay = draw(st.lists(st.sampled_from(names), max_size=1, unique=True))
    leave = draw(
        st.lists(
            st.sampled_from([x for x in names if x not in stay] or names), max_size=1, unique=True
        )
    )
    leave = [x for x in leave if x not in stay]
    c = Constraints(
        max_provider_share=draw(st.none() | st.sampled_from([0.4, 0.6, 0.9])),
        transition_budget_per_year=draw(st.none() | st.integers(0, 150).map(float)),
        max_headcount_moved_per_year=draw(st.none() | st.integers(0, 30).map(float)),
        must_stay_inhouse=stay,
        must_outsource=leave,
    )
    return table, c


@settings(max_examples=120, deadline=None)
@given(tables())
def test_the_choice_equals_brute_force_and_keeps_every_constraint(case):
    table, c = case
    expected = _brute_force(table, c)
    if expected is None:
        with pytest.raises(NoSolutionError, match="no plan meets the constraints"):
            choose(table, c, gap=0.0)
        return
    plan = choose(table, c, gap=0.0)  # the best plan, proven: what enumeration finds
    combo = [table.owners[i].index(plan.choice[f]) for i, f in enumerate(table.functions)]
    assert _violations(table, c, combo) == []
    assert plan.value == pytest.approx(expected, abs=1e-6)
    assert plan.value <= plan.unconstrained_value + 1e-9
    for b in plan.binding:  # dropping a binding constraint is worth something, never negative
        assert b.worth_if_dropped > 0 and b.worth_if_relaxed >= -1e-9


@settings(max_examples=80, deadline=None)
@given(tables())
def test_the_worth_of_a_binding_budget_equals_brute_force(case):
    # one programme year: the budget is one row, so dropping or loosening it is a plain re-solve
    table, c = case
    if table.years != 1 or c.transition_budget_per_year is None:
        return
    expected = _brute_force(table, c)
    if expected is None:
        return
    plan = choose(table, c, gap=0.0)
    name = "transition_budget_per_year (year 1)"
    found = {b.constraint: b for b in plan.binding}
    dropped = _brute_force(table, c.model_copy(update={"transition_budget_per_year": None}))
    looser = c.model_copy(update={"transition_budget_per_year": c.transition_budget_per_year * 1.1})
    relaxed = _brute_force(table, looser)
    assert dropped is not None and relaxed is not None
    if dropped - expected < 1e-6 or plan.unconstrained_value - plan.value < 1e-6:
        assert name not in found
        return
    assert found[name].worth_if_dropped == pytest.approx(dropped - expected, abs=1e-6)
    assert found[name].worth_if_relaxed == pytest.approx(relaxed - expected, abs=1e-6)
    assert found[name].exact


def _knapsack(n: int, seed: int) -> tuple[ChoiceTable, Constraints]:
    """n functions of four kinds at random sizes, each kind's two options near-proportional in
    value and transition spend, under a budget for about a third of them: many plans within
    0.1 % of the best, where a solver stopping at its gap stops short of the best."""
    rng = np.random.default_rng(seed)
    size, kind = rng.uniform(0.5, 1.5, n), rng.integers(0, 4, n)
    value = np.array([[0, 1.0, 1.2], [0, 0.8, 1.1], [0, 1.3, 0.9], [0, 0.7, 1.4]]) * 1e6
    moved = np.array([[0, 0.5, 0.7], [0, 0.4, 0.6], [0, 0.8, 0.5], [0, 0.3, 0.9]]) * 1e6
    table = ChoiceTable(
        [f"f{i}" for i in range(n)],
        [["inhouse", "x", "y"]] * n,
        [value[k] * s * rng.uniform(0.98, 1.02, 3) for k, s in zip(kind, size, strict=True)],
        [value[k] * s * 3 for k, s in zip(kind, size, strict=True)],
        [["", "A", "B"]] * n,
        [(moved[k] * s)[:, None] for k, s in zip(kind, size, strict=True)],
        [np.zeros((3, 1))] * n,
    )
    return table, Constraints(transition_budget_per_year=0.25e6 * n, max_provider_share=0.6)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("gap", [DEFAULT_GAP, 0.05])
def test_a_plan_is_proven_within_its_gap_of_the_best(seed, gap):
    table, c = _knapsack(20, seed)
    best = choose(table, c, gap=0.0, explain=False)  # HiGHS proving the best plan
    plan = choose(table, c, gap=gap, explain=False)
    combo = [table.owners[i].index(plan.choice[f]) for i, f in enumerate(table.functions)]
    assert _violations(table, c, combo) == []
    assert 0 <= plan.gap <= gap
    # the gap reported is proven: no plan is worth more than the plan's value + gap x its size
    assert best.value - plan.value <= plan.gap * abs(plan.value) + 1e-6


def test_the_gap_is_checked():
    table, c = _two_functions()
    with pytest.raises(InputError, match=r"gap must be a number >= 0 and <= 0.05: got 0.2"):
        choose(table, c, gap=0.2)
    with pytest.raises(InputError, match="gap"):
        choose(table, c, gap=float("nan"))


def _two_functions() -> tuple[ChoiceTable, Constraints]:
    one = np.zeros((2, 1))
    table = ChoiceTable(
        ["a", "b"],
        [["inhouse", "o"], ["inhouse", "o"]],
        [np.array([0.0, 10.0]), np.array([0.0, 20.0])],
        [np.array([0.0, 5.0]), np.array([0.0, 5.0])],
        [["", "A"], ["", "B"]],
        [one, one],
        [one, one],
    )
    return table, Constraints()


def test_an_infeasible_choice_names_the_constraints():
    result = evaluate_portfolio(portfolio_example_path())
    names = [f.name for f in result.functions]
    with pytest.raises(NoSolutionError) as exc:
        result.optimise({"must_outsource": names[:6], "transition_budget_per_year": 1000.0})
    assert "must_outsource" in str(exc.value) and "transition_budget_per_year" in str(exc.value)
    with pytest.raises(NoSolutionError, match="Monte Carlo"):
        result.optimise({"min_probability_of_saving": 0.9})


def test_the_example_plan_reports_what_binds():
    result = evaluate_portfolio(portfolio_example_path())
    plan = result.optimise()
    assert plan.value < plan.unconstrained_value
    assert any(b.constraint.startswith("transition_budget_per_year") for b in plan.binding)
    assert result.yearly(plan)["transition_spend"].max() <= 5_000_000 + 1e-6
    assert all(plan.choice[n] == "inhouse" for n in result.constraints.must_stay_inhouse)
    shares = result.spend_by("provider", plan)["share"]
    assert shares.max() <= result.constraints.max_provider_share + 1e-9
    quick = result.optimise(explain=False, seconds=5.0)
    assert quick.binding == [] and 0 <= quick.gap <= DEFAULT_GAP
    assert quick.value == pytest.approx(plan.value, rel=2e-4)


# ---------------------------------------------------------------------------- Monte Carlo


def _shared(spread: bool) -> dict[str, Any]:
    def d(low: float, mode: float, high: float) -> dict[str, Any]:
        if not spread:
            low = high = mode
        return {"kind": "triangular", "low": low, "mode": mode, "high": high}

    return {
        "wage_inflation_per_year": d(0.02, 0.035, 0.06),
        "discount_rate_annual": d(0.06, 0.08, 0.1),
    }


def test_zero_variance_shared_drivers_equal_the_deterministic_portfolio():
    data = _portfolio(
        ("payroll", PAYROLL),
        ("payroll_again", PAYROLL),
        wage_inflation_per_year=0.035,
        discount_rate_annual=0.08,
        uncertainty=_shared(spread=False),
    )
    result = evaluate_portfolio(data)
    sim = result.simulate(300, seed=4, workers=1)
    for f, draws in zip(result.functions, sim.npv_savings, strict=True):
        assert (draws == f.npv_savings[None, :]).all()


def test_shared_drivers_are_shared_and_chunking_changes_nothing():
    data = _portfolio(
        ("payroll", PAYROLL),
        ("payroll_again", PAYROLL),
        wage_inflation_per_year=0.035,
        discount_rate_annual=0.08,
        uncertainty=_shared(spread=True),
    )
    result = evaluate_portfolio(data)
    sim = result.simulate(5000, seed=9, workers=1)
    one, two = sim.npv_savings
    assert one.std(axis=0)[1] > 0
    assert (one == two).all()  # the same function under the same draw of the shared drivers
    again = result.simulate(5000, seed=9, workers=2, chunk_size=1)
    assert all((a == b).all() for a, b in zip(sim.npv_savings, again.npv_savings, strict=True))
    assert (sim.driver_draws == again.driver_draws).all()
    other = result.simulate(5000, seed=10, workers=1)
    assert not (other.npv_savings[0] == one).all()


def test_the_programme_risk_is_summarised():
    result = evaluate_portfolio(portfolio_example_path())
    sim = result.simulate(1000, seed=2, workers=1)
    total = sim.programme()
    p = sim.percentiles()
    assert p["P5"] <= p["P50"] <= p["P95"]
    assert sim.probability_at_least(float(np.median(total))) == pytest.approx(0.5, abs=0.01)
    shares = sim.function_drivers()["share_of_variance"]
    assert shares.sum() == pytest.approx(1.0)
    plan = result.optimise({"min_probability_of_saving": 0.99}, simulation=sim)
    p_save = sim.probability_of_saving()
    for name, owner in plan.choice.items():
        j = result.functions[[f.name for f in result.functions].index(name)].owners.index(owner)
        assert j == 0 or p_save[name][j] >= 0.99


def _correlated(rho: float | None, *, by_case: bool = False, spread: bool = True) -> dict:
    """Claims and payroll under a shared wage inflation, rank-correlated with claims' volume
    (stated on the driver, or on the claims case's own volume distribution)."""
    low, mode, high = (0.02, 0.035, 0.06) if spread else (0.035, 0.035, 0.035)
    driver: dict[str, Any] = {"kind": "triangular", "low": low, "mode": mode, "high": high}
    claims: Any = str(CLAIMS)
    if rho is not None and by_case:
        claims = yaml.safe_load(CLAIMS.read_text(encoding="utf-8"))
        volume = claims["uncertainty"]["workload.volume_per_month"]
        volume["rank_correlation"] = {"wage_inflation_per_year": rho}
    elif rho is not None:
        driver["rank_correlation"] = {"workload.volume_per_month": rho}
    data = _portfolio(
        ("claims", CLAIMS),
        ("payroll", PAYROLL),
        start="2027-01",
        uncertainty={"wage_inflation_per_year": driver},
    )
    data["functions"][0]["case"] = claims  # a path, or the case inline
    return data


@pytest.mark.parametrize(
    ("rho", "by_case"),
    [(0.6, False), (-0.4, False), (0.6, True)],
    ids=["driver-states-0.6", "driver-states-minus-0.4", "case-states-0.6"],
)
def test_a_driver_has_the_stated_rank_correlation_with_a_functions_own_input(rho, by_case):
    result = evaluate_portfolio(_correlated(rho, by_case=by_case))
    sim = result.simulate(20_000, seed=11, workers=1)
    x = sim.sampled("claims")
    assert (x["wage_inflation_per_year"] == sim.driver_draws[:, 0]).all()  # the shared draw
    # Spearman's rho of 20,000 draws has a standard error of about (1 - rho^2) / sqrt(n), at
    # most 0.007 here; the copula (2 sin(pi rho / 6) between normal scores) is exact for
    # continuous marginals, so 0.02 (about 3 standard errors or more) is sampling noise only
    realised = x["wage_inflation_per_year"].rank().corr(x["workload.volume_per_month"].rank())
    assert realised == pytest.approx(rho, abs=0.02)
    # the correlation touches the volume's pairing with the driver, not its distribution
    alone = evaluate_portfolio(_correlated(None)).simulate(20_000, seed=11, workers=1)
    y = alone.sampled("claims")["workload.volume_per_month"]
    assert abs(y.rank().corr(x["wage_inflation_per_year"].rank())) < 0.02
    assert np.percentile(x["workload.volume_per_month"], [10, 50, 90]) == pytest.approx(
        np.percentile(y, [10, 50, 90]), rel=0.01
    )
    # bit-identical whatever the chunks and threads
    again = result.simulate(20_000, seed=11, workers=2, chunk_size=1)
    assert all((a == b).all() for a, b in zip(sim.npv_savings, again.npv_savings, strict=True))


def test_a_positive_correlation_with_the_drivers_widens_the_programme_spread():
    # higher wage inflation raises in-house cost, and so does a higher volume: both raise the
    # savings, so leaning together widens the programme's spread and leaning apart narrows it
    spread = {
        rho: evaluate_portfolio(_correlated(rho)).simulate(5000, seed=3, workers=1)
        for rho in (0.8, 0.0, -0.8)
    }
    plan = evaluate_portfolio(_correlated(None)).optimise(explain=False).choice
    std = {rho: sim.programme(plan).std() for rho, sim in spread.items()}
    assert std[0.8] > 1.03 * std[0.0] and std[-0.8] < 0.97 * std[0.0]
    # a driver without spread keeps the functions it moves alone deterministic
    flat = evaluate_portfolio(_correlated(0.8, spread=False))
    sim = flat.simulate(300, seed=4, workers=1)
    payroll = flat.functions[1]
    assert (sim.npv_savings[1] == payroll.npv_savings[None, :]).all()


def test_a_correlation_with_an_input_no_function_draws_is_an_error():
    data = _correlated(None)
    data["uncertainty"]["wage_inflation_per_year"]["rank_correlation"] = {
        "inhouse.benefits_load": 0.5
    }
    with pytest.raises(
        InputError, match=r"rank_correlation.*one function draws.*inhouse.benefits_load"
    ):
        evaluate_portfolio(data).simulate(10, seed=1, workers=1)


def test_dask_and_local_runs_give_identical_results():
    distributed = pytest.importorskip("distributed")
    data = _portfolio(
        ("payroll", PAYROLL), ("claims", CLAIMS), start="2027-01", uncertainty=_shared(True)
    )
    data["uncertainty"]["wage_inflation_per_year"]["rank_correlation"] = {
        "workload.volume_per_month": 0.5  # claims' own input, in one copula with the drivers
    }
    result = evaluate_portfolio(data)
    local = result.simulate(5000, seed=3, workers=1)
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=False,
            dashboard_address=":0",  # any free port
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = result.simulate(5000, seed=3, client=client, chunk_size=4096)
    assert all((a == b).all() for a, b in zip(local.npv_savings, remote.npv_savings, strict=True))
    assert (local.driver_draws == remote.driver_draws).all()
    assert len(remote.chunk_times.seconds) == 2


def test_a_scheduler_that_is_not_there_is_a_clear_error():
    pytest.importorskip("distributed")
    result = evaluate_portfolio(_portfolio(("payroll", PAYROLL), uncertainty=_shared(True)))
    with pytest.raises(InputError, match="scheduler"):
        result.simulate(10, seed=1, scheduler="tcp://127.0.0.1:9")


# ------------------------------------------------------------------------------------ faces


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_portfolio_command(capsys, tmp_path):
    code, out, _ = run(capsys, "portfolio", str(portfolio_example_path()), "--optimise")
    assert code == 0
    assert "optimised plan" in out and "binding: transition_budget_per_year" in out
    code, out, _ = run(
        capsys,
        "portfolio",
        str(portfolio_example_path()),
        "--json",
        "--simulate",
        "300",
        "--at-least",
        "1e7",
        "--optimise",
    )
    assert code == 0
    data = json.loads(out)
    assert {"functions", "totals", "optimised", "simulation"} <= data.keys()
    assert 0 <= data["simulation"]["p_at_least"]["probability"] <= 1
    code, out, _ = run(capsys, "portfolio", str(portfolio_example_path()), "--csv", str(tmp_path))
    assert code == 0 and (tmp_path / "monthly.csv").is_file()


@pytest.mark.skipif(not hasattr(ctypes, "CDLL") or sys.platform == "win32", reason="C library")
def test_what_the_solver_prints_stays_out_of_the_commands_output(capfd, monkeypatch):
    libc = ctypes.CDLL(None)
    real = choice_module.milp

    def chatty(*args: Any, **kwargs: Any) -> Any:
        # what HiGHS does now and then: a debug line through C's puts, to file descriptor 1
        libc.puts(b"HighsMipSolverData::transformNewIntegerFeasibleSolution tmpSolver.run();")
        return real(*args, **kwargs)

    monkeypatch.setattr(choice_module, "milp", chatty)
    code = main(["portfolio", str(portfolio_example_path()), "--optimise", "--json"])
    libc.fflush(None)  # anything still in the C buffer comes out now, not at exit
    out, err = capfd.readouterr()
    assert code == 0
    assert "HighsMipSolverData" not in out + err
    assert "optimised" in json.loads(out)


def test_a_bad_portfolio_file_is_one_line_per_problem(capsys, tmp_path):
    bad = tmp_path / "p.yaml"
    bad.write_text(yaml.safe_dump(_portfolio(("a", "missing.yaml"))), encoding="utf-8")
    code, _, err = run(capsys, "portfolio", str(bad))
    assert code == 2
    assert err.strip().splitlines() == [
        "bpo-cost: error: functions[a].case must be an existing case file "
        "(.yaml, .yml, .json or .xlsx): got 'missing.yaml'"
    ]


@pytest.mark.parametrize(
    ("args", "word"),
    [
        (["--scheduler", "tcp://x:8786"], "--scheduler"),
        (["--at-least", "5"], "--at-least"),
        (["--with-cases"], "--with-cases"),
        (["--seconds", "1"], "--seconds"),
        (["--gap", "0"], "--gap"),
        (["--optimise", "--gap", "0.2"], "--gap"),
        (["--optimise", "--gap", "-1"], "--gap"),
    ],
)
def test_options_that_need_another_say_so(capsys, args, word):
    code, _, err = run(capsys, "portfolio", str(portfolio_example_path()), *args)
    assert code == 2 and word in err and len(err.strip().splitlines()) == 1


def test_the_choice_can_be_given_a_time_limit(capsys, monkeypatch):
    limits = []
    real = choice_module.milp

    def noted(*args: Any, **kwargs: Any) -> Any:
        limits.append(kwargs["options"].get("time_limit"))
        return real(*args, **kwargs)

    monkeypatch.setattr(choice_module, "milp", noted)
    example = str(portfolio_example_path())
    code, out, _ = run(capsys, "portfolio", example, "--optimise", "--seconds", "5", "--json")
    assert code == 0 and limits[0] == 5.0  # the first solve: the plan
    plan = json.loads(out)["optimised"]
    assert 0 <= plan["gap"] <= DEFAULT_GAP  # the example's plan is proven well within 5 s
    code, _, err = run(capsys, "portfolio", example, "--optimise", "--seconds", "0")
    assert code == 2 and "--seconds" in err


def test_init_portfolio_writes_a_starter_and_its_schema(capsys, tmp_path):
    target = tmp_path / "p.yaml"
    code, _, _ = run(capsys, "init", str(target), "--portfolio")
    assert code == 0
    assert target.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")
    schema = json.loads((tmp_path / "bpo-cost-portfolio.schema.json").read_text())
    assert "functions" in schema["properties"]
    assert len(load_portfolio(target).cases) >= 12


def test_the_portfolio_workbook_rolls_up_live(
    tmp_path: Path, recalc: Callable[[Sequence[Path]], list[Path]]
):
    result = evaluate_portfolio(portfolio_example_path())
    plan = result.optimise()
    path = tmp_path / "portfolio.xlsx"
    written = write_portfolio_workbook(result, path, plan=plan)
    assert written == [path]
    first = path.read_bytes()
    write_portfolio_workbook(result, path, plan=plan)
    assert path.read_bytes() == first  # byte-reproducible
    (back,) = recalc([path])
    ws = openpyxl.load_workbook(back, data_only=True)["Portfolio"]
    header = [c.value for c in ws[4]]
    total_row = 5 + len(result.functions)
    assert ws.cell(total_row, 1).value == "Programme"
    totals = result.totals(plan)
    for label, key in (
        ("NPV of savings", "npv_savings"),
        ("Savings", "savings"),
        ("Transition spend", "transition_spend"),
        ("Headcount moved", "headcount_moved"),
    ):
        value = ws.cell(total_row, header.index(title_case(label)) + 1).value
        assert value == pytest.approx(totals[key], rel=1e-9)
    yearly = result.yearly(plan)["savings"]
    for y, expected in yearly.items():
        value = ws.cell(total_row, header.index(f"Savings Y{y}") + 1).value
        assert value == pytest.approx(expected, rel=1e-9)


def test_a_scenario_grid_on_dask_equals_the_local_one(monkeypatch):
    distributed = pytest.importorskip("distributed")
    from bpo_cost.analysis import grid

    values = {"workload.volume_per_month": [9000, 12000, 15000], "inhouse.occupancy": [0.8, 0.85]}
    local = bpo_cost.scenario_grid(CLAIMS, values)
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=False,
            dashboard_address=":0",  # any free port
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        monkeypatch.setattr(grid, "CHUNK", 2)  # three batches over two workers
        remote = bpo_cost.scenario_grid(CLAIMS, values, client=client)
    assert remote.equals(local)


def test_each_functions_business_case_is_written_beside_the_portfolio_workbook(tmp_path):
    result = evaluate_portfolio(_portfolio(("payroll", PAYROLL)))
    written = write_portfolio_workbook(result, tmp_path / "p.xlsx", with_cases=True)
    assert [p.name for p in written] == ["p.xlsx", "p_payroll.xlsx"]
    assert evaluate(written[1]).summary()["tco"].equals(evaluate(PAYROLL).summary()["tco"])
    book = openpyxl.load_workbook(written[0])
    assert book.sheetnames == ["Portfolio", "Charts", "Options"]
    assert book["Portfolio"].print_title_rows == "$4:$4"  # the header repeats on every page
