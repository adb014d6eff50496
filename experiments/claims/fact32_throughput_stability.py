"""Fact 32: throughput and stability move together: deployment frequency rises with 1/TTR, and CFR does not rise.

Spearman rank correlations over every run of the core, scale and DORA sweeps.
"""

from __future__ import annotations

import pandas as pd
from scipy import stats

from experiments.claims.base import Claim, Verdict, new_figure, rounded, status
from experiments.claims.dora import VIEW
from experiments.claims.shared import core, scale_models

SWEEPS = ("core", "scale", "dora")


def pooled(tables) -> pd.DataFrame:
    """Every run of the pooled sweeps with its model and the three keys."""
    cols = ["operating_model", "deploys_per_week", "time_to_restore_h_median", "change_failure_rate"]
    return pd.concat([tables[s][cols] for s in SWEEPS], ignore_index=True).dropna()


MIN_R = 0.1  # a rank correlation this size is about 2.5 SD over the pooled runs (p ~ 0.05 at 320 runs)


class ThroughputStability(Claim):
    """Rank correlations across all scenarios."""

    def spec(self, quick: bool):
        """The pooled sweeps."""
        return [core(quick), scale_models(quick), *VIEW.spec(quick)]

    def evaluate(self, tables):
        """Positive correlation of DF with 1/TTR (above 0.1), and no positive correlation of CFR with DF (below 0.1)."""
        p = pooled(tables)
        r_ttr = float(stats.spearmanr(p["deploys_per_week"], 1 / p["time_to_restore_h_median"]).statistic)
        r_cfr = float(stats.spearmanr(p["deploys_per_week"], p["change_failure_rate"]).statistic)
        ok = r_ttr > MIN_R and r_cfr < MIN_R
        n = {"runs": len(p), "spearman_df_vs_inverse_ttr": r_ttr, "spearman_df_vs_cfr": r_cfr}
        text = f"Over {len(p)} runs: rank correlation of DF with 1/TTR {r_ttr:+.2f}, of DF with CFR {r_cfr:+.2f}."
        return Verdict(status(ok), rounded(n), text, "an emergent association across scenarios; no single switch")

    def figure(self, tables):
        """DF against TTR and against CFR, coloured by model."""
        p = pooled(tables)
        fig, axes = new_figure(2)
        for i, (m, g) in enumerate(p.groupby("operating_model")):
            axes[0].scatter(
                g["deploys_per_week"], g["time_to_restore_h_median"], s=10, alpha=0.6, color=f"C{i}", label=m
            )
            axes[1].scatter(g["deploys_per_week"], g["change_failure_rate"], s=10, alpha=0.6, color=f"C{i}", label=m)
        axes[0].set_yscale("log")
        for ax in axes:
            ax.set_xscale("log")
            ax.set_xlabel("deploys per week per service")
        axes[0].set_ylabel("median TTR (h)")
        axes[1].set_ylabel("change failure rate")
        axes[0].legend(fontsize="x-small")
        fig.suptitle("Fact 32: throughput and stability")
        return fig


CLAIM = ThroughputStability(
    32,
    "Throughput and stability move together",
    "DORA, every year",
    "all models (core, scale and DORA sweeps)",
    "positive rank correlation of deployment frequency with 1/TTR; CFR does not rise with frequency",
    "small batches, owner response, operability",
)
