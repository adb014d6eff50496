"""Threads of this process, and the environment that keeps a sweep's parent process down to one of them.

Local sweep workers are forked, so they start with everything already imported, only while the parent has a
single OS thread (see :func:`experiments.runner.pool_start_method`): forking a multi-threaded process can leave
the child holding a lock no thread will release, and Python 3.12 warns about it. Two libraries start idle helper
threads as soon as they are imported: numpy's (and scipy's) OpenBLAS one per extra CPU, and pyarrow's bundled
jemalloc a background purging thread. A run needs neither (the model calls no BLAS routine, and pyarrow allocates
with mimalloc here), so the ``whorunsit sweep`` command and the benchmark ask both libraries, before importing
them, not to start those threads.

This module imports nothing heavy, so it can run first.
"""

from __future__ import annotations

import os
import sys

#: Environment defaults that stop numpy/scipy (OpenBLAS) and pyarrow (jemalloc) from starting helper threads.
QUIET_THREADS_ENV = {
    "OPENBLAS_NUM_THREADS": "1",
    "JE_ARROW_MALLOC_CONF": "background_thread:false",
}
#: Modules that read those variables once, when they are first imported.
_READERS = ("numpy", "scipy", "pyarrow")


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
