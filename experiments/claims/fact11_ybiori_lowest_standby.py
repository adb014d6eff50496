"""Fact 11: YBIORI has the lowest standby cost at scale: flat in D, while YBIYRI's grows linearly.

Pure arithmetic of rotas x rate in the ledger; the figure shows weekly standby cost against D.
"""

from __future__ import annotations

import numpy as np

from experiments.analysis import plot_with_ci
from experiments.claims.base import Claim, Verdict, mean, new_figure, rounded, status
from experiments.claims.shared import scale_models


def weekly(df):
    """The table with ``standby_per_week`` added."""
    return df.assign(standby_per_week=df["standby_cost"] / df["weeks"])


class YbioriLowestStandby(Claim):
    """Standby cost per week against D for each model."""

    def spec(self, quick: bool):
        """The scale sweep."""
        return [scale_models(quick)]

    def evaluate(self, tables):
        """YBIORI flat (max/min within 10%), YBIYRI's slope in D positive and YBIORI lowest for D >= 3."""
        s = weekly(tables["scale"])
        ds = sorted(s["delivery_teams"].unique())
        numbers = {}
        curves = {}
        for m in ("ybiori", "ybiyri", "ybiyri-tiered"):
            curves[m] = [mean(s, "standby_per_week", operating_model=m, delivery_teams=d) for d in ds]
            numbers |= {f"{m}_standby_per_week_D{d}": v for d, v in zip(ds, curves[m], strict=True)}
        flat = max(curves["ybiori"]) <= 1.1 * min(curves["ybiori"])
        slope = float(np.polyfit(ds, curves["ybiyri"], 1)[0])
        numbers["ybiyri_standby_slope_per_team"] = slope
        lowest = all(curves["ybiori"][i] <= curves["ybiyri"][i] for i, d in enumerate(ds) if d >= 3)
        ok = flat and slope > 0 and lowest
        text = (
            f"YBIORI's standby is {curves['ybiori'][0]:.0f}-{max(curves['ybiori']):.0f} GBP/week at every D; YBIYRI's "
            f"rises by {slope:.0f} GBP/week per team; YBIORI below YBIYRI for every D >= 3: "
            f"{'yes' if lowest else 'no'}."
        )
        return Verdict(status(ok), rounded(numbers), text, "arithmetic (rotas x rate): no ablation")

    def figure(self, tables):
        """Standby cost per week against D."""
        fig, (ax,) = new_figure()
        plot_with_ci(weekly(tables["scale"]), "delivery_teams", "standby_per_week", hue="operating_model", ax=ax)
        ax.set_title("Facts 11 and 18: standby cost per week (GBP) vs teams", fontsize="medium")
        return fig


CLAIM = YbioriLowestStandby(
    11,
    "YBIORI has the lowest standby cost",
    "S6; PB; SM",
    "YBIORI@scale vs YBIYRI@scale (and tiered)",
    "standby cost flat in D for YBIORI, linear for YBIYRI",
    "rotas x rate",
)
