"""`whorunsit serve` is the server itself: stopping it (Ctrl-C or kill) stops the page and frees its port."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import time

import pytest

from experiments.cli import main
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


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--port", "99999"], "--port: 99999 is not allowed: use 1..65535"),
        (["--port", "0"], "--port: 0 is not allowed: use 1..65535"),
        (["--host", "nosuch.invalid"], "cannot serve on nosuch.invalid:8765"),
    ],
)
def test_bad_address_is_one_line_before_the_server_starts(args, expected, capsys, monkeypatch):
    monkeypatch.setattr(os, "execve", pytest.fail)  # the server must not start
    with pytest.raises(SystemExit) as stop:
        main(["serve", *args])
    err = capsys.readouterr().err
    assert stop.value.code == 2 and expected in err and len(err.strip().splitlines()) == 1


def test_port_in_use_is_one_line_before_the_server_starts(capsys, monkeypatch):
    monkeypatch.setattr(os, "execve", pytest.fail)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(SystemExit):
            main(["serve", "--port", str(port)])
    err = capsys.readouterr().err
    assert f"cannot serve on 127.0.0.1:{port}: address already in use" in err and len(err.strip().splitlines()) == 1
