"""Fact 21: callout-only or unpaid rotas attract fewer volunteers, so each carries more on-call, fatigue and attrition.

YBIYRI with three teams and a doubled incident rate, over the three Delivery rota pay rules.
"""

from __future__ import annotations

from experiments.claims.base import Claim, Verdict, bars, mean, new_figure, rounded, status, sweep

PAY = ["standby_and_callout", "callout_only", "unpaid"]
KEYS = ("out_of_hours_pages_per_engineer_month", "fatigue_mean", "delivery_attrition_expected")


class RotaPay(Claim):
    """Pages per pageable engineer, fatigue and attrition by pay rule."""

    def spec(self, quick: bool):
        """YBIYRI over the rota pay rules."""
        fixed = {"operating_model": "ybiyri", "delivery_teams": 3, "incident_rate_per_week": 1.0}
        return [sweep("rota-pay", quick, long=True, fixed=fixed, grid={"delivery_rota_pay": PAY})]

    def evaluate(self, tables):
        """Pages per pageable engineer and fatigue higher when unpaid than with standby pay."""
        t = tables["rota-pay"]
        n = {f"{p}_{k}": mean(t, k, delivery_rota_pay=p) for p in PAY for k in KEYS}
        ok = all(n[f"unpaid_{k}"] > n[f"standby_and_callout_{k}"] for k in KEYS[:2])
        text = (
            "Night pages per pageable engineer a month / mean fatigue: "
            + ", ".join(f"{p} {n[f'{p}_{KEYS[0]}']:.2f} / {n[f'{p}_fatigue_mean']:.2f}" for p in PAY)
            + "."
        )
        return Verdict(
            status(ok), rounded(n), text, "the pay rule is the switch (rota participation is not a summary key)"
        )

    def figure(self, tables):
        """Bars per pay rule."""
        t = tables["rota-pay"]
        fig, axes = new_figure(3, width=4)
        for ax, k in zip(axes, KEYS, strict=True):
            bars(ax, PAY, [t.loc[t.delivery_rota_pay == p, k] for p in PAY], k)
        fig.suptitle("Fact 21: rota pay, load and burnout (YBIYRI)")
        return fig


CLAIM = RotaPay(
    21,
    "Callout-only or no pay shrinks the rota, then burns people out",
    "PB: pitfalls; SM AOTB 2022",
    "YBIYRI (three teams, incident rate 1/week)",
    "fewer volunteers -> more on-call each -> more fatigue and attrition",
    "opting in depends on pay vs inconvenience",
)
