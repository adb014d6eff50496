"""The panels without a page: the graph's encoding and cached layout, and the data each panel draws."""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import pytest
from matplotlib.colors import to_rgba

import viz.app as app
from agents.pay import Kind
from model import operating_models
from model.org import OrgModel
from viz import components
from viz.controls import initial_values, model_params

SMALL = {**initial_values(model_params()), "delivery_teams": 2, "weeks": 8}


@pytest.fixture(scope="module")
def run_model() -> OrgModel:
    """A YBIORI organisation three weeks in: incidents, handoffs and ledger entries exist."""
    m = OrgModel(**SMALL)
    m.run_for(21 * 24)
    return m


def test_graph_layout_is_computed_once_per_model(monkeypatch):
    calls = []
    real = components.team_layout

    def counting(model):
        calls.append(model)
        return real(model)

    monkeypatch.setattr(components, "team_layout", counting)
    m = OrgModel(**SMALL)
    first = components.panel_for(m, components.GraphPanel)
    components.render_png(m, components.GraphPanel)
    pos = first.pos.copy()
    for _ in range(3):
        m.run_for(app.RENDER_INTERVAL)
        components.render_png(m, components.GraphPanel)
    assert components.panel_for(m, components.GraphPanel) is first
    assert len(calls) == 1
    assert np.array_equal(first.pos, pos)
    other = OrgModel(**SMALL)  # a Reset builds a new model: a new layout for it, once
    components.render_png(other, components.GraphPanel)
    assert len(calls) == 2


def test_team_layout_clusters_teams_with_delivery_on_the_ring(run_model):
    pos, centres = components.team_layout(run_model)
    assert pos.shape == (len(run_model.engineers), 2)
    assert len({tuple(p) for p in pos}) == len(pos), "two engineers on one spot"
    for team in run_model.teams:
        cx, cy = centres[team.name]
        ring = math.hypot(cx, cy)
        assert (ring == pytest.approx(1.0)) == (team.kind == "delivery")
        for e in team.members:
            assert math.dist(pos[e.node], (cx, cy)) < 0.3  # members sit around their team's centre


def test_graph_encodes_role_on_call_incident_fatigue_and_handoffs():
    m = OrgModel(**SMALL)
    panel = components.panel_for(m, components.GraphPanel)
    dev, ops = m.delivery_teams[0].members[0], m.team("app_ops").members[0]
    for e in m.engineers:  # a clean slate, then one of each state
        e.on_call, e.working_incident, e.fatigue = False, None, 0.0
    dev.working_incident = 1
    ops.on_call = True
    ops.fatigue = 3.0
    m.support.handoffs_by_day.append((m.time, dev.node, ops.node))
    panel.refresh(m)
    edges = panel.nodes.get_edgecolors()
    assert tuple(edges[dev.node]) == to_rgba(components.INCIDENT_EDGE)
    assert tuple(edges[ops.node]) == to_rgba(components.ON_CALL_EDGE)
    sizes = panel.nodes.get_sizes()
    assert sizes[ops.node] > sizes[dev.node]  # fatigue as size
    faces = panel.nodes.get_facecolors()
    assert tuple(faces[dev.node]) != tuple(faces[ops.node])  # colour by role
    assert len(panel.handoffs.get_segments()) == 1
    assert len(panel.ties.get_segments()) == m.comms.number_of_edges()
    assert "handoffs in the last day 1" in panel.status.get_text()


def test_recent_handoffs_keep_only_the_last_day(run_model):
    m = run_model
    moves = components.recent_handoffs(m)
    expected = [(a, b) for t, a, b in m.support.handoffs_by_day if t >= m.time - 24 and a != b]
    assert sorted(moves) == sorted(expected)


def test_ledger_tally_matches_the_ledger(run_model):
    m = run_model
    tally = components.LedgerTally()
    half = len(m.ledger.entries) // 2
    entries = m.ledger.entries
    m.ledger.entries = entries[:half]  # read in two goes, as a running page does
    tally.update(m)
    m.ledger.entries = entries
    tally.update(m)
    assert tally.seen == len(entries)
    for kind in Kind:
        by_team = sum(v for (_, k), v in tally.money.items() if k == kind)
        assert by_team == pytest.approx(m.ledger.amount(kind))
        for account in ("capex", "opex"):
            assert tally.account_hours[account, kind] == pytest.approx(m.ledger.hours(kind, account))
    per_team = defaultdict(float)
    for e in entries:
        per_team[e.team] += e.hours if e.kind == Kind.UNPAID_OOH else 0.0
    for team, hours in per_team.items():
        assert tally.hours[team, Kind.UNPAID_OOH] == pytest.approx(hours)


def test_support_data(run_model):
    m = run_model
    counts = components.resolved_counts(m)
    assert list(counts)[:4] == list(components.LEVELS) and list(counts)[-1] == "open"
    assert sum(counts.values()) == len(m.support.incidents)
    hist = components.reassignment_histogram(m)
    assert hist.sum() == sum(1 for i in m.support.incidents if i.restored is not None)


def test_stage_lead_times_cover_the_stages_in_use(run_model):
    rows = components.stage_lead_times(run_model)
    used = {components.STAGE_LABELS[s] for s, q in run_model.delivery.queues.items() if q.arrivals}
    labels = [r[0] for r in rows]
    assert set(labels[:-1]) == used and labels[-1].startswith("ready")
    for _, med, p90 in rows:
        assert math.isnan(med) or med <= p90


def test_incident_rate_is_per_week_over_a_trailing_week():
    days = np.arange(15.0)
    cum = np.arange(15.0)  # one incident a day
    rate = components.incident_rate(days, cum)
    assert rate[0] == 0.0
    assert rate[1:] == pytest.approx(7.0)


@pytest.mark.parametrize("name", operating_models.names())
def test_every_registered_operating_model_draws_every_panel(name):
    m = OrgModel(**{**SMALL, "operating_model": name, "delivery_teams": 1})
    m.run_for(10 * 24)
    for cls in components.ALL_PANELS:
        png = components.render_png(m, cls)
        assert png.startswith(b"\x89PNG") and len(png) > 5000, f"{name}: {cls.title} drew nothing"


def test_blitting_reuses_the_background_and_matches_a_full_draw():
    m = OrgModel(**SMALL)
    m.run_for(3 * 24)
    panel = components.panel_for(m, components.GraphPanel)
    first = panel.render(m)
    draws = panel.full_draws
    m.run_for(24)  # the graph's axes never move: only the people, ties and handoffs are redrawn
    blitted = panel.render(m)
    assert blitted != first
    assert panel.full_draws == draws
    panel._background = None  # force drawing the whole figure for the same state
    assert panel.png() == blitted
    assert panel.full_draws == draws + 1


@pytest.mark.parametrize(("value", "top"), [(0.0, 1.0), (3.2, 4.0), (512.0, 600.0), (1000.0, 1000.0), (0.07, 1.0)])
def test_nice_top(value, top):
    assert components.nice_top(value) == pytest.approx(top)


def test_day_axis_grows_in_jumps():
    m = OrgModel(**SMALL)
    assert components.day_limit(m) == 14
    m.run_for(15 * 24)
    assert components.day_limit(m) == 28


@pytest.mark.parametrize(("n", "text"), [(0, "0 features"), (1, "1 feature"), (2, "2 features")])
def test_counts_take_the_singular_for_one(n, text):
    assert components.counted(n, "feature") == text


def test_run_summary_says_one_feature_not_one_features(monkeypatch):
    monkeypatch.setattr(components.metrics, "demand_cum", lambda m: 1)
    lines = components.summary_lines(OrgModel(**SMALL))
    assert any("for 1 feature demanded" in line for line in lines), lines
