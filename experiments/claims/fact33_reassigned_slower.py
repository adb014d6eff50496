"""Fact 33: reassigned incidents take several times longer than those resolved where they first landed.

YBIORI's tiers across the scale sweep; the ablation gives App Ops full knowledge and stops bouncing.
"""

from __future__ import annotations

from experiments.claims.base import Claim, Verdict, bars, mean, new_figure, ratio, rounded, status
from experiments.claims.shared import scale_models, tiers_off


class ReassignedSlower(Claim):
    """Share reassigned and the TTR ratio, reassigned vs first-time-right."""

    def spec(self, quick: bool):
        """The scale sweep and the tiers ablation."""
        return [scale_models(quick), tiers_off(quick)]

    def evaluate(self, tables):
        """Tens of percent reassigned and reassigned incidents at least twice as slow (up to about 10x)."""
        s, off = tables["scale"], tables["tiers-off"]
        share = mean(s, "share_reassigned", operating_model="ybiori")
        slow = ratio(
            mean(s, "ttr_h_median_reassigned", operating_model="ybiori"),
            mean(s, "ttr_h_median_first_time_right", operating_model="ybiori"),
        )
        off_slow = ratio(mean(off, "ttr_h_median_reassigned"), mean(off, "ttr_h_median_first_time_right"))
        n = {
            "ybiori_share_reassigned": share,
            "ybiori_ttr_ratio_reassigned_vs_first_time_right": slow,
            "ablation_share_reassigned": mean(off, "share_reassigned"),
            "ablation_ttr_ratio": off_slow,
        }
        ok = 0.1 <= share <= 0.92 and 2 <= slow <= 15
        text = (
            f"{share:.0%} of YBIORI incidents are reassigned and take x{slow:.1f} as long (median) as first-time-right."
        )
        confirmed = off_slow < slow
        ablation = (
            f"With all-knowing App Ops and no bouncing the ratio is x{off_slow:.1f} "
            f"({'mechanism confirmed' if confirmed else 'mechanism not confirmed'}: it should fall)"
        )
        return Verdict(status(ok), rounded(n), text, ablation)

    def figure(self, tables):
        """Median TTR of reassigned and first-time-right incidents, tiers and ablation."""
        s, off = tables["scale"], tables["tiers-off"]
        ori = s[s.operating_model == "ybiori"]
        fig, (ax,) = new_figure()
        bars(
            ax,
            ["tiers: first-time-right", "tiers: reassigned", "ablation: first-time-right", "ablation: reassigned"],
            [
                ori["ttr_h_median_first_time_right"],
                ori["ttr_h_median_reassigned"],
                off["ttr_h_median_first_time_right"],
                off["ttr_h_median_reassigned"],
            ],
            "median TTR (h)",
        )
        ax.set_title("Fact 33: reassigned incidents take longer (YBIORI)", fontsize="medium")
        return fig


CLAIM = ReassignedSlower(
    33,
    "Reassigned incidents take several times longer",
    "Chen et al. 2019; Pham et al. 2020; Jeong et al. 2009",
    "YBIORI tiers (scale sweep)",
    "tens of percent reassigned, up to about 10x slower",
    "each move adds a queue wait and a context rebuild (ablation: perfect_ops_knowledge=true, bounce_prob=0)",
)
