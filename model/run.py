"""The one seam everything else calls: ``run(params, seed) -> RunResult``, with no file I/O.

A run validates its parameters, builds the organisation, advances the event clock to the horizon and
returns a summary dict plus daily series and per-incident, per-handoff and per-release tables.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from model import metrics
from model.params import check_seed, validate

#: The event tables ``run`` builds only when first read.
TABLES = ("incidents", "handoffs", "releases", "services", "events")


@dataclass
class RunResult:
    """What one run returns: a flat summary, a daily series and event tables.

    A result from ``run`` builds each event table the first time it is read and keeps it, so a sweep that keeps
    only ``summary`` and ``daily`` never pays for them; reading, assigning, comparing, copying and pickling
    behave as if every table had been built up front (a pickle always carries the built tables).
    """

    params: dict[str, Any]
    seed: int
    summary: dict[str, Any]
    daily: pd.DataFrame
    incidents: pd.DataFrame = field(repr=False)
    handoffs: pd.DataFrame = field(repr=False)
    releases: pd.DataFrame = field(repr=False)
    services: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    events: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)

    @classmethod
    def deferred(
        cls,
        params: dict[str, Any],
        seed: int,
        summary: dict[str, Any],
        daily: pd.DataFrame,
        builders: Mapping[str, Callable[[], pd.DataFrame]],
    ) -> RunResult:
        """A result whose tables in ``builders`` (one for each of ``TABLES``) are built when first read."""
        if set(builders) != set(TABLES):
            raise ValueError(f"need a builder for each of {TABLES}, got {sorted(builders)}")
        result = cls.__new__(cls)
        result.params, result.seed, result.summary, result.daily = params, seed, summary, daily
        result._builders = dict(builders)
        return result

    def __getattr__(self, name: str) -> Any:
        # Only reached when ``name`` is not set yet: a deferred table is built now and kept as a plain attribute.
        builders = self.__dict__.get("_builders")
        if not builders or name not in builders:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        table = builders[name]()
        self.__dict__[name] = table
        del builders[name]  # only once built: a builder that raised is tried again on the next read
        return table

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        for name in list(state.pop("_builders", ())):
            if name not in state:
                state[name] = getattr(self, name)
        return state


def run(params: Mapping[str, Any] | None = None, seed: int = 0) -> RunResult:
    """Run one organisation for ``params['weeks']`` weeks with seed ``seed`` and summarise it.

    Raises:
        ParamError: before anything runs, if a parameter is unknown or out of range.
    """
    from model.org import OrgModel

    p = validate(params)
    seed = check_seed(seed)
    org = OrgModel(rng=seed, **p)
    org.run_until(org.horizon)
    # The tables are built later from records that no longer change and hold no reference to the model (the
    # service rows, which ask the policy and read the services, are taken now), so the model can be freed.
    incidents, releases, events = org.support.incidents, org.delivery.releases, org.events
    service_rows = metrics.service_rows(org)
    result = RunResult.deferred(
        params=p,
        seed=seed,
        summary=metrics.summary(org, seed),
        daily=org.datacollector.get_model_vars_dataframe().reset_index(drop=True),
        builders={
            "incidents": functools.partial(metrics.incident_frame, incidents),
            "handoffs": functools.partial(metrics.handoff_frame, incidents),
            "releases": functools.partial(metrics.release_frame, releases),
            "services": functools.partial(pd.DataFrame, service_rows),
            "events": functools.partial(metrics.event_frame, events),
        },
    )
    org.remove_all_agents()
    return result
