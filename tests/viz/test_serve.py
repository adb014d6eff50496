"""`whorunsit serve` is the server itself: stopping it (Ctrl-C or kill) stops the page and frees its port."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import time

from tests.conftest import start_serve


def _port_in_use(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_terminating_the_serve_command_stops_the_page_and_frees_its_port(tmp_path):
    log = tmp_path / "serve.log"
    proc, url = start_serve(log)
    port = int(url.rsplit(":", 1)[1].strip("/"))
    try:
        os.kill(proc.pid, signal.SIGTERM)  # as `kill PID` would: to the command, not to its process group
        proc.wait(timeout=30)
        deadline = time.monotonic() + 10
        while _port_in_use(port) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _port_in_use(port), "a server left behind still holds the port"
        output = log.read_text()
        assert "serving http://127.0.0.1" in output and "Cookies with samesite" not in output, output
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # anything it left behind, so a failure does not leak a server
