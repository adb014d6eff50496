"""Fact 26 and the decision map: YBIYRI is insurance, with a higher premium and a lower expected loss.

Over PB's exposure bands x demand, the cheapest model by total cost should be Ops Run It only at low x low.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap

from experiments.claims.base import Claim, Verdict, new_figure, rounded, status, sweep
from experiments.claims.shared import HANDOFFS_OFF, TIERS_OFF

MODELS = ["ybiori", "ybiyri", "ybiyri-tiered", "ybiosri", "ybisri"]
DEMANDS = [0.25, 0.5, 1.0, 5.0]
#: PB's bands: exposure per hour, availability target, service kind.
BANDS = {
    "low": (7000.0, 0.95, "foundational_system"),
    "medium": (250000.0, 0.99, "digital_service"),
    "high": (800000.0, 0.999, "digital_service"),
}
OPS = "Ops Run It"
YBIYRI = "YBIYRI"
PLAYBOOK_NOTE = (
    "Playbook (§4.3): D2 - weekly or faster demand, or 99.9% and above: YBIYRI; D3 - digital service at weekly to "
    "daily demand: YBIYRI; D4 - foundational system, monthly to fortnightly, up to 99.9%: Ops Run It acceptable; "
    "D6 - fortnightly or slower is red (Ops Run It), weekly or faster green (YBIYRI), amber settled by target."
)
TEAMS = 5


def fixed(band: str) -> dict:
    """The band's fixed parameters."""
    exposure, target, kind = BANDS[band]
    return {
        "delivery_teams": TEAMS,
        "financial_exposure_per_hour": exposure,
        "availability_target": target,
        "service_kind": kind,
    }


def specs(quick: bool):
    """One sweep per band (models x demand) and one per band for the ablated YBIORI."""
    out = [
        sweep(f"decision-{b}", quick, fixed=fixed(b), grid={"operating_model": MODELS, "demand_per_week": DEMANDS})
        for b in BANDS
    ]
    out += [
        sweep(
            f"decision-ablation-{b}",
            quick,
            fixed={**fixed(b), "operating_model": "ybiori", **HANDOFFS_OFF, **TIERS_OFF},
            grid={"demand_per_week": DEMANDS},
        )
        for b in BANDS
    ]
    return out


def playbook(band: str, demand: float) -> str:
    """The family rules D2/D3/D4/D6 choose for a band and demand."""
    return YBIYRI if demand >= 1 or BANDS[band][1] >= 0.999 else OPS


def family(model: str, band: str) -> str:
    """Who runs the services of ``model`` in ``band`` (YBIOSRI hands targets below 99.9% to Ops)."""
    if model == "ybiori" or (model == "ybiosri" and BANDS[band][1] < 0.999):
        return OPS
    return YBIYRI


def decision_frame(tables: dict[str, pd.DataFrame], ablated: bool = False) -> pd.DataFrame:
    """One row per band x demand: mean total cost per model, the winner, its family and the playbook's family."""
    rows = []
    for band in BANDS:
        df = tables[f"decision-{band}"]
        means = df.groupby(["demand_per_week", "operating_model"])["total_cost"].mean().unstack()
        if ablated:
            abl = tables[f"decision-ablation-{band}"].groupby("demand_per_week")["total_cost"].mean()
            means["ybiori"] = abl.reindex(means.index)
        for demand, costs in means.iterrows():
            winner = str(costs.idxmin())
            rows.append(
                {
                    "band": band,
                    "demand_per_week": float(demand),
                    "winner": winner,
                    "family": family(winner, band),
                    "playbook": playbook(band, float(demand)),
                    **{f"cost_{m}": float(costs.get(m, np.nan)) for m in MODELS},
                }
            )
    return pd.DataFrame(rows)


def map_figure(frame: pd.DataFrame, title: str = "Decision map: lowest mean total cost"):
    """The model's map (cell colour = cheapest model) next to the playbook's families."""
    fig, axes = new_figure(2, width=5.5, height=3.6)
    bands = ["high", "medium", "low"]
    demands = sorted(frame["demand_per_week"].unique())
    cmap = ListedColormap([f"C{i}" for i in range(len(MODELS))])
    grid = np.zeros((len(bands), len(demands)))
    for i, b in enumerate(bands):
        for j, d in enumerate(demands):
            row = frame[(frame.band == b) & (frame.demand_per_week == d)].iloc[0]
            grid[i, j] = MODELS.index(row["winner"])
            axes[0].text(j, i, f"{row['winner']}\n({row['family']})", ha="center", va="center", fontsize="x-small")
            axes[1].text(j, i, row["playbook"], ha="center", va="center", fontsize="small")
    axes[0].imshow(grid, cmap=cmap, vmin=-0.5, vmax=len(MODELS) - 0.5, aspect="auto", alpha=0.6)
    rules = np.array([[1.0 if playbook(b, d) == YBIYRI else 0.0 for d in demands] for b in bands])
    axes[1].imshow(rules, cmap=ListedColormap(["#f4a582", "#92c5de"]), vmin=0, vmax=1, aspect="auto")
    labels = ["high 800K/h 99.9%", "medium 250K/h 99%", "low 7K/h 95%"]
    for ax in axes:
        ax.set_xticks(range(len(demands)), [f"{d:g}/wk" for d in demands])
        ax.set_yticks(range(len(bands)), labels)
        ax.set_xlabel("demand (deployments per week)")
    axes[0].set_title(title, fontsize="medium")
    axes[1].set_title("Playbook rules D2/D3/D4/D6", fontsize="medium")
    return fig


class Insurance(Claim):
    """Cheapest model per exposure x demand cell against the playbook."""

    def spec(self, quick: bool):
        """The decision-map sweeps."""
        return specs(quick)

    def evaluate(self, tables):
        """Ops Run It wins somewhere, and only at low exposure with fortnightly or slower demand."""
        frame = decision_frame(tables)
        ops = frame[frame["family"] == OPS]
        only_low = bool(((ops["band"] == "low") & (ops["demand_per_week"] <= 0.5)).all())
        ok = len(ops) > 0 and only_low
        agree = float((frame["family"] == frame["playbook"]).mean())
        ablated = decision_frame(tables, ablated=True)
        numbers = {
            "cells": len(frame),
            "cells_won_by_ops_run_it": len(ops),
            "ops_wins_only_at_low_exposure_and_demand": only_low,
            "agreement_with_playbook": agree,
            "ablation_cells_won_by_ops_run_it": int((ablated["family"] == OPS).sum()),
        }
        for _, row in frame.iterrows():
            numbers[f"winner_{row['band']}_{row['demand_per_week']:g}"] = row["winner"]
        where = ", ".join(f"{r.band}/{r.demand_per_week:g}" for r in ops.itertuples()) or "no cell"
        text = f"Ops Run It is cheapest in {where}; the map agrees with the playbook in {agree:.0%} of cells."
        more = numbers["ablation_cells_won_by_ops_run_it"] > len(ops)
        ablation = (
            f"With YBIORI's handoff queues and tier penalties removed (no CAB, no App Ops queue, all-knowing App Ops, "
            f"no bouncing) Ops Run It wins {numbers['ablation_cells_won_by_ops_run_it']} of {len(frame)} cells "
            f"({'mechanism confirmed' if more else 'mechanism not confirmed'}: the cheaper premium should then "
            f"win more)"
        )
        return Verdict(status(ok), rounded(numbers), text, ablation)

    def figure(self, tables):
        """The decision map next to the playbook."""
        return map_figure(decision_frame(tables))


CLAIM = Insurance(
    26,
    "Insurance: higher premium, lower expected loss",
    "S6; PB",
    "all five models, D=5, swept over exposure band and demand",
    "YBIORI wins only at low exposure and low demand; the crossover is near weekly and 99.9%",
    "a lower premium paid for by longer TTR x exposure and longer lead time x demand "
    "(ablation: YBIORI without CAB, App Ops queue, knowledge gap and bouncing)",
)
