"""Fact 18: naive YBIYRI at scale has linear run cost, above YBIORI's two rotas for every D >= 3.

Read from the same scale sweep as fact 11; arithmetic at equal rates, so there is no ablation.
"""

from __future__ import annotations

from experiments.claims.base import Claim, Verdict, mean, rounded, status
from experiments.claims.fact11_ybiori_lowest_standby import CLAIM as FACT11
from experiments.claims.fact11_ybiori_lowest_standby import weekly
from experiments.claims.shared import scale_models


class NaiveYbiyriLinearCost(Claim):
    """YBIYRI's standby above YBIORI's for every D >= 3."""

    def spec(self, quick: bool):
        """The scale sweep."""
        return [scale_models(quick)]

    def evaluate(self, tables):
        """Above for every D >= 3."""
        s = weekly(tables["scale"])
        ds = [int(d) for d in sorted(s["delivery_teams"].unique()) if d >= 3]
        numbers, ok = {}, True
        for d in ds:
            ori = mean(s, "standby_per_week", operating_model="ybiori", delivery_teams=d)
            yb = mean(s, "standby_per_week", operating_model="ybiyri", delivery_teams=d)
            numbers |= {f"ybiori_standby_per_week_D{d}": ori, f"ybiyri_standby_per_week_D{d}": yb}
            ok &= yb > ori
        text = f"YBIYRI's standby exceeds YBIORI's at every D in {ds}: {'yes' if ok else 'no'}."
        return Verdict(status(ok), rounded(numbers), text, "arithmetic (one rota per team): no ablation")

    def figure(self, tables):
        """The standby-cost figure of fact 11."""
        return FACT11.figure(tables)


CLAIM = NaiveYbiyriLinearCost(
    18,
    "Naive YBIYRI at scale has linear run cost",
    "S6; PB",
    "YBIYRI@scale without tiers vs YBIORI@scale",
    "standby cost above YBIORI's 2 rotas for every D >= 3",
    "one rota per team",
)
