"""The claims framework: a stylised fact as sweep specs, an evaluation that returns a verdict, and a figure.

Verdicts are computed from sweep tables, never written in: each claim compares numbers with its fact's direction.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from experiments.spec import SweepSpec, parse_spec

REPRODUCED = "reproduced"
NOT_REPRODUCED = "not reproduced"
NOT_MODELLED = "not modelled yet"
#: Suffix of quick specs, so a quick and a full sweep never share a cache folder.
QUICK_SUFFIX = "-quick"


@dataclass(frozen=True)
class Scale:
    """Replicates and horizons of one report size."""

    replicates: int
    weeks: int
    long_weeks: int


QUICK = Scale(replicates=2, weeks=26, long_weeks=26)
FULL = Scale(replicates=8, weeks=52, long_weeks=104)


def scale(quick: bool) -> Scale:
    """The report size for ``quick`` (CI) or full runs."""
    return QUICK if quick else FULL


@dataclass
class Verdict:
    """A claim's outcome: status, the numbers behind it, a sentence, and what the ablation showed."""

    status: str
    numbers: dict[str, Any]
    text: str
    ablation: str = ""


@dataclass
class Claim:
    """One stylised fact of operating-models.md §6; subclasses override ``spec``, ``evaluate`` and ``figure``."""

    number: int
    title: str
    source: str
    models: str
    expected: str
    mechanism: str = ""
    #: Small RunResult tables (``services``, ``events``) the claim's own specs keep (set in subclasses).
    keep_tables: ClassVar[tuple[str, ...]] = ()
    #: Daily columns to load, per base spec name (set in subclasses).
    daily: ClassVar[dict[str, list[str]]] = {}

    @property
    def slug(self) -> str:
        """The module-style name, e.g. ``fact01``."""
        return f"fact{self.number:02d}"

    def spec(self, quick: bool) -> list[SweepSpec]:
        """The sweeps this claim needs (none by default)."""
        return []

    def evaluate(self, tables: dict[str, pd.DataFrame]) -> Verdict:
        """Compare the sweep tables with the expected direction."""
        raise NotImplementedError

    def figure(self, tables: dict[str, pd.DataFrame]) -> Figure | None:
        """A figure of the numbers behind the verdict (None if there is nothing to draw)."""
        return None


@dataclass
class NotModelled(Claim):
    """A fact the model cannot test yet; ``reason`` says what is missing."""

    reason: str = ""

    def evaluate(self, tables: dict[str, pd.DataFrame]) -> Verdict:
        """Always "not modelled yet", with the reason."""
        return Verdict(NOT_MODELLED, {}, self.reason)


# --------------------------------------------------------------------------- specs


def sweep(
    name: str,
    quick: bool,
    grid: dict[str, list[Any]] | None = None,
    fixed: dict[str, Any] | None = None,
    weeks: int | None = None,
    replicates: int | None = None,
    long: bool = False,
    description: str = "",
) -> SweepSpec:
    """A validated grid spec named ``name`` (``name-quick`` when quick), sized by the report scale."""
    size = scale(quick)
    raw: dict[str, Any] = {
        "name": name + (QUICK_SUFFIX if quick else ""),
        "description": description or f"claims report sweep {name}",
        "weeks": weeks or (size.long_weeks if long else size.weeks),
        "replicates": replicates or size.replicates,
        "master_seed": zlib.crc32(name.encode()),
        "fixed": dict(fixed or {}),
    }
    if grid:
        raw["grid"] = {k: list(v) for k, v in grid.items()}
    return parse_spec(raw, source=f"claims/{name}")


def base_name(spec_name: str) -> str:
    """The table key of a spec: its name without the quick suffix."""
    return spec_name.removesuffix(QUICK_SUFFIX)


# --------------------------------------------------------------------------- numbers


def sel(df: pd.DataFrame, **where: Any) -> pd.DataFrame:
    """Rows of ``df`` whose columns equal the given values (columns absent from ``df`` are ignored)."""
    mask = pd.Series(True, index=df.index)
    for key, value in where.items():
        if key in df.columns:
            mask &= df[key] == value
    return df[mask]


def mean(df: pd.DataFrame, column: str, **where: Any) -> float:
    """Mean of ``column`` over the rows matching ``where`` (NaN if none)."""
    rows = sel(df, **where)
    if column not in rows.columns or rows.empty:
        return float("nan")
    return float(pd.to_numeric(rows[column], errors="coerce").astype(float).mean())


def ratio(a: float, b: float) -> float:
    """``a / b``, NaN when ``b`` is zero or either is NaN."""
    if not (math.isfinite(a) and math.isfinite(b)) or b == 0:
        return float("nan")
    return a / b


def gap_closed(before: float, after: float, target: float) -> float:
    """Share of the gap between ``before`` and ``target`` that ``after`` closes (1 = fully closed)."""
    gap = before - target
    negligible = abs(gap) <= 0.01 * max(abs(before), abs(target))  # under 1%: there is no gap to close
    if not math.isfinite(gap) or negligible or not math.isfinite(after):
        return float("nan")
    return (before - after) / gap


def status(ok: bool) -> str:
    """``reproduced`` or ``not reproduced``."""
    return REPRODUCED if ok else NOT_REPRODUCED


def ablation_text(closed: float, what: str, threshold: float = 0.5) -> str:
    """One sentence on an ablation that should close a gap: confirmed when it closes ``threshold`` or more."""
    if not math.isfinite(closed):
        return f"{what}: undetermined (no gap to close)"
    verdict = "mechanism confirmed" if closed >= threshold else "mechanism not confirmed"
    return f"{what} closes {closed:.0%} of the gap ({verdict}; needs {threshold:.0%})"


def rounded(numbers: dict[str, Any]) -> dict[str, Any]:
    """Numbers rounded to four significant figures for the report."""
    out = {}
    for key, value in numbers.items():
        if isinstance(value, float | np.floating) and math.isfinite(value):
            out[key] = float(f"{float(value):.4g}")
        elif isinstance(value, np.integer | np.bool_):
            out[key] = value.item()
        else:
            out[key] = value
    return out


# --------------------------------------------------------------------------- figures


def new_figure(ncols: int = 1, width: float = 6.0, height: float = 4.0) -> tuple[Figure, list]:
    """A constrained-layout figure with ``ncols`` axes side by side."""
    fig = Figure(figsize=(width * ncols, height), layout="constrained")
    axes = fig.subplots(1, ncols, squeeze=False)[0]
    return fig, list(axes)


def bars(ax, labels: list[str], groups: list[pd.Series], ylabel: str, title: str = "") -> None:
    """Bars of group means with 95% intervals across replicates."""
    from experiments.analysis import _t95

    means, halves = [], []
    for values in groups:
        values = pd.to_numeric(values, errors="coerce").dropna().astype(float)
        n = len(values)
        means.append(values.mean() if n else np.nan)
        half = _t95(np.array([n]))[0] * values.std(ddof=1) / np.sqrt(n) if n >= 2 else 0.0
        halves.append(half)
    ax.bar(range(len(labels)), means, yerr=halves, capsize=3, color=[f"C{i}" for i in range(len(labels))])
    ax.set_xticks(range(len(labels)), labels, rotation=15, fontsize="small")
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title, fontsize="medium")
