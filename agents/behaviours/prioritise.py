"""How a Delivery team splits its capacity between product features, operability work and rework.

The seed (S1) traces inoperability to this choice; calibration.md A3 gives the operational share ω.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from agents.behaviours import register


@dataclass(frozen=True, slots=True)
class PriorityContext:
    """What a team can see when it plans its day."""

    operability_share: float  # the configured share for fixed prioritisation
    rework_items: int  # proper fixes waiting in the team's backlog
    feature_backlog: int
    accountable: bool  # does this team (its product manager) answer for reliability?
    felt_pages_per_week: float  # recent incidents that reached this team


@dataclass(frozen=True, slots=True)
class Split:
    """Shares of the day's capacity; they sum to 1."""

    product: float
    operability: float
    rework: float


@register("prioritise", "fixed", traits=("deterministic",))
class FixedSplit:
    """A fixed operability share; rework (proper fixes) is done inside that share first."""

    def decide(self, ctx: PriorityContext, rng: random.Random) -> Split:
        """Give ``operability_share`` to operational work, rework first, and the rest to features."""
        ops = ctx.operability_share
        rework = ops if ctx.rework_items else 0.0
        return Split(product=1.0 - ops, operability=ops - rework, rework=rework)
