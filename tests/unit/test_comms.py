"""``decay_ties`` walks only the ties ``strengthen`` touched, and leaves the graph a full walk would leave."""

from __future__ import annotations

import copy
import random

import networkx as nx
import pytest

from model import comms


def _graph(seed: int) -> nx.Graph:
    teams = [("a", "delivery", 6), ("b", "delivery", 5), ("ops", "app_ops", 4)]
    return comms.build_graph(teams, lambda *_: 0.3, 0.8, random.Random(seed))


def _state(g: nx.Graph) -> list:
    """Every node's neighbours in adjacency order, with their data: the order later lookups see."""
    return [(n, [(m, dict(d)) for m, d in g.adj[n].items()]) for n in g.nodes]


@pytest.mark.parametrize("seed", range(8))
def test_tracked_decay_equals_decay_of_every_edge(seed: int):
    rng = random.Random(seed)
    tracked = _graph(seed)
    full = copy.deepcopy(tracked)
    del full.graph[comms.STRENGTHENED]  # the untracked graph takes the full walk
    nodes = list(tracked.nodes)
    for _week in range(60):
        for _ in range(rng.randrange(0, 6)):  # joint work, sometimes between strangers
            a, b, gain = rng.choice(nodes), rng.choice(nodes), rng.choice([0.0, 0.02, 0.1, 0.5])
            for g in (tracked, full):
                comms.strengthen(g, a, b, gain)
        if rng.random() < 0.1:  # a new hire: their ties fall back to base
            n = rng.choice(nodes)
            for g in (tracked, full):
                for _, _, data in g.edges(n, data=True):
                    data["weight"] = data["base"]
        if rng.random() < 0.05:  # outsourcing cuts some ties
            n = rng.choice(nodes)
            for g in (tracked, full):
                g.remove_edges_from([(n, m) for m in list(g.adj[n]) if m % 3 == 0])
        rate = rng.choice([0.05, 0.2, 0.6])
        comms.decay_ties(tracked, rate)
        comms.decay_ties(full, rate)
        assert _state(tracked) == _state(full)
    assert tracked.number_of_edges() > 0
    for a, b in tracked.graph[comms.STRENGTHENED]:  # what is left in the set is above base or still to settle
        assert a < b


def test_no_gain_makes_no_tie():
    g = _graph(1)
    a, b = next((a, b) for a in g for b in g if a != b and not g.has_edge(a, b))
    comms.strengthen(g, a, b, 0.0)
    assert not g.has_edge(a, b)  # a tie of strength 0 would be a contact with infinite latency


def test_a_new_hire_keeps_the_seat_s_base_ties_but_not_the_ties_its_leaver_made_by_work():
    from model.org import OrgModel

    org = OrgModel(rng=1, operating_model="ybiori", weeks=2)
    leaver = org.delivery_teams[0].members[0]
    stranger = org.team("app_ops").members[0]
    base = {other: data["base"] for _, other, data in org.comms.edges(leaver.node, data=True)}
    comms.strengthen(org.comms, leaver.node, stranger.node, 0.5)
    for other in list(base)[:2]:
        comms.strengthen(org.comms, leaver.node, other, 0.05)
    org._replace(leaver)
    after = {other: data for _, other, data in org.comms.edges(leaver.node, data=True)}
    assert stranger.node not in after or stranger.node in base
    assert {other: data["base"] for other, data in after.items()} == base
    assert all(data["weight"] == data["base"] > 0 for data in after.values())


def test_swarms_after_attrition_run():
    """Regression: a new hire's work-made ties were kept at strength 0 and a swarm divided by it (seed 1)."""
    from model.run import run

    result = run({"operating_model": "ybiosri", "support_mode": "swarm", "weeks": 104}, 1)
    assert result.summary["attrition"] > 0
