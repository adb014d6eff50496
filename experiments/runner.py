"""Sweep runner: runs a spec on any ``concurrent.futures`` executor and keeps one Parquet file per finished run.

Seeds are spawned up front, workers return finished runs as Parquet bytes, and only the parent writes (atomically,
as tasks complete), so a sweep stopped by Ctrl-C or a dead worker resumes where it stopped and loses nothing.

Layout of an output folder::

    metadata.json            spec, master seed, every run's id/point/replicate/seed, schema, versions, git revision
    runs/<run_id>.parquet    the run's daily series; the run's identity, full parameters and summary are JSON
                             under the key ``whorunsit`` in the Parquet key-value metadata (read without the data)
    errors/<run_id>.txt      traceback of a run that raised (retried on the next invocation)
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import datetime as dt
import gc
import importlib
import json
import math
import multiprocessing
import os
import platform
import signal
import subprocess
import sys
import time
import traceback
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.spec import RunSpec, SweepSpec, expand, load_spec, replicate_seeds, spec_to_dict
from experiments.startup import forkserver_env, os_thread_count

FORMAT = 1
META_KEY = b"whorunsit"
RUNS = "runs"
ERRORS = "errors"
METADATA = "metadata.json"
#: A task (one chunk of runs) should take at least this long, so per-task overhead stays small: a Dask scheduler
#: spends about 10 ms of the sweep process's CPU per task (measured on a 600-run sweep, 120 vs 30 tasks), which on a
#: machine with as many workers as cores is taken from the workers.
TARGET_TASK_S = 1.0
#: On Ctrl-C, how long to wait for running tasks to finish (and be saved) before abandoning them.
INTERRUPT_GRACE_S = 3.0
#: Rough cost of one default run (one team, 52 weeks) on our machines, used only to choose chunk sizes
#: (0.05 s in ``make bench`` since the fixes in docs/performance.md; it was 0.1 s before them).
RUN_COST_S = 0.05
VERSIONED = ("whorunsit", "mesa", "numpy", "pandas", "networkx", "pyarrow", "SALib")
ROOT = Path(__file__).resolve().parent.parent
#: Modules a run imports on its first call (``model.run.run`` and :func:`_parquet_bytes` import them lazily).
WORKER_IMPORTS = ("model.org", "pyarrow.parquet")
#: RunResult tables small enough to keep in a run file's metadata when a sweep asks for them.
KEEPABLE_TABLES = ("services", "events")


class SweepError(RuntimeError):
    """A sweep that cannot start or did not finish; the message is one line and says how to go on."""


class SweepInterrupted(KeyboardInterrupt):
    """The sweep was stopped by Ctrl-C after saving every finished run; the message is one line."""


@dataclass
class SweepReport:
    """What one invocation of :func:`run_sweep` did."""

    out_dir: Path
    total: int
    already_done: int
    computed: int = 0
    corrupt: int = 0
    failed: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0
    chunk_size: int = 1

    def line(self) -> str:
        """A one-line account of the invocation."""
        return (
            f"{self.total} runs in {self.out_dir}: {self.computed} computed, {self.already_done} already done"
            f"{f', {self.corrupt} corrupt files recomputed' if self.corrupt else ''}"
            f"{f', {len(self.failed)} failed' if self.failed else ''} ({self.elapsed_s:.1f} s)"
        )


class InlineExecutor(cf.Executor):
    """A serial executor that runs each task in this process when it is submitted."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> cf.Future:
        """Run ``fn(*args, **kwargs)`` now and return a finished future."""
        future: cf.Future = cf.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as err:  # a KeyboardInterrupt propagates to the caller
            future.set_exception(err)
        return future


# --------------------------------------------------------------------------- the task (runs in workers)


def ignore_sigint() -> None:
    """Worker initializer: leave Ctrl-C to the parent, which cancels pending work and saves finished runs."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _nothing() -> None:
    """A task that does nothing (submitted to make a pool start its workers)."""


def run_chunk(
    tasks: list[tuple[str, int, int, int, dict[str, Any]]], context: dict[str, Any]
) -> list[tuple[str, bytes, str]]:
    """Run each ``(run_id, point, replicate, seed, params)`` and return ``(run_id, parquet_bytes, error)`` each.

    Module-level and importing the model inside, so it pickles by reference and works in spawned processes
    and Dask workers alike. ``context`` (the sweep's name and git revision) is stored with every run. A run
    that raises yields empty bytes and its traceback; the other runs go on.
    """
    from model.run import run

    out = []
    for run_id, point, replicate, seed, params in tasks:
        start = time.perf_counter()
        try:
            result = run(params, seed)
            info = {
                "format": FORMAT,
                **context,
                **({"tables": {}} if context.get("tables") else {}),
                "run_id": run_id,
                "point": point,
                "replicate": replicate,
                "seed": seed,
                "params": result.params,
                "summary": result.summary,
                "elapsed_s": round(time.perf_counter() - start, 4),
            }
            for name in context.get("tables", ()):  # event tables the sweep asked to keep (small ones only)
                info["tables"][name] = getattr(result, name).to_dict(orient="list")
            out.append((run_id, _parquet_bytes(result.daily, info), ""))
        except Exception:
            out.append((run_id, b"", traceback.format_exc()))
    return out


def _json_default(value: Any) -> Any:
    """Convert numpy scalars (and anything else) for JSON."""
    if hasattr(value, "item"):
        return value.item()
    return str(value)


def _parquet_bytes(daily: pd.DataFrame, info: dict[str, Any]) -> bytes:
    """The daily table as Parquet, with ``info`` as JSON under :data:`META_KEY` in the key-value metadata."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(daily, preserve_index=False)
    meta = dict(table.schema.metadata or {})
    meta[META_KEY] = json.dumps(info, default=_json_default).encode()  # NaN stays NaN (Python's JSON dialect)
    table = table.replace_schema_metadata(meta)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return sink.getvalue().to_pybytes()


# --------------------------------------------------------------------------- local worker processes


def pool_start_method() -> str:
    """How to start local worker processes: ``fork`` on Linux while this process has one OS thread, else ``spawn``.

    Forked workers begin with everything this process has imported; spawned ones import pandas, pyarrow, mesa,
    scipy and networkx again, about a second each on our machines. Forking a process that has other threads can
    leave the child holding a lock that no thread will release (Python 3.12 warns about it), and numpy's BLAS,
    pyarrow, tqdm's monitor and Dask all start threads, so anything but exactly one thread means ``spawn``
    (:mod:`experiments.startup` keeps the first two away in the ``whorunsit sweep`` command).
    """
    if sys.platform != "linux" or "fork" not in multiprocessing.get_all_start_methods():
        return "spawn"
    return "fork" if os_thread_count() == 1 else "spawn"


def process_pool(workers: int) -> cf.ProcessPoolExecutor:
    """A pool of ``workers`` processes that ignore Ctrl-C, forked or spawned as :func:`pool_start_method` says.

    A forking pool has already started its workers on return, so the caller may start threads (a progress bar)
    afterwards: ``ProcessPoolExecutor`` forks every worker at its first submit, before its own manager thread.
    """
    if pool_start_method() == "fork":
        for name in WORKER_IMPORTS:  # what a run imports on first use, so forked workers inherit it
            importlib.import_module(name)
    method = pool_start_method()  # again: an import may have started a thread
    pool = cf.ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context(method), initializer=ignore_sigint
    )
    if method == "fork":
        for stream in (sys.stdout, sys.stderr):  # or each child writes this process's buffered output again
            with contextlib.suppress(AttributeError, OSError, ValueError):
                stream.flush()
        gc.freeze()  # the children's collections skip what they inherit: less copying of shared pages, quicker gc
        try:
            pool.submit(_nothing)
        finally:
            gc.unfreeze()
    return pool


#: Dask settings for the local cluster a sweep starts (read when the cluster is created; each nanny copies them and
#: hands them to its worker). The statistical profiler is off: every 10 ms it takes the GIL from the running model
#: to walk its stack, about 4% of a run's time. Event-loop ticks (every 20 ms), system monitoring (0.5 s), which
#: feed the dashboard we do not start, and memory checks (0.1 s; a run needs little memory) come less often.
#: Measured as the worker's CPU time outside the task thread while it runs the model, the worker's own overhead
#: drops from 5-7% of a run to about 1%; this process's idle cost (scheduler and nannies) from 5-7% of a CPU to 2%.
#: A cluster given with ``--scheduler`` keeps its own settings.
LOCAL_CLUSTER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "200ms",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
}


def local_cluster(workers: int) -> Any:
    """A Dask ``LocalCluster`` of ``workers`` single-threaded worker processes on loopback, set up for sweeps.

    No dashboard, quiet logs and :data:`LOCAL_CLUSTER_CONFIG`. If :func:`experiments.startup.start_forkserver` has
    started the fork server, workers are forked from it, so they begin with distributed and the model imported;
    environment variables set since it started (e.g. ``--plugin``'s) are handed to them. Else they are spawned,
    Dask's default. The caller closes the cluster.
    """
    import logging

    import dask
    from distributed import LocalCluster

    config: dict[str, Any] = dict(LOCAL_CLUSTER_CONFIG)
    env = None
    server_env = forkserver_env()
    if server_env is not None:
        config["distributed.worker.multiprocessing-method"] = "forkserver"
        env = {key: value for key, value in os.environ.items() if server_env.get(key) != value}
    with dask.config.set(config):
        return LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.ERROR,
            env=env,
        )


def start_method_of(executor: cf.Executor) -> str | None:
    """The start method of a ``ProcessPoolExecutor``'s workers (None for other executors)."""
    context = getattr(executor, "_mp_context", None)
    return context.get_start_method() if isinstance(executor, cf.ProcessPoolExecutor) and context else None


# --------------------------------------------------------------------------- files


def run_path(out_dir: Path, run_id: str) -> Path:
    """Where the Parquet file of run ``run_id`` lives."""
    return out_dir / RUNS / f"{run_id}.parquet"


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary name in the same folder, then rename it over ``path`` in one step."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def read_run_info(path: Path) -> dict[str, Any]:
    """The run's identity, parameters and summary from a run file's key-value metadata (footer only)."""
    import pyarrow.parquet as pq

    meta = pq.read_schema(path).metadata or {}
    info = json.loads(meta[META_KEY])
    if not isinstance(info, dict) or not isinstance(info.get("summary"), dict):
        raise ValueError("no run summary in the file")
    return info


def valid_run_file(path: Path, run_id: str) -> bool:
    """Whether ``path`` is a complete run file for ``run_id``: readable data, and a summary in its metadata."""
    import pyarrow.parquet as pq

    try:
        info = read_run_info(path)
        # Decode every page, so damage inside the file is caught too; without Arrow's thread pools, so that checking
        # the files of a resumed sweep leaves this process single-threaded (its workers can then be forked).
        with pq.ParquetFile(path, pre_buffer=False) as parquet:
            parquet.read(use_threads=False)
    except Exception:
        return False
    return info.get("run_id") == run_id and info.get("format") == FORMAT


def git_revision() -> dict[str, Any]:
    """The project's git revision and whether the work tree has uncommitted changes (None if not a git tree)."""
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return {"git_revision": None, "git_dirty": None}
    return {"git_revision": rev, "git_dirty": bool(dirty)}


def environment() -> dict[str, Any]:
    """Package versions, Python, platform and git revision of this process."""
    from importlib import metadata

    versions = {}
    for name in VERSIONED:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": versions,
        **git_revision(),
    }


def schema_listing() -> dict[str, dict[str, Any]]:
    """Every parameter's type, default, bounds and unit, so a sweep folder documents the defaults it ran with."""
    from model.params import PARAMS

    return {
        p.name: {"type": p.kind.__name__, "default": p.default, "low": p.low, "high": p.high, "unit": p.unit}
        for p in PARAMS.values()
    }


def _write_json(path: Path, data: dict[str, Any]) -> None:
    write_atomically(path, (json.dumps(data, indent=1, default=_json_default) + "\n").encode())


def read_metadata(out_dir: str | Path) -> dict[str, Any]:
    """The ``metadata.json`` of a sweep folder.

    Raises:
        SweepError: if the folder holds no readable ``metadata.json``.
    """
    path = Path(out_dir) / METADATA
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SweepError(f"{out_dir} is not a sweep folder: it has no {METADATA}") from None
    except (OSError, ValueError) as err:
        raise SweepError(f"cannot read {path}: {err}") from None


# --------------------------------------------------------------------------- the sweep


def auto_chunk_size(runs: list[RunSpec], workers: int) -> int:
    """Runs per task: enough for about :data:`TARGET_TASK_S` of work, but at least 4 tasks per worker."""
    if not runs:
        return 1
    years = [r.params.get("weeks", 52) / 52 * r.params.get("delivery_teams", 1) for r in runs]
    cost = RUN_COST_S * sum(years) / len(runs)
    wanted = math.ceil(TARGET_TASK_S / max(cost, 1e-6))
    return max(1, min(wanted, len(runs) // (4 * workers)))


def _chunks(items: list[RunSpec], size: int, taper_for: int | None = None) -> Iterable[list[RunSpec]]:
    """Consecutive chunks of ``size`` runs; with ``taper_for=workers``, smaller ones at the end.

    Tapered, a chunk holds at most a ``2 * workers``-th of the runs left, so the last tasks are short and the
    workers finish together instead of one waiting for the other's last full chunk (0.16 s of an 8 s sweep on two
    workers, measured as the gap between the last two tasks; 0.03 s tapered).
    """
    i = 0
    while i < len(items):
        n = size if taper_for is None else min(size, max(1, math.ceil((len(items) - i) / (2 * taper_for))))
        yield items[i : i + n]
        i += n


def _prepare(spec: SweepSpec, runs: list[RunSpec], out_dir: Path) -> tuple[dict[str, Any], list[RunSpec], int]:
    """Check the folder belongs to this sweep, drop temp and corrupt files; return metadata, runs to do, corrupt."""
    (out_dir / RUNS).mkdir(parents=True, exist_ok=True)
    spec_dict = spec_to_dict(spec)
    ids = [r.run_id for r in runs]
    meta_path = out_dir / METADATA
    sessions: list[dict[str, Any]] = []
    schema = schema_listing()
    if meta_path.exists():
        try:
            old = json.loads(meta_path.read_text(encoding="utf-8"))
            old_ids = [r["run_id"] for r in old["runs"]]
            old_spec = old["spec"]
            old_schema = old["schema"]
            sessions = list(old.get("sessions", []))
        except (OSError, ValueError, KeyError, TypeError):  # unreadable metadata: rewrite it from the spec
            old_ids, old_spec, old_schema = ids, spec_dict, schema
        if _without_source(old_spec) != _without_source(spec_dict) or old_ids != ids:
            raise SweepError(
                f"{out_dir} holds a sweep with a different spec; choose another --out folder or delete this one"
            )
        set_by_spec = {"weeks", *spec.fixed, *spec.swept}
        changed = [
            f"{k} {old_schema[k]['default']!r} -> {schema[k]['default']!r}"
            for k in old_schema
            if k in schema and k not in set_by_spec and old_schema[k].get("default") != schema[k]["default"]
        ]
        if changed:
            raise SweepError(
                f"parameter defaults changed since {out_dir} was started ({', '.join(changed)}), so its finished "
                "runs used other values; choose another --out folder or delete this one"
            )
    for tmp in (out_dir / RUNS).glob(".*.tmp"):
        tmp.unlink(missing_ok=True)
    todo, corrupt = [], 0
    for r in runs:
        path = run_path(out_dir, r.run_id)
        if path.exists():
            if valid_run_file(path, r.run_id):
                continue
            path.unlink()
            corrupt += 1
        todo.append(r)
    metadata = {
        "format": FORMAT,
        "spec": spec_dict,
        "master_seed": spec.master_seed,
        "replicate_seeds": replicate_seeds(spec.master_seed, spec.replicates),
        "swept": spec.swept,
        "fixed": ["weeks", *spec.fixed],
        "layout": {
            "runs": "runs/<run_id>.parquet: daily series; JSON under key 'whorunsit' in the Parquet key-value "
            "metadata holds run_id, point, replicate, seed, params (full) and summary",
            "errors": "errors/<run_id>.txt: traceback of a failed run",
        },
        "runs": [
            {"run_id": r.run_id, "point": r.point, "replicate": r.replicate, "seed": r.seed, "values": r.values}
            for r in runs
        ],
        "schema": schema,
        "environment": environment(),
        "sessions": sessions,
    }
    return metadata, todo, corrupt


def _without_source(spec_dict: dict[str, Any]) -> dict[str, Any]:
    """The spec dict without its file name (the same spec may be named by path or by name)."""
    return {k: v for k, v in spec_dict.items() if k != "source"}


def run_sweep(
    spec: SweepSpec | str | Path,
    out_dir: str | Path,
    executor: cf.Executor | None = None,
    workers: int = 1,
    chunk_size: int | None = None,
    progress: bool = True,
    tables: Iterable[str] = (),
) -> SweepReport:
    """Run every unfinished run of ``spec`` and write one Parquet file per run into ``out_dir/runs``.

    ``executor`` may be any ``concurrent.futures.Executor``, e.g. ``distributed.Client(addr).get_executor(pure=False)``
    (without ``pure=False`` Dask hashes every task's arguments to name it); it is used, not shut down. Without one,
    runs go in-process when ``workers == 1``, else on a ``ProcessPoolExecutor`` whose workers are forked if this
    process is single-threaded, else spawned (:func:`pool_start_method`). ``workers`` also sizes chunks and the
    number of tasks kept in flight. ``tables`` names small :class:`model.run.RunResult` tables (e.g. ``services``,
    ``events``) to keep in each run file's metadata, read back with :func:`load_table`.

    Raises:
        SpecError: if the spec is invalid.
        SweepError: if the folder holds another sweep, a worker died, or runs failed (finished runs are kept).
        SweepInterrupted: on Ctrl-C, after cancelling pending tasks and saving every finished run.
    """
    if not isinstance(spec, SweepSpec):
        spec = load_spec(spec)
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise SweepError(f"workers={workers!r} is not allowed: use a whole number >= 1")
    if chunk_size is not None and (not isinstance(chunk_size, int) or chunk_size < 1):
        raise SweepError(f"chunk_size={chunk_size!r} is not allowed: use a whole number >= 1")
    started = time.perf_counter()
    out_dir = Path(out_dir)
    runs = expand(spec)
    try:
        metadata, todo, corrupt = _prepare(spec, runs, out_dir)
    except OSError as err:
        raise SweepError(f"cannot prepare {out_dir}: {err}") from None
    own = executor is None
    if own:
        # nothing to run: no pool (a forking one would import the model and start its workers at once)
        executor = InlineExecutor() if workers == 1 or not todo else process_pool(workers)
    taper = chunk_size is None  # a chunk size the caller chose is kept to the end
    if chunk_size is None:
        chunk_size = 1 if isinstance(executor, InlineExecutor) else auto_chunk_size(todo, workers)
    report = SweepReport(out_dir, len(runs), len(runs) - len(todo), corrupt=corrupt, chunk_size=chunk_size)
    session = {
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "executor": type(executor).__name__,
        "start_method": start_method_of(executor),
        "workers": workers,
        "chunk_size": chunk_size,
        "to_run": len(todo),
        "git_revision": metadata["environment"]["git_revision"],
    }
    metadata["sessions"].append(session)
    _write_json(out_dir / METADATA, metadata)
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(runs), initial=report.already_done, unit="run", desc=f"sweep {spec.name}", smoothing=0.1)
    try:
        context = {"sweep": spec.name, "git_revision": session["git_revision"]}
        tables = [t for t in tables if t in KEEPABLE_TABLES]
        if tables:
            context["tables"] = tables
        _execute(executor, todo, chunk_size, workers, context, out_dir, report, bar, taper)
    except KeyboardInterrupt:
        session["interrupted"] = True
        if own and not isinstance(executor, InlineExecutor):
            _stop_workers(executor)
        raise SweepInterrupted(
            f"interrupted: {report.already_done + report.computed} of {report.total} runs are saved in {out_dir}; "
            "run the same command again to resume"
        ) from None
    finally:
        if bar is not None:
            bar.close()
        if own:
            executor.shutdown(wait=True, cancel_futures=True)
        report.elapsed_s = time.perf_counter() - started
        session.update(
            finished=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            computed=report.computed,
            failed=len(report.failed),
            elapsed_s=round(report.elapsed_s, 2),
        )
        with contextlib.suppress(OSError):
            _write_json(out_dir / METADATA, metadata)
    if report.failed:
        first = report.failed[0]
        last = (out_dir / ERRORS / f"{first}.txt").read_text().strip().splitlines()[-1]
        raise SweepError(
            f"{len(report.failed)} of {report.total} runs failed (first: run {first}: {last}); "
            f"tracebacks in {out_dir / ERRORS}; the other runs are saved and a re-run retries the failed ones"
        )
    return report


def _execute(
    executor: cf.Executor,
    todo: list[RunSpec],
    chunk_size: int,
    workers: int,
    context: dict[str, Any],
    out_dir: Path,
    report: SweepReport,
    bar: Any,
    taper: bool = False,
) -> None:
    """Submit chunks with a bounded number in flight, and write each finished run as its task completes.

    With ``taper``, the last chunks are smaller (see :func:`_chunks`).
    """
    pending_chunks = iter(list(_chunks(todo, chunk_size, workers if taper else None)))
    in_flight: set[cf.Future] = set()
    window = max(4, 4 * workers)

    def top_up() -> None:
        while len(in_flight) < window:
            chunk = next(pending_chunks, None)
            if chunk is None:
                return
            tasks = [(r.run_id, r.point, r.replicate, r.seed, r.params) for r in chunk]
            future = executor.submit(run_chunk, tasks, context)
            in_flight.add(future)
            if future.done():  # an inline executor has already run it: write it before running the next
                return

    try:
        top_up()
        while in_flight:
            done, _ = cf.wait(in_flight, return_when=cf.FIRST_COMPLETED)
            for future in done:
                in_flight.discard(future)
                _save(future, out_dir, report, bar)
            top_up()
    except KeyboardInterrupt:
        # Cancel what has not started; give running tasks a short grace period and keep what they finish.
        for future in in_flight:
            future.cancel()
        with contextlib.suppress(KeyboardInterrupt):  # a second Ctrl-C stops the waiting
            cf.wait(in_flight, timeout=INTERRUPT_GRACE_S)
        _save_done(in_flight, out_dir, report, bar)
        raise
    except BaseException:
        for future in in_flight:
            future.cancel()
        _save_done(in_flight, out_dir, report, bar)
        raise


def _save_done(futures: set[cf.Future], out_dir: Path, report: SweepReport, bar: Any) -> None:
    """While stopping, save the tasks that finished; runs still executing are redone on resume."""
    for future in [f for f in futures if f.done() and not f.cancelled()]:
        try:
            _save(future, out_dir, report, bar)
        except Exception:  # already stopping: the first error is the one to report
            continue


def _stop_workers(executor: cf.Executor) -> None:
    """Terminate the worker processes of our own pool (so an interrupt does not wait for running tasks)."""
    terminate = getattr(executor, "terminate_workers", None)  # Python >= 3.14
    if terminate is not None:
        terminate()
        return
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        if process.is_alive():
            process.terminate()


def _save(future: cf.Future, out_dir: Path, report: SweepReport, bar: Any) -> None:
    """Write the runs of one finished task, or stop the sweep with one line if the task itself failed."""
    try:
        results = future.result()
    except cf.CancelledError:
        return
    except Exception as err:
        name = type(err).__name__
        done = report.already_done + report.computed
        raise SweepError(
            f"a task failed ({name}: {str(err).splitlines()[0] if str(err) else 'no message'}); "
            f"{done} of {report.total} runs are saved in {out_dir}; run the same command again to resume"
        ) from None
    for run_id, data, error in results:
        if error:
            (out_dir / ERRORS).mkdir(exist_ok=True)
            write_atomically(out_dir / ERRORS / f"{run_id}.txt", error.encode())
            report.failed.append(run_id)
        else:
            write_atomically(run_path(out_dir, run_id), data)
            (out_dir / ERRORS / f"{run_id}.txt").unlink(missing_ok=True)
            report.computed += 1
        if bar is not None:
            bar.update(1)


# --------------------------------------------------------------------------- reading results


def _finished(out_dir: Path, metadata: dict[str, Any]) -> Iterable[tuple[dict[str, Any], Path]]:
    """The runs listed in the metadata whose files exist, in metadata order."""
    for entry in metadata["runs"]:
        path = run_path(out_dir, entry["run_id"])
        if path.exists():
            yield entry, path


def collect(out_dir: str | Path, all_params: bool = False) -> pd.DataFrame:
    """One tidy row per finished run: run_id, point, replicate, seed, swept and fixed parameters, summary keys.

    Rows follow the order of ``metadata.json`` (not completion order), so any executor gives the same table.
    Summary keys that repeat a parameter column with equal values are dropped; ``all_params`` adds every
    parameter, defaults included. Unreadable run files are skipped with a warning.
    """
    out_dir = Path(out_dir)
    metadata = read_metadata(out_dir)
    names = [*metadata["swept"], *[k for k in metadata["fixed"] if k not in metadata["swept"]]]
    left, right, bad = [], [], []
    for entry, path in _finished(out_dir, metadata):
        try:
            info = read_run_info(path)
        except Exception:
            bad.append(entry["run_id"])
            continue
        params = info["params"]
        keys = list(params) if all_params else names
        left.append(
            {
                "run_id": entry["run_id"],
                "point": entry["point"],
                "replicate": entry["replicate"],
                "seed": entry["seed"],
                **{k: params[k] for k in keys},
            }
        )
        right.append(info["summary"])
    if bad:
        warnings.warn(f"{len(bad)} unreadable run files skipped (first: {bad[0]}); re-run the sweep", stacklevel=2)
    ids = pd.DataFrame.from_records(left) if left else pd.DataFrame(columns=["run_id", "point", "replicate", "seed"])
    summary = pd.DataFrame.from_records(right)
    for key in [c for c in summary.columns if c in ids.columns]:
        if ids[key].tolist() == summary[key].tolist():
            summary = summary.drop(columns=key)
        else:
            summary = summary.rename(columns={key: f"{key}_summary"})
    table = pd.concat([ids, summary], axis=1)
    table.attrs["sweep"] = metadata["spec"]["name"]
    table.attrs["expected_runs"] = len(metadata["runs"])
    return table


def load_daily(out_dir: str | Path, columns: list[str] | None = None) -> pd.DataFrame:
    """The long daily table of every finished run, with ``run_id`` first (join it with :func:`collect`)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    out_dir = Path(out_dir)
    metadata = read_metadata(out_dir)
    tables = []
    for entry, path in _finished(out_dir, metadata):
        try:
            table = pq.read_table(path, columns=columns)
        except Exception:
            warnings.warn(f"unreadable run file {path.name} skipped; re-run the sweep", stacklevel=2)
            continue
        table = table.replace_schema_metadata(None)
        tables.append(table.add_column(0, "run_id", pa.array([entry["run_id"]] * table.num_rows, pa.string())))
    if not tables:
        return pd.DataFrame(columns=["run_id", *(columns or [])])
    # A reporter may give ints in one run and floats in another: promote (int64 -> double) rather than fail.
    return pa.concat_tables(tables, promote_options="permissive").to_pandas()


def load_table(out_dir: str | Path, name: str) -> pd.DataFrame:
    """One kept event table (``services`` or ``events``) of every finished run, with ``run_id`` first.

    Only sweeps run with ``run_sweep(..., tables=[name])`` keep them; runs without the table add no rows.
    """
    out_dir = Path(out_dir)
    metadata = read_metadata(out_dir)
    frames = []
    for entry, path in _finished(out_dir, metadata):
        try:
            kept = read_run_info(path).get("tables", {})
        except Exception:
            warnings.warn(f"unreadable run file {path.name} skipped; re-run the sweep", stacklevel=2)
            continue
        if name in kept:
            frame = pd.DataFrame(kept[name])
            frame.insert(0, "run_id", entry["run_id"])
            frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["run_id"])
