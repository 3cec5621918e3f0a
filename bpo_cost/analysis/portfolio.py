"""A portfolio evaluated: every function's options, per-function figures, programme totals.

Each function is one engine batch (``bpo_cost.evaluate``: in-house and all its options at
once). Figures are in the portfolio currency (a function's money times its exchange rate). A
*plan* picks one owner per function (``"inhouse"`` or an option); programme totals by month
(cost, savings, transition spend, headcount moved) and spend by provider and by location are
those of a plan: the one given, else each function's best option by NPV of savings (in-house
when none saves). A function whose ``start_month`` is later than 1 has its months shifted to the
programme months it runs in, and its NPVs discounted to the programme's start.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._types import FloatArray
from ..api import evaluate
from ..case.portfolio import Constraints, LoadedPortfolio, Portfolio, load_portfolio
from ..core.finance import deferral
from ..engine.components import INHOUSE
from ..errors import InputError
from ..rates.cards import RateCards, load_cards
from ..result import Result

if TYPE_CHECKING:
    from .choice import Plan
    from .portfolio_mc import PortfolioSimulation

__all__ = ["FunctionArrays", "PortfolioResult", "evaluate_portfolio", "portfolio"]

PortfolioSource = LoadedPortfolio | Portfolio | str | Path | Mapping[str, Any]


@dataclass(frozen=True)
class FunctionArrays:
    """One function's figures per owner (rows: in-house first), in the portfolio currency.

    Monthly grids run over the programme's months (zero before the function's start month and
    after its term); ``handover_month`` is a programme month; NPVs are at the programme's start;
    ``payback_month`` counts from the function's own start.
    """

    name: str
    owners: list[str]
    providers: list[str]
    locations: list[str]
    tco: FloatArray
    npv_cost: FloatArray
    npv_savings: FloatArray
    payback_month: FloatArray
    cost: FloatArray  # (owners, months)
    vendor_spend: FloatArray  # (owners, months): the vendor.* components
    transition_spend: FloatArray  # (owners, months): the transition.* components
    headcount_moved: FloatArray  # (owners,): in-house FTE leaving, 0 for in-house
    handover_month: FloatArray  # (owners,): the programme month they leave (0 for in-house)
    # per owner, the shares of its vendor spend by provider where its delivery lines name
    # several (a split award); an empty mapping: all of it to ``providers``
    provider_split: tuple[dict[str, float], ...] = ()
    start_month: int = 1  # the programme month the function's case starts in

    def split_of(self, j: int) -> dict[str, float]:
        """Owner ``j``'s vendor spend by provider, as shares adding up to 1."""
        split = self.provider_split[j] if j < len(self.provider_split) else {}
        return split or {self.providers[j]: 1.0}

    def best(self) -> str:
        """The owner with the largest NPV of savings (in-house when no option saves)."""
        return self.owners[int(np.argmax(self.npv_savings))]

    def by_year(self, monthly: FloatArray, years: int) -> FloatArray:
        """``(owners, years)`` sums of a monthly grid over programme years."""
        padded = np.zeros((monthly.shape[0], years * 12))
        padded[:, : monthly.shape[1]] = monthly
        return np.asarray(padded.reshape(monthly.shape[0], years, 12).sum(axis=2), dtype=float)

    def headcount_by_year(self, years: int) -> FloatArray:
        out = np.zeros((len(self.owners), years))
        for j, (h, m) in enumerate(zip(self.headcount_moved, self.handover_month, strict=True)):
            if h > 0:
                out[j, int(m - 1) // 12] = h
        return out


def _headcount(result: Result) -> tuple[FloatArray, FloatArray]:
    """In-house headcount moved by each option (paid agent FTE and supervisors) and the month.

    The team leaves in the month the parallel run ends (at least month 1), as the engine's
    severance does (``engine.transition``); an option that takes part of the volume (partial
    scope) moves that share of the team. Figures from ``Result.staffing()``.
    """
    staff = result.staffing(wide=True)
    team = (staff[(INHOUSE, "all", "paid_fte")] + staff[(INHOUSE, "all", "supervisors")]).to_numpy()
    volume = staff[(INHOUSE, "all", "volume")].to_numpy()
    heads, months = [0.0], [0.0]
    for o in result.case.options:
        m = max(o.transition.parallel_run_months, 1)
        moved = staff[(o.name, "all", "volume")].to_numpy()[m - 1]
        if (o.name, "all", "deflected") in staff:
            moved += staff[(o.name, "all", "deflected")].to_numpy()[m - 1]
        share = min(moved / volume[m - 1], 1.0) if volume[m - 1] > 0 else 1.0
        heads.append(float(team[m - 1] * share))
        months.append(float(m))
    return np.array(heads), np.array(months)


def _family(result: Result, owner: str, prefix: str, months: int, offset: int) -> FloatArray:
    out = np.zeros(months)
    for key, values in result.components.by_owner[owner].items():
        if key.startswith(prefix):
            out[offset : offset + values.shape[1]] += values[0]
    return out


def function_arrays(
    name: str, result: Result, rate: float, months: int, start_month: int = 1
) -> FunctionArrays:
    """A function's figures from its evaluated case, scaled to the portfolio currency and
    placed at its start month of the programme."""
    s = result.summary_arrays
    owners = result.owners
    case = result.case
    offset = start_month - 1
    providers = ["", *(o.provider or o.name for o in case.options)]
    locations = ["", *(f"{o.location.country} ({o.location.tier})" for o in case.options)]
    cost = np.zeros((len(owners), months))
    for j, o in enumerate(owners):
        cost[j, offset : offset + case.term_months] = result.components.total(o)[0]
    heads, handover = _headcount(result)
    to_start = rate * float(deferral(case.discount_rate_annual, offset))
    return FunctionArrays(
        name=name,
        owners=owners,
        providers=providers,
        locations=locations,
        tco=s.tco[0] * rate,
        npv_cost=s.npv_cost[0] * to_start,
        npv_savings=s.npv_savings[0] * to_start,
        payback_month=s.payback_month[0].copy(),
        cost=cost * rate,
        vendor_spend=np.stack([_family(result, o, "vendor.", months, offset) for o in owners])
        * rate,
        transition_spend=np.stack(
            [_family(result, o, "transition.", months, offset) for o in owners]
        )
        * rate,
        headcount_moved=heads,
        handover_month=np.concatenate([handover[:1], handover[1:] + offset]),
        provider_split=tuple(_provider_split(result, o) for o in owners),
        start_month=start_month,
    )


def _provider_split(result: Result, owner: str) -> dict[str, float]:
    """Shares of an option's vendor spend by provider when its lines name several, else {}."""
    option = next((o for o in result.case.options if o.name == owner), None)
    if option is None or not any(line.provider for line in option.lines):
        return {}
    spend = result.vendor_spend_by_provider(owner)
    total = sum(spend.values())
    if len(spend) < 2 or total == 0.0:
        return {}
    return {who: value / total for who, value in spend.items()}


@dataclass(frozen=True)
class PortfolioResult:
    """Every function of a portfolio evaluated; plans, programme totals and spend as frames.

    ``functions`` holds each function's arrays (portfolio currency); ``results`` the
    ``Result`` of each function's case (its own currency).
    """

    loaded: LoadedPortfolio
    results: dict[str, Result]
    functions: list[FunctionArrays]
    months: int

    @property
    def name(self) -> str:
        return self.loaded.portfolio.name

    @property
    def currency(self) -> str:
        return self.loaded.currency

    @property
    def years(self) -> int:
        return -(-self.months // 12)

    @property
    def constraints(self) -> Constraints:
        return self.loaded.portfolio.constraints

    def best_plan(self) -> dict[str, str]:
        """Each function's best owner by NPV of savings (in-house when no option saves)."""
        return {f.name: f.best() for f in self.functions}

    def choice_of(self, plan: Mapping[str, str] | Plan | None) -> dict[str, str]:
        """The owner per function of a plan (a Plan, a mapping, or None: the best plan);
        functions a mapping leaves out stay in-house."""
        given = plan if plan is None or isinstance(plan, Mapping) else plan.choice
        chosen = self.best_plan() if given is None else dict(given)
        for f in self.functions:
            if chosen.get(f.name, INHOUSE) not in f.owners:
                raise InputError(f"plan[{f.name}]", chosen[f.name], f"one of {f.owners}")
        unknown = sorted(set(chosen) - {f.name for f in self.functions})
        if unknown:
            raise InputError("plan", unknown[0], "a function of the portfolio")
        return {f.name: chosen.get(f.name, INHOUSE) for f in self.functions}

    def figures(self) -> pd.DataFrame:
        """One row per function and owner: provider, location, TCO, NPV, savings, payback,
        vendor and transition spend over the term, headcount moved and its month."""
        rows = []
        for f in self.functions:
            for j, owner in enumerate(f.owners):
                rows.append(
                    {
                        "function": f.name,
                        "owner": owner,
                        "provider": f.providers[j],
                        "location": f.locations[j],
                        "tco": f.tco[j],
                        "npv_cost": f.npv_cost[j],
                        "savings": f.tco[0] - f.tco[j],
                        "npv_savings": f.npv_savings[j],
                        "payback_month": f.payback_month[j],
                        "vendor_spend": f.vendor_spend[j].sum(),
                        "transition_spend": f.transition_spend[j].sum(),
                        "headcount_moved": f.headcount_moved[j],
                        "handover_month": f.handover_month[j],
                    }
                )
        return pd.DataFrame(rows).set_index(["function", "owner"])

    def plan_figures(self, plan: Mapping[str, str] | Plan | None = None) -> pd.DataFrame:
        """One row per function: the owner a plan chooses and its figures."""
        chosen = self.choice_of(plan)
        table = self.figures()
        rows = table.loc[list(chosen.items())].reset_index(level="owner")
        rows.insert(1, "inhouse_tco", [f.tco[0] for f in self.functions])
        return rows

    def monthly(self, plan: Mapping[str, str] | Plan | None = None) -> pd.DataFrame:
        """Programme totals by month under a plan: in-house cost (every function kept), the
        plan's cost, savings, transition spend, vendor spend and headcount moved."""
        chosen = self.choice_of(plan)
        m = self.months
        out = {k: np.zeros(m) for k in ("inhouse_cost", "cost", "transition_spend")}
        out["vendor_spend"] = np.zeros(m)
        out["headcount_moved"] = np.zeros(m)
        for f in self.functions:
            j = f.owners.index(chosen[f.name])
            out["inhouse_cost"] += f.cost[0]
            out["cost"] += f.cost[j]
            out["transition_spend"] += f.transition_spend[j]
            out["vendor_spend"] += f.vendor_spend[j]
            if f.headcount_moved[j] > 0:
                out["headcount_moved"][int(f.handover_month[j]) - 1] += f.headcount_moved[j]
        out["savings"] = out["inhouse_cost"] - out["cost"]
        frame = pd.DataFrame(out, index=pd.RangeIndex(1, m + 1, name="month"))
        return frame[
            [
                "inhouse_cost",
                "cost",
                "savings",
                "transition_spend",
                "vendor_spend",
                "headcount_moved",
            ]
        ]

    def yearly(self, plan: Mapping[str, str] | Plan | None = None) -> pd.DataFrame:
        """``monthly`` summed by programme year (year 1 = months 1-12)."""
        frame = self.monthly(plan)
        year = (frame.index.to_numpy() - 1) // 12 + 1
        return frame.groupby(pd.Index(year, name="year")).sum()

    def spend_by(
        self, key: str = "provider", plan: Mapping[str, str] | Plan | None = None
    ) -> pd.DataFrame:
        """Vendor spend over the term by ``provider`` or ``location`` under a plan, with shares."""
        if key not in ("provider", "location"):
            raise InputError("key", key, "'provider' or 'location'")
        rows = self.plan_figures(plan)
        rows = rows[rows["owner"] != INHOUSE]
        if key == "provider":  # a split award pays each provider its lines' share
            by_name = {f.name: f for f in self.functions}
            parts: dict[str, float] = {}
            for function, row in rows.iterrows():
                f = by_name[str(function)]
                for who, share in f.split_of(f.owners.index(row["owner"])).items():
                    parts[who] = parts.get(who, 0.0) + row["vendor_spend"] * share
            spend = pd.Series(parts, name="vendor_spend", dtype=float)
            spend.index.name = key
            spend = spend.sort_index().sort_values(ascending=False)  # as groupby's order
        else:
            spend = rows.groupby(key)["vendor_spend"].sum().sort_values(ascending=False)
        total = spend.sum()
        return pd.DataFrame(
            {"vendor_spend": spend, "share": spend / total if total else spend * 0.0}
        )

    def totals(self, plan: Mapping[str, str] | Plan | None = None) -> dict[str, float]:
        """The programme under a plan: NPV of savings, savings, transition spend, headcount."""
        rows = self.plan_figures(plan)
        return {
            "npv_savings": float(rows["npv_savings"].sum()),
            "savings": float(rows["savings"].sum()),
            "transition_spend": float(rows["transition_spend"].sum()),
            "vendor_spend": float(rows["vendor_spend"].sum()),
            "headcount_moved": float(rows["headcount_moved"].sum()),
            "functions_outsourced": int((rows["owner"] != INHOUSE).sum()),
        }

    def optimise(
        self,
        constraints: Constraints | Mapping[str, Any] | None = None,
        *,
        simulation: PortfolioSimulation | None = None,
        explain: bool = True,
        seconds: float | None = None,
        gap: float | None = None,
    ) -> Plan:
        """The plan that maximises NPV of savings under the constraints (default: the file's).

        See ``bpo_cost.analysis.choice.choose``; ``simulation`` gives each option's chance of
        saving for ``min_probability_of_saving``; ``explain=False`` skips pricing the
        binding constraints (a solve each); ``seconds`` limits the first solve (the plan then
        carries its proven ``gap``); ``gap`` is the relative gap the solver proves (default
        ``choice.DEFAULT_GAP``, 0.1 %; 0: the best plan, however long its proof takes).
        """
        from .choice import DEFAULT_GAP, choice_table, choose

        if constraints is None:
            c = self.constraints
        elif isinstance(constraints, Constraints):
            c = constraints
        else:
            c = Constraints.model_validate({**self.constraints.model_dump(), **constraints})
        p_save = None if simulation is None else simulation.probability_of_saving()
        return choose(
            choice_table(self, p_save),
            c,
            explain=explain,
            seconds=seconds,
            gap=DEFAULT_GAP if gap is None else gap,
        )

    def simulate(
        self,
        n: int,
        *,
        seed: int,
        chunk_size: int | None = None,
        client: Any = None,
        scheduler: str | None = None,
        workers: int | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> PortfolioSimulation:
        """Portfolio Monte Carlo (``bpo_cost.analysis.portfolio_mc.simulate_portfolio``)."""
        from .portfolio_mc import simulate_portfolio

        return simulate_portfolio(
            self,
            n=n,
            seed=seed,
            chunk_size=chunk_size,
            client=client,
            scheduler=scheduler,
            workers=workers,
            progress=progress,
        )

    def to_dict(self, plan: Mapping[str, str] | Plan | None = None) -> dict[str, Any]:
        """A JSON-ready portfolio: per-function figures, the plan, totals by year, spend."""

        def num(x: Any) -> float | None:
            x = float(x)
            return x if np.isfinite(x) else None

        figures = self.figures().reset_index()
        chosen = self.choice_of(plan)
        functions = []
        starts = {f.name: f.start_month for f in self.functions}
        for name, group in figures.groupby("function", sort=False):
            functions.append(
                {
                    "name": name,
                    "start_month": starts[str(name)],
                    "choice": chosen[str(name)],
                    "owners": [
                        {
                            k: (num(v) if isinstance(v, (float, np.floating)) else v)
                            for k, v in row.items()
                            if k != "function"
                        }
                        for row in group.to_dict("records")
                    ],
                }
            )
        yearly = self.yearly(chosen)
        return {
            "portfolio": self.name,
            "currency": self.currency,
            "months": self.months,
            "functions": functions,
            "totals": self.totals(chosen),
            "by_year": [
                {"year": int(y), **{str(k): float(v) for k, v in row.items()}}
                for y, row in zip(
                    yearly.index.to_numpy(dtype=int), yearly.to_dict("records"), strict=True
                )
            ],
            "spend_by_provider": {
                str(k): float(v)
                for k, v in self.spend_by("provider", chosen)["vendor_spend"].items()
            },
            "spend_by_location": {
                str(k): float(v)
                for k, v in self.spend_by("location", chosen)["vendor_spend"].items()
            },
        }


def evaluate_portfolio(
    source: PortfolioSource,
    *,
    rate_cards: RateCards | str | Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> PortfolioResult:
    """Evaluate every function of a portfolio: in-house and each option, in one batch each.

    Parameters
    ----------
    source : a portfolio file (YAML/JSON), a mapping, a Portfolio or a loaded portfolio.
    rate_cards : rate cards for references in the cases (default: the bundled ones).
    progress : called as ``progress(done, total)`` after each function.

    Returns
    -------
    PortfolioResult
        per-function figures (``figures``), plans (``best_plan``, ``optimise``), programme
        totals (``monthly``, ``yearly``, ``totals``), spend (``spend_by``), ``to_dict``.

    Examples
    --------
    >>> from bpo_cost.case.examples import portfolio_example_path
    >>> result = evaluate_portfolio(portfolio_example_path())
    >>> result.totals()["npv_savings"] > 0
    True
    """
    loaded = source if isinstance(source, LoadedPortfolio) else load_portfolio(source)
    cards = rate_cards if isinstance(rate_cards, RateCards) else load_cards(rate_cards)
    starts = loaded.start_months
    months = max(starts[name] - 1 + c.term_months for name, c in loaded.cases.items())
    results: dict[str, Result] = {}
    arrays = []
    for i, (name, case) in enumerate(loaded.cases.items()):
        try:
            result = evaluate(case, rate_cards=cards)
        except InputError as exc:  # a rate-card lookup or a bound: name the function
            raise InputError(
                f"functions[{name}].case.{exc.field}", exc.value, exc.allowed
            ) from None
        results[name] = result
        arrays.append(function_arrays(name, result, loaded.rates[name], months, starts[name]))
        if progress is not None:
            progress(i + 1, len(loaded.cases))
    return PortfolioResult(loaded, results, arrays, months)


def portfolio(
    source: PortfolioSource, *, rate_cards: RateCards | str | Path | None = None
) -> PortfolioResult:
    """Evaluate a portfolio of functions (the Python face of ``bpo-cost portfolio``).

    Then ``.optimise()`` for the constrained choice, ``.simulate(n, seed=...)`` for portfolio
    Monte Carlo (on a Dask cluster with ``client=`` or ``scheduler=``).

    Examples
    --------
    >>> import bpo_cost
    >>> from bpo_cost.case.examples import portfolio_example_path
    >>> result = bpo_cost.portfolio(portfolio_example_path())
    >>> plan = result.optimise()
    >>> plan.value <= result.totals()["npv_savings"] + 1e-6
    True
    """
    return evaluate_portfolio(source, rate_cards=rate_cards)
