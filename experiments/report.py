"""The claims report: runs every claim's sweeps through the runner, evaluates them and writes Markdown with figures.

Sweeps are cached per spec under the cache folder (re-running resumes); ``OUT/report.md`` and ``OUT/figures``.
"""

from __future__ import annotations

import math
import time
import traceback
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.claims import all_claims
from experiments.claims.base import NOT_MODELLED, NOT_REPRODUCED, REPRODUCED, Claim, Verdict, base_name
from experiments.runner import collect, load_daily, load_table, process_pool, run_sweep
from experiments.spec import SweepSpec, spec_to_dict

ERROR = "error"
DEFAULT_CACHE = Path("sweeps") / "report"


class SweepTables(dict):
    """Sweep tables keyed by base spec name, loaded on first use: ``name``, ``name:services|events|daily``."""

    def __init__(self, folders: dict[str, Path], daily: dict[str, list[str]]):
        super().__init__()
        self.folders = folders
        self.daily_columns = daily

    def __missing__(self, key: str) -> pd.DataFrame:
        name, _, part = key.partition(":")
        if name not in self.folders:
            raise KeyError(f"no sweep {name!r} was run for this report")
        folder = self.folders[name]
        if not part:
            value = collect(folder)
        elif part == "daily":
            columns = self.daily_columns.get(name)
            value = load_daily(folder, columns=columns)
        else:
            value = load_table(folder, part)
        self[key] = value
        return value


def plan(claims: list[Claim], quick: bool) -> tuple[dict[str, SweepSpec], dict[str, set[str]]]:
    """Every distinct sweep the claims need (shared specs once) and the tables each must keep."""
    specs: dict[str, SweepSpec] = {}
    keep: dict[str, set[str]] = {}
    for claim in claims:
        for spec in claim.spec(quick):
            if spec.name in specs and spec_to_dict(specs[spec.name]) != spec_to_dict(spec):
                raise ValueError(f"two claims define different sweeps named {spec.name!r}")
            specs[spec.name] = spec
            keep.setdefault(spec.name, set()).update(claim.keep_tables)
    return specs, keep


def run_all(
    specs: dict[str, SweepSpec], keep: dict[str, set[str]], cache: Path, workers: int, progress: bool
) -> dict[str, Path]:
    """Run (or resume) every sweep on one shared process pool; return each base name's folder."""
    folders: dict[str, Path] = {}
    executor = None
    if workers > 1:
        executor = process_pool(workers)  # forked if this process is single-threaded, before any progress bar
    try:
        for name, spec in specs.items():
            folder = cache / name
            run_sweep(spec, folder, executor=executor, workers=workers, progress=progress, tables=sorted(keep[name]))
            folders[base_name(name)] = folder
    finally:
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
    return folders


def evaluate_claim(claim: Claim, tables: dict[str, pd.DataFrame], figures: Path) -> tuple[Verdict, str | None]:
    """The claim's verdict and the relative path of its figure (an ``error`` verdict if the claim raised)."""
    try:
        verdict = claim.evaluate(tables)
    except Exception as err:
        last = traceback.format_exception_only(err)[-1].strip()
        return Verdict(ERROR, {}, f"the evaluation raised {last}"), None
    figure_path = None
    try:
        fig = claim.figure(tables)
        if fig is not None:
            figure_path = f"figures/{claim.slug}.png"
            fig.savefig(figures.parent / figure_path, dpi=90)
    except Exception as err:
        verdict.text += f" (figure failed: {traceback.format_exception_only(err)[-1].strip()})"
    return verdict, figure_path


def _value(value: Any) -> str:
    """A number for a Markdown table."""
    if isinstance(value, float):
        return "n/a" if not math.isfinite(value) else f"{value:.4g}"
    return str(value)


def claim_section(claim: Claim, verdict: Verdict, figure: str | None) -> list[str]:
    """The Markdown lines of one claim."""
    lines = [
        f"### Fact {claim.number}: {claim.title}",
        "",
        f"**Verdict: {verdict.status}**",
        "",
        f"- Source: {claim.source}; models: {claim.models}",
        f"- Expected direction: {claim.expected}",
    ]
    if claim.mechanism:
        lines.append(f"- Mechanism: {claim.mechanism}")
    lines.append(f"- Result: {verdict.text}")
    if verdict.ablation:
        lines.append(f"- Ablation: {verdict.ablation}")
    if verdict.numbers:
        lines += ["", "| number | value |", "|---|---|"]
        lines += [f"| {k} | {_value(v)} |" for k, v in verdict.numbers.items()]
    if figure:
        lines += ["", f"![Fact {claim.number}]({figure})"]
    return [*lines, ""]


def build_report(
    out: str | Path,
    quick: bool = False,
    workers: int = 1,
    cache: str | Path | None = None,
    progress: bool = False,
) -> Path:
    """Run the claims' sweeps, evaluate every claim, and write ``out/report.md`` with ``out/figures/*.png``."""
    from experiments.claims import dora

    started = time.perf_counter()
    out = Path(out)
    cache = Path(cache) if cache is not None else DEFAULT_CACHE
    figures = out / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    claims = all_claims()
    specs, keep = plan([*claims, dora.VIEW], quick)
    folders = run_all(specs, keep, cache, workers, progress)
    daily: dict[str, list[str]] = {}
    for claim in claims:
        daily.update(claim.daily)
    tables = SweepTables(folders, daily)
    runs = sum(len(tables[name]) for name in folders)
    sweep_s = time.perf_counter() - started

    results = [(claim, *evaluate_claim(claim, tables, figures)) for claim in claims]
    counts = {
        s: sum(1 for _, v, _ in results if v.status == s) for s in (REPRODUCED, NOT_REPRODUCED, NOT_MODELLED, ERROR)
    }
    lines = [
        "# Claims report: the stylised facts of *Who Runs It*",
        "",
        f"Generated by `whorunsit report{' --quick' if quick else ''}`: {runs} runs in {len(folders)} sweeps "
        f"({'quick: few seeds, short horizons' if quick else 'full'}); this invocation spent {sweep_s:.0f} s on sweeps "
        "(finished runs are cached and reused). Every verdict is "
        "computed from the sweep tables against the fact's expected direction (operating-models.md §6); where "
        "noise could flip a comparison it must hold by a stated margin (about two standard deviations of the "
        "replicates), and where the fact names a mechanism the ablation switches it off.",
        "",
        f"**{counts[REPRODUCED]} reproduced, {counts[NOT_REPRODUCED]} not reproduced, "
        f"{counts[NOT_MODELLED]} not modelled yet**" + (f", {counts[ERROR]} errors" if counts[ERROR] else ""),
        "",
        "| # | fact | verdict | ablation |",
        "|---|---|---|---|",
    ]
    for claim, verdict, _ in results:
        abl = verdict.ablation.split("(")[-1].rstrip(")") if "mechanism" in verdict.ablation else ""
        lines.append(f"| {claim.number} | [{claim.title}](#fact-{claim.number}) | {verdict.status} | {abl} |")
    lines += ["", "## Claims", ""]
    for claim, verdict, figure in results:
        lines.append(f'<a id="fact-{claim.number}"></a>')
        lines += claim_section(claim, verdict, figure)
    lines += decision_map_section(tables, figures)
    lines += dora.section(tables, figures)
    lines.append(f"_Report written in {time.perf_counter() - started:.0f} s._")
    path = out / "report.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def decision_map_section(tables: dict[str, pd.DataFrame], figures: Path) -> list[str]:
    """The decision map: cheapest operating model per exposure x demand cell, next to the playbook's rules."""
    from experiments.claims.fact26_insurance import PLAYBOOK_NOTE, decision_frame, map_figure

    frame = decision_frame(tables)
    fig = map_figure(frame)
    fig.savefig(figures / "decision_map.png", dpi=90)
    pivot = frame.pivot(index="band", columns="demand_per_week", values="winner").loc[["high", "medium", "low"]]
    rule = frame.pivot(index="band", columns="demand_per_week", values="playbook").loc[["high", "medium", "low"]]
    lines = [
        "## Decision map",
        "",
        "Lowest mean total cost (run cost + incident loss + cost of delay) per cell, over PB's exposure bands "
        "(low 7K/h at 95%, medium 250K/h at 99%, high 800K/h at 99.9%) and demand per week; the playbook column "
        "applies rules D2, D3, D4 and D6 of operating-models.md §4.3.",
        "",
        PLAYBOOK_NOTE,
        "",
        "| exposure band | " + " | ".join(f"demand {d:g}/wk: model (playbook)" for d in pivot.columns) + " |",
        "|---|" + "---|" * len(pivot.columns),
    ]
    for band in pivot.index:
        cells = [f"{pivot.loc[band, d]} ({rule.loc[band, d]})" for d in pivot.columns]
        lines.append(f"| {band} | " + " | ".join(cells) + " |")
    agree = float((frame["family"] == frame["playbook"]).mean())
    lines += ["", f"The model's cheapest family agrees with the playbook in {agree:.0%} of cells.", ""]
    lines += ["![Decision map](figures/decision_map.png)", ""]
    return lines
