"""How a Delivery team splits its capacity between product features, operability work and rework.

The seed (S1) traces inoperability to this choice; calibration.md A3 gives the operational share ω.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from agents.behaviours import register


# Not frozen: freezing sets each field through object.__setattr__ (about 5 us here, per team per working day).
# Hashable by value as before (unsafe_hash); built fresh for each decision, so changing one affects nothing.
@dataclass(slots=True, unsafe_hash=True)
class PriorityContext:
    """What a team can see when it plans its day."""

    operability_share: float  # the configured share for fixed prioritisation
    rework_items: int  # proper fixes waiting in the team's backlog
    feature_backlog: int
    accountable: bool  # does this team (its product manager) answer for reliability?
    felt_pages_per_week: float  # recent incidents that reached this team or that it was told about
    operability_items: int = 0  # post-incident actions waiting in the team's backlog
    share_floor: float = 0.05
    share_cap: float = 0.5
    accountable_base: float = 0.15
    pain_sensitivity: float = 0.1
    unaccountable_weight: float = 0.2
    frozen: bool = False  # an error-budget freeze: reliability work only


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


@register("prioritise", "felt-pain", traits=("deterministic", "reads_pay"))
class FeltPain:
    """The operational share follows the incident pain the team feels, weighted by who answers for reliability.

    An accountable product manager (YBIYRI: the team's own budget pays for on-call) starts higher and moves
    with every felt incident; an unaccountable one (YBIORI) ranks features first, so pain barely moves the
    share and proper fixes get only a fraction of it (S1; PB; calibration A3: 0.05 vs 0.2 in 0.1-0.5).
    """

    def decide(self, ctx: PriorityContext, rng: random.Random) -> Split:
        """Share = floor (+ base if accountable) + sensitivity x weight x felt pain, within [floor, cap]."""
        weight = 1.0 if ctx.accountable else ctx.unaccountable_weight
        base = ctx.share_floor + (ctx.accountable_base if ctx.accountable else 0.0)
        ops = min(ctx.share_cap, max(ctx.share_floor, base + ctx.pain_sensitivity * weight * ctx.felt_pages_per_week))
        if ctx.frozen:
            ops = ctx.share_cap
        rework = ops * weight if ctx.rework_items else 0.0
        return Split(product=1.0 - ops, operability=ops - rework, rework=rework)
