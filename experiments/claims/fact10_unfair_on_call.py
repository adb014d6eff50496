"""Fact 10: unfair on-call: YBIORI's unpaid L3 answers later and loses morale with every unpaid callout.

The ablation pays Delivery standby and callout for L3 (l3_paid=true).
"""

from __future__ import annotations

from experiments.claims.base import (
    Claim,
    Verdict,
    ablation_text,
    bars,
    gap_closed,
    mean,
    new_figure,
    rounded,
    status,
    sweep,
)

KEYS = ("delivery_morale_mean", "ttr_h_median_out_of_hours", "delivery_attrition")
GROUPS = (("ybiori", False), ("ybiori", True), ("ybiyri", False))


def oncall_pay(quick: bool):
    """YBIORI and YBIYRI, three teams, with and without paid L3."""
    return sweep(
        "oncall-pay",
        quick,
        long=True,
        fixed={"delivery_teams": 3},
        grid={"operating_model": ["ybiori", "ybiyri"], "l3_paid": [False, True]},
    )


def name(model: str, paid: bool) -> str:
    """A group label."""
    return f"{model}_l3_paid" if paid else model


class UnfairOnCall(Claim):
    """Delivery morale, night restore time and attrition per group."""

    def spec(self, quick: bool):
        """The on-call pay sweep."""
        return [oncall_pay(quick)]

    def evaluate(self, tables):
        """YBIORI (unpaid) morale below its paid ablation and YBIYRI, and night TTR longer than paid."""
        t = tables["oncall-pay"]
        n = {f"{name(m, p)}_{k}": mean(t, k, operating_model=m, l3_paid=p) for m, p in GROUPS for k in KEYS}
        ok = (
            n["ybiori_delivery_morale_mean"] < min(n["ybiyri_delivery_morale_mean"], 0.99)
            and n["ybiori_ttr_h_median_out_of_hours"] > n["ybiori_l3_paid_ttr_h_median_out_of_hours"]
        )
        text = (
            f"Delivery morale at the end: YBIORI unpaid L3 {n['ybiori_delivery_morale_mean']:.2f}, paid "
            f"{n['ybiori_l3_paid_delivery_morale_mean']:.2f}, YBIYRI {n['ybiyri_delivery_morale_mean']:.2f}; "
            f"out-of-hours median TTR {n['ybiori_ttr_h_median_out_of_hours']:.1f} h unpaid vs "
            f"{n['ybiori_l3_paid_ttr_h_median_out_of_hours']:.1f} h paid."
        )
        closed = gap_closed(
            n["ybiori_delivery_morale_mean"], n["ybiori_l3_paid_delivery_morale_mean"], n["ybiyri_delivery_morale_mean"]
        )
        return Verdict(status(ok), rounded(n), text, ablation_text(closed, "l3_paid=true (morale)"))

    def figure(self, tables):
        """Bars per group for each measure."""
        t = tables["oncall-pay"]
        fig, axes = new_figure(3, width=4)
        for ax, k in zip(axes, KEYS, strict=True):
            bars(
                ax,
                [name(m, p) for m, p in GROUPS],
                [t.loc[(t.operating_model == m) & (t.l3_paid == p), k] for m, p in GROUPS],
                k,
            )
        fig.suptitle("Fact 10: unfair on-call")
        return fig


CLAIM = UnfairOnCall(
    10,
    "Unfair on-call",
    "S1; S3; S5; PB",
    "YBIORI (three teams) vs YBIYRI",
    "unpaid responders answer less and later; morale falls per unpaid callout",
    "responding depends on pay and goodwill, and goodwill erodes (ablation: l3_paid=true)",
)
