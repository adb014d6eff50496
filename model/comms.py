"""The communication graph: engineers as integer nodes, strong ties inside teams, sparse ties across.

Follows calibration.md A8: handoffs along a personal tie are fast, without one a ticket waits in a formal
queue; joint incident work strengthens ties and carries knowledge along them.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

import networkx as nx

STRONG = 0.9  # base strength of a tie inside a team
WEAK = 0.3  # base strength of a tie across teams
STRENGTHENED = "strengthened"  # graph attribute: the set of (low, high) node pairs ``strengthen`` has touched


def build_graph(
    teams: Sequence[tuple[str, str, int]],
    density: Callable[[str, str, str, str], float],
    within: float,
    rng: random.Random,
) -> nx.Graph:
    """Build the graph for ``teams`` given as (team name, team kind, size), nodes numbered in that order.

    ``density(kind_a, name_a, kind_b, name_b)`` is the chance of a tie between members of two different
    teams (the operating model decides it); ``within`` is the chance inside a team. Draws come from ``rng``.
    """
    g = nx.Graph()
    g.graph[STRENGTHENED] = set()  # ties that may be above their base strength: the only ones decay_ties walks
    members: list[list[int]] = []
    node = 0
    for name, kind, size in teams:
        ids = list(range(node, node + size))
        for i in ids:
            g.add_node(i, team=name, kind=kind)
        members.append(ids)
        node += size
    for ids in members:
        for a_pos, a in enumerate(ids):
            for b in ids[a_pos + 1 :]:
                if rng.random() < within:
                    g.add_edge(a, b, weight=STRONG, base=STRONG)
    for i, (name_a, kind_a, _) in enumerate(teams):
        for j in range(i + 1, len(teams)):
            name_b, kind_b, _ = teams[j]
            p = density(kind_a, name_a, kind_b, name_b)
            if p <= 0.0:
                continue
            for a in members[i]:
                for b in members[j]:
                    if rng.random() < p:
                        g.add_edge(a, b, weight=WEAK, base=WEAK)
    return g


def best_contact(g: nx.Graph, source: int, targets: Sequence[int]) -> tuple[int, float] | None:
    """The member of ``targets`` with the strongest direct tie to ``source``, or None if there is none."""
    adj = g.adj[source]
    best: tuple[int, float] | None = None
    for t in targets:
        data = adj.get(t)
        if data is not None and (best is None or data["weight"] > best[1]):
            best = (t, data["weight"])
    return best


def find_contact(
    g: nx.Graph, source: int, colleagues: Sequence[int], targets: Sequence[int]
) -> tuple[int, float, int] | None:
    """Find someone in ``targets`` through a direct tie or a colleague's tie: (node, strength, hops)."""
    direct = best_contact(g, source, targets)
    if direct is not None:
        return direct[0], direct[1], 1
    best: tuple[int, float, int] | None = None
    for c in colleagues:
        if c == source or not g.has_edge(source, c):
            continue
        via = best_contact(g, c, targets)
        if via is not None:
            strength = via[1] * g.edges[source, c]["weight"]
            if best is None or strength > best[1]:
                best = (via[0], strength, 2)
    return best


def strengthen(g: nx.Graph, a: int, b: int, gain: float) -> None:
    """Strengthen (or create, as a weak tie) the tie between two engineers who worked together."""
    if a == b or gain <= 0.0:  # no gain, no tie: a tie of strength 0 would be a contact nobody can reach
        return
    if g.has_edge(a, b):
        data = g.edges[a, b]
        data["weight"] = min(1.0, data["weight"] + gain)
    else:
        g.add_edge(a, b, weight=min(1.0, gain), base=0.0)
    tracked = g.graph.get(STRENGTHENED)
    if tracked is not None:
        tracked.add((a, b) if a < b else (b, a))


def decay_ties(g: nx.Graph, rate: float) -> None:
    """Let the strength each tie gained from joint work fade by ``rate``; ties made only by work vanish.

    Only a tie ``strengthen`` touched can be above its base, so on a graph from ``build_graph`` only those are
    walked (a tie back at its base, or gone, leaves the set); other graphs have every edge walked. Each tie
    decays on its own and removing edges keeps the order of the rest, so both walks leave the same graph.
    """
    tracked = g.graph.get(STRENGTHENED)
    if tracked is None:
        _decay_all(g, rate)
        return
    adj = g.adj
    dead, settled = [], []
    for a, b in tracked:
        data = adj[a].get(b)
        extra = -1.0 if data is None else data["weight"] - data["base"]
        if extra > 0:
            data["weight"] = data["base"] + extra * (1.0 - rate)
            if data["weight"] < 0.01:
                dead.append((a, b))
        else:  # removed, or reset to its base (a new hire): nothing to decay until strengthened again
            settled.append((a, b))
    g.remove_edges_from(dead)
    tracked.difference_update(dead)
    tracked.difference_update(settled)


def _decay_all(g: nx.Graph, rate: float) -> None:
    """``decay_ties`` over every edge, for graphs that do not track strengthened ties."""
    dead = []
    for a, b, data in g.edges(data=True):
        extra = data["weight"] - data["base"]
        if extra > 0:
            data["weight"] = data["base"] + extra * (1.0 - rate)
            if data["weight"] < 0.01:
                dead.append((a, b))
    g.remove_edges_from(dead)
