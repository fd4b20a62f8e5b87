"""`postcheck serve` as an officer starts it: the real process, its one-line errors, and the missing extra."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.request

import pytest
from tests.conftest import REPO
from tests.test_cli_subprocess import POSTCHECK
from typer.testing import CliRunner

from postcheck.cli.app import app

runner = CliRunner()
pytestmark = pytest.mark.skipif(not os.path.exists(POSTCHECK), reason="postcheck console script is not installed")


def start(*args: str) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([POSTCHECK, "serve", "--port", "0", *args], stderr=subprocess.PIPE, text=True, cwd=REPO)
    assert process.stderr is not None
    first = process.stderr.readline()
    assert first.startswith("postcheck: serving the reviewer's page at http://127.0.0.1:"), first
    return process, first.split(" at ", 1)[1].split("/ ", 1)[0]


def test_the_service_starts_answers_and_stops_on_ctrl_c(tmp_path):
    process, url = start("--audit", str(tmp_path / "audit"))
    try:
        request = urllib.request.Request(
            url + "/v1/check",
            data=json.dumps({"text": "Pop into Greggs on the high street, best pies in town."}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            report = json.load(response)
        assert report["summary"]["errors"] >= 1
        with urllib.request.urlopen(url + "/", timeout=30) as response:
            assert "Check a draft post" in response.read().decode()
    finally:
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=30)
    assert process.returncode == 0
    assert "Traceback" not in errors


def test_a_port_in_use_is_one_clear_line_and_exit_2():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = subprocess.run(
            [POSTCHECK, "serve", "--port", str(port)], capture_output=True, text=True, timeout=120, cwd=REPO
        )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"postcheck: error: cannot listen on 127.0.0.1:{port} (Address already in use): choose another --port or --host"
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "cannot read the token file"), ("short", "the token must be one word of at least 16 characters")],
)
def test_a_bad_token_file_is_one_clear_line_and_exit_2(tmp_path, content, message):
    path = tmp_path / "token"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["serve", "--token-file", str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"postcheck: error: {path}") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def hide_the_serve_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make Starlette look uninstalled and `postcheck.serve` unimported, until the test ends.

    Importing `postcheck.serve` anew rebinds the `serve` attribute of the `postcheck` package; it is
    put back with the modules, or later tests that name `postcheck.serve.queues` find the half-imported copy.
    """
    import postcheck.serve

    monkeypatch.setattr(postcheck, "serve", postcheck.serve)
    for name in [m for m in sys.modules if m == "starlette" or m.startswith(("starlette.", "postcheck.serve"))]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "starlette", None)  # as if Starlette were not installed


def test_hiding_the_extra_leaves_the_package_as_it_found_it():
    import postcheck.serve.queues

    with pytest.MonkeyPatch.context() as monkeypatch:
        hide_the_serve_extra(monkeypatch)
        assert runner.invoke(app, ["serve"]).exit_code == 2
    assert postcheck.serve is sys.modules["postcheck.serve"]
    assert postcheck.serve.queues is sys.modules["postcheck.serve.queues"]


def test_without_the_extra_it_says_what_to_install(monkeypatch):
    hide_the_serve_extra(monkeypatch)
    result = runner.invoke(app, ["serve"])
    assert result.exit_code == 2
    assert result.stderr == "postcheck: error: the web page needs the serve extra: pip install 'postcheck[serve]'\n"


def test_help_lists_the_command():
    assert "serve" in runner.invoke(app, ["--help"]).stdout
    assert "--token-file" in runner.invoke(app, ["serve", "--help"]).stdout
