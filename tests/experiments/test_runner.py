"""The sweep runner: any executor gives the same table, files are atomic, and stopped sweeps resume exactly.

Runs are a few simulated weeks, so the costs here are process start-up (spawn, Dask) rather than the model.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from importlib import import_module
from pathlib import Path

import pandas as pd
import pytest

from experiments.runner import (
    RUN_COST_S,
    TARGET_TASK_S,
    SweepError,
    _chunks,
    auto_chunk_size,
    collect,
    load_daily,
    local_cluster,
    read_metadata,
    read_run_info,
    run_path,
    run_sweep,
    valid_run_file,
)
from experiments.spec import RunSpec, expand, parse_spec
from model.params import PARAMS

ROOT = Path(__file__).resolve().parents[2]


def run_files(out: Path) -> set[str]:
    return {p.stem for p in (out / "runs").glob("*.parquet")}


def test_serial_sweep_writes_one_file_per_run_and_metadata(serial_sweep, serial_table, tiny_spec):
    runs = expand(tiny_spec)
    assert run_files(serial_sweep) == {r.run_id for r in runs}
    assert not list((serial_sweep / "runs").glob(".*"))  # no temp files left
    meta = json.loads((serial_sweep / "metadata.json").read_text())
    assert meta["master_seed"] == 5 and meta["spec"]["grid"]["demand_per_week"] == [0.5, 5.0]
    assert [r["run_id"] for r in meta["runs"]] == [r.run_id for r in runs]
    assert [r["seed"] for r in meta["runs"]] == [r.seed for r in runs]
    assert meta["replicate_seeds"] == sorted({r.seed for r in runs}, key=[r.seed for r in runs].index)
    assert set(meta["environment"]["versions"]) >= {"whorunsit", "mesa", "numpy", "pandas", "networkx"}
    assert "git_revision" in meta["environment"] and meta["sessions"][-1]["computed"] == 8
    assert meta["schema"]["demand_per_week"]["default"] == 1.0
    info = read_run_info(run_path(serial_sweep, runs[0].run_id))
    assert info["seed"] == runs[0].seed and info["params"] == runs[0].params and "deploys_per_week" in info["summary"]

    table = serial_table
    assert len(table) == 8 and table["run_id"].is_unique
    assert list(table.columns[:8]) == [
        "run_id", "point", "replicate", "seed", "operating_model", "demand_per_week", "weeks", "incident_rate_per_week"
    ]  # fmt: skip
    assert "deploys_per_week" in table.columns and "seed_summary" not in table.columns
    daily = load_daily(serial_sweep)
    assert daily.columns[0] == "run_id" and len(daily) == 8 * (4 * 7 + 1)


def test_process_pool_gives_the_identical_table(serial_sweep, serial_table, tiny_spec, tmp_path):
    report = run_sweep(tiny_spec, tmp_path / "pool", workers=2, chunk_size=3, progress=False)
    assert report.computed == 8
    pd.testing.assert_frame_equal(collect(tmp_path / "pool"), serial_table)
    pd.testing.assert_frame_equal(load_daily(tmp_path / "pool"), load_daily(serial_sweep))


def _worker_settings(dask_worker) -> tuple:
    """Run on a Dask worker: its profiler setting and whether it runs the profiler's periodic callback."""
    import dask

    return dask.config.get("distributed.worker.profile.enabled"), "profile" in dask_worker.periodic_callbacks


def test_automatic_chunk_size_aims_at_tasks_of_target_length_but_keeps_four_tasks_per_worker():
    def runs(n: int, **params: int) -> list:
        return [RunSpec(f"r{i}", 0, i, i, params) for i in range(n)]

    per_task = round(TARGET_TASK_S / RUN_COST_S)
    assert auto_chunk_size(runs(2000), 2) == per_task  # a one-year default run costs RUN_COST_S
    assert auto_chunk_size(runs(2000, weeks=104, delivery_teams=5), 2) == round(per_task / 10)  # 10x the work
    assert auto_chunk_size(runs(80), 2) == 10  # 80 runs: 4 tasks per worker beat longer tasks
    assert auto_chunk_size(runs(3), 2) == 1
    assert auto_chunk_size([], 2) == 1


def test_automatic_chunks_shrink_at_the_end_so_the_workers_finish_together():
    runs = list(range(200))
    assert [len(c) for c in _chunks(runs, 5)] == [5] * 40  # a chunk size the caller chose is kept
    sizes = [len(c) for c in _chunks(runs, 5, taper_for=2)]
    assert [r for c in _chunks(runs, 5, taper_for=2) for r in c] == runs
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[-9:] == [5, 4, 3, 2, 2, 1, 1, 1, 1]  # at most a quarter of what is left: single runs to finish


def test_dask_local_cluster_gives_the_identical_table(serial_table, tiny_spec, tmp_path):
    from distributed import Client

    with local_cluster(2) as cluster, Client(cluster) as client:
        # the sweep settings reach the worker processes (the nannies pass them on), not just this process
        assert list(client.run(_worker_settings).values()) == [(False, False)] * 2
        report = run_sweep(
            tiny_spec, tmp_path / "dask", executor=client.get_executor(pure=False), workers=2, progress=False
        )
    assert report.computed == 8
    pd.testing.assert_frame_equal(collect(tmp_path / "dask"), serial_table)


def test_resume_recomputes_exactly_the_missing_and_corrupt_runs(serial_sweep, serial_table, tiny_spec, tmp_path):
    out = tmp_path / "resume"
    shutil.copytree(serial_sweep, out)
    ids = sorted(run_files(out))
    for run_id in ids[:4]:
        run_path(out, run_id).unlink()
    corrupt = run_path(out, ids[4])
    corrupt.write_bytes(corrupt.read_bytes()[:200])  # a partial file
    assert not valid_run_file(corrupt, ids[4])
    (out / "runs" / f".{ids[5]}.parquet.999.tmp").write_bytes(b"half")  # left by a killed writer
    before = {i: run_path(out, i).stat().st_mtime_ns for i in ids[5:]}

    report = run_sweep(tiny_spec, out, progress=False)
    assert (report.computed, report.already_done, report.corrupt) == (5, 3, 1)
    assert run_files(out) == set(ids)
    assert not list((out / "runs").glob(".*"))
    assert {i: run_path(out, i).stat().st_mtime_ns for i in ids[5:]} == before  # finished runs untouched
    pd.testing.assert_frame_equal(collect(out), serial_table)
    again = run_sweep(tiny_spec, out, progress=False)
    assert again.computed == 0 and again.already_done == 8


def test_a_folder_of_another_sweep_is_refused(serial_sweep, tiny_raw, tmp_path):
    out = tmp_path / "other"
    shutil.copytree(serial_sweep, out)
    with pytest.raises(SweepError, match="holds a sweep with a different spec") as info:
        run_sweep(parse_spec({**tiny_raw, "replicates": 3}), out, progress=False)
    assert "\n" not in str(info.value)


def test_a_new_parameter_keeps_the_sweep_resumable_but_a_changed_default_does_not(
    serial_sweep, tiny_spec, tmp_path, monkeypatch
):
    out = tmp_path / "schema"
    shutil.copytree(serial_sweep, out)
    meta = json.loads((out / "metadata.json").read_text())
    del meta["schema"]["handoff_h"]  # as if handoff_h were added to the schema after the sweep started
    (out / "metadata.json").write_text(json.dumps(meta))
    assert run_sweep(tiny_spec, out, progress=False).already_done == 8

    before = PARAMS["handoff_h"].default
    monkeypatch.setitem(PARAMS, "handoff_h", dataclasses.replace(PARAMS["handoff_h"], default=before + 1))
    with pytest.raises(SweepError, match="defaults changed") as info:
        run_sweep(tiny_spec, out, progress=False)
    assert f"(handoff_h {before!r} -> {before + 1!r})" in str(info.value)
    assert "\n" not in str(info.value)


def test_failed_runs_are_recorded_and_retried(tiny_spec, tmp_path, monkeypatch):
    run_module = import_module("model.run")  # `model.run` the attribute may be the function
    real = run_module.run
    bad_seed = expand(tiny_spec)[-1].seed

    def flaky(params, seed):
        if seed == bad_seed and params["operating_model"] == "ybiyri":
            raise ZeroDivisionError("simulated model bug")
        return real(params, seed)

    monkeypatch.setattr(run_module, "run", flaky)
    with pytest.raises(SweepError) as info:
        run_sweep(tiny_spec, tmp_path / "f", progress=False)
    message = str(info.value)
    assert "\n" not in message and "2 of 8 runs failed" in message and "ZeroDivisionError" in message
    assert len(run_files(tmp_path / "f")) == 6 and len(list((tmp_path / "f" / "errors").glob("*.txt"))) == 2
    monkeypatch.setattr(run_module, "run", real)
    report = run_sweep(tiny_spec, tmp_path / "f", progress=False)
    assert report.computed == 2 and not list((tmp_path / "f" / "errors").glob("*.txt"))


# Runs of about 0.1 s, so that the 27 runs after the third cannot all finish while a loaded machine stalls the test
# for a second between seeing the third file and sending the signal (40 runs of 0.02 s once did).
STOPPABLE_RUNS = 30
INTERRUPTIBLE = f"""
name = "stoppable"
weeks = 104
replicates = {STOPPABLE_RUNS}
master_seed = 9
[fixed]
operating_model = "ybiyri"
delivery_teams = 5
"""


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize(
    ("how", "workers"),
    [(signal.SIGINT, 1), (signal.SIGKILL, 1), (signal.SIGINT, 2)],
    ids=["sigint", "sigkill", "ctrl-c-to-forked-pool"],
)
def test_a_sweep_stopped_half_way_resumes_to_exactly_the_expected_runs(tmp_path, how, workers):
    spec_file = tmp_path / "stoppable.toml"
    spec_file.write_text(INTERRUPTIBLE)
    out = tmp_path / "out"
    # one run per task, so files appear one by one and the sweep cannot finish between two polls
    cmd = [
        sys.executable,
        "-m",
        "experiments.cli",
        "sweep",
        str(spec_file),
        "--out",
        str(out),
        "--no-progress",
        "--chunk-size",
        "1",
        "--workers",
        str(workers),
    ]
    # a shell's background job starts with SIGINT ignored and children inherit that: give the sweep a normal Ctrl-C;
    # in its own process group, so that Ctrl-C can go to the whole group, workers included, as a terminal sends it
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_default_sigint,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while len(run_files(out)) < 3 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    before = len(run_files(out))
    if workers > 1:
        os.killpg(proc.pid, how)  # as a terminal sends Ctrl-C: to the workers too, which must leave it to the parent
    else:
        proc.send_signal(how)
    _, err = proc.communicate(timeout=60)
    saved = run_files(out)
    assert 3 <= len(saved) < STOPPABLE_RUNS, "the sweep finished before it could be stopped"
    if workers > 1:
        assert read_metadata(out)["sessions"][-1]["start_method"] == "fork"
        # the two runs under way finish in the grace period and are saved (a worker hit by Ctrl-C would drop its run)
        assert len(saved) >= before + 2
    if how == signal.SIGINT:
        assert proc.returncode == 130
        lines = err.strip().splitlines()
        assert len(lines) == 1 and "interrupted" in lines[0] and "Traceback" not in err
    else:
        assert proc.returncode == -signal.SIGKILL
    spec = parse_spec(tomllib.loads(INTERRUPTIBLE), source="stoppable.toml")
    expected = {r.run_id for r in expand(spec)}
    report = run_sweep(spec, out, progress=False)
    assert report.already_done == len(saved) and report.computed == STOPPABLE_RUNS - len(saved)
    assert run_files(out) == expected
    table = collect(out)
    assert len(table) == STOPPABLE_RUNS and table["run_id"].is_unique and set(table["run_id"]) == expected
    assert not [p for p in os.listdir(out / "runs") if not p.endswith(".parquet")]
