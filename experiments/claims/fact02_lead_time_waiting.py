"""Fact 2: lead time is mostly waiting under YBIORI (days, flow efficiency below 10%); YBIYRI minutes to days.

The ablation removes the CAB and the App Ops queue, the handoff queues that should hold the waiting.
"""

from __future__ import annotations

from experiments.analysis import plot_with_ci
from experiments.claims.base import Claim, Verdict, ablation_text, gap_closed, mean, new_figure, rounded, status
from experiments.claims.fact01_discontinuous_delivery import labelled
from experiments.claims.shared import core, handoffs_off


class LeadTimeWaiting(Claim):
    """Compare lead time and its wait share at weekly demand."""

    def spec(self, quick: bool):
        """The core sweep and its handoff ablation."""
        return [core(quick), handoffs_off(quick)]

    def evaluate(self, tables):
        """YBIORI: lead time of a day or more, >90% waiting; YBIYRI: lead time under a week."""
        c, off = tables["core"], tables["handoffs-off"]
        d = 1.0
        lt_ori = mean(c, "lead_time_h_median", operating_model="ybiori", demand_per_week=d)
        lt_yb = mean(c, "lead_time_h_median", operating_model="ybiyri", demand_per_week=d)
        wait_ori = mean(c, "lead_time_wait_share", operating_model="ybiori", demand_per_week=d)
        wait_yb = mean(c, "lead_time_wait_share", operating_model="ybiyri", demand_per_week=d)
        lt_off = mean(off, "lead_time_h_median", demand_per_week=d)
        ok = lt_ori >= 24 and 1 - wait_ori < 0.10 and lt_yb < 168 and lt_yb < lt_ori
        numbers = {
            "ybiori_lead_time_h_median": lt_ori,
            "ybiyri_lead_time_h_median": lt_yb,
            "ybiori_flow_efficiency": 1 - wait_ori,
            "ybiyri_flow_efficiency": 1 - wait_yb,
            "ablation_ybiori_lead_time_h_median": lt_off,
            "ablation_ybiori_flow_efficiency": 1 - mean(off, "lead_time_wait_share", demand_per_week=d),
        }
        text = (
            f"At weekly demand YBIORI's median lead time is {lt_ori / 24:.1f} days with flow efficiency "
            f"{1 - wait_ori:.1%}; YBIYRI's is {lt_yb:.2g} h."
        )
        closed = gap_closed(lt_ori, lt_off, lt_yb)
        return Verdict(status(ok), rounded(numbers), text, ablation_text(closed, "Removing the CAB and App Ops queue"))

    def figure(self, tables):
        """Median lead time and flow efficiency against demand."""
        fig, axes = new_figure(2)
        df = labelled(tables)
        plot_with_ci(df, "demand_per_week", "lead_time_h_median", hue="label", ax=axes[0], logx=True)
        df = df.assign(flow_efficiency=1 - df["lead_time_wait_share"])
        plot_with_ci(df, "demand_per_week", "flow_efficiency", hue="label", ax=axes[1], logx=True)
        axes[0].set_yscale("symlog", linthresh=1)
        axes[0].set_title("Fact 2: median lead time (h)", fontsize="medium")
        axes[1].set_title("flow efficiency = touch / lead time", fontsize="medium")
        return fig


CLAIM = LeadTimeWaiting(
    2,
    "Lead time is mostly waiting",
    "PB; DORA on manual approvals",
    "YBIORI vs YBIYRI (one team each)",
    "YBIORI days to months with flow efficiency below about 10%; YBIYRI minutes to days",
    "a queue at every handoff (ablation: cab_enabled=false, app_ops_queue_enabled=false)",
)
