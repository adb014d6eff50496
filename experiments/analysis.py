"""Sweep analysis: load a sweep's table, plot means with 95% intervals, compare paired designs, Sobol' indices.

Replicate ``r`` of every design point shares one seed (common random numbers), so differences between design
points are taken pair by pair; plots use matplotlib's object API and never touch pyplot's global state.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from experiments.runner import collect
from experiments.spec import SpecError, SweepSpec, design_points, load_spec, replicate_seeds, run_id_for


def load_sweep(out_dir: str | Path) -> pd.DataFrame:
    """One row per finished run of the sweep in ``out_dir`` (the same table as :func:`experiments.runner.collect`)."""
    return collect(out_dir)


def _t95(n: np.ndarray) -> np.ndarray:
    """The two-sided 95% Student-t quantile for ``n`` observations (NaN below 2)."""
    from scipy import stats

    n = np.asarray(n, dtype=float)
    out = np.full(n.shape, np.nan)
    ok = n >= 2
    out[ok] = stats.t.ppf(0.975, n[ok] - 1)
    return out


def mean_ci(df: pd.DataFrame, y: str, by: list[str]) -> pd.DataFrame:
    """Mean, 95% t-interval (``low``, ``high``) and ``n`` of column ``y`` for each group of ``by``."""
    _require(df, [y, *by])
    grouped = df.groupby(by, sort=True, dropna=False)[y]
    out = grouped.agg(mean="mean", sd="std", n="count").reset_index()
    half = _t95(out["n"].to_numpy()) * out["sd"].to_numpy() / np.sqrt(out["n"].to_numpy())
    out["low"] = out["mean"] - half
    out["high"] = out["mean"] + half
    return out


def plot_with_ci(
    df: pd.DataFrame,
    x: str,
    y: str,
    hue: str | None = None,
    ax: Axes | None = None,
    logx: bool = False,
) -> Figure:
    """Plot the mean of ``y`` against ``x`` (one line per ``hue``) with a 95% interval across replicates.

    Rows sharing ``x`` and ``hue`` are pooled, so filter other swept parameters first. A numeric ``x`` gives
    lines with shaded bands; any other ``x`` gives dodged points with error bars. Returns the figure.
    """
    if ax is None:
        fig = Figure(figsize=(6, 4), layout="constrained")
        ax = fig.add_subplot()
    by = [x] if hue is None else [hue, x]
    stats = mean_ci(df, y, by)
    groups = [(None, stats)] if hue is None else list(stats.groupby(hue, sort=True))
    numeric = pd.api.types.is_numeric_dtype(df[x]) and not pd.api.types.is_bool_dtype(df[x])
    categories = sorted(df[x].dropna().unique().tolist(), key=str)
    for i, (label, part) in enumerate(groups):
        name = None if hue is None else f"{label:g}" if isinstance(label, float) else str(label)
        if numeric:
            part = part.sort_values(x)
            (line,) = ax.plot(part[x], part["mean"], marker="o", label=name)
            ax.fill_between(part[x], part["low"], part["high"], color=line.get_color(), alpha=0.2, linewidth=0)
        else:
            offset = (i - (len(groups) - 1) / 2) * 0.12
            pos = np.array([categories.index(v) for v in part[x]], dtype=float) + offset
            yerr = np.vstack([part["mean"] - part["low"], part["high"] - part["mean"]])
            ax.errorbar(pos, part["mean"], yerr=yerr, fmt="o", capsize=3, label=name)
    if not numeric:
        ax.set_xticks(range(len(categories)), [str(c) for c in categories])
    if logx:
        ax.set_xscale("log")
        if numeric and len(categories) <= 12:  # label the swept values themselves, not powers of ten
            from matplotlib.ticker import NullFormatter

            ax.set_xticks(categories, [f"{v:g}" for v in categories])
            ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    ax.set_title(f"{y}: mean and 95% interval across replicates", fontsize="medium")
    if hue is not None:
        ax.legend(title=hue, fontsize="small")
    return ax.figure


@dataclass(frozen=True)
class PairedDifference:
    """The mean of ``metric`` under ``a`` minus under ``b``, paired on replicate and the other parameters."""

    metric: str
    by: str
    a: Any
    b: Any
    mean: float
    low: float
    high: float
    n: int
    sd: float

    def line(self) -> str:
        """A one-line summary, e.g. for a report."""
        return (
            f"{self.metric}: {self.by}={self.a} minus {self.by}={self.b} = {self.mean:.4g} "
            f"(95% CI {self.low:.4g} to {self.high:.4g}, n={self.n} pairs)"
        )


def paired_difference(df: pd.DataFrame, metric: str, a: Any, b: Any, by: str = "operating_model") -> PairedDifference:
    """Mean paired difference of ``metric`` between ``by == a`` and ``by == b``, with a 95% t-interval.

    Runs are paired when they share the replicate (hence the seed: common random numbers) and every other
    parameter column in ``df``; the difference is ``a - b``. Unpaired runs are left out.
    """
    from model.params import PARAMS

    _require(df, [metric, by, "replicate"])
    for value in (a, b):
        if not (df[by] == value).any():
            raise ValueError(f"no runs with {by}={value!r}; the sweep has {sorted(df[by].unique().tolist())}")
    keys = ["replicate", *[c for c in ("seed",) if c in df.columns]]
    keys += [c for c in df.columns if c in PARAMS and c != by]
    left = df.loc[df[by] == a, [*keys, metric]]
    right = df.loc[df[by] == b, [*keys, metric]]
    for side, value in ((left, a), (right, b)):
        if side.duplicated(keys).any():
            raise ValueError(f"several runs with {by}={value!r} share replicate and parameters; cannot pair them")
    pairs = left.merge(right, on=keys, suffixes=("_a", "_b"))
    diff = (pairs[f"{metric}_a"].astype(float) - pairs[f"{metric}_b"].astype(float)).dropna().to_numpy()
    n = len(diff)
    mean = float(diff.mean()) if n else float("nan")
    sd = float(diff.std(ddof=1)) if n >= 2 else float("nan")
    half = float(_t95(np.array([n]))[0] * sd / np.sqrt(n)) if n >= 2 else float("nan")
    return PairedDifference(metric, by, a, b, mean, mean - half, mean + half, n, sd)


def sobol_indices(spec: SweepSpec | str | Path, df: pd.DataFrame, output: str, replicate: int | None = None):
    """First-order and total Sobol' indices of ``output`` for a Sobol'-sampled spec (SALib ``analyze.sobol``).

    The output is averaged over replicates (or taken from one ``replicate``) at each design point, in the
    order SALib sampled them. Returns a DataFrame indexed by parameter with ``S1``, ``S1_conf``, ``ST`` and
    ``ST_conf``; second-order indices, when computed, are in ``.attrs["S2"]`` and ``.attrs["S2_conf"]``.

    Raises:
        SpecError: if the spec is not a Sobol' sample.
        ValueError: if runs are missing from ``df`` or the output is missing (NaN) at some design point.
    """
    from SALib.analyze import sobol

    from experiments.spec import salib_problem

    if not isinstance(spec, SweepSpec):
        spec = load_spec(spec)
    if spec.sample is None or spec.sample.method != "sobol":
        raise SpecError(f'{spec.source}: Sobol\' indices need a spec with [sample] method = "sobol"')
    _require(df, ["run_id", output])
    values = df.set_index("run_id")[output]
    seeds = replicate_seeds(spec.master_seed, spec.replicates)
    reps = range(spec.replicates) if replicate is None else [replicate]
    points = design_points(spec)
    y = np.empty(len(points))
    missing = 0
    for i, point in enumerate(points):
        ids = [run_id_for(point, r, seeds[r]) for r in reps]
        found = values.reindex(ids).astype(float)
        missing += int(found.isna().sum())
        y[i] = found.mean()
    if missing:
        raise ValueError(
            f"{output} is missing (no run, or NaN) for {missing} of {len(points) * len(reps)} runs; "
            "finish the sweep or choose an output defined in every run"
        )
    problem = salib_problem(spec)
    result = sobol.analyze(
        problem, y, calc_second_order=spec.sample.calc_second_order, seed=spec.sample.seed, print_to_console=False
    )
    table = pd.DataFrame(
        {k: result[k] for k in ("S1", "S1_conf", "ST", "ST_conf")}, index=pd.Index(problem["names"], name="parameter")
    )
    if spec.sample.calc_second_order:
        table.attrs["S2"] = pd.DataFrame(result["S2"], index=problem["names"], columns=problem["names"])
        table.attrs["S2_conf"] = pd.DataFrame(result["S2_conf"], index=problem["names"], columns=problem["names"])
    return table


def _require(df: pd.DataFrame, columns: list[str]) -> None:
    """Raise a one-line ValueError naming the columns ``df`` lacks."""
    absent = [c for c in columns if c not in df.columns]
    if absent:
        raise ValueError(f"the table has no column {', '.join(map(repr, absent))}")
