"""Fact 4: longer time to restore through YBIORI's tiers, worse at scale, with more than one reassignment.

The ablation gives App Ops the owners' knowledge and stops bounce-backs (perfect_ops_knowledge, bounce_prob=0).
"""

from __future__ import annotations

import pandas as pd

from experiments.analysis import plot_with_ci
from experiments.claims.base import Claim, Verdict, ablation_text, gap_closed, mean, new_figure, rounded, status
from experiments.claims.shared import scale_models, tiers_off

ABLATION = "ybiori, all-knowing App Ops, no bounce"


def with_ablation(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The scale sweep and the tiers ablation in one table, with a ``label`` column."""
    base = tables["scale"].assign(label=tables["scale"]["operating_model"])
    return pd.concat([base, tables["tiers-off"].assign(label=ABLATION)], ignore_index=True)


class TtrThroughTiers(Claim):
    """TTR and reassignments of YBIORI against YBIYRI over the number of teams."""

    def spec(self, quick: bool):
        """The scale sweep and the tiers ablation."""
        return [scale_models(quick), tiers_off(quick)]

    def evaluate(self, tables):
        """YBIORI TTR longer at every D and longer at the largest D than at one; >1 reassignment vs about 0."""
        s, off = tables["scale"], tables["tiers-off"]
        ds = sorted(s["delivery_teams"].unique())
        numbers = {}
        for d in ds:
            for m in ("ybiori", "ybiyri"):
                numbers[f"{m}_ttr_h_median_D{d}"] = mean(
                    s, "time_to_restore_h_median", operating_model=m, delivery_teams=d
                )
        for m in ("ybiori", "ybiyri"):
            numbers[f"{m}_ttr_h_p90_D{ds[-1]}"] = mean(
                s, "time_to_restore_h_p90", operating_model=m, delivery_teams=ds[-1]
            )
            numbers[f"{m}_reassignments_per_incident"] = mean(s, "reassignments_per_incident", operating_model=m)
        longer = all(numbers[f"ybiori_ttr_h_median_D{d}"] > numbers[f"ybiyri_ttr_h_median_D{d}"] for d in ds)
        worse = numbers[f"ybiori_ttr_h_median_D{ds[-1]}"] > numbers[f"ybiori_ttr_h_median_D{ds[0]}"]
        moves = numbers["ybiori_reassignments_per_incident"] > 1 and numbers["ybiyri_reassignments_per_incident"] < 0.5
        off_ttr = mean(off, "time_to_restore_h_median", delivery_teams=ds[-1])
        numbers[f"ablation_ybiori_ttr_h_median_D{ds[-1]}"] = off_ttr
        numbers["ablation_reassignments_per_incident"] = mean(off, "reassignments_per_incident")
        text = (
            f"Median TTR at D={ds[-1]}: YBIORI {numbers[f'ybiori_ttr_h_median_D{ds[-1]}']:.1f} h vs YBIYRI "
            f"{numbers[f'ybiyri_ttr_h_median_D{ds[-1]}']:.1f} h (D=1: {numbers['ybiori_ttr_h_median_D1']:.1f} vs "
            f"{numbers['ybiyri_ttr_h_median_D1']:.1f} h); reassignments per incident "
            f"{numbers['ybiori_reassignments_per_incident']:.2f} vs {numbers['ybiyri_reassignments_per_incident']:.2f}."
        )
        closed = gap_closed(
            numbers[f"ybiori_ttr_h_median_D{ds[-1]}"], off_ttr, numbers[f"ybiyri_ttr_h_median_D{ds[-1]}"]
        )
        ablation = ablation_text(closed, f"An all-knowing App Ops that never bounces (D={ds[-1]})")
        return Verdict(status(longer and worse and moves), rounded(numbers), text, ablation)

    def figure(self, tables):
        """Median TTR and reassignments per incident against the number of teams."""
        fig, axes = new_figure(2)
        df = with_ablation(tables)
        plot_with_ci(df, "delivery_teams", "time_to_restore_h_median", hue="label", ax=axes[0], logx=True)
        plot_with_ci(df, "delivery_teams", "reassignments_per_incident", hue="label", ax=axes[1], logx=True)
        axes[0].set_title("Fact 4: median TTR (h) by number of teams", fontsize="medium")
        axes[1].set_title("reassignments per incident", fontsize="medium")
        return fig


CLAIM = TtrThroughTiers(
    4,
    "Longer TTR through tiers",
    "S1; S3; PB",
    "YBIORI vs YBIYRI and tiered YBIYRI, D in 1..30, mixed portfolio",
    "YBIORI hours to days vs YBIYRI minutes to hours, worse at scale; reassignments above 1 vs about 0",
    "waits at each level, bounce-backs, an L2 without knowledge (ablation: perfect_ops_knowledge=true, bounce_prob=0)",
)
