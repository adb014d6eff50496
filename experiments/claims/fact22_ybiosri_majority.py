"""Fact 22: YBIOSRI's Ops-run majority inherits Discontinuous Delivery and inoperability, and worsens with D.

Per-service results of YBIOSRI with PB's mixed portfolio, split by who runs each service (``run_by``).
"""

from __future__ import annotations

import pandas as pd

from experiments.analysis import plot_with_ci
from experiments.claims.base import Claim, Verdict, new_figure, rounded, status, sweep

OPS, TEAM = "monitoring", "delivery"


def ybiosri(quick: bool):
    """YBIOSRI, mixed portfolio, five and ten teams, with and without Delivery feedback."""
    return sweep(
        "ybiosri",
        quick,
        long=True,
        fixed={"operating_model": "ybiosri", "portfolio": "mixed"},
        grid={"delivery_teams": [5, 10], "delivery_feedback": [False, True]},
    )


WORSE = 0.02  # "worsens with D": Ops-run satisfaction at the largest D at least 2 points below the smallest


def services(tables) -> pd.DataFrame:
    """The per-service table joined with each run's swept values."""
    runs = tables["ybiosri"][["run_id", "delivery_teams", "delivery_feedback", "replicate"]]
    out = tables["ybiosri:services"].merge(runs, on="run_id")
    return out.assign(flagged=(out["demand_satisfaction"] < 0.8).astype(float))


class YbiosriMajority(Claim):
    """Demand satisfaction and operability of Ops-run vs team-run services."""

    keep_tables = ("services",)

    def spec(self, quick: bool):
        """The YBIOSRI sweep."""
        return [ybiosri(quick)]

    def evaluate(self, tables):
        """Ops-run services satisfy less demand and are less operable; their satisfaction falls with D."""
        s = services(tables)
        s = s[~s["delivery_feedback"].astype(bool)]
        g = s.groupby("run_by")[["demand_satisfaction", "flagged", "operability"]].mean()
        ds = sorted(s["delivery_teams"].unique())
        by_d = s[s.run_by == OPS].groupby("delivery_teams")["demand_satisfaction"].mean()
        n = {f"{who}_{k}": float(g.loc[who, k]) for who in (OPS, TEAM) if who in g.index for k in g.columns}
        n["ops_run_share_of_services"] = float((s.run_by == OPS).mean())
        n |= {f"ops_run_satisfaction_D{d}": float(by_d.get(d, float("nan"))) for d in ds}
        ok = (
            n.get(f"{OPS}_demand_satisfaction", 1) < n.get(f"{TEAM}_demand_satisfaction", 0)
            and n.get(f"{OPS}_operability", 1) < n.get(f"{TEAM}_operability", 0)
            and n[f"ops_run_satisfaction_D{ds[-1]}"] < n[f"ops_run_satisfaction_D{ds[0]}"] - WORSE
        )
        text = (
            f"{n['ops_run_share_of_services']:.0%} of services are Ops-run; they meet "
            f"{n.get(f'{OPS}_demand_satisfaction', float('nan')):.0%} of demand "
            f"({n.get(f'{OPS}_flagged', float('nan')):.0%} "
            f"flagged) against {n.get(f'{TEAM}_demand_satisfaction', float('nan')):.0%} for team-run services; "
            f"operability "
            f"{n.get(f'{OPS}_operability', float('nan')):.2f} vs "
            f"{n.get(f'{TEAM}_operability', float('nan')):.2f}; Ops-run "
            f"satisfaction at D={ds[0]} / {ds[-1]}: {n[f'ops_run_satisfaction_D{ds[0]}']:.0%} / "
            f"{n[f'ops_run_satisfaction_D{ds[-1]}']:.0%} (worse with D means at least {WORSE * 100:.0f} points lower)."
        )
        return Verdict(
            status(ok), rounded(n), text, "YBIORI's handoffs apply per class; see facts 1 and 9 for their ablations"
        )

    def figure(self, tables):
        """Service demand satisfaction and operability by run_by against D."""
        s = services(tables)
        s = s[~s["delivery_feedback"].astype(bool)]
        per_run = s.groupby(["run_id", "run_by", "delivery_teams"], as_index=False)[
            ["demand_satisfaction", "operability"]
        ].mean()
        fig, axes = new_figure(2)
        plot_with_ci(per_run, "delivery_teams", "demand_satisfaction", hue="run_by", ax=axes[0])
        plot_with_ci(per_run, "delivery_teams", "operability", hue="run_by", ax=axes[1])
        fig.suptitle("Facts 22-23: YBIOSRI services by who runs them")
        return fig


CLAIM = YbiosriMajority(
    22,
    "YBIOSRI's majority inherits Discontinuous Delivery and inoperability",
    "S5",
    "YBIOSRI, mixed portfolio, D in {5, 10}",
    "the Ops-run majority behaves like YBIORI, and results worsen with D",
    "YBIORI's handoffs and incentives, applied per class",
)
