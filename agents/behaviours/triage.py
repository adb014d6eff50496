"""What a support tier does once it has looked at an incident: resolve, work around, escalate or bounce.

The options follow calibration.md A5: runbooks for L1 (anticipated failures only), workarounds for App Ops,
rollback for whoever deployed, a proper code fix for the owning team only.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import StrEnum

from agents.behaviours import register


class Action(StrEnum):
    """The outcome of one tier's attempt at an incident."""

    RUNBOOK = "runbook"
    ROLLBACK = "rollback"
    WORKAROUND = "workaround"
    CODE_FIX = "code_fix"
    ESCALATE = "escalate"
    BOUNCE = "bounce"


# Not frozen: freezing sets each field through object.__setattr__ (about 0.4 us a field, per tier decision).
# Hashable by value as before (unsafe_hash); built fresh for each decision, so changing one affects nothing.
@dataclass(slots=True, unsafe_hash=True)
class TriageContext:
    """What the tier knows and can do."""

    capabilities: frozenset[str]
    knowledge: float  # the responder's knowledge of the service, in [0, 1]
    anticipated: bool  # is this failure mode covered by the runbooks?
    change_caused: bool
    deployed_by_tier: bool  # did this tier make the deployment that caused it (so it can roll back)?
    can_escalate: bool
    l1_runbook_skill: float
    bounce_prob: float
    workaround_prob: float


@register("triage", "capability-and-knowledge", traits=("stochastic",))
class CapabilityAndKnowledge:
    """Use the strongest remedy the tier is allowed and knows enough to apply, else pass the ticket on."""

    def decide(self, ctx: TriageContext, rng: random.Random) -> Action:
        """Choose the tier's action."""
        caps = ctx.capabilities
        if "route" in caps:  # a Service Desk that only maps the ticket to its owner
            return Action.ESCALATE
        if "code_fix" in caps:  # the owning team: roll back its own change, else fix forward
            if ctx.change_caused and "rollback" in caps:
                return Action.ROLLBACK
            return Action.CODE_FIX
        if "runbook" in caps:
            if ctx.anticipated and rng.random() < ctx.l1_runbook_skill:
                return Action.RUNBOOK
            if not caps & {"workaround", "rollback"}:  # a plain L1: runbooks or nothing
                return Action.ESCALATE
        understood = rng.random() < ctx.knowledge
        if understood:
            if ctx.change_caused and ctx.deployed_by_tier and "rollback" in caps:
                return Action.ROLLBACK
            if "workaround" in caps and (not ctx.can_escalate or rng.random() < ctx.workaround_prob):
                return Action.WORKAROUND
        if ctx.can_escalate:
            return Action.BOUNCE if rng.random() < ctx.bounce_prob else Action.ESCALATE
        if "workaround" in caps:  # nowhere to go: keep at it
            return Action.WORKAROUND
        return Action.BOUNCE
