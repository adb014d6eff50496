"""Answering a page or a call: whether and how fast, from pay, rota, hour and fatigue.

Defaults follow calibration.md A4: paid rostered responders answer in minutes, unpaid best-endeavours
responders answer out of hours with probability 0.6 after about an hour, and fatigue halves willingness.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from agents.behaviours import register


# Not frozen: freezing sets each field through object.__setattr__ (about 0.4 us a field, per page or call).
# Hashable by value as before (unsafe_hash); built fresh for each decision, so changing one affects nothing.
@dataclass(slots=True, unsafe_hash=True)
class ResponseContext:
    """What decides how an engineer answers."""

    paid: bool
    in_hours: bool
    fatigue: float  # night pages in the recent past
    morale: float  # in [0, 1]
    ack_paid_median_min: float
    ack_unpaid_median_min: float
    unpaid_response_prob: float


@dataclass(frozen=True, slots=True)
class Response:
    """Whether the engineer answers, and after how many hours."""

    answers: bool
    latency_h: float


@register("respond", "pay-and-fatigue", traits=("stochastic", "reads_pay"))
class PayAndFatigue:
    """Paid or in-hours responders always answer; unpaid out-of-hours ones answer on goodwill."""

    def decide(self, ctx: ResponseContext, rng: random.Random) -> Response:
        """Draw whether and when the engineer acknowledges."""
        fatigued = ctx.fatigue >= 7.0
        if ctx.paid or ctx.in_hours:
            median = ctx.ack_paid_median_min * (2.0 if fatigued else 1.0)
            return Response(True, rng.lognormvariate(math.log(median), 0.8) / 60.0)
        p = ctx.unpaid_response_prob * (0.5 if fatigued else 1.0) * (0.5 + 0.5 * ctx.morale)
        if rng.random() >= p:
            return Response(False, 0.0)
        return Response(True, rng.lognormvariate(math.log(ctx.ack_unpaid_median_min), 0.8) / 60.0)
