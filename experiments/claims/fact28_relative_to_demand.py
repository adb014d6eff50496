"""Fact 28: Discontinuous Delivery is relative to demand: a demand shock flips the flag with nothing else changed.

YBIORI at fortnightly demand, with and without demand quadrupling half-way; the no-shock runs are the control.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pandas as pd

from experiments.claims.base import Claim, Verdict, mean, new_figure, rounded, scale, status, sweep

FACTORS = [1.0, 4.0]
WINDOW_DAYS = 28


def trailing_ratio(daily: pd.DataFrame) -> pd.DataFrame:
    """Per run and day: deployments over demand in the trailing four weeks."""
    out = []
    for run_id, g in daily.groupby("run_id", sort=False):
        g = g.sort_values("day")
        dep = g["deployments_cum"].diff(WINDOW_DAYS)
        dem = g["demand_cum"].diff(WINDOW_DAYS)
        out.append(
            pd.DataFrame({"run_id": run_id, "day": g["day"], "ratio": np.minimum(1.0, dep / dem.replace(0, np.nan))})
        )
    return pd.concat(out, ignore_index=True)


class RelativeToDemand(Claim):
    """Share of runs flagged, with and without the shock."""

    daily: ClassVar[dict[str, list[str]]] = {"demand-shock": ["day", "deployments_cum", "demand_cum"]}

    def spec(self, quick: bool):
        """YBIORI, demand 0.5/week, shock factor 1 or 4 at half the horizon."""
        weeks = scale(quick).weeks
        fixed = {"operating_model": "ybiori", "demand_per_week": 0.5, "demand_shock_week": weeks // 2}
        return [sweep("demand-shock", quick, fixed=fixed, grid={"demand_shock_factor": FACTORS})]

    def evaluate(self, tables):
        """Not flagged without the shock; flagged with it."""
        t = tables["demand-shock"]
        n = {}
        for f in FACTORS:
            n[f"flagged_share_factor_{f:g}"] = mean(t, "discontinuous_delivery", demand_shock_factor=f)
            n[f"second_half_satisfaction_factor_{f:g}"] = mean(
                t, "demand_satisfaction_second_half", demand_shock_factor=f
            )
        ok = n["flagged_share_factor_1"] < 0.5 and n["flagged_share_factor_4"] > 0.5
        text = (
            f"Runs flagged Discontinuous: {n['flagged_share_factor_1']:.0%} without the shock, "
            f"{n['flagged_share_factor_4']:.0%} when demand quadruples half-way (second-half satisfaction "
            f"{n['second_half_satisfaction_factor_1']:.0%} vs {n['second_half_satisfaction_factor_4']:.0%})."
        )
        return Verdict(
            status(ok), rounded(n), text, "the no-shock runs are the control (same seeds, same organisation)"
        )

    def figure(self, tables):
        """Trailing four-week demand satisfaction over time, with and without the shock."""
        t = tables["demand-shock"]
        ratios = trailing_ratio(tables["demand-shock:daily"]).merge(t[["run_id", "demand_shock_factor"]], on="run_id")
        fig, (ax,) = new_figure()
        for i, f in enumerate(FACTORS):
            g = ratios[ratios.demand_shock_factor == f].groupby("day")["ratio"].mean()
            ax.plot(g.index / 7, g.values, color=f"C{i}", label=f"shock x{f:g}")
        ax.axhline(0.8, color="grey", linestyle=":", label="flag threshold")
        ax.axvline(int(t["demand_shock_week"].iloc[0]) if "demand_shock_week" in t else 0, color="k", linewidth=0.8)
        ax.set_xlabel("week")
        ax.set_ylabel("deployments / demand, trailing 4 weeks")
        ax.legend(fontsize="small")
        ax.set_title("Fact 28: the flag is relative to demand (YBIORI)", fontsize="medium")
        return fig


CLAIM = RelativeToDemand(
    28,
    "Discontinuous Delivery is relative to demand",
    "SM",
    "YBIORI (one team, fortnightly demand)",
    "the flag flips around a demand shock with nothing inside the organisation changing",
    "the flag compares throughput with demand (demand_shock_week / demand_shock_factor)",
)
