"""The installed `postcheck` command run as a real process, as an officer or a CI job runs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from tests.conftest import REPO

from postcheck.engine.parallel import BATCH

POSTCHECK = shutil.which("postcheck") or os.path.join(os.path.dirname(sys.executable), "postcheck")
pytestmark = pytest.mark.skipif(not os.path.exists(POSTCHECK), reason="postcheck console script is not installed")


def postcheck(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [POSTCHECK, *args], input=stdin, capture_output=True, text=True, env=env, timeout=120, cwd=REPO
    )


def test_breaching_example_exits_1():
    result = postcheck("examples/breaching-corporate.txt")
    assert result.returncode == 1
    assert "endorsement." in result.stdout and "suggest:" in result.stdout
    assert "\x1b[" not in result.stdout  # NO_COLOR and a pipe: plain text


def test_compliant_example_exits_0():
    assert postcheck("examples/compliant-personal.txt", "--profile", "personal").returncode == 0


def test_queue_to_json():
    result = postcheck("--format", "json", "examples/queue.jsonl")
    report = json.loads(result.stdout)
    assert report["summary"]["posts"] == 4
    assert result.returncode == 1


def test_binary_file_is_one_clear_line_and_exit_2(tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = postcheck(str(path))
    assert result.returncode == 2
    assert result.stderr.strip() == f"postcheck: {path}: looks like a binary file, not text"


def test_no_traceback_on_internal_error_paths(tmp_path):
    (tmp_path / "broken.yaml").write_text("rules: [\n", encoding="utf-8")
    result = postcheck("--rules-dir", str(tmp_path), "examples/compliant-corporate.txt")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "broken.yaml" in result.stderr


def test_jobs_give_the_same_report_as_one_process(tmp_path):
    queue = tmp_path / "queue.jsonl"
    lines = (REPO / "examples" / "queue.jsonl").read_text(encoding="utf-8").splitlines()
    lines *= BATCH // len(lines) + 1  # more posts than one batch: two batches, one per worker
    queue.write_text("\n".join(lines) + "\n", encoding="utf-8")
    one = postcheck("--format", "json", str(queue))
    two = postcheck("--format", "json", "--jobs", "2", str(queue))
    assert one.returncode == two.returncode == 1
    assert json.loads(one.stdout) == json.loads(two.stdout)
