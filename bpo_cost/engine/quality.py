"""Quality-adjusted volume and who pays the productivity dip (docs/methodology.md#hidden-costs).

- Rework and repeat contacts are work done again: whoever handles the work (the in-house team,
  a vendor's line or the option's schedule) handles its volume × (1 + ``rework_rate``), after
  automation has taken its share. The extra units are staffed (Erlang C for live channels) and
  billed under every pricing model, so first-contact resolution shows up in cost.
- The productivity dip is charged to the client on the fees of the schedules whose payer is the
  client: always (``dip_paid_by: client``, release 0.1.0), only hourly schedules (``pricing``:
  under per-transaction and outcome pricing the vendor absorbs its own learning curve) or never
  (``vendor``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .._types import FloatArray
from ..core.workspace import op
from .params import Option, Pricing, Quality, Transition

__all__ = ["client_pays_dip", "line_quality", "reworked"]


def reworked(volumes: Sequence[FloatArray], quality: Quality | None) -> list[FloatArray]:
    """The volumes handled once rework is added: × (1 + rework rate); as they are without one."""
    if quality is None:
        return list(volumes)
    factor = 1.0 + quality.rework_rate
    return [op(np.multiply, v, factor) for v in volumes]


def line_quality(option: Option, line: int | None) -> Quality | None:
    """The quality of a schedule of ``option``: line ``line``'s, else the option's (``line``
    None: the option's pricing; ``vendor.billings``)."""
    own = None if line is None else option.lines[line].quality
    return option.quality if own is None else own


def client_pays_dip(transition: Transition, pricing: Pricing) -> bool:
    """Whether the client pays the productivity dip on the fees of a schedule of this pricing."""
    payer = transition.dip_paid_by
    return payer == "client" or (payer == "pricing" and pricing.model == "hourly")
