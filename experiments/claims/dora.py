"""The DORA view: each run's four keys binned into DORA's survey answer buckets and placed in a performance cluster.

Buckets and cluster rows follow calibration.md B1 (2018, 2019, 2024); a run reaches a cluster when at least three
of its four keys are in that cluster's bucket or a better one (B9 rule 1), and lands in the best cluster it reaches.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from experiments.claims.base import Claim, new_figure, sweep

LT_BUCKETS = ["< 1 h", "< 1 d", "1 d-1 wk", "1 wk-1 mo", "1-6 mo", "> 6 mo"]
LT_EDGES_H = [1, 24, 168, 730, 4380]
DF_BUCKETS = ["on demand", "hourly-daily", "daily-weekly", "weekly-monthly", "monthly-6-monthly", "rarer"]
#: Lower edges in deployments per week (per service): several a working day, about daily, weekly, monthly, 6-monthly.
DF_EDGES_PER_WEEK = [10.0, 4.5, 1.0, 12 / 52, 2 / 52]
CFR_BUCKETS = ["0-15%", "16-30%", "31-45%", "46-60%", "> 60%"]
CFR_EDGES = [0.155, 0.305, 0.455, 0.605]
KEYS = ("DF", "LT", "TTR", "CFR")
CLUSTERS = ("elite", "high", "medium", "low")
#: Per year and cluster, the worst bucket index of DF, LT, TTR and CFR that still belongs to it (B1).
THRESHOLDS = {
    2018: {"elite": (0, 0, 0, 0), "high": (1, 2, 1, 0), "medium": (3, 3, 1, 0), "low": (3, 4, 3, 3)},
    2019: {"elite": (0, 1, 0, 0), "high": (2, 2, 1, 0), "medium": (3, 3, 1, 0), "low": (4, 4, 3, 3)},
    2024: {"elite": (0, 1, 0, 0), "high": (2, 2, 1, 1), "medium": (3, 3, 1, 0), "low": (4, 4, 3, 2)},
}
MODELS = ["ybiori", "ybiosri", "ybiyri-tiered", "ybiyri", "ybisri"]


def df_bucket(per_week: float) -> int:
    """DORA's deployment-frequency answer for deployments per week."""
    for i, edge in enumerate(DF_EDGES_PER_WEEK):
        if per_week >= edge:
            return i
    return len(DF_EDGES_PER_WEEK)


def time_bucket(hours: float) -> int:
    """DORA's lead-time / time-to-restore answer for a duration in hours (NaN counts as the worst)."""
    if not np.isfinite(hours):
        return len(LT_EDGES_H)
    return int(np.searchsorted(LT_EDGES_H, hours, side="right"))


def cfr_bucket(rate: float) -> int:
    """DORA's change-failure-rate answer (NaN: no deployment, counted as the best)."""
    if not np.isfinite(rate):
        return 0
    return int(np.searchsorted(CFR_EDGES, rate, side="right"))


def place(buckets: tuple[int, int, int, int], year: int) -> str:
    """The best cluster of ``year`` that at least three of the four keys reach."""
    for cluster in CLUSTERS:
        bounds = THRESHOLDS[year][cluster]
        if sum(b <= t for b, t in zip(buckets, bounds, strict=True)) >= 3:
            return cluster
    return "below low"


def binned(table: pd.DataFrame) -> pd.DataFrame:
    """One row per run: model, demand, the four bucket indices and the cluster per year."""
    out = pd.DataFrame(
        {
            "operating_model": table["operating_model"],
            "demand_per_week": table["demand_per_week"],
            "DF": [df_bucket(v) for v in table["deploys_per_week"]],
            "LT": [time_bucket(v) for v in table["lead_time_h_median"]],
            "TTR": [time_bucket(v) for v in table["time_to_restore_h_median"]],
            "CFR": [cfr_bucket(v) for v in table["change_failure_rate"]],
        }
    )
    for year in THRESHOLDS:
        out[str(year)] = [place(tuple(r), year) for r in out[list(KEYS)].itertuples(index=False)]
    return out


def _mode(values: pd.Series):
    """The most common value (the first in sort order on ties)."""
    return values.value_counts().sort_index().idxmax()


def summary(runs: pd.DataFrame) -> pd.DataFrame:
    """Per model and demand: modal bucket labels and modal cluster per year."""
    labels = {"DF": DF_BUCKETS, "LT": LT_BUCKETS, "TTR": LT_BUCKETS, "CFR": CFR_BUCKETS}
    rows = []
    for (model, demand), g in runs.groupby(["operating_model", "demand_per_week"], sort=False):
        row = {"operating_model": model, "demand_per_week": demand}
        row |= {k: labels[k][_mode(g[k])] for k in KEYS}
        row |= {str(y): _mode(g[str(y)]) for y in THRESHOLDS}
        rows.append(row)
    order = {m: i for i, m in enumerate(MODELS)}
    return pd.DataFrame(rows).sort_values(
        ["operating_model", "demand_per_week"], key=lambda s: s.map(order) if s.name == "operating_model" else s
    )


class DoraView(Claim):
    """Not a fact: the sweep behind the DORA section."""

    def spec(self, quick: bool):
        """Every model at monthly, weekly and daily demand, three teams."""
        return [
            sweep(
                "dora",
                quick,
                fixed={"delivery_teams": 3},
                grid={"operating_model": MODELS, "demand_per_week": [0.25, 1.0, 5.0]},
            )
        ]


VIEW = DoraView(0, "DORA view", "calibration.md B1", "all", "")


def figure(runs: pd.DataFrame):
    """Four strips (one per key) of bucket per run by model, and the cluster each model lands in per year."""
    fig, axes = new_figure(5, width=3.4, height=4.2)
    labels = {"DF": DF_BUCKETS, "LT": LT_BUCKETS, "TTR": LT_BUCKETS, "CFR": CFR_BUCKETS}
    rng = np.random.default_rng(0)
    demands = sorted(runs["demand_per_week"].unique())
    for ax, key in zip(axes[:4], KEYS, strict=True):
        for j, d in enumerate(demands):
            part = runs[runs.demand_per_week == d]
            x = part["operating_model"].map({m: i for i, m in enumerate(MODELS)}) + (j - 1) * 0.2
            y = part[key] + rng.uniform(-0.12, 0.12, len(part))
            ax.scatter(x, y, s=12, alpha=0.6, color=f"C{j}", label=f"{d:g}/wk")
        for year, style in ((2018, ":"), (2019, "--"), (2024, "-")):
            ax.axhline(THRESHOLDS[year]["high"][KEYS.index(key)] + 0.5, color="grey", linestyle=style, linewidth=0.8)
        ax.set_yticks(range(len(labels[key])), labels[key], fontsize="x-small")
        ax.set_ylim(len(labels[key]) - 0.5, -0.5)
        ax.set_xticks(range(len(MODELS)), MODELS, rotation=45, fontsize="x-small")
        ax.set_title(f"{key} (lines: worst 'high' bucket 2018 : / 2019 -- / 2024 -)", fontsize="x-small")
    axes[0].legend(fontsize="x-small", title="demand")
    ranks = {c: i for i, c in enumerate([*CLUSTERS, "below low"])}
    grid = np.array(
        [[runs.loc[runs.operating_model == m, str(y)].map(ranks).mean() for y in THRESHOLDS] for m in MODELS]
    )
    im = axes[4].imshow(grid, cmap="RdYlGn_r", vmin=0, vmax=4, aspect="auto")
    for i in range(len(MODELS)):
        for j in range(len(THRESHOLDS)):
            axes[4].text(j, i, [*CLUSTERS, "below"][round(grid[i, j])], ha="center", va="center", fontsize="x-small")
    axes[4].set_xticks(range(len(THRESHOLDS)), [str(y) for y in THRESHOLDS])
    axes[4].set_yticks(range(len(MODELS)), MODELS, fontsize="x-small")
    axes[4].set_title("mean cluster rank per model", fontsize="x-small")
    fig.colorbar(im, ax=axes[4], ticks=range(5), label="0 elite ... 4 below low")
    fig.suptitle("DORA view: survey buckets and clusters")
    return fig


def section(tables: dict[str, pd.DataFrame], figures) -> list[str]:
    """The Markdown lines of the DORA section (and its figure)."""
    runs = binned(tables["dora"])
    figure(runs).savefig(figures / "dora.png", dpi=90)
    table = summary(runs)
    lines = [
        "## DORA view",
        "",
        "Each run's deployment frequency (per service), median lead time, median time to restore and change failure "
        "rate are binned into DORA's answer buckets (calibration.md B1 notes) and placed in the best cluster of "
        "2018, 2019 and 2024 that at least three of the four keys reach (B9 rule 1). Cells show the modal bucket and "
        "cluster across replicates (three teams per run).",
        "",
        "| model | demand/wk | DF | LT | TTR | CFR | 2018 | 2019 | 2024 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in table.to_dict("records"):
        cells = [
            r["operating_model"],
            f"{r['demand_per_week']:g}",
            *(r[k] for k in KEYS),
            *(r[str(y)] for y in THRESHOLDS),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    good = {"elite", "high"}
    checks = []
    for model, wanted in (("ybiyri", good), ("ybiori", {"medium", "low"})):
        part = runs[runs.operating_model == model]
        years = [y for y in THRESHOLDS if part[str(y)].isin(wanted).mean() > 0.5]
        ok = len(years) > 1
        checks.append(
            f"- {model} in {' or '.join(sorted(wanted))} for most runs in {len(years)} of {len(THRESHOLDS)} years "
            f"({', '.join(map(str, years)) or 'none'}): B9 rule 1 {'passes' if ok else 'fails'}."
        )
    lines += ["", *checks, "", "![DORA view](figures/dora.png)", ""]
    return lines
