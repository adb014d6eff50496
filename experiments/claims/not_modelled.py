"""Facts the model cannot test yet, each with the one-line reason.

They appear in the report with the status "not modelled yet" so every fact 1-35 is accounted for.
"""

from __future__ import annotations

from experiments.claims.base import NotModelled

CLAIMS = [
    NotModelled(
        17,
        "The funding source inflates targets",
        "S2; S4; S5; PB",
        "YBIYRI@scale, team CapEx vs central OpEx",
        "OpEx-funded product managers pick the maximum target",
        reason="availability targets are inputs (availability_target, portfolio); no product manager chooses them.",
    ),
    NotModelled(
        25,
        "SRE capacity limits scale",
        "SRE ch. 11",
        "YBISRI",
        "a hard ceiling on services per SRE team; the rest stay on YBIYRI",
        reason="the ceiling is an input (sre_size x sre_services_per_engineer), not derived from the 50% and 25% "
        "caps, so a sweep would only restate the parameter.",
    ),
    NotModelled(
        29,
        "Maintenance mode makes things worse",
        "SM; PB",
        "YBIORI with the team disbanded after launch",
        "run cost falls; TTR and loss rise",
        reason="no event disbands a Delivery team after launch (teams are fixed for the whole run).",
    ),
    NotModelled(
        35,
        "Putting handoffs back reverses YBIYRI's gains",
        "PB: pitfalls",
        "YBIYRI, then an event adding an Ops manager and a CAB",
        "TTR from minutes to about a week; deployments from twice a day to fortnightly",
        reason="the operating model cannot change during a run (no event switches YBIYRI to a CAB and Ops tiers).",
    ),
]
