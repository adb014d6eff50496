"""Fact 7: knowledge-sync cost grows faster than linearly with the number of teams under YBIORI; about 0 for YBIYRI.

The slope of log(sync hours per week) on log(D) is the elasticity; the mechanism is the per-deployment handover.
"""

from __future__ import annotations

import numpy as np

from experiments.analysis import plot_with_ci
from experiments.claims.base import Claim, Verdict, mean, new_figure, rounded, status
from experiments.claims.shared import scale_models


def per_week(df):
    """The table with ``sync_h_per_week`` added."""
    return df.assign(sync_h_per_week=df["knowledge_sync_hours"] / df["weeks"])


class KnowledgeSyncCost(Claim):
    """Elasticity of YBIORI's weekly knowledge-transfer hours in D, and YBIYRI's level."""

    def spec(self, quick: bool):
        """The scale sweep."""
        return [scale_models(quick)]

    def evaluate(self, tables):
        """Elasticity above 1 for YBIORI; YBIYRI below 1% of YBIORI's hours."""
        s = per_week(tables["scale"])
        ds = sorted(s["delivery_teams"].unique())
        ori = [mean(s, "sync_h_per_week", operating_model="ybiori", delivery_teams=d) for d in ds]
        yb = mean(s, "sync_h_per_week", operating_model="ybiyri")
        slope = float(np.polyfit(np.log(ds), np.log(np.maximum(ori, 1e-9)), 1)[0])
        numbers = {f"ybiori_sync_h_per_week_D{d}": v for d, v in zip(ds, ori, strict=True)}
        numbers |= {"ybiori_elasticity_in_D": slope, "ybiyri_sync_h_per_week": yb}
        ok = slope > 1 and yb <= 0.01 * max(ori)
        text = (
            f"YBIORI spends {ori[0]:.1f} h/week on knowledge transfer at D={ds[0]} and {ori[-1]:.1f} at D={ds[-1]} "
            f"(elasticity {slope:.2f}; faster than linear needs > 1); YBIYRI {yb:.2f} h/week."
        )
        ablation = "not run: the handover is the cost itself (handover hours = 0 would remove it by definition)"
        return Verdict(status(ok), rounded(numbers), text, ablation)

    def figure(self, tables):
        """Weekly knowledge-sync hours against D, log-log."""
        fig, (ax,) = new_figure()
        plot_with_ci(
            per_week(tables["scale"]), "delivery_teams", "sync_h_per_week", hue="operating_model", ax=ax, logx=True
        )
        ax.set_yscale("symlog", linthresh=1)
        ax.set_title("Fact 7: knowledge-transfer hours per week", fontsize="medium")
        return fig


CLAIM = KnowledgeSyncCost(
    7,
    "Knowledge-sync cost grows",
    "S1; S3; PB",
    "YBIORI vs YBIYRI, D in 1..30",
    "faster than linear in D for App Ops; about 0 for YBIYRI",
    "a handover per deployment, and decay as attention spreads",
)
