"""Shared sweep fixtures: a tiny grid spec and one serial run of it, reused by the runner and analysis tests.

The serial sweep is the reference every other executor must reproduce bit for bit.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from experiments.runner import collect, run_sweep
from experiments.spec import SweepSpec, parse_spec

TINY = {
    "name": "tiny",
    "weeks": 4,
    "replicates": 2,
    "master_seed": 5,
    "fixed": {"incident_rate_per_week": 2.0},
    "grid": {"operating_model": ["ybiori", "ybiyri"], "demand_per_week": [0.5, 5]},
}


@pytest.fixture(scope="session")
def tiny_raw() -> dict:
    """The tiny spec as parsed TOML (a fresh copy for tests that vary it)."""
    return {**TINY, "fixed": dict(TINY["fixed"]), "grid": dict(TINY["grid"])}


@pytest.fixture(scope="session")
def tiny_spec() -> SweepSpec:
    return parse_spec(TINY, source="tiny.toml")


@pytest.fixture(scope="session")
def serial_sweep(tiny_spec, tmp_path_factory) -> Path:
    """The tiny spec run in-process: 2 models x 2 demands x 2 replicates = 8 four-week runs."""
    out = tmp_path_factory.mktemp("serial") / "tiny"
    report = run_sweep(tiny_spec, out, progress=False)
    assert report.computed == 8
    return out


@pytest.fixture(scope="session")
def serial_table(serial_sweep):
    return collect(serial_sweep)
