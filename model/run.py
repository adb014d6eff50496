"""The one seam everything else calls: ``run(params, seed) -> RunResult``, with no file I/O.

A run validates its parameters, builds the organisation, advances the event clock to the horizon and
returns a summary dict plus daily series and per-incident, per-handoff and per-release tables.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from model import metrics
from model.params import validate


@dataclass
class RunResult:
    """What one run returns: a flat summary, a daily series and event tables."""

    params: dict[str, Any]
    seed: int
    summary: dict[str, Any]
    daily: pd.DataFrame
    incidents: pd.DataFrame = field(repr=False)
    handoffs: pd.DataFrame = field(repr=False)
    releases: pd.DataFrame = field(repr=False)
    services: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    events: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)


def run(params: Mapping[str, Any] | None = None, seed: int = 0) -> RunResult:
    """Run one organisation for ``params['weeks']`` weeks with seed ``seed`` and summarise it.

    Raises:
        ParamError: before anything runs, if a parameter is unknown or out of range.
    """
    from model.org import OrgModel

    p = validate(params)
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        from model.params import ParamError

        raise ParamError(f"seed={seed!r} is not allowed: the seed must be a whole number")
    seed = int(seed)
    org = OrgModel(rng=seed, **p)
    org.run_until(org.horizon)
    result = RunResult(
        params=p,
        seed=seed,
        summary=metrics.summary(org, seed),
        daily=org.datacollector.get_model_vars_dataframe().reset_index(drop=True),
        incidents=metrics.incident_table(org),
        handoffs=metrics.handoff_table(org),
        releases=metrics.release_table(org),
        services=metrics.service_table(org),
        events=metrics.event_table(org),
    )
    org.remove_all_agents()
    return result
