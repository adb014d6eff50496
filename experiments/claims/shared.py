"""Sweeps several claims share, so the report runs each of them once.

Every claim that uses one of these asks for it by calling the function with its ``quick`` flag.
"""

from __future__ import annotations

from experiments.claims.base import sweep
from experiments.spec import SweepSpec

DEMANDS = [0.25, 0.5, 1.0, 2.0, 5.0]
HANDOFFS_OFF = {"cab_enabled": False, "app_ops_queue_enabled": False}
TIERS_OFF = {"perfect_ops_knowledge": True, "bounce_prob": 0.0}


def core(quick: bool) -> SweepSpec:
    """YBIORI and YBIYRI, one team each, demand swept from monthly to daily."""
    return sweep("core", quick, grid={"operating_model": ["ybiori", "ybiyri"], "demand_per_week": DEMANDS})


def handoffs_off(quick: bool) -> SweepSpec:
    """YBIORI without the CAB and the App Ops deployment queue (the ablation of facts 1-3)."""
    return sweep(
        "handoffs-off", quick, fixed={"operating_model": "ybiori", **HANDOFFS_OFF}, grid={"demand_per_week": DEMANDS}
    )


def teams(quick: bool) -> list[int]:
    """Numbers of Delivery teams in the scale sweep."""
    return [1, 3, 10] if quick else [1, 3, 10, 20, 30]


def scale_models(quick: bool) -> SweepSpec:
    """YBIORI, YBIYRI and tiered YBIYRI over the number of teams, PB's mixed portfolio, weekly demand."""
    return sweep(
        "scale",
        quick,
        fixed={"portfolio": "mixed"},
        grid={"operating_model": ["ybiori", "ybiyri", "ybiyri-tiered"], "delivery_teams": teams(quick)},
    )


def tiers_off(quick: bool) -> SweepSpec:
    """YBIORI at scale with an all-knowing, never-bouncing App Ops (the ablation of facts 4, 13, 33)."""
    return sweep(
        "tiers-off",
        quick,
        fixed={"portfolio": "mixed", "operating_model": "ybiori", **TIERS_OFF},
        grid={"delivery_teams": teams(quick)},
    )


def feedback(quick: bool) -> SweepSpec:
    """YBIORI and YBIYRI, three teams, with and without YBIYRI's feedback loop (facts 8, 9, 15, 27)."""
    return sweep(
        "feedback",
        quick,
        long=True,
        fixed={"delivery_teams": 3},
        grid={"operating_model": ["ybiori", "ybiyri"], "delivery_feedback": [False, True]},
    )
