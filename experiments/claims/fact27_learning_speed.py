"""Fact 27: learning speed: YBIORI repeats incidents more and acts on learning more slowly than YBIYRI.

Duplicate actions are not modelled; repeats and action lead time are. The ablation is delivery_feedback=true.
"""

from __future__ import annotations

from experiments.claims.base import Claim, Verdict, ablation_text, gap_closed, rounded, status
from experiments.claims.fact08_operational_backlog import group_bars, group_means
from experiments.claims.shared import feedback

KEYS = ("repeat_incident_share", "operability_item_lead_time_h_median")


class LearningSpeed(Claim):
    """Repeat-incident share and action lead time per group."""

    def spec(self, quick: bool):
        """The feedback sweep."""
        return [feedback(quick)]

    def evaluate(self, tables):
        """More repeats and slower actions under YBIORI."""
        f = tables["feedback"]
        n = group_means(f, KEYS)
        ok = n["ybiori_repeat_incident_share"] > n["ybiyri_repeat_incident_share"] and not (
            n["ybiori_operability_item_lead_time_h_median"] < n["ybiyri_operability_item_lead_time_h_median"]
        )
        text = (
            f"Repeat incidents: YBIORI {n['ybiori_repeat_incident_share']:.1%} vs YBIYRI "
            f"{n['ybiyri_repeat_incident_share']:.1%}; "
            f"action lead time {n['ybiori_operability_item_lead_time_h_median']:.0f} h vs "
            f"{n['ybiyri_operability_item_lead_time_h_median']:.0f} h (duplicate actions are not modelled)."
        )
        closed = gap_closed(
            n["ybiori_repeat_incident_share"],
            n["ybiori_feedback_repeat_incident_share"],
            n["ybiyri_repeat_incident_share"],
        )
        return Verdict(
            status(ok), rounded(n), text, ablation_text(closed, "delivery_feedback=true in YBIORI (repeats)")
        )

    def figure(self, tables):
        """Repeats and action lead time per group."""
        return group_bars(tables, KEYS, "Fact 27: learning speed")


CLAIM = LearningSpeed(
    27,
    "Learning speed",
    "PB",
    "YBIORI vs YBIYRI (three teams)",
    "repeats (and duplicates) under YBIORI; faster action under YBIYRI",
    "RCA only for majors, support backlogs, unshared reports (ablation: delivery_feedback=true)",
)
