"""Fact 31: a CAB adds lead time and batch size without lowering the change failure rate (DORA 2019).

YBIORI with the CAB on and off, at fortnightly and weekly demand.
"""

from __future__ import annotations

from experiments.analysis import plot_with_ci
from experiments.claims.base import Claim, Verdict, mean, new_figure, rounded, status, sweep

KEYS = ("lead_time_h_median", "batch_size_mean", "change_failure_rate")


CFR_TOLERANCE = 0.02  # 'not lower' allows this much: about 2 SD of 8-replicate noise (bootstrap, 2026-12-06)


class Cab(Claim):
    """Lead time, batch size and CFR with and without the CAB."""

    def spec(self, quick: bool):
        """YBIORI, cab_enabled x demand."""
        return [
            sweep(
                "cab",
                quick,
                fixed={"operating_model": "ybiori"},
                grid={"cab_enabled": [True, False], "demand_per_week": [0.5, 1.0]},
            )
        ]

    def evaluate(self, tables):
        """Lead time and batch size higher with the CAB; CFR not lower (2 point tolerance)."""
        t = tables["cab"]
        n = {f"{k}_cab_{'on' if on else 'off'}": mean(t, k, cab_enabled=on) for k in KEYS for on in (True, False)}
        ok = (
            n["lead_time_h_median_cab_on"] > n["lead_time_h_median_cab_off"]
            and n["batch_size_mean_cab_on"] > n["batch_size_mean_cab_off"]
            and n["change_failure_rate_cab_on"] >= n["change_failure_rate_cab_off"] - CFR_TOLERANCE
        )
        text = (
            f"With / without the CAB: lead time {n['lead_time_h_median_cab_on']:.0f} / "
            f"{n['lead_time_h_median_cab_off']:.0f} h, "
            f"batch {n['batch_size_mean_cab_on']:.2f} / {n['batch_size_mean_cab_off']:.2f}, CFR "
            f"{n['change_failure_rate_cab_on']:.1%} / {n['change_failure_rate_cab_off']:.1%}."
        )
        return Verdict(status(ok), rounded(n), text, "cab_enabled=false is the ablation itself")

    def figure(self, tables):
        """The three keys against demand, CAB on vs off."""
        fig, axes = new_figure(3, width=4)
        for ax, k in zip(axes, KEYS, strict=True):
            plot_with_ci(tables["cab"], "demand_per_week", k, hue="cab_enabled", ax=ax)
            ax.set_title(k, fontsize="medium")
        fig.suptitle("Fact 31: the CAB (YBIORI)")
        return fig


CLAIM = Cab(
    31,
    "A CAB adds lead time and batch size without lowering CFR",
    "DORA 2019",
    "YBIORI, CAB on vs off",
    "lead time and batch size rise; CFR does not fall",
    "approval adds waiting, not risk information (cab_enabled)",
)
