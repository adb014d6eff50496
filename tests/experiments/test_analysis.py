"""Sweep analysis: means with 95% intervals on the Figure API, paired differences, Sobol' indices.

The paired difference relies on common random numbers: replicate r of every design point has the same seed.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from experiments.analysis import load_sweep, mean_ci, paired_difference, plot_with_ci, sobol_indices
from experiments.runner import run_sweep
from experiments.spec import SpecError, parse_spec


def test_load_sweep_is_collect(serial_sweep, serial_table):
    pd.testing.assert_frame_equal(load_sweep(serial_sweep), serial_table)


def test_mean_ci_brackets_the_mean():
    df = pd.DataFrame({"x": [1, 1, 1, 2, 2], "y": [1.0, 2.0, 3.0, 5.0, 5.0]})
    stats = mean_ci(df, "y", ["x"])
    first = stats.iloc[0]
    assert first["mean"] == 2.0 and first["n"] == 3
    assert first["low"] == pytest.approx(2 - 4.302653 / np.sqrt(3), rel=1e-6)  # t(0.975, 2) * sd 1 / sqrt 3
    assert stats.iloc[1]["low"] == stats.iloc[1]["high"] == 5.0


def test_plot_with_ci_uses_the_figure_api(serial_table):
    pyplot_loaded = "matplotlib.pyplot" in sys.modules
    fig = plot_with_ci(serial_table, "demand_per_week", "deploys_per_week", hue="operating_model", logx=True)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert len(ax.lines) == 2 and ax.get_xscale() == "log" and ax.get_legend() is not None
    fig2 = plot_with_ci(serial_table, "operating_model", "lead_time_h_median")
    assert [t.get_text() for t in fig2.axes[0].get_xticklabels()] == ["ybiori", "ybiyri"]
    other = Figure().add_subplot()
    assert plot_with_ci(serial_table, "demand_per_week", "incidents", ax=other) is other.figure
    assert ("matplotlib.pyplot" in sys.modules) == pyplot_loaded


def test_paired_difference_pairs_on_replicate_and_other_parameters(serial_table):
    result = paired_difference(serial_table, "deploys_per_week", "ybiyri", "ybiori")
    assert result.n == 4  # 2 demand levels x 2 replicates
    t = serial_table
    key = ["replicate", "demand_per_week"]
    a = t[t.operating_model == "ybiyri"].set_index(key)["deploys_per_week"]
    b = t[t.operating_model == "ybiori"].set_index(key)["deploys_per_week"]
    assert result.mean == pytest.approx((a - b.reindex(a.index)).mean())
    assert result.low <= result.mean <= result.high
    assert "minus" in result.line()
    with pytest.raises(ValueError, match="no runs with operating_model='nosuch'"):
        paired_difference(serial_table, "deploys_per_week", "nosuch", "ybiori")


def test_sobol_indices_from_a_sobol_sweep(tmp_path, serial_table):
    raw = {
        "name": "sob",
        "weeks": 2,
        "replicates": 1,
        "master_seed": 2,
        "fixed": {"incident_rate_per_week": 3.0},
        "sample": {"method": "sobol", "n": 4, "bounds": {"demand_per_week": [0.5, 10], "handoff_h": [0, 4]}},
    }
    spec = parse_spec(raw)
    run_sweep(spec, tmp_path / "sob", progress=False)
    table = sobol_indices(spec, load_sweep(tmp_path / "sob"), "features_live")
    assert list(table.index) == ["demand_per_week", "handoff_h"]
    assert list(table.columns) == ["S1", "S1_conf", "ST", "ST_conf"]
    assert "S2" in table.attrs
    with pytest.raises(SpecError, match="sobol"):
        sobol_indices(parse_spec({**raw, "sample": {**raw["sample"], "method": "latin"}}), serial_table, "incidents")
    with pytest.raises(ValueError, match="missing"):
        sobol_indices(spec, load_sweep(tmp_path / "sob").iloc[:-2], "features_live")
