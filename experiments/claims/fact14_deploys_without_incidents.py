"""Fact 14: YBIYRI deploys 10-100 times as often as YBIORI without a higher change failure rate or more incidents.

Compared at the highest demand of the core sweep; the mechanism is composite, so there is no single ablation.
"""

from __future__ import annotations

from experiments.analysis import plot_with_ci
from experiments.claims.base import Claim, Verdict, mean, new_figure, ratio, rounded, status
from experiments.claims.shared import core


class DeploysWithoutIncidents(Claim):
    """Deployment frequency, CFR and incident rate at daily demand."""

    def spec(self, quick: bool):
        """The core sweep."""
        return [core(quick)]

    def evaluate(self, tables):
        """Frequency ratio of 10 or more, CFR no higher, incidents per week no higher (10% tolerance)."""
        c = tables["core"]
        hi = c["demand_per_week"].max()
        n = {}
        for m in ("ybiori", "ybiyri"):
            for k in ("deploys_per_week", "change_failure_rate", "incidents_per_week"):
                n[f"{m}_{k}"] = mean(c, k, operating_model=m, demand_per_week=hi)
        n["frequency_ratio"] = ratio(n["ybiyri_deploys_per_week"], n["ybiori_deploys_per_week"])
        ok = (
            n["frequency_ratio"] >= 10
            and n["ybiyri_change_failure_rate"] <= n["ybiori_change_failure_rate"] + 0.01
            and n["ybiyri_incidents_per_week"] <= 1.1 * n["ybiori_incidents_per_week"]
        )
        text = (
            f"At {hi:g}/week demand YBIYRI deploys x{n['frequency_ratio']:.1f} as often "
            f"({n['ybiyri_deploys_per_week']:.2f} vs {n['ybiori_deploys_per_week']:.2f}/week) with CFR "
            f"{n['ybiyri_change_failure_rate']:.1%} vs {n['ybiori_change_failure_rate']:.1%} and "
            f"{n['ybiyri_incidents_per_week']:.2f} vs {n['ybiori_incidents_per_week']:.2f} incidents a week."
        )
        return Verdict(
            status(ok), rounded(n), text, "composite mechanism (small batches, rollback, operability): no single switch"
        )

    def figure(self, tables):
        """Deployments, CFR and incidents per week against demand."""
        fig, axes = new_figure(3, width=4)
        c = tables["core"]
        for ax, k in zip(axes, ("deploys_per_week", "change_failure_rate", "incidents_per_week"), strict=True):
            plot_with_ci(c, "demand_per_week", k, hue="operating_model", ax=ax, logx=True)
            ax.set_title(k, fontsize="medium")
        fig.suptitle("Fact 14: more deployments without more incidents?")
        return fig


CLAIM = DeploysWithoutIncidents(
    14,
    "More deployments without more incidents",
    "SM (Equal Experts, John Lewis); PB",
    "YBIYRI vs YBIORI (one team)",
    "deployment frequency up 10-100x, CFR no higher, incidents no higher",
    "small batches, owner rollback, operability investment",
)
