from __future__ import annotations

import math
import random

import pytest

from agents import behaviours
from agents.behaviours.contract import (
    CAPABILITIES,
    SAMPLE_CONTEXTS,
    BehaviourContract,
    sample_response_context,
    sample_triage_context,
)
from agents.behaviours.prioritise import FixedSplit, PriorityContext, Split
from agents.behaviours.respond import PayAndFatigue, ResponseContext
from agents.behaviours.triage import Action, CapabilityAndKnowledge, TriageContext

# --- the contract, applied to every registered behaviour --------------------------------------------------
REGISTERED = [(family, name) for family in behaviours.FAMILIES for name in behaviours.names(family)]


def _contract_class(family: str, name: str) -> type:
    slug = "".join(part.capitalize() for part in f"{family}-{name}".replace("_", "-").split("-"))
    return type(f"TestContract{slug}", (BehaviourContract,), {"family": family, "name": name})


for _family, _name in REGISTERED:
    _cls = _contract_class(_family, _name)
    globals()[_cls.__name__] = _cls
del _family, _name, _cls

CONTRACT_CLASSES = {
    (cls.family, cls.name)
    for cls in list(globals().values())
    if isinstance(cls, type) and issubclass(cls, BehaviourContract) and cls is not BehaviourContract
}


def test_every_family_has_behaviours_and_sample_contexts():
    assert set(behaviours.FAMILIES) == {"prioritise", "respond", "triage"}
    for family in behaviours.FAMILIES:
        assert behaviours.names(family), family
        assert family in SAMPLE_CONTEXTS


def test_every_registered_behaviour_runs_the_contract():
    assert set(REGISTERED) == CONTRACT_CLASSES
    assert ("prioritise", "fixed") in CONTRACT_CLASSES
    assert ("respond", "pay-and-fatigue") in CONTRACT_CLASSES
    assert ("triage", "capability-and-knowledge") in CONTRACT_CLASSES


def test_create_unknown_behaviour_names_the_choices():
    with pytest.raises(KeyError, match="fixed"):
        behaviours.create("prioritise", "no-such-behaviour")


def test_register_rejects_unknown_family():
    with pytest.raises(ValueError, match="unknown behaviour family"):
        behaviours.register("no-such-family", "x")


# --- prioritise: FixedSplit ----------------------------------------------------------------------------
@pytest.mark.parametrize("share", [0.0, 0.05, 0.1, 0.3, 0.5, 0.9])
@pytest.mark.parametrize("rework_items", [0, 1, 7])
def test_fixed_split_shares_sum_to_one_and_are_non_negative(share, rework_items):
    ctx = PriorityContext(share, rework_items, feature_backlog=3, accountable=False, felt_pages_per_week=2.0)
    split = FixedSplit().decide(ctx, random.Random(0))
    assert isinstance(split, Split)
    parts = (split.product, split.operability, split.rework)
    assert all(x >= 0.0 for x in parts), split
    assert math.isclose(sum(parts), 1.0, abs_tol=1e-12)
    assert math.isclose(split.operability + split.rework, share, abs_tol=1e-12)
    assert split.rework == (share if rework_items else 0.0)


@pytest.mark.parametrize("name", behaviours.names("prioritise"))
def test_every_prioritiser_splits_the_whole_day(name):
    behaviour = behaviours.create("prioritise", name)
    rng = random.Random(3)
    for _ in range(1000):
        ctx = SAMPLE_CONTEXTS["prioritise"](rng)
        split = behaviour.decide(ctx, rng)
        parts = (split.product, split.operability, split.rework)
        assert min(parts) >= 0.0, (ctx, split)
        assert max(parts) <= 1.0, (ctx, split)
        assert math.isclose(sum(parts), 1.0, abs_tol=1e-12), (ctx, split)
        if not ctx.rework_items:
            assert split.rework == 0.0, (ctx, split)


# --- respond: PayAndFatigue --------------------------------------------------------------------------------
def test_paid_responders_always_answer():
    rng = random.Random(11)
    behaviour = PayAndFatigue()
    for _ in range(500):
        base = sample_response_context(rng)
        ctx = ResponseContext(
            True, base.in_hours, base.fatigue, base.morale, base.ack_paid_median_min, base.ack_unpaid_median_min, 0.0
        )  # no goodwill at all
        response = behaviour.decide(ctx, rng)
        assert response.answers
        assert response.latency_h > 0.0
        assert math.isfinite(response.latency_h)


def test_in_hours_responders_always_answer_even_unpaid():
    rng = random.Random(12)
    ctx = ResponseContext(False, True, 10.0, 0.0, 3.0, 60.0, 0.0)
    assert all(PayAndFatigue().decide(ctx, rng).answers for _ in range(200))


def test_unpaid_out_of_hours_with_no_goodwill_never_answers():
    rng = random.Random(13)
    ctx = ResponseContext(False, False, 0.0, 1.0, 3.0, 60.0, 0.0)
    responses = [PayAndFatigue().decide(ctx, rng) for _ in range(200)]
    assert not any(r.answers for r in responses)
    assert all(r.latency_h == 0.0 for r in responses)


def test_fatigue_and_morale_lower_unpaid_answer_rate():
    def rate(fatigue: float, morale: float) -> float:
        rng = random.Random(14)
        ctx = ResponseContext(False, False, fatigue, morale, 3.0, 60.0, 0.6)
        return sum(PayAndFatigue().decide(ctx, rng).answers for _ in range(4000)) / 4000

    fresh, tired, demoralised = rate(0.0, 1.0), rate(8.0, 1.0), rate(0.0, 0.0)
    assert 0.55 < fresh < 0.65  # 0.6
    assert 0.25 < tired < 0.35  # halved by fatigue
    assert 0.25 < demoralised < 0.35  # halved by zero morale


# --- triage: CapabilityAndKnowledge ------------------------------------------------------------------------
def _with(ctx: TriageContext, **changes) -> TriageContext:
    values = {f: getattr(ctx, f) for f in TriageContext.__dataclass_fields__}
    values.update(changes)
    return TriageContext(**values)


def test_route_capability_always_escalates():
    rng = random.Random(21)
    behaviour = CapabilityAndKnowledge()
    for _ in range(500):
        ctx = sample_triage_context(rng)
        ctx = _with(ctx, capabilities=ctx.capabilities | {"route"})
        assert behaviour.decide(ctx, rng) is Action.ESCALATE


def test_code_fix_tier_rolls_back_a_change_caused_incident():
    rng = random.Random(22)
    behaviour = CapabilityAndKnowledge()
    for _ in range(500):
        ctx = sample_triage_context(rng)
        caps = (ctx.capabilities - {"route"}) | {"code_fix", "rollback"}
        ctx = _with(ctx, capabilities=caps, change_caused=True)
        assert behaviour.decide(ctx, rng) is Action.ROLLBACK


def test_code_fix_tier_without_production_access_fixes_forward():
    rng = random.Random(23)
    behaviour = CapabilityAndKnowledge()
    for _ in range(300):
        ctx = _with(sample_triage_context(rng), capabilities=frozenset({"code_fix"}))
        assert behaviour.decide(ctx, rng) is Action.CODE_FIX
        not_change = _with(ctx, capabilities=frozenset({"code_fix", "rollback"}), change_caused=False)
        assert behaviour.decide(not_change, rng) is Action.CODE_FIX


def test_runbook_only_for_anticipated_failures():
    rng = random.Random(24)
    behaviour = CapabilityAndKnowledge()
    for _ in range(300):
        ctx = _with(sample_triage_context(rng), capabilities=frozenset({"runbook"}), anticipated=False)
        assert behaviour.decide(ctx, rng) is Action.ESCALATE
        sure = _with(ctx, anticipated=True, l1_runbook_skill=1.0)
        assert behaviour.decide(sure, rng) is Action.RUNBOOK


def test_triage_actions_are_allowed_by_capabilities():
    rng = random.Random(25)
    behaviour = CapabilityAndKnowledge()
    needs = {
        Action.RUNBOOK: "runbook",
        Action.ROLLBACK: "rollback",
        Action.WORKAROUND: "workaround",
        Action.CODE_FIX: "code_fix",
    }
    seen = set()
    for _ in range(2000):
        ctx = sample_triage_context(rng)
        action = behaviour.decide(ctx, rng)
        seen.add(action)
        if action in needs:
            assert needs[action] in ctx.capabilities, (ctx, action)
        if action is Action.ESCALATE and "route" not in ctx.capabilities and "runbook" not in ctx.capabilities:
            assert ctx.can_escalate, (ctx, action)
    assert seen == set(Action)
    assert set(CAPABILITIES) >= {"route", "runbook", "workaround", "rollback", "code_fix"}


def test_l2_rolls_back_only_its_own_change():
    rng = random.Random(26)
    behaviour = CapabilityAndKnowledge()
    l2 = frozenset({"workaround", "rollback"})
    for _ in range(300):
        ctx = _with(
            sample_triage_context(rng), capabilities=l2, knowledge=1.0, change_caused=True, deployed_by_tier=True
        )
        assert behaviour.decide(ctx, rng) is Action.ROLLBACK
        other = _with(ctx, deployed_by_tier=False)
        assert behaviour.decide(other, rng) is not Action.ROLLBACK


# --- context objects: plain slots dataclasses, equal and hashable by value ----------------------------------
@pytest.mark.parametrize("family", sorted(SAMPLE_CONTEXTS))
def test_contexts_compare_and_hash_by_value(family: str):
    ctx = SAMPLE_CONTEXTS[family](random.Random(31))
    twin = type(ctx)(**{f: getattr(ctx, f) for f in type(ctx).__dataclass_fields__})
    assert twin == ctx and twin is not ctx
    assert hash(twin) == hash(ctx)
    assert not hasattr(ctx, "__dict__")  # slots, as before


# --- the contract catches a behaviour whose decisions the model cannot use ----------------------------------
class _Unusable:
    """Deterministic, picklable, leaves global state alone: only its decisions are wrong."""

    def __init__(self, decision):
        self.decision = decision
        self.family, self.name = "prioritise", "test-unusable"

    def decide(self, ctx, rng):
        return self.decision


@pytest.mark.parametrize(
    "decision",
    [None, (0.5, 0.5, 0.0), Split(0.7, 0.7, 0.0), Split(1.2, -0.2, 0.0)],
    ids=["none", "tuple", "sums-to-1.4", "negative"],
)
def test_the_contract_refuses_decisions_the_model_cannot_use(decision):
    class Check(BehaviourContract):
        family, name = "prioritise", "test-unusable"

        def make_behaviour(self):
            return _Unusable(decision)

    with pytest.raises(AssertionError):
        Check().test_decisions_are_ones_the_model_can_use()
    Check().test_same_seed_same_decisions()  # the other clauses cannot see it


def test_the_contract_accepts_a_usable_decision():
    class Check(BehaviourContract):
        family, name = "prioritise", "test-unusable"

        def make_behaviour(self):
            return _Unusable(Split(0.7, 0.2, 0.1))

    Check().test_decisions_are_ones_the_model_can_use()
