"""Fact 1: Discontinuous Delivery at weekly-or-faster demand under YBIORI, not under YBIYRI.

Demand is swept from monthly to daily; the ablation removes the CAB and the App Ops deployment queue.
"""

from __future__ import annotations

import pandas as pd

from experiments.analysis import plot_with_ci
from experiments.claims.base import Claim, Verdict, ablation_text, gap_closed, mean, new_figure, rounded, status
from experiments.claims.shared import core, handoffs_off

METRIC = "demand_satisfaction"


def labelled(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The core sweep and the ablation in one table, with a ``label`` column."""
    base = tables["core"].assign(label=tables["core"]["operating_model"])
    off = tables["handoffs-off"].assign(label="ybiori, no CAB / App Ops queue")
    return pd.concat([base, off], ignore_index=True)


class DiscontinuousDelivery(Claim):
    """YBIORI keeps up to about fortnightly demand and falls behind from about weekly; YBIYRI keeps up."""

    def spec(self, quick: bool):
        """The core sweep and its handoff ablation."""
        return [core(quick), handoffs_off(quick)]

    def evaluate(self, tables):
        """YBIORI's satisfaction high at the lowest demand and below the flag at the highest; YBIYRI's high."""
        c, off = tables["core"], tables["handoffs-off"]
        demands = sorted(c["demand_per_week"].unique())
        lo, hi = demands[0], demands[-1]
        ori = {d: mean(c, METRIC, operating_model="ybiori", demand_per_week=d) for d in demands}
        yb = {d: mean(c, METRIC, operating_model="ybiyri", demand_per_week=d) for d in demands}
        falls = [d for d in demands if ori[d] < 0.8]
        off_hi = mean(off, METRIC, demand_per_week=hi)
        ok = ori[lo] >= 0.9 and ori[hi] < 0.8 and yb[hi] >= 0.9
        numbers = {f"ybiori_satisfaction_at_{d:g}": ori[d] for d in demands}
        numbers |= {f"ybiyri_satisfaction_at_{d:g}": yb[d] for d in demands}
        numbers["ybiori_flagged_from_demand"] = falls[0] if falls else "never"
        numbers[f"ablation_ybiori_satisfaction_at_{hi:g}"] = off_hi
        text = (
            f"YBIORI meets {ori[lo]:.0%} of demand at {lo:g}/week and {ori[hi]:.0%} at {hi:g}/week "
            f"(below 80% from {falls[0] if falls else 'no level'}/week); YBIYRI meets {yb[hi]:.0%} at {hi:g}/week."
        )
        closed = gap_closed(ori[hi], off_hi, yb[hi])
        return Verdict(
            status(ok), rounded(numbers), text, ablation_text(closed, "Switching off the CAB and App Ops queue")
        )

    def figure(self, tables):
        """Demand satisfaction against demand, per model and for the ablation."""
        fig, (ax,) = new_figure()
        plot_with_ci(labelled(tables), "demand_per_week", METRIC, hue="label", ax=ax, logx=True)
        ax.axhline(0.8, color="grey", linestyle=":", label="flag threshold")
        ax.set_title("Fact 1: demand satisfaction as demand rises", fontsize="medium")
        return fig


CLAIM = DiscontinuousDelivery(
    1,
    "Discontinuous Delivery at weekly+ demand",
    "S1; PB",
    "YBIORI vs YBIYRI (one team each)",
    "as demand rises from monthly to daily, YBIORI keeps up to about fortnightly and drops below 1 from about "
    "weekly; YBIYRI stays near 1 up to daily",
    "change-request, CAB and App Ops queue waits (ablation: cab_enabled=false, app_ops_queue_enabled=false)",
)
