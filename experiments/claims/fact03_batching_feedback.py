"""Fact 3: batching feedback under YBIORI: batch size, change failure rate and restore time rise over time.

The same runs are cut at a short and a long horizon (same seeds); the ablation removes the CAB and App Ops queue.
"""

from __future__ import annotations

import pandas as pd

from experiments.claims.base import Claim, Verdict, bars, mean, new_figure, ratio, rounded, scale, status, sweep

METRICS = ("batch_size_mean", "change_failure_rate", "time_to_restore_h_median")
GRID = {"cab_enabled": [True, False], "app_ops_queue_enabled": [True, False]}
FIXED = {"operating_model": "ybiori", "demand_per_week": 2.0}


def early_weeks(quick: bool) -> int:
    """The short horizon: a third of the long one."""
    return max(4, scale(quick).long_weeks // 3)


CFR_RISE = (
    0.01  # about 2 SD of the 8-replicate noise (bootstrap of the report's sweeps, 2026-12-06): CFR must rise by more
)


class BatchingFeedback(Claim):
    """Mean batch size, CFR and TTR up to an early horizon against the whole run."""

    def spec(self, quick: bool):
        """The same design at two horizons."""
        return [
            sweep("batching-early", quick, fixed=FIXED, grid=GRID, weeks=early_weeks(quick)),
            sweep("batching-late", quick, fixed=FIXED, grid=GRID, long=True),
        ]

    def evaluate(self, tables):
        """Batch size and CFR higher over the whole run than early on, with handoffs; flat without."""
        early, late = tables["batching-early"], tables["batching-late"]
        on = {"cab_enabled": True, "app_ops_queue_enabled": True}
        off = {"cab_enabled": False, "app_ops_queue_enabled": False}
        numbers = {}
        for metric in METRICS:
            numbers[f"{metric}_early"] = mean(early, metric, **on)
            numbers[f"{metric}_whole_run"] = mean(late, metric, **on)
        growth = ratio(numbers["batch_size_mean_whole_run"], numbers["batch_size_mean_early"])
        cfr_up = numbers["change_failure_rate_whole_run"] > numbers["change_failure_rate_early"] + CFR_RISE
        off_growth = ratio(mean(late, "batch_size_mean", **off), mean(early, "batch_size_mean", **off))
        numbers |= {"batch_growth": growth, "ablation_batch_growth": off_growth}
        numbers["ablation_batch_size_mean_whole_run"] = mean(late, "batch_size_mean", **off)
        ok = growth > 1.1 and cfr_up
        text = (
            f"Mean batch size goes from {numbers['batch_size_mean_early']:.2f} (early) to "
            f"{numbers['batch_size_mean_whole_run']:.2f} features (whole run), CFR from "
            f"{numbers['change_failure_rate_early']:.1%} to {numbers['change_failure_rate_whole_run']:.1%}, "
            f"median TTR from {numbers['time_to_restore_h_median_early']:.1f} to "
            f"{numbers['time_to_restore_h_median_whole_run']:.1f} h."
        )
        confirmed = off_growth < growth and (off_growth <= 1.1 or not growth > 1.1)
        ablation = (
            f"Without the CAB and App Ops queue batch size grows x{off_growth:.2f} instead of x{growth:.2f} "
            f"({'mechanism confirmed' if confirmed else 'mechanism not confirmed'})"
        )
        return Verdict(status(ok), rounded(numbers), text, ablation)

    def figure(self, tables):
        """Early against whole-run means of the three measures, with and without handoffs."""
        fig, axes = new_figure(3, width=4)
        for ax, metric in zip(axes, METRICS, strict=True):
            groups, labels = [], []
            for handoffs in (True, False):
                where = {"cab_enabled": handoffs, "app_ops_queue_enabled": handoffs}
                for name, key in (("early", "batching-early"), ("whole", "batching-late")):
                    frame = tables[key]
                    mask = pd.Series(True, index=frame.index)
                    for k, v in where.items():
                        mask &= frame[k] == v
                    groups.append(frame.loc[mask, metric])
                    labels.append(f"{'handoffs' if handoffs else 'no handoffs'}\n{name}")
            bars(ax, labels, groups, metric)
        fig.suptitle("Fact 3: YBIORI at twice-weekly demand, early horizon vs whole run")
        return fig


CLAIM = BatchingFeedback(
    3,
    "Batching feedback",
    "PB",
    "YBIORI (one team, demand 2/week)",
    "batch size, CFR and diagnosis time all rise over time",
    "work piles up during waits; failure odds and diagnosis grow with batch size (ablation: no CAB, no App Ops queue)",
)
