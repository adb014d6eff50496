"""Shared test set-up: free ports, Debian Chromium for Playwright, and a served Solara page for browser tests.

Everything here also loads under ``-p no:solara -p no:playwright`` (the fast suite): the hook checks for
solara's option, and the browser fixtures are only requested by ``browser`` tests.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # we run as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # the --disable-* flags stop Chromium dialling out
    "--disable-component-update",
    "--disable-sync",
]
SERVER_START_TIMEOUT_S = 90


def free_port() -> int:
    """A TCP port on loopback that is free right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pytest_configure(config: pytest.Config) -> None:
    """Give solara's in-process test server a free port unless one was asked for (its default is fixed)."""
    if hasattr(config.option, "solara_port") and not any(
        a.startswith("--solara-port") for a in config.invocation_params.args
    ):
        config.option.solara_port = free_port()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Launch Debian's Chromium (never a downloaded browser); overrides pytest-playwright's fixture."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"no Chromium at {CHROMIUM}: run scripts/ensure-chromium.sh or set CHROMIUM=/path")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


def _log_tail(log: Path, lines: int = 40) -> str:
    text = log.read_text(errors="replace") if log.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


def start_serve(log: Path) -> tuple[subprocess.Popen, str]:
    """Start ``whorunsit serve`` (what `make serve` runs) on a free loopback port, logging to ``log``.

    It runs in its own session, so a caller can stop it and anything it started with ``os.killpg``. Returns the
    process and the page's URL once ``GET /`` answers; fails the test if it exits first or is not up in 90 s.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False", "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-m", "experiments.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while True:
        if proc.poll() is not None:
            pytest.fail(f"solara exited with code {proc.returncode} before serving:\n{_log_tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return proc, url
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail(f"solara did not answer {url} within {SERVER_START_TIMEOUT_S} s:\n{_log_tail(log)}")
        time.sleep(0.5)


@pytest.fixture(scope="session")
def solara_url(tmp_path_factory: pytest.TempPathFactory):
    """Serve ``viz/app.py`` with ``solara run`` on a free loopback port; yield its URL, then stop it.

    Fails if the server exits or does not answer ``GET /`` within 90 s, and, after the run, if the log shows
    a front-end asset missing from the offline CDN cache (the page would stay blank or on "Loading app").
    """
    log = tmp_path_factory.mktemp("solara") / "server.log"
    proc, url = start_serve(log)
    try:
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the server, and anything it started
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)
    log_text = log.read_text(errors="replace")
    assert "Could not load URL" not in log_text, (
        f"front-end asset missing from the offline cache (see {log}):\n{_log_tail(log)}"
    )
