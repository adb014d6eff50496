"""A reusable contract test for registered decision behaviours.

Inherit :class:`BehaviourContract` in a ``Test...`` class and set ``family`` and ``name`` (and, if the
family's default sample contexts do not suit, override :meth:`make_context`)::

    from agents.behaviours.contract import BehaviourContract

    class TestMyTriage(BehaviourContract):
        family = "triage"
        name = "my-triage"

The contract checks that every decision is one the model can use (the family's type, in range), that the
behaviour is reproducible from the seed of the generator it is given, that an instance pickles (so models
holding it pickle), and that deciding never touches the global ``random`` or ``numpy.random`` state.
"""

from __future__ import annotations

import math
import pickle
import random
from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np

from agents.behaviours import create, names
from agents.behaviours.prioritise import PriorityContext, Split
from agents.behaviours.respond import Response, ResponseContext
from agents.behaviours.triage import Action, TriageContext

CAPABILITIES = ("route", "runbook", "workaround", "rollback", "code_fix")


#: Optional PriorityContext fields (tuning knobs some prioritisers read), drawn when the context has them.
PRIORITY_EXTRAS: dict[str, Callable[[random.Random], Any]] = {
    "operability_items": lambda r: r.choice([0, r.randrange(1, 10)]),
    "share_floor": lambda r: r.uniform(0.0, 0.5),
    "share_cap": lambda r: r.uniform(0.05, 0.9),
    "accountable_base": lambda r: r.uniform(0.0, 0.5),
    "pain_sensitivity": lambda r: r.uniform(0.0, 1.0),
    "unaccountable_weight": lambda r: r.uniform(0.0, 1.0),
}


def sample_priority_context(rng: random.Random) -> PriorityContext:
    fields = PriorityContext.__dataclass_fields__
    extras = {name: draw(rng) for name, draw in PRIORITY_EXTRAS.items() if name in fields}
    return PriorityContext(
        operability_share=rng.choice([0.0, 0.9, rng.uniform(0.0, 0.9)]),
        rework_items=rng.choice([0, 0, 1, rng.randrange(2, 20)]),
        feature_backlog=rng.randrange(0, 30),
        accountable=rng.random() < 0.5,
        felt_pages_per_week=rng.choice([0.0, rng.uniform(0.0, 10.0), rng.uniform(0.0, 100.0)]),
        **extras,
    )


def sample_response_context(rng: random.Random) -> ResponseContext:
    return ResponseContext(
        paid=rng.random() < 0.5,
        in_hours=rng.random() < 0.3,
        fatigue=rng.choice([0.0, rng.uniform(0.0, 15.0)]),
        morale=rng.uniform(0.0, 1.0),
        ack_paid_median_min=rng.uniform(0.1, 120.0),
        ack_unpaid_median_min=rng.uniform(1.0, 720.0),
        unpaid_response_prob=rng.uniform(0.0, 1.0),
    )


def sample_triage_context(rng: random.Random) -> TriageContext:
    caps = frozenset(c for c in CAPABILITIES if rng.random() < 0.35)
    return TriageContext(
        capabilities=caps,
        knowledge=rng.uniform(0.0, 1.0),
        anticipated=rng.random() < 0.5,
        change_caused=rng.random() < 0.5,
        deployed_by_tier=rng.random() < 0.5,
        can_escalate=rng.random() < 0.6,
        l1_runbook_skill=rng.uniform(0.0, 1.0),
        bounce_prob=rng.uniform(0.0, 0.9),
        workaround_prob=rng.uniform(0.0, 1.0),
    )


#: Default sample-context factories by behaviour family: ``factory(rng) -> context``.
SAMPLE_CONTEXTS: dict[str, Callable[[random.Random], Any]] = {
    "prioritise": sample_priority_context,
    "respond": sample_response_context,
    "triage": sample_triage_context,
}


class BehaviourContract:
    """Contract every registered behaviour must honour; subclass it in a ``Test...`` class."""

    family: ClassVar[str] = ""
    name: ClassVar[str] = ""
    calls: ClassVar[int] = 200
    seed: ClassVar[int] = 20240611

    # --- hooks -------------------------------------------------------------------------------------
    def make_behaviour(self) -> Any:
        return create(self.family, self.name)

    def make_context(self, rng: random.Random) -> Any:
        return SAMPLE_CONTEXTS[self.family](rng)

    def contexts(self, n: int | None = None) -> list[Any]:
        ctx_rng = random.Random(self.seed ^ 0x5EED)
        return [self.make_context(ctx_rng) for _ in range(n or self.calls)]

    def decisions(self, behaviour: Any, seed: int, contexts: list[Any]) -> list[Any]:
        rng = random.Random(seed)
        return [behaviour.decide(ctx, rng) for ctx in contexts]

    def check_decision(self, decision: Any, ctx: Any) -> None:
        """Fail unless ``decision`` is one the model can use: the family's type, with values in range."""
        if self.family == "prioritise":
            assert isinstance(decision, Split), f"decide returned {decision!r}, not a Split"
            shares = (decision.product, decision.operability, decision.rework)
            assert all(0.0 <= x <= 1.0 for x in shares), f"shares out of [0, 1]: {decision!r} for {ctx!r}"
            assert math.isclose(sum(shares), 1.0, abs_tol=1e-9), f"shares do not sum to 1: {decision!r}"
        elif self.family == "respond":
            assert isinstance(decision, Response), f"decide returned {decision!r}, not a Response"
            assert isinstance(decision.answers, bool), f"answers is not a bool: {decision!r}"
            latency = decision.latency_h
            assert math.isfinite(latency) and latency >= 0.0, f"latency_h {latency!r} for {ctx!r}"
        elif self.family == "triage":
            assert isinstance(decision, Action), f"decide returned {decision!r}, not an Action"

    # --- the contract ------------------------------------------------------------------------------
    def test_decisions_are_ones_the_model_can_use(self) -> None:
        contexts = self.contexts()
        for ctx, decision in zip(contexts, self.decisions(self.make_behaviour(), self.seed, contexts), strict=True):
            self.check_decision(decision, ctx)

    def test_is_registered(self) -> None:
        assert self.family, "set the class attribute 'family'"
        assert self.name in names(self.family)
        behaviour = self.make_behaviour()
        assert behaviour.family == self.family
        assert behaviour.name == self.name
        assert callable(behaviour.decide)

    def test_same_seed_same_decisions(self) -> None:
        contexts = self.contexts()
        first = self.decisions(self.make_behaviour(), self.seed, contexts)
        second = self.decisions(self.make_behaviour(), self.seed, contexts)
        assert len(first) == self.calls
        assert first == second

    def test_one_instance_is_reusable(self) -> None:
        behaviour = self.make_behaviour()
        contexts = self.contexts()
        assert self.decisions(behaviour, self.seed, contexts) == self.decisions(behaviour, self.seed, contexts)

    def test_decisions_depend_only_on_the_given_generator(self) -> None:
        contexts = self.contexts()
        behaviour = self.make_behaviour()
        rng = random.Random(self.seed)
        reference = [behaviour.decide(ctx, rng) for ctx in contexts]
        rng = random.Random(self.seed)
        interleaved = []
        for i, ctx in enumerate(contexts):
            random.seed(i)  # the global generators move between calls ...
            np.random.seed(i)
            random.random()
            np.random.random()
            interleaved.append(behaviour.decide(ctx, rng))
        assert interleaved == reference  # ... and the decisions do not notice

    def test_pickles(self) -> None:
        behaviour = self.make_behaviour()
        contexts = self.contexts(50)
        self.decisions(behaviour, 1, contexts)  # used instances pickle too
        clone = pickle.loads(pickle.dumps(behaviour))
        assert type(clone) is type(behaviour)
        assert self.decisions(clone, self.seed, contexts) == self.decisions(behaviour, self.seed, contexts)

    def test_contexts_pickle(self) -> None:
        for ctx in self.contexts(20):
            assert pickle.loads(pickle.dumps(ctx)) == ctx

    def test_leaves_global_random_state_alone(self) -> None:
        random.seed(12345)
        np.random.seed(54321)
        py_before = random.getstate()
        np_before = np.random.get_state()
        behaviour = self.make_behaviour()
        decisions = self.decisions(behaviour, self.seed, self.contexts())
        assert len(decisions) == self.calls
        assert random.getstate() == py_before
        np_after = np.random.get_state()
        assert np_after[0] == np_before[0]
        np.testing.assert_array_equal(np_after[1], np_before[1])
        assert np_after[2:] == np_before[2:]
