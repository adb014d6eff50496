"""Fact 5: slow acknowledgement through YBIORI's service desk and bridge; seconds to minutes for YBIYRI.

No parameter switches off "classify, look up the analyst, contact, hand over", so there is no ablation.
"""

from __future__ import annotations

from experiments.claims.base import Claim, Verdict, bars, mean, new_figure, rounded, status
from experiments.claims.shared import core

METRIC = "time_to_acknowledge_min_median"


SLOWER_MIN = 1.0  # YBIORI slower by at least a minute (the expected gap is ~20 min; the noise seconds)


class SlowAcknowledgement(Claim):
    """Median time to acknowledge, YBIORI against YBIYRI, pooled over demand."""

    def spec(self, quick: bool):
        """The core sweep."""
        return [core(quick)]

    def evaluate(self, tables):
        """YBIORI slower than YBIYRI, YBIYRI within minutes."""
        c = tables["core"]
        ori, yb = mean(c, METRIC, operating_model="ybiori"), mean(c, METRIC, operating_model="ybiyri")
        ok = ori >= yb + SLOWER_MIN and yb <= 10
        text = f"Median time to acknowledge: YBIORI {ori:.1f} min, YBIYRI {yb:.1f} min (expected up to ~20 vs minutes)."
        numbers = {"ybiori_tta_min_median": ori, "ybiyri_tta_min_median": yb}
        return Verdict(status(ok), rounded(numbers), text, "no switch for the mechanism in the model (none run)")

    def figure(self, tables):
        """Bars of median TTA per model."""
        fig, (ax,) = new_figure()
        c = tables["core"]
        bars(ax, ["ybiori", "ybiyri"], [c.loc[c.operating_model == m, METRIC] for m in ("ybiori", "ybiyri")], METRIC)
        ax.set_title("Fact 5: median time to acknowledge (min)", fontsize="medium")
        return fig


CLAIM = SlowAcknowledgement(
    5,
    "Slow acknowledgement",
    "PB",
    "YBIORI vs YBIYRI (one team)",
    "YBIORI up to about 20 min vs YBIYRI seconds to minutes",
    "classify, look up the analyst, contact, hand over (not switchable)",
)
