"""Benchmark rate cards: vendor billing rates, per-transaction prices, in-house wages, presets.

The bundled cards are the CSV files in the repository's ``rates/`` folder (shipped inside the
wheel); ``rates/README.md`` documents their columns and how every row was built, and
``rates/SOURCES.md`` lists the sources. A case file writes a :class:`RateRef` instead of a
number; :meth:`RateCards.resolve` turns it into a value aged to the case start date.

Cards and their keys:

- ``billing_hourly``: vendor rate per productive hour, key ``(function, location, unit)``;
- ``per_transaction``: vendor price per unit of work (contact, ticket, claim, ...), same key;
- ``wage``: in-house base hourly wage with benefit load, payroll tax and wage inflation;
- ``functions``: presets per function (unit of work, handle time, shrinkage, occupancy).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping
from datetime import date
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias, TypeVar, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from .._resources import data_dir
from ..errors import InputError, RateCardError

if TYPE_CHECKING:  # pandas loads on first use: it is half the import time of bpo_cost
    import pandas as pd

__all__ = [
    "FUNCTION_IDS",
    "Card",
    "FunctionId",
    "FunctionPreset",
    "Rate",
    "RateCards",
    "RateRef",
    "RateRow",
    "ResolvedRate",
    "Statistic",
    "Tier",
    "WageRow",
    "age_rate",
    "load_cards",
]

Card = Literal["billing_hourly", "per_transaction", "wage"]
Statistic = Literal["low", "typical", "high"]
Tier = Literal["onshore", "nearshore", "offshore"]
_Family = Literal["front_office", "back_office", "finance", "hr", "it", "kpo"]
FunctionId = Literal[
    "customer_service_voice",
    "customer_service_chat",
    "customer_service_email",
    "technical_support",
    "sales_lead_qualification",
    "data_entry",
    "document_processing",
    "claims_processing",
    "order_processing",
    "accounts_payable",
    "accounts_receivable",
    "payroll",
    "bookkeeping",
    "hr_administration",
    "recruitment",
    "compliance_reporting",
    "it_help_desk",
    "research",
    "analytics",
    "legal",
]
FUNCTION_IDS: tuple[str, ...] = get_args(FunctionId)
_CARDS: tuple[str, ...] = get_args(Card)

_Key: TypeAlias = tuple[str, str, str]  # (function, location, unit)
_FILES = {
    "billing_hourly": "billing_hourly.csv",
    "per_transaction": "per_transaction.csv",
    "wage": "wages.csv",
    "functions": "functions.csv",
}

_Location = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
_Unit = Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
_Text = Annotated[str, Field(min_length=1)]
_NonNeg = Annotated[float, Field(ge=0, allow_inf_nan=False)]
_Minutes = Annotated[float, Field(gt=0, allow_inf_nan=False)]

# The text after "must be" in a card error, per column.
_ALLOWED = {
    "function": "one of " + ", ".join(FUNCTION_IDS),
    "location": "an ISO 3166 alpha-2 code (two capital letters, e.g. US)",
    "tier": "one of onshore, nearshore, offshore",
    "currency": "an ISO 4217 code (three capital letters, e.g. USD)",
    "unit": "a unit name in lower case letters, digits and _ (e.g. hour, contact)",
    "low": "a number >= 0",
    "typical": "a number >= 0",
    "high": "a number >= 0",
    "source": "a non-empty text naming the source",
    "as_of": "an ISO date (YYYY-MM-DD)",
    "note": "a text",
    "benefits_load": "a decimal share between 0 and 2 (0.25 = 25%)",
    "payroll_tax": "a decimal share in [0, 1) (0.0765 = 7.65%)",
    "wage_inflation_per_year": "a decimal rate per year in (-1, 1] (0.04 = 4%)",
    "label": "a non-empty text",
    "family": "one of " + ", ".join(get_args(_Family)),
    "real_time": "true or false",
    "handle_minutes_low": "a number > 0",
    "handle_minutes_typical": "a number > 0",
    "handle_minutes_high": "a number > 0",
    "shrinkage": "a decimal share in [0, 1)",
    "occupancy": "a decimal share in (0, 1]",
}
_BELOW = {  # a range column and the column it may not be below
    "typical": "low",
    "high": "typical",
    "handle_minutes_typical": "handle_minutes_low",
    "handle_minutes_high": "handle_minutes_typical",
}


def _ordered(value: float, info: ValidationInfo) -> float:
    below = _BELOW[str(info.field_name)]
    floor = info.data.get(below)  # absent when that column failed on its own
    if floor is not None and value < floor:
        raise ValueError(f"a number >= {below} ({floor:g})")
    return value


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RateRow(_Row):
    """One row of ``billing_hourly.csv`` or ``per_transaction.csv`` (see ``rates/README.md``)."""

    function: FunctionId
    location: _Location
    tier: Tier
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    unit: _Unit
    low: _NonNeg
    typical: _NonNeg
    high: _NonNeg
    source: _Text
    as_of: date
    note: str = ""

    _check_order = field_validator("typical", "high")(_ordered)

    @property
    def key(self) -> _Key:
        """``(function, location, unit)``: user rows with the same key replace this one."""
        return (self.function, self.location, self.unit)


class WageRow(RateRow):
    """One row of ``wages.csv``: base hourly wage plus the employer's on-costs."""

    benefits_load: Annotated[float, Field(ge=0, le=2, allow_inf_nan=False)]
    payroll_tax: Annotated[float, Field(ge=0, lt=1, allow_inf_nan=False)]
    wage_inflation_per_year: Annotated[float, Field(gt=-1, le=1, allow_inf_nan=False)]


class FunctionPreset(_Row):
    """One row of ``functions.csv``: how a function's work is measured and staffed."""

    function: FunctionId
    label: _Text
    family: _Family
    unit: _Unit
    real_time: bool
    handle_minutes_low: _Minutes
    handle_minutes_typical: _Minutes
    handle_minutes_high: _Minutes
    shrinkage: Annotated[float, Field(ge=0, lt=1, allow_inf_nan=False)]
    occupancy: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)]
    source: _Text
    as_of: date
    note: str = ""

    _check_order = field_validator("handle_minutes_typical", "handle_minutes_high")(_ordered)


class RateRef(BaseModel):
    """What a case file writes instead of a number: which card, row and statistic to use.

    Examples
    --------
    >>> RateRef(card="wage", function="payroll", location="US", statistic="typical").unit is None
    True
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    card: Card
    function: FunctionId
    location: _Location
    statistic: Statistic
    unit: _Unit | None = None


class Rate(BaseModel):
    """A value read from a card, with its provenance and the key of its row."""

    model_config = ConfigDict(frozen=True)

    value: float
    currency: str
    unit: str
    source: str
    as_of: date
    card: Card
    function: FunctionId
    location: str
    tier: Tier
    statistic: Statistic
    note: str = ""

    @property
    def key(self) -> tuple[str, str, str, str]:
        """``(card, function, location, unit)``."""
        return (self.card, self.function, self.location, self.unit)


class ResolvedRate(BaseModel):
    """A rate aged from its ``as_of`` date to ``to`` with ``inflation_per_year``."""

    model_config = ConfigDict(frozen=True)

    value: float
    original_value: float
    currency: str
    unit: str
    as_of: date
    to: date
    inflation_per_year: float
    source: str
    card: Card
    function: FunctionId
    location: str
    statistic: Statistic


def age_rate(value: float, *, as_of: date, to: date, inflation_per_year: float) -> float:
    """Age a rate from the date it was valid at to another date.

    Parameters
    ----------
    value : float
        The rate at ``as_of``.
    as_of : datetime.date
        The date the rate is valid at.
    to : datetime.date
        The date to bring it to; an earlier date deflates the rate.
    inflation_per_year : float
        Annual wage inflation, decimal (0.04 = 4%), greater than -1.

    Returns
    -------
    float
        The rate at ``to``.

    Notes
    -----
    Annual inflation compounds over the exact elapsed time, counted in years of 365.25 days::

        value * (1 + inflation_per_year) ** ((to - as_of).days / 365.25)

    so a rate aged over a leap year grows slightly more than the annual rate, and aging is
    path-independent (aging a to b, then b to c, equals aging a to c).

    Examples
    --------
    An agent billed at $10.00/h on 1 January 2024, with 5.6% wage inflation, a year later:

    >>> from datetime import date
    >>> round(age_rate(10.0, as_of=date(2024, 1, 1), to=date(2025, 1, 1),
    ...                inflation_per_year=0.056), 4)
    10.5612
    """
    if not math.isfinite(value):
        raise InputError("value", value, "a finite number")
    if not (math.isfinite(inflation_per_year) and inflation_per_year > -1):
        raise InputError("inflation_per_year", inflation_per_year, "a decimal rate > -1")
    years = (to - as_of).days / 365.25
    return float(value * (1.0 + inflation_per_year) ** years)


_M = TypeVar("_M", bound=_Row)
_FRAME_COLUMNS = [
    "card",
    "function",
    "location",
    "tier",
    "unit",
    "currency",
    "low",
    "typical",
    "high",
    "benefits_load",
    "payroll_tax",
    "wage_inflation_per_year",
    "source",
    "as_of",
    "note",
]


class RateCards:
    """The loaded cards: bundled rows, with a user's rows in place of those with the same key.

    Build it with :func:`load_cards`. It is read-only.
    """

    def __init__(
        self,
        cards: Mapping[str, Mapping[_Key, RateRow]],
        presets: Mapping[str, FunctionPreset],
    ) -> None:
        self._cards = {card: dict(cards.get(card, {})) for card in _CARDS}
        self._presets = dict(presets)

    def _merged(self, other: RateCards) -> RateCards:
        cards = {card: {**self._cards[card], **other._cards[card]} for card in _CARDS}
        return RateCards(cards, {**self._presets, **other._presets})

    def rows(self, card: Card) -> tuple[RateRow, ...]:
        """Every row of a card, in file order (user rows replace bundled rows in place)."""
        if card not in _CARDS:
            raise RateCardError("card", card, "one of " + ", ".join(_CARDS))
        return tuple(self._cards[card].values())

    @property
    def presets(self) -> Mapping[str, FunctionPreset]:
        """Function presets from ``functions.csv``, by function id."""
        return MappingProxyType(self._presets)

    def preset(self, function: str) -> FunctionPreset:
        """The preset of one function.

        Examples
        --------
        >>> load_cards().preset("customer_service_voice").real_time
        True
        """
        if function not in self._presets:
            raise RateCardError("function", function, "one of " + ", ".join(self._presets))
        return self._presets[function]

    @property
    def locations(self) -> tuple[str, ...]:
        """Every location that has a row on some card, in first-seen order."""
        seen = dict.fromkeys(key[1] for card in self._cards.values() for key in card)
        return tuple(seen)

    def lookup(self, ref: RateRef | Mapping[str, Any] | None = None, /, **fields: Any) -> Rate:
        """Read one rate from a card.

        Parameters
        ----------
        ref : RateRef or mapping, optional
            The reference; alternatively give its fields as keywords (``card``, ``function``,
            ``location``, ``statistic`` and optionally ``unit``).

        Returns
        -------
        Rate
            The value with its currency, unit, source, ``as_of`` date and row key.

        Raises
        ------
        RateCardError
            The reference is malformed, or no row matches; the message lists what the card has
            for that function and that location.

        Examples
        --------
        >>> cards = load_cards()
        >>> rate = cards.lookup(card="billing_hourly", function="customer_service_voice",
        ...                     location="PH", statistic="typical")
        >>> rate.value, rate.currency, rate.unit, rate.as_of.isoformat()
        (10.0, 'USD', 'hour', '2024-01-01')
        """
        ref = _as_ref(ref, fields)
        rows = self._cards[ref.card]
        found = [
            row
            for (function, location, unit), row in rows.items()
            if function == ref.function
            and location == ref.location
            and (ref.unit is None or unit == ref.unit)
        ]
        if len(found) != 1:
            raise self._missing(ref, several=len(found) > 1)
        row = found[0]
        return Rate(
            value=float(getattr(row, ref.statistic)),
            currency=row.currency,
            unit=row.unit,
            source=row.source,
            as_of=row.as_of,
            card=ref.card,
            function=row.function,
            location=row.location,
            tier=row.tier,
            statistic=ref.statistic,
            note=row.note,
        )

    def _missing(self, ref: RateRef, *, several: bool) -> RateCardError:
        rows = self._cards[ref.card]
        asked = f"{ref.function} at {ref.location}" + (f" per {ref.unit}" if ref.unit else "")
        if several:
            units = [k[2] for k in rows if k[:2] == (ref.function, ref.location)]
            return RateCardError(
                f"{ref.card} rate unit", asked, "given, one of " + ", ".join(units)
            )
        here = [k for k in rows if k[:2] == (ref.function, ref.location)]
        locations = _listing(dict.fromkeys(k[1] for k in rows if k[0] == ref.function))
        functions = _listing(dict.fromkeys(k[0] for k in rows if k[1] == ref.location))
        there = f"; units there: {_listing(k[2] for k in here)}" if here else ""
        return RateCardError(
            f"{ref.card} rate",
            asked,
            f"a function and location on the card (for {ref.function}: {locations}; "
            f"at {ref.location}: {functions}{there})",
        )

    def wage_inflation(self, location: str, function: str | None = None) -> float:
        """Annual wage inflation of a location from the wage card.

        Uses the wage row of ``function`` when there is one (a user card may state its own),
        else the first wage row of the location.

        Examples
        --------
        >>> load_cards().wage_inflation("IN")
        0.095
        """
        rows = [r for r in self._cards["wage"].values() if r.location == location]
        if not rows:
            raise RateCardError(
                "wage inflation location",
                location,
                "a location on the wage card ("
                + _listing(dict.fromkeys(k[1] for k in self._cards["wage"]))
                + "), or pass inflation_per_year",
            )
        mine = [r for r in rows if r.function == function] or rows
        first = mine[0]
        assert isinstance(first, WageRow)  # the wage card only ever holds WageRow
        return first.wage_inflation_per_year

    def resolve(
        self,
        ref: RateRef | Mapping[str, Any],
        *,
        to: date,
        inflation_per_year: float | None = None,
    ) -> ResolvedRate:
        """Look a rate up and age it to a date.

        Parameters
        ----------
        ref : RateRef or mapping
            The reference, as written in a case file.
        to : datetime.date
            The date to age the rate to, usually the start of the case term.
        inflation_per_year : float, optional
            Annual inflation to age with; by default the location's
            ``wage_inflation_per_year`` from the wage card, for every card (vendors pass wage
            inflation on through COLA clauses).

        Returns
        -------
        ResolvedRate
            The aged value, the original value, both dates, the inflation used and the source.

        Notes
        -----
        See :func:`age_rate` for the compounding convention.

        Examples
        --------
        >>> from datetime import date
        >>> cards = load_cards()
        >>> r = cards.resolve({"card": "billing_hourly", "function": "customer_service_voice",
        ...                    "location": "PH", "statistic": "typical"}, to=date(2025, 1, 1))
        >>> r.original_value, r.inflation_per_year, round(r.value, 2)
        (10.0, 0.056, 10.56)
        """
        rate = self.lookup(ref)
        if inflation_per_year is None:
            inflation_per_year = self.wage_inflation(rate.location, rate.function)
        value = age_rate(rate.value, as_of=rate.as_of, to=to, inflation_per_year=inflation_per_year)
        return ResolvedRate(
            value=value,
            original_value=rate.value,
            currency=rate.currency,
            unit=rate.unit,
            as_of=rate.as_of,
            to=to,
            inflation_per_year=inflation_per_year,
            source=rate.source,
            card=rate.card,
            function=rate.function,
            location=rate.location,
            statistic=rate.statistic,
        )

    def frame(self, function: str | None = None, location: str | None = None) -> pd.DataFrame:
        """List the rate rows, optionally for one function and/or one location.

        Parameters
        ----------
        function : str, optional
            A canonical function id.
        location : str, optional
            An ISO 3166 alpha-2 code present on the cards.

        Returns
        -------
        pandas.DataFrame
            One row per card row: card, function, location, tier, unit, currency, low,
            typical, high, the wage on-costs (empty for vendor cards), source, as_of, note.

        Examples
        --------
        >>> list(load_cards().frame(function="payroll", location="US")["card"])
        ['billing_hourly', 'per_transaction', 'wage']
        """
        if function is not None and function not in FUNCTION_IDS:
            raise RateCardError("function", function, "one of " + ", ".join(FUNCTION_IDS))
        if location is not None and location not in self.locations:
            raise RateCardError("location", location, "one of " + ", ".join(self.locations))
        records = [
            {"card": card, **row.model_dump()}
            for card in _CARDS
            for row in self._cards[card].values()
            if (function is None or row.function == function)
            and (location is None or row.location == location)
        ]
        import pandas as pd

        return pd.DataFrame(records, columns=_FRAME_COLUMNS)


def _listing(items: Iterable[str]) -> str:
    return ", ".join(items) or "none"


def _as_ref(ref: RateRef | Mapping[str, Any] | None, fields: Mapping[str, Any]) -> RateRef:
    if isinstance(ref, RateRef) and not fields:
        return ref
    data = {**(ref.model_dump() if isinstance(ref, RateRef) else dict(ref or {})), **fields}
    try:
        return RateRef.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(part) for part in err["loc"]) or "rate reference"
        allowed = {
            "card": "one of " + ", ".join(_CARDS),
            "statistic": "one of low, typical, high",
        }.get(field, _ALLOWED.get(field, "a field of a rate reference (" + err["msg"] + ")"))
        raise RateCardError(f"rate reference {field}", err.get("input"), allowed) from None


# ------------------------------------------------------------------------------------- loading


def _parse(text: str, shown: str, model: type[_M]) -> list[tuple[int, _M]]:
    """Validate every row of one card file: (line number, row); errors name it ``shown``."""
    reader = csv.DictReader(io.StringIO(text))
    try:
        return _rows(reader, shown, model)
    except csv.Error as exc:  # a cell over the csv module's limit (128 KiB), a NUL byte
        raise RateCardError(
            f"{shown} row {reader.line_num}",
            str(exc)[:80],
            f"plain CSV (cells of at most {csv.field_size_limit():,} characters)",
        ) from None


def _rows(reader: csv.DictReader[str], shown: str, model: type[_M]) -> list[tuple[int, _M]]:
    header = [name.strip() for name in reader.fieldnames or []]
    columns = list(model.model_fields)
    unknown = [name for name in header if name not in columns]
    if unknown:
        raise RateCardError(
            f"{shown} header column {unknown[0]!r}", unknown[0], "one of " + ", ".join(columns)
        )
    required = [name for name, f in model.model_fields.items() if f.is_required()]
    missing = [name for name in required if name not in header]
    if missing:
        raise RateCardError(
            f"{shown} header",
            ",".join(header),
            "complete (add the columns " + ", ".join(missing) + ")",
        )
    rows: list[tuple[int, _M]] = []
    for record in reader:
        where = f"{shown} row {reader.line_num}"
        if None in record:
            raise RateCardError(where, record[None], f"no more than {len(header)} cells")
        cells = {
            name.strip(): (value or "").strip()
            for name, value in record.items()
            if name is not None
        }
        if not any(cells.values()):
            continue
        try:
            rows.append((reader.line_num, model.model_validate(cells)))
        except ValidationError as exc:
            err = exc.errors()[0]
            column = str(err["loc"][0]) if err["loc"] else ""
            ctx = err.get("ctx") or {}
            allowed = str(ctx["error"]) if err["type"] == "value_error" else _ALLOWED[column]
            raise RateCardError(f"{where} column {column}", cells.get(column), allowed) from None
    return rows


def _read(path: Path, shown: str) -> RateCards:
    card = next(c for c, name in _FILES.items() if name == path.name)
    try:
        text = path.read_text(encoding="utf-8-sig")  # a spreadsheet's UTF-8 export has a BOM
    except (OSError, UnicodeDecodeError) as exc:
        raise RateCardError(shown, str(exc), "a readable UTF-8 CSV file") from None
    if card == "functions":
        presets = _parse(text, shown, FunctionPreset)
        _no_duplicates(shown, [(line, (p.function,)) for line, p in presets])
        return RateCards({}, {p.function: p for _, p in presets})
    model = WageRow if card == "wage" else RateRow
    rows: list[tuple[int, RateRow]] = list(_parse(text, shown, model))
    _no_duplicates(shown, [(line, row.key) for line, row in rows])
    return RateCards({card: {row.key: row for _, row in rows}}, {})


def _no_duplicates(shown: str, keys: list[tuple[int, tuple[str, ...]]]) -> None:
    first: dict[tuple[str, ...], int] = {}
    for line, key in keys:
        if key in first:
            raise RateCardError(
                f"{shown} row {line} key", "/".join(key), f"unique (row {first[key]} has it)"
            )
        first[key] = line


def _load(paths: Iterable[Path], shown: Mapping[Path, str]) -> RateCards:
    cards = RateCards({}, {})
    for path in paths:
        cards = cards._merged(_read(path, shown[path]))
    return cards


@cache
def _bundled() -> RateCards:
    folder = data_dir("rates")
    paths = [folder / name for name in _FILES.values()]
    # never show a machine path: bundled files are named as in the repository
    return _load(paths, {path: f"rates/{path.name}" for path in paths})


def load_cards(user_card: str | Path | None = None) -> RateCards:
    """Load the bundled rate cards, and a user's own card alongside them.

    Parameters
    ----------
    user_card : str or pathlib.Path, optional
        A CSV file named like a bundled card (``billing_hourly.csv``, ``per_transaction.csv``,
        ``wages.csv``, ``functions.csv``) or a folder of such files. Its rows replace bundled
        rows with the same key; the bundled cards themselves are read once and cached.

    Returns
    -------
    RateCards

    Raises
    ------
    RateCardError
        A file is missing, has an unknown name, or has a malformed row; the message names the
        file, the row (line number, header = 1) and the column.

    Examples
    --------
    >>> cards = load_cards()
    >>> len(cards.rows("billing_hourly")), len(cards.presets)
    (200, 20)
    """
    bundled = _bundled()
    if user_card is None:
        return bundled
    path = Path(user_card)
    if path.is_dir():
        paths = sorted(path.glob("*.csv"))
        if not paths:
            raise RateCardError("user_card", str(path), "a folder holding card CSV files")
    elif path.is_file():
        paths = [path]
    else:
        raise RateCardError("user_card", str(path), "an existing CSV file or folder")
    for p in paths:
        if p.name not in _FILES.values():
            allowed = "one of " + ", ".join(_FILES.values())
            raise RateCardError("user card file name", p.name, allowed)
    return bundled._merged(_load(paths, {p: str(p) for p in paths}))
