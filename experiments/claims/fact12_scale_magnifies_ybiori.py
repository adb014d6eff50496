"""Fact 12: scale magnifies YBIORI: with App Ops headcount fixed, restore and lead times grow as D grows.

App Ops utilisation is not a summary key, so demand satisfaction stands in for the saturation it causes.
"""

from __future__ import annotations

from experiments.analysis import plot_with_ci
from experiments.claims.base import Claim, Verdict, mean, new_figure, ratio, rounded, status
from experiments.claims.shared import scale_models

KEYS = ("time_to_restore_h_median", "lead_time_h_median", "demand_satisfaction")
LT_GROWTH = 1.15  # lead time grows by more than this: about 2 SD of 8-replicate noise (bootstrap, 2026-12-06)


class ScaleMagnifiesYbiori(Claim):
    """YBIORI's TTR, lead time and satisfaction against D."""

    def spec(self, quick: bool):
        """The scale sweep."""
        return [scale_models(quick)]

    def evaluate(self, tables):
        """TTR at least 1.5x and lead time higher at the largest D than at D=1; YBIYRI's TTR grows less."""
        s = tables["scale"]
        ds = sorted(s["delivery_teams"].unique())
        numbers = {}
        for k in KEYS:
            for d in ds:
                numbers[f"ybiori_{k}_D{d}"] = mean(s, k, operating_model="ybiori", delivery_teams=d)
        ttr_growth = ratio(
            numbers[f"ybiori_time_to_restore_h_median_D{ds[-1]}"], numbers["ybiori_time_to_restore_h_median_D1"]
        )
        yb_growth = ratio(
            mean(s, "time_to_restore_h_median", operating_model="ybiyri", delivery_teams=ds[-1]),
            mean(s, "time_to_restore_h_median", operating_model="ybiyri", delivery_teams=1),
        )
        lt_up = numbers[f"ybiori_lead_time_h_median_D{ds[-1]}"] > LT_GROWTH * numbers["ybiori_lead_time_h_median_D1"]
        numbers |= {"ybiori_ttr_growth": ttr_growth, "ybiyri_ttr_growth": yb_growth}
        ok = ttr_growth >= 1.5 and ttr_growth > yb_growth and lt_up
        text = (
            f"From D=1 to D={ds[-1]} YBIORI's median TTR grows x{ttr_growth:.2f} (YBIYRI x{yb_growth:.2f}), lead time "
            f"{numbers['ybiori_lead_time_h_median_D1']:.0f} -> "
            f"{numbers[f'ybiori_lead_time_h_median_D{ds[-1]}']:.0f} h (growth means more than x{LT_GROWTH:g}), "
            f"satisfaction {numbers['ybiori_demand_satisfaction_D1']:.2f} -> "
            f"{numbers[f'ybiori_demand_satisfaction_D{ds[-1]}']:.2f}."
        )
        return Verdict(
            status(ok), rounded(numbers), text, "fixed headcount is the mechanism; App Ops utilisation is not reported"
        )

    def figure(self, tables):
        """The three measures against D per model."""
        fig, axes = new_figure(3, width=4)
        for ax, k in zip(axes, KEYS, strict=True):
            plot_with_ci(tables["scale"], "delivery_teams", k, hue="operating_model", ax=ax, logx=True)
            ax.set_title(k, fontsize="medium")
        fig.suptitle("Fact 12: scale magnifies YBIORI")
        return fig


CLAIM = ScaleMagnifiesYbiori(
    12,
    "Scale magnifies YBIORI",
    "S3; PB",
    "YBIORI at D in 1..30",
    "App Ops utilisation approaches 1 and delays grow non-linearly",
    "fixed headcount against load that grows with D",
)
