"""Seeded claims of issues 2-4: each outcome comes from a mechanism, and switching it off removes it."""

import statistics

import pandas as pd
import pytest

from agents.pay import Kind
from model.org import OrgModel
from model.run import run

SEEDS = range(4)


def median_of(rows, key):
    return statistics.median(r[key] for r in rows)


def summaries(om, seeds=SEEDS, **extra):
    return [run({"operating_model": om, **extra}, seed=s).summary for s in seeds]


# --- foundation: standby cost from the ledger -----------------------------------------------------------
def standby_from_ledger(om, teams):
    org = OrgModel(rng=3, operating_model=om, delivery_teams=teams, weeks=4)
    org.run_until(org.horizon)
    return sum(e.amount for e in org.ledger.entries if e.kind == Kind.STANDBY)


def test_standby_flat_for_ybiori_linear_for_ybiyri():
    ybiori = [standby_from_ledger("ybiori", n) for n in (1, 3, 8)]
    ybiyri = [standby_from_ledger("ybiyri", n) for n in (1, 3, 8)]
    assert ybiori[0] > 0 and ybiori[0] == ybiori[1] == ybiori[2]
    assert ybiyri[0] > 0 and ybiyri[1] == pytest.approx(3 * ybiyri[0]) and ybiyri[2] == pytest.approx(8 * ybiyri[0])


def test_paid_l3_adds_delivery_rotas_to_ybiori_standby():
    base = standby_from_ledger("ybiori", 2)
    org = OrgModel(rng=3, operating_model="ybiori", delivery_teams=2, weeks=4, l3_paid=True)
    org.run_until(org.horizon)
    paid = sum(e.amount for e in org.ledger.entries if e.kind == Kind.STANDBY)
    assert paid == pytest.approx(2 * base)  # two Ops rotas + two team rotas


# --- delivery: Discontinuous Delivery emerges from handoffs ----------------------------------------------
@pytest.mark.parametrize(("demand", "ybiori_dd"), [(0.25, False), (5.0, True)])
def test_ybiori_keeps_up_with_monthly_but_not_daily_demand(demand, ybiori_dd):
    rows = summaries("ybiori", demand_per_week=demand)
    assert sum(r["discontinuous_delivery"] for r in rows) == (len(rows) if ybiori_dd else 0)


def test_ybiori_falls_behind_at_weekly_while_ybiyri_keeps_up_to_daily():
    weekly = summaries("ybiori", demand_per_week=1.0)
    assert median_of(weekly, "demand_satisfaction") < 0.8
    for demand in (1.0, 5.0):
        rows = summaries("ybiyri", demand_per_week=demand)
        assert not any(r["discontinuous_delivery"] for r in rows)
        assert median_of(rows, "demand_satisfaction") > 0.9


def test_instant_cab_and_app_ops_queue_close_the_gap():
    ablated = summaries("ybiori", demand_per_week=5.0, cab_enabled=False, app_ops_queue_enabled=False)
    assert median_of(ablated, "demand_satisfaction") > 0.9
    assert not any(r["discontinuous_delivery"] for r in ablated)


def test_demand_shock_flips_ybiori_into_discontinuous_delivery():
    for seed in SEEDS:
        calm = run({"operating_model": "ybiori", "demand_per_week": 0.25}, seed=seed).summary
        shocked = run(
            {
                "operating_model": "ybiori",
                "demand_per_week": 0.25,
                "demand_shock_week": 26,
                "demand_shock_factor": 8.0,
            },
            seed=seed,
        ).summary
        assert not calm["discontinuous_delivery"]
        assert shocked["discontinuous_delivery"]


def test_ybiori_lead_time_is_mostly_waiting_and_batches_grow_with_demand():
    low = summaries("ybiori", demand_per_week=0.5)
    high = summaries("ybiori", demand_per_week=5.0)
    assert median_of(high, "lead_time_wait_share") > 0.9
    assert median_of(high, "batch_size_mean") > 2 * median_of(low, "batch_size_mean")
    assert median_of(summaries("ybiyri"), "lead_time_h_median") < 0.05 * median_of(low, "lead_time_h_median")


def test_littles_law_holds_on_every_pipeline_and_support_queue():
    org = OrgModel(rng=5, operating_model="ybiori", delivery_teams=3, demand_per_week=3.0, weeks=20)
    org.run_until(org.horizon)
    queues = list(org.delivery.queues.values()) + list(org.support.queues.values())
    assert sum(q.arrivals for q in queues) > 100
    for q in queues:
        check = q.check(org.horizon)
        assert check.gap <= 1e-9 * max(1.0, check.mean_length), q.name


# --- support: restore times emerge from tiers, knowledge and pay ------------------------------------------
def pooled_incidents(om, seeds=SEEDS, **extra):
    frames = [run({"operating_model": om, **extra}, seed=s).incidents for s in seeds]
    d = pd.concat(frames)
    return d.assign(ttr=d.restored - d.started).dropna(subset=["ttr"])


def test_ybiori_restores_several_times_slower_with_a_right_skew():
    ori, yri = pooled_incidents("ybiori"), pooled_incidents("ybiyri")
    assert len(ori) > 80 and len(yri) > 80
    assert ori.ttr.median() > 2.5 * yri.ttr.median()
    assert ori.ttr.quantile(0.9) > 2 * ori.ttr.median()


def test_reassigned_incidents_take_markedly_longer():
    """Descriptive, like the ITSM statistic it reproduces: in these runs L1 closes only incidents its runbooks
    anticipate, so the ones that move are those L1 cannot fix, and they wait in the L2 and L3 queues (held until
    morning, the App Ops desk, best-endeavours L3). Writing tickets is a small part: handoff_h=0 with no formal
    ticket latency moves the ratio only from 28.6x to 25.6x. Swarming, which removes the tiers, is the ablation
    (test_swarming_cuts_reassignments_and_restore_time_most_for_novel_incidents)."""
    ori = pooled_incidents("ybiori")
    moved = ori[ori.reassignments > 0]
    assert 0.1 < len(moved) / len(ori) < 0.95
    assert moved.ttr.median() > 3 * ori[ori.reassignments == 0].ttr.median()


def test_perfect_ops_knowledge_and_no_bounces_remove_most_of_the_penalty():
    base = pooled_incidents("ybiori").ttr.median()
    owner = pooled_incidents("ybiyri").ttr.median()
    ablated = pooled_incidents("ybiori", perfect_ops_knowledge=True, bounce_prob=0.0).ttr.median()
    assert (base - ablated) > 0.6 * (base - owner)


def test_paying_l3_shortens_out_of_hours_restores():
    """A paid L3 rota (l3_paid): the on-call developer is paged and answers as paid; unpaid L3 is reached only
    through someone's tie and answers on goodwill. Pooled over 12 seeds, the median alone is too noisy (0.65-0.93x
    over sets of 4 seeds); the mean is 0.72-0.80x, and 0.95-0.96x when the response behaviour ignores pay."""
    seeds = range(12)
    night = lambda d: d[d.out_of_hours_start & (d.resolved_at == "L3")].ttr  # noqa: E731
    unpaid = night(pooled_incidents("ybiori", seeds=seeds))
    paid = night(pooled_incidents("ybiori", seeds=seeds, l3_paid=True))
    assert len(unpaid) > 100 and len(paid) > 100
    assert paid.mean() < 0.88 * unpaid.mean()


def test_unpaid_l3_work_is_booked_and_ybiyri_has_none():
    ori = summaries("ybiori", seeds=range(2))
    yri = summaries("ybiyri", seeds=range(2))
    assert all(r["delivery_unpaid_ooh_hours"] > 0 for r in ori)
    assert all(r["delivery_unpaid_ooh_hours"] == 0 for r in yri)


def test_workarounds_leave_rework_that_causes_repeats_until_fixed():
    fixed = {"prioritisation": "fixed", "workaround_prob": 0.9}
    starved = summaries("ybiori", operability_share=0.0, **fixed)
    funded = summaries("ybiori", operability_share=0.3, **fixed)
    assert all(r["workarounds"] > 0 for r in starved)
    assert all(r["rework_backlog_end"] == r["workarounds"] for r in starved)  # nobody does the proper fix
    assert median_of(starved, "repeat_incident_share") > 0
    assert median_of(funded, "rework_backlog_end") < median_of(starved, "rework_backlog_end")
    assert median_of(funded, "repeat_incident_share") < median_of(starved, "repeat_incident_share")
