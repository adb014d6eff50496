"""Fact 8: the operational backlog grows under YBIORI, with actions taking weeks to months; YBIYRI's stays small.

The ablation gives YBIORI teams YBIYRI's feedback and accountability (delivery_feedback=true).
"""

from __future__ import annotations

from experiments.claims.base import Claim, Verdict, ablation_text, bars, gap_closed, mean, new_figure, rounded, status
from experiments.claims.shared import feedback

KEYS = ("operability_backlog_end", "operability_item_lead_time_h_median", "rework_backlog_end")
GROUPS = (("ybiori", False), ("ybiori", True), ("ybiyri", False))


def label(model: str, fed: bool) -> str:
    """A group label such as ``ybiori + feedback``."""
    return f"{model} + feedback" if fed else model


def group_means(f, keys) -> dict[str, float]:
    """Mean of each key for each group, named like ``ybiori_feedback_<key>``."""
    return {
        f"{label(m, fb).replace(' + ', '_')}_{k}": mean(f, k, operating_model=m, delivery_feedback=fb)
        for m, fb in GROUPS
        for k in keys
    }


def group_bars(tables, keys, title):
    """One panel per key, bars per group of the feedback sweep."""
    fig, axes = new_figure(len(keys), width=4)
    f = tables["feedback"]
    for ax, k in zip(axes, keys, strict=True):
        groups = [f.loc[(f.operating_model == m) & (f.delivery_feedback == fb), k] for m, fb in GROUPS]
        bars(ax, [label(m, fb) for m, fb in GROUPS], groups, k)
    fig.suptitle(title)
    return fig


class OperationalBacklog(Claim):
    """End-of-run backlogs and action lead time per model and for the ablation."""

    def spec(self, quick: bool):
        """The feedback sweep."""
        return [feedback(quick)]

    def evaluate(self, tables):
        """YBIORI's backlog larger and its actions slower (a week or more) than YBIYRI's (days or less)."""
        f = tables["feedback"]
        n = group_means(f, KEYS)
        ori_b, yb_b = n["ybiori_operability_backlog_end"], n["ybiyri_operability_backlog_end"]
        ori_lt, yb_lt = n["ybiori_operability_item_lead_time_h_median"], n["ybiyri_operability_item_lead_time_h_median"]
        ok = ori_b > yb_b and (ori_lt != ori_lt or ori_lt >= 168) and (yb_lt != yb_lt or yb_lt <= 168)
        text = (
            f"End backlog of operability actions: YBIORI {ori_b:.1f} vs YBIYRI {yb_b:.1f}; median action lead time "
            f"{ori_lt / 24:.1f} vs {yb_lt / 24:.1f} days."
        )
        after = n["ybiori_feedback_operability_backlog_end"]
        return Verdict(
            status(ok),
            rounded(n),
            text,
            ablation_text(gap_closed(ori_b, after, yb_b), "delivery_feedback=true in YBIORI"),
        )

    def figure(self, tables):
        """Backlogs and action lead time per group."""
        return group_bars(tables, KEYS, "Fact 8: the operational backlog")


CLAIM = OperationalBacklog(
    8,
    "The operational backlog grows",
    "S1; PB",
    "YBIORI vs YBIYRI (three teams)",
    "YBIORI rises, actions take weeks to months; YBIYRI flat or falling, hours to days",
    "actions wait in support or Delivery backlogs; an unaccountable product manager ranks features first "
    "(ablation: delivery_feedback=true)",
)
