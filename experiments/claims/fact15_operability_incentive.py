"""Fact 15: the operability incentive works: YBIYRI's operational share rises and its incidents fall; YBIORI's stay.

The ablation gives YBIORI teams the same feedback (delivery_feedback=true); night callouts are read as incidents.
"""

from __future__ import annotations

from experiments.claims.base import Claim, Verdict, ablation_text, gap_closed, ratio, rounded, status
from experiments.claims.fact08_operational_backlog import GROUPS, group_bars, group_means, label
from experiments.claims.shared import feedback

KEYS = ("ops_share_end", "incidents_per_week_first_quarter", "incidents_per_week_last_quarter")


FALL = 0.95  # YBIYRI's incidents 'fall': a stated 5% drop, as in fact 9


class OperabilityIncentive(Claim):
    """Operational share and the change in incident rate per group."""

    def spec(self, quick: bool):
        """The feedback sweep."""
        return [feedback(quick)]

    def evaluate(self, tables):
        """YBIYRI's share above YBIORI's, its incidents falling, YBIORI's not."""
        f = tables["feedback"]
        n = group_means(f, KEYS)
        for m, fb in GROUPS:
            key = label(m, fb).replace(" + ", "_")
            n[f"{key}_incident_trend"] = ratio(
                n[f"{key}_incidents_per_week_last_quarter"], n[f"{key}_incidents_per_week_first_quarter"]
            )
        ok = (
            n["ybiyri_ops_share_end"] > n["ybiori_ops_share_end"]
            and n["ybiyri_incident_trend"] < FALL
            and n["ybiori_incident_trend"] >= 0.9
        )
        text = (
            f"Operational share at the end: YBIYRI {n['ybiyri_ops_share_end']:.0%} vs YBIORI "
            f"{n['ybiori_ops_share_end']:.0%}; "
            f"incidents last/first quarter: YBIYRI x{n['ybiyri_incident_trend']:.2f}, YBIORI "
            f"x{n['ybiori_incident_trend']:.2f}."
        )
        closed = gap_closed(n["ybiori_incident_trend"], n["ybiori_feedback_incident_trend"], n["ybiyri_incident_trend"])
        return Verdict(
            status(ok), rounded(n), text, ablation_text(closed, "delivery_feedback=true in YBIORI (incident trend)")
        )

    def figure(self, tables):
        """Share and incident rates per group."""
        return group_bars(tables, KEYS, "Fact 15: the operability incentive")


CLAIM = OperabilityIncentive(
    15,
    "The operability incentive works",
    "S6; PB",
    "YBIYRI vs YBIORI (three teams)",
    "YBIYRI callouts fall; YBIORI's stay high",
    "callouts land on the deciding team, which raises its operational share (ablation: delivery_feedback=true)",
)
