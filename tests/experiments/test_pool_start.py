"""How workers start: local ones forked only from a single-threaded process (they then begin with its imports), else
spawned; those of a local Dask cluster forked from a preloaded fork server when the sweep command started one.

Forking a multi-threaded process can deadlock the child and makes Python 3.12 warn, so the fork cases run in fresh
processes that print every DeprecationWarning (``-W always``; ``-W error`` would not do: CPython clears that error
because the fork has already happened) and check that the warning never appears.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pandas as pd

from experiments.runner import collect, pool_start_method, read_metadata, run_path, run_sweep

ROOT = Path(__file__).resolve().parents[2]

TINY_TOML = """
name = "tiny"
weeks = 4
replicates = 2
master_seed = 5
[fixed]
incident_rate_per_week = 2.0
[grid]
operating_model = ["ybiori", "ybiyri"]
demand_per_week = [0.5, 5]
"""


FORK_WARNING = "is multi-threaded, use of fork()"


def python(code: str, *args: str) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter that prints every DeprecationWarning."""
    command = [sys.executable, "-W", "always::DeprecationWarning", "-c", textwrap.dedent(code), *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=180)


def cli_sweep(*args: str) -> subprocess.CompletedProcess:
    """Run ``whorunsit sweep ARGS`` in a fresh interpreter that prints every DeprecationWarning."""
    command = [sys.executable, "-W", "always::DeprecationWarning", "-m", "experiments.cli", "sweep", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=180)


def load_spec_tiny(folder: Path):
    """The tiny spec, read from a TOML file as the command reads it."""
    from experiments.spec import load_spec

    spec = folder / "tiny.toml"
    spec.write_text(TINY_TOML)
    return load_spec(spec)


def start_method(out: Path) -> str:
    return read_metadata(out)["sessions"][-1]["start_method"]


def test_fork_only_while_the_process_has_one_thread():
    done = python(
        """
        import json, threading, time
        from experiments.startup import os_thread_count, quiet_helper_threads
        assert quiet_helper_threads()
        from experiments.runner import pool_start_method, process_pool
        seen = [os_thread_count(), pool_start_method()]
        stop = threading.Event()
        helper = threading.Thread(target=stop.wait)
        helper.start()
        seen.append(pool_start_method())
        stop.set()
        helper.join()
        deadline = time.monotonic() + 5
        while os_thread_count() > 1 and time.monotonic() < deadline:  # the OS thread ends just after join()
            time.sleep(0.01)
        seen.append(pool_start_method())
        pool = process_pool(2)  # forks at once, so the pool's own threads come after its workers
        seen.append(pool.submit(sum, [1, 2]).result())
        pool.shutdown()
        print(json.dumps(seen))
        """
    )
    assert done.returncode == 0, done.stderr
    assert FORK_WARNING not in done.stderr
    assert json.loads(done.stdout) == [1, "fork", "spawn", "fork", 3]


def test_a_running_thread_means_spawned_workers_and_the_same_table(serial_table, tiny_spec, tmp_path):
    stop = threading.Event()
    helper = threading.Thread(target=stop.wait)
    helper.start()
    try:
        assert pool_start_method() == "spawn"
        run_sweep(tiny_spec, tmp_path / "spawned", workers=2, chunk_size=3, progress=False)
    finally:
        stop.set()
        helper.join()
    assert start_method(tmp_path / "spawned") == "spawn"
    pd.testing.assert_frame_equal(collect(tmp_path / "spawned"), serial_table)


def test_a_finished_sweep_starts_no_workers(serial_sweep, tmp_path):
    out = tmp_path / "done"
    shutil.copytree(serial_sweep, out)
    report = run_sweep(load_spec_tiny(tmp_path), out, workers=2, progress=False)
    assert (report.computed, report.already_done) == (0, 8)
    session = read_metadata(out)["sessions"][-1]
    assert (session["executor"], session["start_method"]) == ("InlineExecutor", None)


def test_the_sweep_command_forks_its_workers_and_resumes_with_forked_workers(serial_table, tmp_path):
    spec = tmp_path / "tiny.toml"
    spec.write_text(TINY_TOML)
    out = tmp_path / "forked"
    first = cli_sweep(str(spec), "--workers", "2", "--chunk-size", "3", "--out", str(out))  # with a progress bar
    assert first.returncode == 0, first.stderr
    assert FORK_WARNING not in first.stderr and "sweep tiny" in first.stderr
    assert start_method(out) == "fork"
    pd.testing.assert_frame_equal(collect(out), serial_table)

    # Resuming checks every file first (decoding it): that must not leave Arrow threads behind.
    ids = list(serial_table["run_id"])
    for run_id in ids[:3]:
        run_path(out, run_id).unlink()
    damaged = run_path(out, ids[3])
    damaged.write_bytes(damaged.read_bytes()[:300])
    again = cli_sweep(str(spec), "--workers", "2", "--out", str(out), "--no-progress")
    assert again.returncode == 0, again.stderr
    assert FORK_WARNING not in again.stderr and "4 computed, 4 already done, 1 corrupt" in again.stdout
    assert start_method(out) == "fork"
    pd.testing.assert_frame_equal(collect(out), serial_table)


def test_a_local_cluster_forks_its_workers_from_the_preloaded_fork_server(serial_table, tmp_path):
    spec = tmp_path / "tiny.toml"
    spec.write_text(TINY_TOML)
    done = python(
        """
        import json, os, sys
        from experiments.startup import quiet_helper_threads, start_forkserver
        assert quiet_helper_threads() and start_forkserver()
        os.environ["WHORUNSIT_TEST_LATE"] = "set after the server started"  # as --plugin sets WHORUNSIT_PLUGINS
        from multiprocessing import forkserver
        from distributed import Client
        from experiments.runner import local_cluster, run_sweep
        from experiments.spec import load_spec

        def probe():
            parent = os.getppid()
            threads = len(os.listdir(f"/proc/{parent}/task"))
            return parent, threads, "model.org" in sys.modules, os.getenv("WHORUNSIT_TEST_LATE")

        with local_cluster(2) as cluster, Client(cluster) as client:
            seen = list(client.run(probe).values())
            executor = client.get_executor(pure=False)
            run_sweep(load_spec(sys.argv[1]), sys.argv[2], executor=executor, workers=2, progress=False)
        print(json.dumps({"server": forkserver._forkserver._forkserver_pid, "seen": seen}))
        """,
        str(spec),
        str(tmp_path / "dask"),
    )
    assert done.returncode == 0, done.stderr
    assert FORK_WARNING not in done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # each worker's parent is the fork server, which has one thread; the model was imported before the fork
    assert result["seen"] == [[result["server"], 1, True, "set after the server started"]] * 2
    pd.testing.assert_frame_equal(collect(tmp_path / "dask"), serial_table)


def test_the_sweep_command_on_a_local_cluster_gives_the_same_table(serial_table, tmp_path):
    spec = tmp_path / "tiny.toml"
    spec.write_text(TINY_TOML)
    out = tmp_path / "cluster"
    done = cli_sweep(str(spec), "--local-cluster", "--workers", "2", "--out", str(out), "--no-progress")
    assert done.returncode == 0, done.stderr
    assert FORK_WARNING not in done.stderr and "8 computed" in done.stdout
    pd.testing.assert_frame_equal(collect(out), serial_table)
