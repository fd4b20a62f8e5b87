"""Damaged and contested audit logs: a lock around the chain, a pinned head, runs stopped part-way, damaged records."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest
from typer.testing import CliRunner

from postcheck.cli.app import app
from postcheck.governance.audit import canonical, record_hash, write_record
from postcheck.governance.audit_verify import verify_log

runner = CliRunner()
POSTCHECK = shutil.which("postcheck") or os.path.join(os.path.dirname(sys.executable), "postcheck")
needs_script = pytest.mark.skipif(not os.path.exists(POSTCHECK), reason="postcheck console script is not installed")
NOW = dt.datetime(2026, 5, 1, tzinfo=dt.timezone.utc)


@pytest.fixture
def queue(tmp_path):
    path = tmp_path / "queue.jsonl"
    path.write_text(json.dumps({"id": "q1", "text": "Vote Labour on Thursday!"}) + "\n", encoding="utf-8")
    return path


def gate(audit, queue):
    return runner.invoke(app, ["--audit", str(audit), str(queue)])


DAMAGE = {
    "junk": b"\x00\xffnot a record at all",
    "cut off": None,  # the first 100 bytes of the record, as a full disk leaves it
    "a JSON list": b"[1, 2, 3]\n",
    "empty": b"",
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_newest_record_is_reported_and_never_blocks_the_gate(tmp_path, queue, damage):
    audit = tmp_path / "audit"
    assert gate(audit, queue).exit_code == 1
    [newest] = sorted(audit.glob("*.json"))
    newest.write_bytes(DAMAGE[damage] if DAMAGE[damage] is not None else newest.read_bytes()[:100])
    assert gate(audit, queue).exit_code == 1, "the gate must still check and record"
    assert len(list(audit.glob("*.json"))) == 2
    result = runner.invoke(app, ["audit", "verify", str(audit)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{newest}: damaged" in result.stderr and "1 problem" in result.stdout


def test_mending_a_damaged_record_later_is_detected(tmp_path, queue):
    audit = tmp_path / "audit"
    gate(audit, queue)
    [first] = sorted(audit.glob("*.json"))
    original = first.read_bytes()
    first.write_bytes(b"garbage")
    gate(audit, queue)
    first.write_bytes(original)  # "repaired" from a copy after the next record was chained to the damage
    problems = verify_log(audit).problems
    assert len(problems) == 1 and "does not follow the record before it" in problems[0]


def test_a_writer_waits_for_the_lock_around_the_chain(tmp_path):
    import fcntl

    audit = tmp_path / "audit"
    audit.mkdir()
    written: list = []
    with (audit / ".lock").open("ab") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        writer = threading.Thread(target=lambda: written.append(write_record(audit, {"kind": "test"}, NOW)))
        writer.start()
        writer.join(timeout=1.0)
        assert not written, "a record was added while another writer held the lock"
    writer.join(timeout=30)
    assert len(written) == 1


def test_simultaneous_writers_keep_one_chain(tmp_path):
    audit = tmp_path / "audit"
    threads = [
        threading.Thread(target=lambda n=n: [write_record(audit, {"writer": n, "i": i}, NOW) for i in range(5)])
        for n in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result = verify_log(audit)
    assert result.checked == 20 and result.problems == []


def test_the_head_is_printed_and_a_pinned_head_catches_removal_and_rewriting(tmp_path, queue):
    audit = tmp_path / "audit"
    gate(audit, queue)
    second = gate(audit, queue)
    head = second.stderr.split("head ")[1].split()[0]
    assert len(head) == 64
    assert runner.invoke(app, ["audit", "verify", "--head", head, str(audit)]).exit_code == 0
    newest = sorted(audit.glob("*.json"))[-1]
    record = json.loads(newest.read_text(encoding="utf-8"))
    newest.unlink()  # removing the newest record leaves nothing after it to notice...
    assert runner.invoke(app, ["audit", "verify", str(audit)]).exit_code == 0
    removed = runner.invoke(app, ["audit", "verify", "--head", head, str(audit)])
    assert removed.exit_code == 1 and "pinned head" in removed.stderr  # ...but the pin does
    record.pop("hash")
    record["summary"]["errors"] = 0  # rewritten, with a hash recomputed to match
    record["hash"] = record_hash(record)
    (audit / f"{newest.name.split('-')[0]}-{record['hash'][:16]}.json").write_bytes(canonical(record))
    assert verify_log(audit).problems == []
    assert "pinned head" in verify_log(audit, head[:16]).problems[0]


@needs_script
def test_a_run_killed_outright_leaves_a_record_closed_as_incomplete_by_the_next(tmp_path, queue):
    audit, big = tmp_path / "audit", tmp_path / "big.jsonl"
    big.write_text("".join(json.dumps({"id": f"p{i}", "text": f"Post {i}."}) + "\n" for i in range(20_000)))
    process = subprocess.Popen([POSTCHECK, "--audit", str(audit), str(big)], stdout=subprocess.DEVNULL)
    spool = _wait_for_posts(audit, process)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert spool.exists() and not list(audit.glob("*.json"))
    assert any("stopped without closing" in note for note in verify_log(audit).notes)
    gate(audit, queue)
    killed, latest = (json.loads(p.read_text()) for p in sorted(audit.glob("*.json")))
    assert killed["status"] == "incomplete" and "stopped before it finished" in killed["incomplete"]
    assert killed["posts"] and latest["status"] == "complete"
    assert not spool.exists() and verify_log(audit).problems == []


@needs_script
def test_a_run_told_to_stop_closes_its_record_as_incomplete(tmp_path):
    audit, big = tmp_path / "audit", tmp_path / "big.jsonl"
    big.write_text("".join(json.dumps({"id": f"p{i}", "text": f"Post {i}."}) + "\n" for i in range(20_000)))
    process = subprocess.Popen(
        [POSTCHECK, "--audit", str(audit), str(big)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _wait_for_posts(audit, process)
    process.send_signal(signal.SIGTERM)
    stderr = process.communicate(timeout=60)[1].decode()
    assert process.returncode == 2 and "interrupted after" in stderr
    [record] = (json.loads(p.read_text()) for p in audit.glob("*.json"))
    posts = {entry["id"] for entry in record["posts"]}  # a post checked for both accounts has an entry for each
    assert record["status"] == "incomplete" and record["summary"]["posts"] == len(posts) > 0


def _wait_for_posts(audit, process):
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        for spool in audit.glob(".run-*.jsonl"):
            if spool.read_bytes().count(b"\n") > 3:
                return spool
        assert process.poll() is None, "the run ended before it could be stopped"
        time.sleep(0.05)
    raise AssertionError("the run wrote no posts to its audit record")


def test_verify_rejects_a_head_that_is_not_a_hash(tmp_path):
    (tmp_path / "audit").mkdir()
    result = runner.invoke(app, ["audit", "verify", "--head", "xyz", str(tmp_path / "audit")])
    assert result.exit_code == 2 and "hexadecimal" in result.stderr
