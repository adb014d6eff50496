"""The daily reporters that remember a value between days give what a fresh computation gives, every day."""

from __future__ import annotations

import statistics

import pytest

from model import metrics
from model.org import OrgModel


@pytest.mark.parametrize("operating_model", ["ybiori", "ybiyri"])
def test_remembered_medians_equal_fresh_ones_every_day(operating_model):
    m = OrgModel(rng=3, operating_model=operating_model, weeks=20, demand_per_week=2.0, incident_rate_per_week=1.0)
    changed = {"ttr": 0, "lead": 0}
    last = {"ttr": None, "lead": None}
    for day in range(1, 20 * 7):
        m.run_until(day * 24.0 + 0.5)
        done = [i.restored - i.started for i in m.support.incidents[-60:] if i.restored is not None][-30:]
        fresh = {
            "ttr": statistics.median(done) if done else float("nan"),
            "lead": statistics.median(m.delivery.recent_lead_times) if m.delivery.recent_lead_times else float("nan"),
        }
        got = {"ttr": metrics.ttr_h_recent(m), "lead": metrics.lead_time_h_recent(m)}
        for key in fresh:
            assert got[key] == pytest.approx(fresh[key], nan_ok=True), (day, key)
            if got[key] != last[key]:
                changed[key] += 1
            last[key] = got[key]
    assert changed["ttr"] > 5 and changed["lead"] > 5  # the run moved both medians, so the cache was exercised


def test_app_ops_knowledge_is_the_mean_of_what_each_app_ops_engineer_knows():
    m = OrgModel(rng=2, weeks=8, delivery_teams=3)
    m.run_until(8 * 168 - 1)
    ops = m.team("app_ops").members
    expected = statistics.fmean(e.knows(s.sid) for e in ops for s in m.services)
    assert metrics.app_ops_knowledge(m) == pytest.approx(expected)
    assert 0.0 < metrics.app_ops_knowledge(m) <= 1.0
