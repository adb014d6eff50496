"""``run`` builds its event tables when first read; reading, pickling and copying behave as if built up front."""

from __future__ import annotations

import copy
import dataclasses
import gc
import pickle
import weakref

import pandas as pd
import pytest

import model.org
from model import metrics
from model.params import validate
from model.run import TABLES, RunResult, run

PARAMS = {"operating_model": "ybisri", "delivery_teams": 3, "weeks": 30}


def _eager(seed: int) -> dict[str, pd.DataFrame]:
    org = model.org.OrgModel(rng=seed, **validate(PARAMS))
    org.run_until(org.horizon)
    return {
        "incidents": metrics.incident_table(org),
        "handoffs": metrics.handoff_table(org),
        "releases": metrics.release_table(org),
        "services": metrics.service_table(org),
        "events": metrics.event_table(org),
    }


def test_tables_are_built_when_read_and_equal_the_eager_ones():
    result = run(PARAMS, 3)
    assert not set(TABLES) & set(vars(result))  # nothing built yet
    eager = _eager(3)
    assert len(eager["events"]) and len(eager["handoffs"])  # the comparison compares something
    for name in TABLES:
        table = getattr(result, name)
        assert getattr(result, name) is table  # built once, then kept
        pd.testing.assert_frame_equal(table, eager[name], check_exact=True)


def test_the_model_is_not_kept_alive_by_the_result(monkeypatch):
    made: list[weakref.ref] = []
    init = model.org.OrgModel.__init__

    def spy(self, *args, **kwargs):
        made.append(weakref.ref(self))
        init(self, *args, **kwargs)

    monkeypatch.setattr(model.org.OrgModel, "__init__", spy)
    result = run(PARAMS, 3)
    gc.collect()
    assert made and made[0]() is None
    assert len(result.incidents) == result.summary["incidents"]


@pytest.mark.parametrize("clone", [lambda r: pickle.loads(pickle.dumps(r)), copy.deepcopy, copy.copy])
def test_pickles_and_copies_carry_built_tables(clone):
    result = run(PARAMS, 3)
    _ = result.incidents  # one built, the others not yet
    twin = clone(result)
    assert set(TABLES) <= set(vars(twin)) and "_builders" not in vars(twin)
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(twin, name), getattr(result, name), check_exact=True)
    assert twin.summary.keys() == result.summary.keys() and twin.daily.equals(result.daily)


def test_fields_constructor_and_attributes_are_unchanged():
    assert [f.name for f in dataclasses.fields(RunResult)] == ["params", "seed", "summary", "daily", *TABLES]
    frame = pd.DataFrame({"a": [1]})
    plain = RunResult({}, 1, {}, frame, frame, frame, frame)
    assert plain.services.empty and plain.events.empty
    result = run(PARAMS, 3)
    result.incidents = frame  # assignment before the first read wins
    assert result.incidents is frame
    pd.testing.assert_frame_equal(dataclasses.replace(result, seed=4).releases, result.releases)  # tables carry over
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = result.nope
    fresh = run(PARAMS, 3)
    assert repr(fresh).startswith("RunResult(params=")
    assert not set(TABLES) & set(vars(fresh))  # repr shows no table, so builds none
