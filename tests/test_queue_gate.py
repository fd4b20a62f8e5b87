"""The queue gate as a Corporate Comms CI job and a reviewer at a terminal meet it: lines that map to
the file, SARIF fingerprints, and a progress bar only where a person watches."""

from __future__ import annotations

import json
import os
import pty
import shutil
import subprocess
import sys

import pytest
from tests.cli_support import run

VOTE = "Only one party backs the police, so vote Labour on Thursday!"
POSTCHECK = shutil.which("postcheck") or os.path.join(os.path.dirname(sys.executable), "postcheck")


def test_markdown_post_lines_map_to_the_file(tmp_path):
    post = tmp_path / "monday.post.md"
    post.write_text(
        f"---\nprofile: corporate\nscheduled_at: 2026-05-01\n---\nGood morning.\n{VOTE}\n", encoding="utf-8"
    )
    lines = post.read_text(encoding="utf-8").splitlines()
    [entry] = json.loads(run("--format", "json", post).stdout)["posts"]
    assert entry["line"] == 5
    for finding in entry["findings"]:
        file_line = entry["line"] + finding["line"] - 1
        assert finding["match"] in lines[file_line - 1]
    sarif = json.loads(run("--format", "sarif", post).stdout)
    assert {r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in sarif["runs"][0]["results"]} == {6}


def test_sarif_results_carry_the_fingerprints_baselines_use(tmp_path):
    queue = tmp_path / "q.jsonl"
    queue.write_text(json.dumps({"id": "a", "profile": "corporate", "text": VOTE}) + "\n", encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    assert run("--write-baseline", baseline, queue).exit_code == 0
    written = {row["fingerprint"] for row in json.loads(baseline.read_text(encoding="utf-8"))["fingerprints"]}
    results = json.loads(run("--format", "sarif", queue).stdout)["runs"][0]["results"]
    assert results and {r["partialFingerprints"]["postcheck/clause/v1"] for r in results} == written


@pytest.fixture
def long_queue(tmp_path):
    queue = tmp_path / "queue.jsonl"
    rows = [
        {"id": f"p{i}", "profile": "corporate", "text": f"Road closed on the A19 until {i % 12 + 1}pm."}
        for i in range(300)
    ]
    queue.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return queue


def _stderr_on_a_terminal(args: list[str]) -> tuple[int, str]:
    """Run postcheck with stderr on a pseudo-terminal and stdout piped; return the exit status and what
    the terminal showed."""
    main, secondary = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100"}
    process = subprocess.Popen([POSTCHECK, *args], stdout=subprocess.PIPE, stderr=secondary, env=env)
    os.close(secondary)
    shown = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        shown += chunk
    process.communicate(timeout=300)
    os.close(main)
    return process.returncode, shown.decode("utf-8", "replace")


@pytest.mark.skipif(not os.path.exists(POSTCHECK), reason="postcheck console script is not installed")
def test_a_queue_shows_progress_on_a_terminal(long_queue):
    status, shown = _stderr_on_a_terminal(["--format", "json", str(long_queue)])
    assert status == 0
    assert "checking" in shown and "/300" in shown


@pytest.mark.skipif(not os.path.exists(POSTCHECK), reason="postcheck console script is not installed")
def test_no_progress_when_quiet_piped_or_in_ci(long_queue):
    status, shown = _stderr_on_a_terminal(["--quiet", "--format", "json", str(long_queue)])
    assert status == 0 and "checking" not in shown
    piped = subprocess.run([POSTCHECK, "--format", "json", str(long_queue)], capture_output=True, text=True)
    assert piped.returncode == 0 and piped.stderr == ""
