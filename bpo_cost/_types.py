"""Type aliases that carry units. Rates are decimals (0.05, not 5)."""

from __future__ import annotations

from typing import TypeAlias

import numpy as np
import numpy.typing as npt

AnnualRate: TypeAlias = float  # decimal, per year
MonthlyRate: TypeAlias = float  # decimal, per month

FloatArray: TypeAlias = npt.NDArray[np.float64]
ArrayLike: TypeAlias = npt.ArrayLike
