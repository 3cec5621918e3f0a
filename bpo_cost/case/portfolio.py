"""The portfolio file: many functions (each a case), shared assumptions, the analyst's constraints.

A portfolio names its functions, each a case file (a path relative to the portfolio file) or an
inline case. Shared assumptions (``start``, ``discount_rate_annual``, ``inflation_per_year``,
``wage_inflation_per_year``) replace the cases' own; ``currency`` is the reporting currency, and
a function in another currency needs its rate in ``exchange_rates`` (units of the portfolio
currency per unit of the function's). ``uncertainty`` holds the shared drivers: distributions of
the shared assumptions and exchange rates, drawn once per draw and applied to every function,
rank-correlated with each other and with the functions' own uncertain inputs as stated.
Errors name the function and the field: ``functions[claims].case.term_months must be ...``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from ..errors import InputError, InvalidCaseError
from .distributions import Distribution
from .io import load_case, parse_case
from .models import Case, Int
from .reading import parse_json, parse_yaml, read_text

__all__ = [
    "MAX_FUNCTIONS",
    "MAX_START_MONTH",
    "SHARED_RATES",
    "Constraints",
    "Function",
    "LoadedPortfolio",
    "Portfolio",
    "load_portfolio",
    "shared_driver",
]

MAX_FUNCTIONS = 2000  # an advisory firm's book of clients; each one is an engine batch
MAX_START_MONTH = 120  # up to ten years into the programme: a case's longest term
# The shared assumptions that are numbers of every case (their meaning, unit and range: Case's).
SHARED_RATES = ("discount_rate_annual", "inflation_per_year", "wage_inflation_per_year")
FX_PREFIX = "exchange_rates."


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def _case_field(name: str) -> Any:
    """The portfolio's override of a case field: optional, described as the case describes it."""
    info = Case.model_fields[name]
    extra = dict(info.json_schema_extra or {}) if isinstance(info.json_schema_extra, dict) else {}
    extra.pop("source", None)  # no default here: absent means each case keeps its own
    return Field(
        None,
        description=f"{info.description}, for every function (replaces the cases')",
        json_schema_extra=extra,
    )


def _check_as_case(name: str, value: Any) -> Any:
    """Validate a shared value with the case field's own type and bounds (said once, in Case)."""
    info = Case.model_fields[name]
    adapter: TypeAdapter[Any] = TypeAdapter(Annotated[(info.annotation, *info.metadata)])  # type: ignore[arg-type]
    return adapter.validate_python(value)


class Function(_Model):
    """One business function of the portfolio: a case, by file or inline."""

    name: str = Field(
        min_length=1,
        max_length=60,
        description="Name of the function in the portfolio (unique)",
        json_schema_extra={"unit": "text"},
    )
    case: str | dict[str, Any] = Field(
        description="The function's case: a case file path (relative to the portfolio file) "
        "or the case itself",
        json_schema_extra={"unit": "path or case"},
    )
    start_month: Annotated[Int, Field(ge=1, le=MAX_START_MONTH)] = Field(
        1,
        description="Programme month in which the function's case starts (its term runs from "
        "there; 13: a year after the programme)",
        json_schema_extra={"unit": "month", "source": "1: with the programme"},
    )


class Constraints(_Model):
    """What the constrained choice must respect (every one optional)."""

    max_provider_share: Annotated[float, Field(gt=0, le=1)] | None = Field(
        None,
        description="Largest share of the programme's vendor spend with one provider",
        json_schema_extra={"unit": "decimal"},
    )
    transition_budget_per_year: Annotated[float, Field(ge=0, le=1e13)] | None = Field(
        None,
        description="Most transition spend in each programme year",
        json_schema_extra={"unit": "{currency} / year"},
    )
    max_headcount_moved_per_year: Annotated[float, Field(ge=0, le=1e7)] | None = Field(
        None,
        description="Most in-house headcount (agent and supervisor FTE) moved in each "
        "programme year",
        json_schema_extra={"unit": "FTE / year"},
    )
    must_stay_inhouse: list[str] = Field(
        default_factory=list,
        max_length=MAX_FUNCTIONS,
        description="Functions that stay in-house whatever they would save",
        json_schema_extra={"unit": "function names"},
    )
    must_outsource: list[str] = Field(
        default_factory=list,
        max_length=MAX_FUNCTIONS,
        description="Functions that must go to one of their options",
        json_schema_extra={"unit": "function names"},
    )
    min_probability_of_saving: Annotated[float, Field(ge=0, le=1)] | None = Field(
        None,
        description="Least chance (Monte Carlo) that a chosen option's NPV of savings is positive",
        json_schema_extra={"unit": "decimal"},
    )


class Portfolio(_Model):
    """A portfolio: functions to keep or outsource, shared assumptions, constraints, drivers."""

    name: str = Field(
        min_length=1,
        max_length=80,
        description="Name of the portfolio",
        json_schema_extra={"unit": "text"},
    )
    description: str = Field(
        "", description="What the portfolio is about", json_schema_extra={"unit": "text"}
    )
    currency: str | None = Field(
        None,
        pattern="^[A-Z]{3}$",
        description="Reporting currency of the portfolio (default: the functions' currency)",
        json_schema_extra={"unit": "ISO 4217"},
    )
    # checked when applied to each case, with the case's reading of dates ("2027-01", "01/2027")
    start: dt.date | str | None = _case_field("start")
    discount_rate_annual: float | None = _case_field("discount_rate_annual")
    inflation_per_year: float | None = _case_field("inflation_per_year")
    wage_inflation_per_year: float | None = _case_field("wage_inflation_per_year")
    exchange_rates: dict[
        Annotated[str, Field(pattern="^[A-Z]{3}$")], Annotated[float, Field(gt=0, le=1e6)]
    ] = Field(
        default_factory=dict,
        description="Units of the portfolio currency per unit of each other currency",
        json_schema_extra={"unit": "{currency} per unit"},
    )
    functions: list[Function] = Field(
        min_length=1,
        max_length=MAX_FUNCTIONS,
        description="The business functions, each a case",
    )
    constraints: Constraints = Field(
        default_factory=Constraints, description="Limits the constrained choice respects"
    )
    uncertainty: dict[str, Distribution] = Field(
        default_factory=dict,
        max_length=len(SHARED_RATES) + 200,
        description="Shared drivers: distributions of the shared rates and exchange rates "
        "(exchange_rates.XXX), drawn once per draw for every function; their rank_correlation "
        "may name other drivers and the functions' own uncertain inputs by key "
        "(workload.volume_per_month)",
    )

    @model_validator(mode="before")
    @classmethod
    def _shared_as_case(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            for name in SHARED_RATES:
                if data.get(name) is not None:
                    try:
                        _check_as_case(name, data[name])
                    except ValidationError as exc:
                        err = exc.errors(include_url=False)[0]
                        raise ValueError(
                            f"{name} must be {err['msg'].lower()}: got {data[name]!r}"
                        ) from None
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Portfolio:
        folded = [f.name.casefold() for f in self.functions]
        dupes = sorted({f.name for f in self.functions if folded.count(f.name.casefold()) > 1})
        if dupes:
            raise ValueError(f"functions: two functions named {dupes[0]!r}: names must be unique")
        names = {f.name for f in self.functions}
        c = self.constraints
        for field in ("must_stay_inhouse", "must_outsource"):
            unknown = [n for n in getattr(c, field) if n not in names]
            if unknown:
                raise ValueError(
                    f"constraints.{field}: {unknown[0]!r} is not a function of the portfolio "
                    f"(one of {sorted(names)})"
                )
        both = sorted(set(c.must_stay_inhouse) & set(c.must_outsource))
        if both:
            raise ValueError(
                f"constraints: {both[0]!r} cannot both stay in-house and be outsourced"
            )
        for key in self.uncertainty:
            if key not in SHARED_RATES and not (
                key.startswith(FX_PREFIX) and key.removeprefix(FX_PREFIX) in self.exchange_rates
            ):
                raise ValueError(
                    f"uncertainty: {key!r} is not a shared driver: use one of "
                    f"{', '.join(SHARED_RATES)} or exchange_rates.XXX for a currency "
                    "given in exchange_rates"
                )
        return self

    def override_of(self) -> dict[str, Any]:
        """The case fields every function takes from the portfolio."""
        values = {"start": self.start, **{k: getattr(self, k) for k in SHARED_RATES}}
        return {k: v for k, v in values.items() if v is not None}


def shared_driver(key: str) -> str:
    """The case input a shared driver sets (``exchange_rates.XXX`` sets none: it converts)."""
    return "" if key.startswith(FX_PREFIX) else key


@dataclass(frozen=True)
class LoadedPortfolio:
    """A validated portfolio with every function's case loaded and the shared values applied.

    ``cases`` by function name, in file order (a function's case starts at its own
    ``start_month`` of the programme); ``rates`` the exchange rate of each function's currency to
    the portfolio currency (1 for the same currency).
    """

    portfolio: Portfolio
    cases: dict[str, Case]
    rates: dict[str, float]

    @property
    def start_months(self) -> dict[str, int]:
        """The programme month in which each function's case starts (1: with the programme)."""
        return {f.name: f.start_month for f in self.portfolio.functions}

    @property
    def currency(self) -> str:
        return self.portfolio.currency or next(iter(self.cases.values())).currency

    @property
    def names(self) -> list[str]:
        return list(self.cases)


def _located(loc: tuple[int | str, ...], data: Any) -> list[str]:
    """An error's location in the analyst's words: ``functions[claims]`` for ``functions.0``."""
    parts = [str(p) for p in loc]
    if len(loc) > 1 and loc[0] == "functions" and isinstance(loc[1], int):
        functions = data.get("functions") if isinstance(data, Mapping) else None
        entry = functions[loc[1]] if isinstance(functions, list) else None
        name = entry.get("name") if isinstance(entry, Mapping) else None
        if isinstance(name, str) and name:
            parts[:2] = [f"functions[{name}]"]
    return parts


def _portfolio_error(exc: ValidationError, data: Any = None) -> InvalidCaseError:
    lines = []
    first: tuple[str, Any, str] | None = None
    for err in exc.errors(include_url=False):
        loc = _located(err["loc"], data)
        path = ".".join(loc) or "portfolio"
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            line = f"{path} is required but missing"
        elif err["type"] == "extra_forbidden":
            line = f"{path} must be a known field (check the spelling): got {err.get('input')!r}"
        elif err["type"] == "value_error":
            line = msg if not loc else f"{path}: {msg}"
        else:
            allowed = msg.lower().removeprefix("input should be ")
            line = f"{path} must be {allowed}: got {err.get('input')!r}"
        lines.append(line)
        first = first or (path, err.get("input"), msg)
    assert first is not None  # pydantic reports at least one error
    return InvalidCaseError(*first, errors=lines, message=lines[0])


def _function_case(function: Function, folder: Path | None, shared: Mapping[str, Any]) -> Case:
    where = f"functions[{function.name}].case"
    try:
        if isinstance(function.case, dict):  # an inline case may leave the shared fields out
            return parse_case({**function.case, **shared})
        path = Path(function.case)
        if not path.is_absolute() and folder is not None:
            path = folder / path
        if not path.is_file():
            raise InvalidCaseError(
                where, function.case, "an existing case file (.yaml, .yml, .json or .xlsx)"
            )
        return _with_shared(load_case(path), shared, where)
    except InvalidCaseError as exc:
        if exc.field == where:
            raise
        lines = [f"{where}.{line}" for line in exc.errors]
        raise InvalidCaseError(
            f"{where}.{exc.field}", exc.value, exc.allowed, errors=lines, message=lines[0]
        ) from None


def _with_shared(case: Case, shared: Mapping[str, Any], where: str) -> Case:
    if not shared:
        return case
    data = case.model_dump(mode="python", exclude_unset=False)
    data["uncertainty"] = case.uncertainty  # excluded from dumps; the case keeps its own
    data.update(shared)
    try:
        return Case.model_validate(data)
    except ValidationError as exc:  # a shared start or rate the function's case cannot take
        err = exc.errors(include_url=False)[0]
        raise InvalidCaseError(
            where, err.get("input"), err["msg"].removeprefix("Value error, ")
        ) from None


def load_portfolio(source: str | Path | Mapping[str, Any] | Portfolio) -> LoadedPortfolio:
    """Load a portfolio file (YAML/JSON) or mapping, its functions' cases and shared values.

    Raises
    ------
    InvalidCaseError
        naming the function and the field: a missing case file, two functions with one name,
        a currency without an exchange rate, a bad value in a function's case.

    Examples
    --------
    >>> from bpo_cost.case.examples import portfolio_example_path
    >>> loaded = load_portfolio(portfolio_example_path())
    >>> len(loaded.cases) >= 12, loaded.currency
    (True, 'USD')
    """
    folder: Path | None = None
    if isinstance(source, Portfolio):
        portfolio = source
    else:
        if isinstance(source, Mapping):
            data: Any = dict(source)
        else:
            path = Path(source)
            if not path.is_file():
                raise InvalidCaseError(
                    "portfolio file", str(source), "an existing .yaml, .yml or .json file"
                )
            folder = path.parent
            suffix = path.suffix.lower()
            if suffix == ".json":
                data = parse_json(read_text(path), path.name)
            elif suffix in (".yaml", ".yml"):
                data = parse_yaml(read_text(path), path.name)
            else:
                raise InvalidCaseError("portfolio file", path.name, "a .yaml, .yml or .json file")
        if not isinstance(data, Mapping):
            raise InvalidCaseError(
                "portfolio", type(data).__name__, "a mapping of fields (YAML/JSON object)"
            )
        try:
            portfolio = Portfolio.model_validate(data)
        except ValidationError as exc:
            raise _portfolio_error(exc, data) from None
    shared = portfolio.override_of()
    cases: dict[str, Case] = {}
    rates: dict[str, float] = {}
    for function in portfolio.functions:
        cases[function.name] = _function_case(function, folder, shared)
    currency = portfolio.currency or next(iter(cases.values())).currency
    for name, case in cases.items():
        if case.currency == currency:
            rates[name] = 1.0
        elif case.currency in portfolio.exchange_rates:
            rates[name] = portfolio.exchange_rates[case.currency]
        else:
            raise InputError(
                f"functions[{name}].case.currency",
                case.currency,
                f"the portfolio currency {currency}, or a currency with a rate in the "
                f"portfolio's exchange_rates (add exchange_rates: {{{case.currency}: ...}})",
            )
    starts = {c.start for c in cases.values()}
    if len(starts) > 1:
        first = next(iter(cases))
        other = next(n for n, c in cases.items() if c.start != cases[first].start)
        raise InputError(
            f"functions[{other}].case.start",
            cases[other].start.isoformat(),
            f"the start of the other functions ({cases[first].start.isoformat()}), or a "
            "portfolio start: for every function",
        )
    for function in portfolio.functions:  # a later start moves the case's start there
        if function.start_month > 1:
            case = cases[function.name]
            moved = {"start": months_after(case.start, function.start_month - 1)}
            cases[function.name] = _with_shared(case, moved, f"functions[{function.name}]")
    return LoadedPortfolio(portfolio, cases, rates)


def months_after(start: dt.date, months: int) -> dt.date:
    """The first of the month ``months`` after ``start``'s."""
    year, month = divmod(start.month - 1 + months, 12)
    return dt.date(start.year + year, month + 1, 1)
