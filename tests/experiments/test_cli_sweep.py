"""``whorunsit sweep`` end to end: run the smoke spec on two processes, resume, collect to a table and CSV.

Errors a user can cause are one line with exit code 2, never a traceback.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from experiments.cli import main

ROOT = Path(__file__).resolve().parents[2]


def cli(*args, cwd=ROOT):
    command = [sys.executable, "-m", "experiments.cli", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=180)


def test_smoke_sweep_on_two_workers_then_resume_and_collect(tmp_path):
    out = tmp_path / "smoke"
    first = cli("sweep", "smoke", "--workers", "2", "--out", str(out))
    assert first.returncode == 0, first.stderr
    assert "8 computed, 0 already done" in first.stdout
    assert "sweep smoke" in first.stderr  # the progress bar
    assert len(list((out / "runs").glob("*.parquet"))) == 8

    again = cli("sweep", "experiments/specs/smoke.toml", "--out", str(out), "--no-progress")
    assert again.returncode == 0 and "0 computed, 8 already done" in again.stdout and again.stderr == ""

    shown = cli("sweep", "--collect", str(out))
    assert shown.returncode == 0
    assert "8 of 8 runs finished" in shown.stdout and "ybiyri" in shown.stdout and "deploys_per_week" in shown.stdout

    csv = tmp_path / "smoke.csv"
    written = cli("sweep", "--collect", str(out), "--csv", str(csv))
    assert written.returncode == 0 and csv.exists()
    table = pd.read_csv(csv)
    assert len(table) == 8 and {"run_id", "seed", "operating_model", "demand_per_week"} <= set(table.columns)
    assert "median over the runs of each row" in shown.stdout


def test_default_out_is_sweeps_slash_name(tmp_path):
    (tmp_path / "one.toml").write_text('name = "one"\nweeks = 1\nreplicates = 1\nmaster_seed = 1\n')
    done = cli("sweep", "one.toml", "--no-progress", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "sweeps" / "one" / "runs").glob("*.parquet"))) == 1


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["sweep"], "either a SPEC"),
        (["sweep", "smoke", "--collect", "x"], "either a SPEC"),
        (["sweep", "smoke", "--csv", "x.csv"], "--csv only goes with --collect"),
        (["sweep", "nosuch"], "no spec file 'nosuch'"),
        (["sweep", "smoke", "--workers", "0"], "--workers"),
        (["sweep", "smoke", "--scheduler", "tcp://a", "--local-cluster"], "not allowed with"),
    ],
)
def test_usage_errors_are_one_line(args, needle, capsys):
    with pytest.raises(SystemExit) as info:
        code = main(args)
        raise SystemExit(code)
    err = capsys.readouterr().err
    assert info.value.code == 2
    assert len(err.strip().splitlines()) == 1 and needle in err and "Traceback" not in err


def test_bad_spec_and_bad_folder_are_one_line_per_problem(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "bad"\nweeks = 2\nreplicates = 1\nmaster_seed = 1\n[grid]\ndemand_per_week = [1, 99]\n')
    assert main(["sweep", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        "whorunsit: error: bad.toml: [grid] demand_per_week=99 is not allowed: "
        "demand_per_week must be a number in 0.05..20"
    ]
    assert main(["sweep", "--collect", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "not a sweep folder" in err


def test_collect_shows_the_median_of_each_rows_runs(monkeypatch, capsys):
    import argparse

    import pandas as pd

    from experiments import cli, runner

    runs = pd.DataFrame({"operating_model": ["ybiori"] * 3, "deploys_per_week": [1.0, 2.0, 9.0]})
    monkeypatch.setattr(runner, "collect", lambda _: runs)
    meta = {"runs": [1, 2, 3], "swept": ["operating_model"], "spec": {"design": "grid"}}
    monkeypatch.setattr(runner, "read_metadata", lambda _: meta)
    assert cli._collect(argparse.Namespace(collect="x", csv=None)) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("ybiori"))
    assert row.split() == ["ybiori", "3", "2"]  # the median; the mean would be 4
