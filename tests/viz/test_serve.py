"""`whorunsit serve` is the server itself: stopping it (Ctrl-C or kill) stops the page and frees its port."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def _port_in_use(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_terminating_the_serve_command_stops_the_page_and_frees_its_port(tmp_path):
    port = free_port()
    env = {**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"}
    cmd = [sys.executable, "-m", "experiments.cli", "serve", "--port", str(port)]
    # its own session, so that cleanup below can reach anything it left behind; the test signals only its pid
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while not _answers(f"http://127.0.0.1:{port}/"):
            assert proc.poll() is None, f"serve exited with code {proc.returncode}"
            assert time.monotonic() < deadline, "the page did not answer within 90 s"
            time.sleep(0.5)
        os.kill(proc.pid, signal.SIGTERM)  # as `kill PID` would: to the command, not to its process group
        proc.wait(timeout=30)
        deadline = time.monotonic() + 10
        while _port_in_use(port) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _port_in_use(port), "a server left behind still holds the port"
        output = (tmp_path / "serve.log").read_text()
        assert "serving http://127.0.0.1" in output and "Cookies with samesite" not in output, output
    finally:
        log.close()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
