"""Hostile records against the outputs: nothing a record holds reaches the terminal, a CI log's workflow
commands or another field raw; a closed output is a failed run, never a pass or a finding."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from postcheck.cli.app import app
from postcheck.governance.audit_verify import verify_log

runner = CliRunner()
POSTCHECK = shutil.which("postcheck") or os.path.join(os.path.dirname(sys.executable), "postcheck")
INJECTION = "x\x1b[2J\x1b]0;pwned\x07\n::error file=README.md,line=1::Approved by Corporate Comms\n"


def queue(tmp_path, *records: dict):
    path = tmp_path / "queue.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path


def assert_inert(output: str) -> None:
    assert "\x1b" not in output and "\x07" not in output
    assert not any(line.lstrip().startswith("::error file=README") for line in output.splitlines())


@pytest.mark.parametrize(
    "record",
    [
        {"id": "p1", "text": "Hello Redcar.", "profile": INJECTION},
        {"id": "p2", "text": "Vote Labour!", "suppress": [{"rule": INJECTION, "reason": "r"}]},
        {"id": INJECTION, "text": "Hello Redcar.", "profile": "martian"},
        {"id": "p4", "text": "Vote Labour!", "suppress": [INJECTION + " -- no"]},
    ],
    ids=["profile", "suppression rule", "id", "suppression string"],
)
@pytest.mark.parametrize("output", ["text", "github", "json"])
def test_nothing_in_a_record_reaches_stderr_or_annotations_raw(tmp_path, record, output):
    result = runner.invoke(app, ["--format", output, str(queue(tmp_path, record))])
    assert result.exit_code == 2
    assert_inert(result.stderr)
    assert_inert(result.stdout)


def test_control_characters_are_shown_escaped_so_a_reader_sees_what_was_there(tmp_path):
    result = runner.invoke(app, [str(queue(tmp_path, {"id": "p", "text": "Hello.", "profile": INJECTION}))])
    assert "unknown profile 'x\\u001b[2J\\u001b]0;pwned\\u0007 ::error" in result.stderr


def test_a_long_value_is_quoted_short_in_messages(tmp_path):
    result = runner.invoke(app, [str(queue(tmp_path, {"id": "p", "text": "Hello.", "profile": "z" * 5_000}))])
    assert result.exit_code == 2 and "unknown profile 'zzz" in result.stderr and len(result.stderr) < 500


def test_github_annotations_escape_control_characters_in_post_text(tmp_path):
    path = queue(tmp_path, {"id": "p\x1b[31m", "text": "Vote Labour!\x1b[2J you muppet"})
    result = runner.invoke(app, ["--format", "github", str(path)])
    assert result.exit_code == 1 and "::error" in result.stdout
    assert_inert(result.stdout)


def _run_with_closed_output(args: list[str], tmp_path) -> subprocess.CompletedProcess:
    records = [{"id": f"p{i}", "text": f"Vote Labour on Thursday, post {i}!"} for i in range(400)]
    path = queue(tmp_path, *records)
    process = subprocess.Popen(
        [POSTCHECK, "--format", "jsonl", *args, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()  # as `| head -1` does
    process.stdout.close()
    error = process.stderr.read().decode()
    return subprocess.CompletedProcess(process.args, process.wait(), "", error)


@pytest.mark.skipif(not os.path.exists(POSTCHECK), reason="postcheck console script is not installed")
def test_a_closed_output_fails_the_run_and_closes_an_incomplete_audit_record(tmp_path):
    audit = tmp_path / "audit"
    result = _run_with_closed_output(["--audit", str(audit)], tmp_path)
    assert result.returncode == 2, result.stderr
    assert "the output was closed" in result.stderr and "Traceback" not in result.stderr
    [record] = sorted(audit.glob("*.json"))
    content = json.loads(record.read_text(encoding="utf-8"))
    assert content["status"] == "incomplete" and "output was closed" in content["incomplete"]
    assert verify_log(audit).problems == []
