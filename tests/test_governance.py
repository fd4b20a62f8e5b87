"""Governance: versioned policy, audit records, waivers with approver and expiry, baseline, decision trace."""

from __future__ import annotations

import json

import pytest
from tests.cli_support import run

BREACH = "Thanks for coming, everyone. Greggs, best sausage rolls in town!"


@pytest.fixture
def queue(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "queue.jsonl"
    path.write_text(
        json.dumps({"id": "p1", "text": BREACH})
        + "\n"
        + json.dumps({"id": "p2", "text": "Lovely day in Redcar."})
        + "\n",
        encoding="utf-8",
    )
    return path


def test_version_names_package_policy_and_rulebook_hash():
    result = run("--version")
    assert result.exit_code == 0
    assert "Social Media Policy 386 v1.1" in result.stdout and "rulebook " in result.stdout


def test_every_citation_names_the_policy_version(queue):
    report = json.loads(run("--format", "json", queue).stdout)
    assert report["policy"] == {"title": "Social Media Policy", "number": "386", "version": "1.1"}


def test_audit_records_are_written_append_only_and_verified(queue, tmp_path):
    audit = tmp_path / "audit"
    assert run("--audit", audit, queue).exit_code == 1
    assert run("--audit", audit, queue).exit_code == 1
    records = sorted(audit.glob("*.json"))
    assert len(records) == 2
    first, second = (json.loads(p.read_text()) for p in records)
    assert second["previous"] == first["hash"]
    assert first["policy"]["version"] == "1.1" and first["rulebook"]
    assert first["posts"][0]["sha256"] and first["posts"][0]["findings"]
    verified = run("audit", "verify", audit)
    assert verified.exit_code == 0 and "2 audit records checked, 0 problems" in verified.stdout


def test_tampering_and_removal_are_detected(queue, tmp_path):
    audit = tmp_path / "audit"
    for _ in range(3):
        run("--audit", audit, queue)
    records = sorted(audit.glob("*.json"))
    tampered = json.loads(records[0].read_text())
    tampered["posts"][0]["findings"] = []
    records[0].write_text(json.dumps(tampered, sort_keys=True, indent=1), encoding="utf-8")
    records[1].unlink()
    result = run("audit", "verify", audit)
    assert result.exit_code == 1
    assert "was altered" in result.stderr and records[0].name in result.stderr
    assert "a record was removed" in result.stderr


def write_waivers(tmp_path, body: str):
    path = tmp_path / "waivers.yaml"
    path.write_text(body, encoding="utf-8")
    return path


WAIVER = (
    "- rule: endorsement\n  post: p1\n  reason: Greggs sponsored the charity run; agreed by Corporate Comms\n"
    "  approved_by: Head of Corporate Communications\n  expires: 2026-12-31\n"
)


def test_waiver_marks_findings_and_keeps_them_in_the_report(queue, tmp_path):
    waivers = write_waivers(tmp_path, WAIVER)
    result = run("--format", "json", "--no-model", "--waivers", waivers, "--date", "2026-12-31", queue)
    report = json.loads(result.stdout)
    findings = report["posts"][0]["findings"]
    assert findings and all(f["waived"]["approved_by"] == "Head of Corporate Communications" for f in findings)
    assert report["summary"]["waived"] == len(findings) and report["summary"]["flagged"] == 0
    assert report["waivers"][0]["status"] == "applied"
    assert result.exit_code == 0


def test_expired_waiver_stops_applying_the_day_after(queue, tmp_path):
    waivers = write_waivers(tmp_path, WAIVER)
    result = run("--format", "json", "--waivers", waivers, "--date", "2027-01-01", queue)
    report = json.loads(result.stdout)
    assert all(f["waived"] is None for f in report["posts"][0]["findings"])
    assert report["waivers"][0]["status"] == "expired"
    assert "waiver for 'endorsement' expired on 2026-12-31" in result.stderr
    assert result.exit_code == 1


def test_stale_waiver_is_reported(queue, tmp_path):
    waivers = write_waivers(tmp_path, WAIVER.replace("post: p1", "post: p9"))
    result = run("--waivers", waivers, "--date", "2026-06-01", queue)
    assert "matches no finding (stale)" in result.stderr


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("- rule: endorsement\n  post: p1\n  approved_by: Head of Comms\n", "waiver needs 'reason'"),
        ("- rule: endorsement\n  post: p1\n  reason: agreed\n", "waiver needs 'approved_by'"),
        (
            "- rule: endorsement.nope\n  post: p1\n  reason: agreed\n  approved_by: X\n",
            "waiver names unknown rule 'endorsement.nope'",
        ),
        ("- rule: endorsement\n  reason: agreed\n  approved_by: X\n", "waiver needs a 'post' id or a 'fingerprint'"),
    ],
)
def test_bad_waivers_are_errors_with_file_and_line(queue, tmp_path, body, message):
    waivers = write_waivers(tmp_path, body)
    result = run("--waivers", waivers, queue)
    assert result.exit_code == 2
    assert f"{waivers}:1: {message}" in result.stderr


def test_baseline_survives_an_edit_to_another_sentence(queue, tmp_path):
    baseline = tmp_path / "baseline.json"
    assert run("--write-baseline", baseline, queue).exit_code == 0  # what it baselines is accepted
    assert run("--baseline", baseline, queue).exit_code == 0
    edited = queue.read_text().replace("Thanks for coming, everyone.", "Huge thanks to everyone at the station today.")
    queue.write_text(edited, encoding="utf-8")
    report = json.loads(run("--format", "json", "--baseline", baseline, queue).stdout)
    assert report["summary"]["baselined"] >= 1
    assert all("Best sausage rolls" not in f["clause"] for f in report["posts"][0]["findings"])
    new = queue.read_text().replace("Lovely day in Redcar.", "Vote Labour on Thursday!")
    queue.write_text(new, encoding="utf-8")
    assert run("--baseline", baseline, queue).exit_code == 1  # a new problem still fails


@pytest.mark.parametrize(
    ("content", "where", "message"),
    [
        (
            b'{"version": 1, "fingerprints": [\n',
            ":2",
            "the baseline is not valid JSON at column 1 (cut short, or edited by hand?): "
            "write it again with --write-baseline",
        ),
        (
            b"\x7fELF\x02\x01\xd0\x00",
            "",
            "the baseline is not text, so not a postcheck baseline: write it again with --write-baseline",
        ),
    ],
)
def test_a_damaged_baseline_is_one_plain_line_with_its_line(queue, tmp_path, content, where, message):
    baseline = tmp_path / "baseline.json"
    baseline.write_bytes(content)
    result = run("--baseline", baseline, queue)
    assert result.exit_code == 2
    assert result.stderr == f"postcheck: error: {baseline}{where}: {message}\n"


def test_a_baseline_that_cannot_be_written_is_refused_before_any_post_is_checked(queue, tmp_path):
    target = tmp_path / "no-such-folder" / "baseline.json"
    result = run("--format", "json", "--write-baseline", target, queue)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        f"postcheck: error: {target}: cannot write the baseline: there is no folder {target.parent}\n"
    )
    result = run("--write-baseline", tmp_path, queue)
    assert result.exit_code == 2
    assert result.stderr == f"postcheck: error: {tmp_path}: cannot write the baseline: this is a folder, not a file\n"


def test_an_audit_directory_that_is_a_file_is_refused_in_plain_words(queue):
    result = run("--audit", queue, queue)
    assert result.exit_code == 2
    assert result.stderr.endswith(
        f"postcheck: error: {queue}: cannot keep the audit record here: this is a file, not a folder\n"
    )


def test_explain_text_traces_fired_and_near_miss_rules():
    result = run("explain", "--text", "We do not endorse Greggs, best pies in town")
    out = result.stdout
    assert "trace endorsement.promotes-business: fired" in out
    assert "trace endorsement.praises-brand: did not fire" in out and "dropped 'Greggs, best': negated" in out


def test_trace_flag_on_a_check(queue):
    result = run("--trace", queue)
    assert "trace endorsement." in result.stdout and "part " in result.stdout
