"""The workloads of a case as the sheets refer to them: input names, row keys, labels.

A case with one workload keeps the sheets of a v1 case (row keys such as ``volume``); with
several, a row of one workload is keyed in the input-path grammar, ``volume[voice]``, and the
pooled rows (supervisors, seats, the component totals) keep the plain key.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._types import FloatArray
from ..case.models import Case, RealTime, Workload
from ..core.timeline import month_axis, volume_path
from .refs import input_name

__all__ = ["WorkloadRef", "workload_refs", "workload_volume"]


@dataclass(frozen=True)
class WorkloadRef:
    """One workload of the case, with the names its formulas use."""

    index: int
    name: str
    prefix: str  # of its inputs: "workload." (one workload, the v1 form) or "workloads.i."
    model: Workload
    several: bool  # the case has more than one workload

    @property
    def unit(self) -> str:
        return self.model.unit

    @property
    def real_time(self) -> RealTime | None:
        return self.model.real_time

    def input(self, field: str) -> str:
        """Defined name of a field of the workload (``in_workload_volume_per_month``)."""
        return input_name(self.prefix + field)

    def overrides(self, field: str) -> bool:
        """Whether the workload sets an in-house staffing field of its own."""
        own = self.model.inhouse
        return own is not None and getattr(own, field, None) is not None

    def inhouse(self, field: str) -> str:
        """Defined name of an in-house staffing field as this workload sees it: its own
        ``inhouse`` override, else the in-house block's (``engine.inhouse.own``)."""
        if field == "handle_minutes":
            return self.input("handle_minutes")
        if self.overrides(field):
            return self.input("inhouse." + field)
        return input_name("inhouse." + field)

    def inhouse_value(self, field: str, case: Case) -> float:
        """The value of an in-house staffing field as this workload sees it."""
        if field == "handle_minutes":
            return float(self.model.handle_minutes)
        if self.overrides(field):
            return float(getattr(self.model.inhouse, field))
        return float(getattr(case.inhouse, field))

    def key(self, key: str) -> str:
        """A row key of this workload: ``volume``, or ``volume[voice]`` among several."""
        return f"{key}[{self.name}]" if self.several else key

    def label(self, text: str) -> str:
        """A row label of this workload: the workload named first among several."""
        return f"{self.name}: {text}" if self.several else text


def workload_refs(case: Case) -> list[WorkloadRef]:
    """The case's workloads, in case order."""
    several = len(case.workloads) > 1
    return [
        WorkloadRef(i, w.name, f"workloads.{i}." if several else "workload.", w, several)
        for i, w in enumerate(case.workloads)
    ]


def workload_volume(case: Case, w: WorkloadRef) -> FloatArray:
    """The workload's volume each month, as the engine computes it (for sizing sheets)."""
    m = w.model

    def row(x: float | list[float]) -> FloatArray:
        return np.atleast_2d(np.asarray(x, dtype=float))

    path = volume_path(
        row(m.volume_per_month),
        row(m.growth_per_year),
        row(m.seasonality),
        case.start,
        month_axis(case.term_months),
    )
    return np.asarray(path[0], dtype=float)
