"""Type aliases that carry units. Rates are decimals (0.05, not 5)."""

from __future__ import annotations

from typing import TypeAlias

import numpy as np
import numpy.typing as npt

Money: TypeAlias = float  # case currency
AnnualRate: TypeAlias = float  # decimal, per year
MonthlyRate: TypeAlias = float  # decimal, per month
Share: TypeAlias = float  # decimal in [0, 1]
Months: TypeAlias = int  # count of months; month 1 is the first month of the term
Seconds: TypeAlias = float
Minutes: TypeAlias = float
Hours: TypeAlias = float

FloatArray: TypeAlias = npt.NDArray[np.float64]
ArrayLike: TypeAlias = npt.ArrayLike
