from __future__ import annotations

import hashlib
import json
import math
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from model import metrics
from model.org import OrgModel
from model.params import validate
from model.run import RunResult, run

ROOT = Path(__file__).resolve().parents[2]
SMALL = {"weeks": 6, "delivery_teams": 2, "developers_per_team": 4}
CASES = {
    "ybiori": {**SMALL, "operating_model": "ybiori", "incident_rate_per_week": 2.0},
    "ybiyri": {**SMALL, "operating_model": "ybiyri", "incident_rate_per_week": 2.0},
}


def same_value(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


def assert_same_summary(a: dict[str, Any], b: dict[str, Any]) -> None:
    assert list(a) == list(b)
    different = {k: (a[k], b[k]) for k in a if not same_value(a[k], b[k])}
    assert not different, different


def assert_same_result(a: RunResult, b: RunResult) -> None:
    assert_same_summary(a.summary, b.summary)
    pd.testing.assert_frame_equal(a.daily, b.daily)
    pd.testing.assert_frame_equal(a.incidents, b.incidents)
    pd.testing.assert_frame_equal(a.handoffs, b.handoffs)
    pd.testing.assert_frame_equal(a.releases, b.releases)


def digest(frame: pd.DataFrame) -> str:
    return hashlib.sha256(frame.to_csv(index=False, float_format="%.17g").encode()).hexdigest()


@pytest.fixture(scope="module", params=sorted(CASES))
def case(request) -> tuple[dict[str, Any], RunResult]:
    params = CASES[request.param]
    return params, run(params, 11)


def test_run_result_shape(case):
    params, result = case
    assert result.params == validate(params)
    assert result.seed == 11
    assert result.summary["seed"] == 11
    assert result.summary["operating_model"] == params["operating_model"]
    assert len(result.daily) == params["weeks"] * 7 + 1
    assert list(result.daily.columns) == list(metrics.DAILY_REPORTERS)
    assert result.summary["incidents"] > 0  # the comparisons below compare something
    assert len(result.incidents) == result.summary["incidents"]
    assert len(result.releases) > 0


def test_same_seed_same_results(case):
    params, first = case
    assert_same_result(first, run(params, 11))


def test_same_seed_same_results_whatever_ran_before(case):
    params, first = case
    run({**params, "operating_model": "ybiyri" if params["operating_model"] == "ybiori" else "ybiori"}, 11)
    run({**params, "delivery_teams": 3}, 5)
    assert_same_result(first, run(params, 11))


def test_different_seeds_differ(case):
    params, first = case
    other = run(params, 12)
    changed = [k for k in first.summary if k != "seed" and not same_value(first.summary[k], other.summary[k])]
    assert changed, "seeds 11 and 12 gave the same summary"
    assert not first.daily.equals(other.daily)
    assert not first.incidents.equals(other.incidents)


def test_global_random_state_changes_nothing(case):
    params, first = case
    random.seed(1)
    np.random.seed(1)
    a = run(params, 11)
    random.seed(987654)
    np.random.seed(987654)
    for _ in range(17):
        random.random()
        np.random.random()
    b = run(params, 11)
    assert_same_result(first, a)
    assert_same_result(first, b)


def test_run_leaves_global_random_state_alone(case):
    params, _ = case
    random.seed(3)
    np.random.seed(3)
    py_before, np_before = random.getstate(), np.random.get_state()
    run(params, 11)
    assert random.getstate() == py_before
    np_after = np.random.get_state()
    np.testing.assert_array_equal(np_after[1], np_before[1])
    assert np_after[2:] == np_before[2:]


def test_run_is_the_org_model_run(case):
    params, first = case
    org = OrgModel(rng=11, **validate(params))
    org.run_until(org.horizon)
    assert_same_summary(first.summary, metrics.summary(org, 11))
    daily = org.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    pd.testing.assert_frame_equal(first.daily, daily)


def test_numpy_integer_seed_equals_int_seed():
    params = {**SMALL, "weeks": 2}
    assert_same_result(run(params, 3), run(params, np.int64(3)))


def test_input_params_are_not_mutated():
    params = dict(CASES["ybiori"])
    before = dict(params)
    run(params, 1)
    assert params == before


_CHILD = """
import hashlib, json, sys
from model.run import run
params, seed = json.loads(sys.argv[1]), int(sys.argv[2])
result = run(params, seed)
def digest(frame):
    return hashlib.sha256(frame.to_csv(index=False, float_format="%.17g").encode()).hexdigest()
print(json.dumps({"summary": result.summary, "daily": digest(result.daily), "incidents": digest(result.incidents),
                  "releases": digest(result.releases)}))
"""


def test_fresh_subprocess_gives_the_same_run():
    results = {name: run(params, 11) for name, params in CASES.items()}
    for name, params in CASES.items():
        env = {**os.environ, "PYTHONHASHSEED": "4242", "PYTHONPATH": str(ROOT)}
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, json.dumps(params), "11"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        child = json.loads(done.stdout.strip().splitlines()[-1])
        here = results[name]
        # in-process summary through the same JSON round trip (NaN survives as NaN)
        assert_same_summary(json.loads(json.dumps(here.summary)), child["summary"])
        assert child["daily"] == digest(here.daily), name
        assert child["incidents"] == digest(here.incidents), name
        assert child["releases"] == digest(here.releases), name
