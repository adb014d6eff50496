"""The README's example output and "What the model shows" figures, computed from seeded runs of the current model.

The README embeds each function's output between cog markers: ``make readme`` rewrites them, and
``tests/integration/test_readme.py`` fails when the README no longer matches what the model gives, so every number
there is real output of the code beside it.
"""

from __future__ import annotations

import functools
import io
import statistics
from collections.abc import Iterable, Sequence
from contextlib import redirect_stderr, redirect_stdout
from typing import Any

import pandas as pd

from model.run import RunResult, run

DEMANDS = ((0.25, "monthly"), (0.5, "fortnightly"), (1.0, "weekly"), (5.0, "daily"))


@functools.cache
def _run(items: tuple[tuple[str, Any], ...], seed: int) -> RunResult:
    """One run, cached: several sections read the same runs."""
    return run(dict(items), seed)


def runs(params: dict[str, Any], seeds: Iterable[int]) -> list[RunResult]:
    """Runs of ``params`` for each seed."""
    items = tuple(sorted(params.items()))
    return [_run(items, s) for s in seeds]


def med(results: Sequence[RunResult], key: str) -> float:
    """Median over runs of one summary value."""
    return statistics.median(r.summary[key] for r in results)


def flagged(results: Sequence[RunResult]) -> int:
    """How many runs the summary flags for Discontinuous Delivery."""
    return sum(bool(r.summary["discontinuous_delivery"]) for r in results)


def restored(results: Sequence[RunResult]) -> pd.DataFrame:
    """Restored incidents of all runs pooled, with their time to restore ``ttr`` in hours."""
    pooled = pd.concat([r.incidents for r in results], ignore_index=True)
    pooled = pooled[pooled["restored"].notna()]
    return pooled.assign(ttr=pooled["restored"] - pooled["started"])


def _cli(*argv: str) -> list[str]:
    """What ``whorunsit ARGV`` prints, standard output then standard error, as lines."""
    from experiments.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        main(list(argv))
    return (out.getvalue() + err.getvalue()).splitlines()


#: The summary lines the README's example shows (the command prints every summary value).
CLI_SHOWN = (
    "operating_model",
    "deploys_per_week",
    "demanded_per_week",
    "demand_satisfaction",
    "discontinuous_delivery",
    "lead_time_h_median",
    "lead_time_wait_share",
    "time_to_restore_h_median",
    "time_to_restore_h_p90",
    "reassignments_per_incident",
    "ttr_h_median_reassigned",
    "ttr_h_median_first_time_right",
    "standby_cost",
    "delivery_unpaid_ooh_hours",
)


def cli_example() -> str:
    """A console block: some of ``whorunsit run --model ybiori --seed 1``'s lines, then a rejected parameter."""
    summary = [line for line in _cli("run", "--model", "ybiori", "--seed", "1") if line.split()[0] in CLI_SHOWN]
    return "\n".join(
        [
            "```console",
            "$ whorunsit run --model ybiori --seed 1          # add --json for machine-readable output",
            *summary,
            "...",
            "$ whorunsit run --set delivery_teams=0",
            *_cli("run", "--set", "delivery_teams=0"),
            "```",
        ]
    )


def delivery_table(seeds: range = range(1, 6)) -> str:
    """Satisfaction, lead time, batch size and the Discontinuous Delivery flag by demand, YBIORI against YBIYRI."""
    rows = [
        f"**Discontinuous Delivery emerges from handoffs** (52 weeks, {len(seeds)} seeds, medians; satisfaction = "
        "deployments / deployments\ndemand implied; flagged = the median service's second half below 0.8):",
        "",
        "| demand | ybiori satisfaction | ybiori lead time (h) | ybiori batch | flagged | ybiyri satisfaction "
        "| ybiyri lead time (h) |",
        "|---|---|---|---|---|---|---|",
    ]
    for demand, label in DEMANDS:
        ori = runs({"operating_model": "ybiori", "demand_per_week": demand}, seeds)
        yri = runs({"operating_model": "ybiyri", "demand_per_week": demand}, seeds)
        rows.append(
            f"| {label} ({demand:g}/wk) | {med(ori, 'demand_satisfaction'):.2f} | {med(ori, 'lead_time_h_median'):.0f} "
            f"| {med(ori, 'batch_size_mean'):.2f} | {flagged(ori)}/{len(ori)} | {med(yri, 'demand_satisfaction'):.2f} "
            f"| {med(yri, 'lead_time_h_median'):.1f} |"
        )
    return "\n".join(rows)


def delivery_ablations(seeds: range = range(1, 6)) -> str:
    """The handoff ablation at weekly and daily demand, and a demand shock with nothing else changed."""
    off = {"operating_model": "ybiori", "cab_enabled": False, "app_ops_queue_enabled": False}
    weekly = med(runs({**off, "demand_per_week": 1.0}, seeds), "demand_satisfaction")
    daily = med(runs({**off, "demand_per_week": 5.0}, seeds), "demand_satisfaction")
    shock = {"operating_model": "ybiori", "demand_per_week": 0.25, "demand_shock_week": 26, "demand_shock_factor": 8}
    shocked = runs(shock, seeds)
    calm = runs({"operating_model": "ybiori", "demand_per_week": 0.25}, seeds)
    return (
        "With the CAB and App Ops queue made instantaneous (`cab_enabled=false app_ops_queue_enabled=false`) YBIORI\n"
        f"reaches {weekly:.2f} of weekly and {daily:.2f} of daily demand: the handoffs cause the gap. A demand shock "
        "from\nmonthly to twice weekly at week 26 (`demand_shock_week=26 demand_shock_factor=8`) flags YBIORI for "
        f"Discontinuous\nDelivery in {flagged(shocked)} of {len(shocked)} seeds, against {flagged(calm)} of "
        f"{len(calm)} without the shock, with nothing else changed."
    )


SUPPORT_SCENARIOS = (
    ("ybiori", {"operating_model": "ybiori"}),
    ("ybiyri", {"operating_model": "ybiyri"}),
    (
        "ybiori, App Ops know as much as owners, no bounce-backs",
        {"operating_model": "ybiori", "perfect_ops_knowledge": True, "bounce_prob": 0.0},
    ),
    ("ybiori, L3 paid standby + callout", {"operating_model": "ybiori", "l3_paid": True}),
)


def support_table(seeds: range = range(1, 9)) -> str:
    """Time to restore and reassignments by scenario, incidents of all seeds pooled; then tiers against swarming."""
    rows = [
        f"**Slow restores emerge from tiers, knowledge and pay** (52 weeks, {len(seeds)} seeds, incidents pooled; "
        "hours):",
        "",
        "| scenario | TTR median | TTR p90 | reassignments / incident | TTR reassigned vs first-time-right |",
        "|---|---|---|---|---|",
    ]
    for label, params in SUPPORT_SCENARIOS:
        d = restored(runs(params, seeds))
        again, first = d[d["reassignments"] > 0], d[d["reassignments"] == 0]
        rows.append(
            f"| {label} | {d['ttr'].median():.1f} | {d['ttr'].quantile(0.9):.1f} | {d['reassignments'].mean():.2f} "
            f"| {again['ttr'].median():.1f} vs {first['ttr'].median():.1f} |"
        )
    tiers = restored(runs({"operating_model": "ybiori"}, seeds))
    swarm = restored(runs({"operating_model": "ybiori", "support_mode": "swarm"}, seeds))
    novel_t, novel_s = tiers[~tiers["anticipated"]], swarm[~swarm["anticipated"]]
    rows.append(
        f"| ybiori, swarming instead of tiers | {swarm['ttr'].median():.1f} | {swarm['ttr'].quantile(0.9):.1f} "
        f"| {swarm['reassignments'].mean():.2f} | novel incidents: {novel_t['ttr'].median():.1f} with tiers, "
        f"{novel_s['ttr'].median():.1f} swarming |"
    )
    return "\n".join(rows)


def incentives_text(seeds: range = range(1, 7)) -> str:
    """Two years of operational work, operability and incidents under each incentive; then outsourcing."""
    base = {"weeks": 104}
    ori = runs({**base, "operating_model": "ybiori"}, seeds)
    yri = runs({**base, "operating_model": "ybiyri"}, seeds)
    fed = runs({**base, "operating_model": "ybiori", "delivery_feedback": True}, seeds)
    out = runs({**base, "operating_model": "ybiori", "opex_pressure": "outsource"}, seeds)
    outsourced = sum(bool(r.summary["ops_outsourced"]) for r in out)

    def share(rs: Sequence[RunResult]) -> str:
        return f"{100 * med(rs, 'ops_share_end'):.0f}%"

    return (
        f"**Inoperability emerges from incentives** (104 weeks, {len(seeds)} seeds, medians; operability starts at "
        f"{med(ori, 'operability_start'):.1f}):\nYBIORI's Delivery team gives {share(ori)} of its capacity to "
        f"operational work, operability ends at {med(ori, 'operability_end'):.2f} and\nincidents go from "
        f"{med(ori, 'incidents_per_week_first_quarter'):.2f} a week in the first quarter to "
        f"{med(ori, 'incidents_per_week_last_quarter'):.2f} in the last; YBIYRI's team feels its own callouts,\n"
        f"gives {share(yri)}, operability ends at {med(yri, 'operability_end'):.2f} and incidents go from "
        f"{med(yri, 'incidents_per_week_first_quarter'):.2f} to {med(yri, 'incidents_per_week_last_quarter'):.2f} "
        "a week. Give YBIORI teams YBIYRI's feedback\nand accountability (`delivery_feedback=true`) and they give "
        f"{share(fed)} and reach {med(fed, 'operability_end'):.2f}: the incentive, not the label.\n"
        f"Outsourcing under OpEx pressure (`opex_pressure=outsource`, which happened in {outsourced} of {len(out)} "
        f"seeds) takes YBIORI's\nmedian time to restore from {med(ori, 'time_to_restore_h_median'):.0f} to "
        f"{med(out, 'time_to_restore_h_median'):.0f} h and its lead time from {med(ori, 'lead_time_h_median'):.0f} "
        f"to {med(out, 'lead_time_h_median'):.0f} h."
    )


MODELS = ("ybiori", "ybiyri", "ybiyri-tiered", "ybiosri", "ybisri")


def standby_table(sizes: Sequence[int] = (1, 3, 10, 30), seed: int = 1) -> str:
    """Standby pay per week from each run's ledger, by operating model and number of delivery teams."""
    rows = [
        f"**Standby pay per week from the ledger** (GBP, default uniform 99% services, 52 weeks, seed {seed}):",
        "",
        "| teams | " + " | ".join(MODELS) + " |",
        "|---" * (len(MODELS) + 1) + "|",
    ]
    for teams in sizes:
        cells = []
        for om in MODELS:
            (r,) = runs({"operating_model": om, "delivery_teams": teams}, [seed])
            cells.append(f"{r.summary['standby_cost'] / r.params['weeks']:.0f}")
        rows.append(f"| {teams} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def series_text(seeds: range = range(1, 4)) -> str:
    """YBIOSRI's two halves of one mixed portfolio, and YBISRI's error-budget events."""
    mixed = {"delivery_teams": 10, "weeks": 104, "portfolio": "mixed"}
    services = pd.concat([r.services for r in runs({**mixed, "operating_model": "ybiosri"}, seeds)])
    same_demand = services[services["band"] != "low"]  # low-value services have a quarter of the demand
    by = same_demand.groupby(same_demand["run_by"] == "delivery")[["demand_satisfaction", "operability"]].mean()
    team, ops = by.loc[True], by.loc[False]
    sre = runs({**mixed, "operating_model": "ybisri"}, seeds)
    events = pd.concat([r.events for r in sre])
    count = events["kind"].value_counts()
    takes, freezes, backs = (int(count.get(k, 0)) for k in ("sre_takes_pager", "release_freeze", "pager_handed_back"))
    return (
        f"In a mixed YBIOSRI portfolio (10 teams, 2 years, {len(seeds)} seeds) the medium- and high-value services "
        f"its teams run reach\n{team['demand_satisfaction']:.2f} demand satisfaction and "
        f"{team['operability']:.2f} operability; the Ops-run services with the same demand reach "
        f"{ops['demand_satisfaction']:.2f} and {ops['operability']:.2f}.\n"
        f"In YBISRI on the same portfolio the SRE team takes {takes} pagers; services that overspend their error "
        f"budget\nfreeze releases ({freezes} freezes) and hand the SRE pager back ({backs} times); each is an event "
        "in\n`RunResult.events`."
    )


def page_scenario() -> str:
    """What the pages open on, read from the page's own scenario so that the README cannot drift from it."""
    from model.params import PARAMS
    from viz.controls import DEFAULT_SEED, SCENARIO

    shown = {k: v for k, v in SCENARIO.items() if k != "operating_model"}
    opened = ", ".join(f"`{k}={v}`" for k, v in shown.items())
    cli = ", ".join(f"{k}={PARAMS[k].default}" for k in shown if PARAMS[k].default != shown[k])
    return (
        f"Both pages open on {opened} and seed {DEFAULT_SEED} (`/` on {SCENARIO['operating_model'].upper()},\n"
        f"`/compare` YBIORI against YBIYRI): more to watch than `whorunsit run`'s defaults\n"
        f"({cli}). Every other parameter starts at its default, and every slider shows its value."
    )
