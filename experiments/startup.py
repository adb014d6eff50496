"""What a sweep process does before its heavy imports, so that its workers start with everything already imported.

Local pool: its workers are forked from the sweep process itself, but only while that process has a single OS
thread (see :func:`experiments.runner.pool_start_method`): forking a multi-threaded process can leave the child
holding a lock no thread will release, and Python 3.12 warns about it. Two libraries start idle helper threads as
soon as they are imported: numpy's (and scipy's) OpenBLAS one per extra CPU, and pyarrow's bundled jemalloc a
background purging thread. A run needs neither (the model calls no BLAS routine, and pyarrow allocates with
mimalloc here), so ``whorunsit sweep`` and the benchmark call :func:`quiet_helper_threads` before importing them.

Dask local cluster: the sweep process has threads by then (Dask's own), so its workers come from
multiprocessing's fork server instead, a fresh single-threaded process that :func:`start_forkserver` starts right
away; it imports distributed and the model while the sweep process does its own imports on the other CPU.

This module imports nothing heavy, so it can run first.
"""

from __future__ import annotations

import multiprocessing
import os
import sys

#: Environment defaults that stop numpy/scipy (OpenBLAS) and pyarrow (jemalloc) from starting helper threads.
QUIET_THREADS_ENV = {
    "OPENBLAS_NUM_THREADS": "1",
    "JE_ARROW_MALLOC_CONF": "background_thread:false",
}
#: Modules that read those variables once, when they are first imported.
_READERS = ("numpy", "scipy", "pyarrow")
#: What the fork server imports before forking Dask workers: Dask's worker, the runner (with the model and pandas),
#: and what a run imports on its first call.
FORKSERVER_PRELOAD = ("distributed", "experiments.runner", "model.org", "pyarrow.parquet")
#: The environment the fork server was started with (None until :func:`start_forkserver` has started it).
_forkserver_env: dict[str, str] | None = None


def os_thread_count() -> int | None:
    """How many threads this process has as the OS counts them (Linux ``/proc/self/task``); None if unknown.

    Unlike ``threading.active_count()`` this includes threads started by C libraries.
    """
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return None


def quiet_helper_threads() -> bool:
    """Set :data:`QUIET_THREADS_ENV` (keeping any value already set) if numpy and pyarrow are not imported yet.

    Returns whether it did; once either library is imported the variables would come too late for this process,
    and are left alone. Child processes inherit them, which is harmless: workers run one model at a time.
    """
    if any(name in sys.modules for name in _READERS):
        return False
    for key, value in QUIET_THREADS_ENV.items():
        os.environ.setdefault(key, value)
    return True


def start_forkserver() -> bool:
    """Start multiprocessing's fork server now, importing :data:`FORKSERVER_PRELOAD`; return whether it runs.

    The server is a fresh process that forks each worker it is asked for, so Dask workers started from it begin
    with those imports done (and exit without tearing them down). It must stay single-threaded to fork safely, so
    this starts it only where the environment of :func:`quiet_helper_threads` is in force and the platform has a
    fork server. It does not wait: the server imports while this process goes on with its own imports.
    """
    global _forkserver_env
    if _forkserver_env is not None:
        return True
    quiet = all(os.environ.get(key) == value for key, value in QUIET_THREADS_ENV.items())
    if not quiet or "forkserver" not in multiprocessing.get_all_start_methods():
        return False
    from multiprocessing import forkserver

    multiprocessing.get_context("forkserver").set_forkserver_preload(list(FORKSERVER_PRELOAD))
    forkserver.ensure_running()
    _forkserver_env = dict(os.environ)
    return True


def forkserver_env() -> dict[str, str] | None:
    """The environment the fork server started with (its children inherit it), or None if it was not started here."""
    return None if _forkserver_env is None else dict(_forkserver_env)
