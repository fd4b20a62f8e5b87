"""Suppressions need a rule and a reason, keep the audit trail, and unused ones are reported."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from postcheck.cli.app import app

runner = CliRunner()
BREACH = "We love Greggs, best sausage rolls in town!"


def run_json(*paths):
    result = runner.invoke(app, ["--format", "json", *map(str, paths)])
    return result, json.loads(result.stdout)


def test_inline_markdown_suppression_keeps_the_finding_marked(tmp_path):
    post = tmp_path / "thanks.post.md"
    post.write_text(
        "---\nprofile: corporate\n---\n"
        f"{BREACH}\n<!-- postcheck: allow endorsement -- charity partner agreed by Corporate Comms -->\n",
        encoding="utf-8",
    )
    result, report = run_json(post)
    findings = report["posts"][0]["findings"]
    assert findings and all(
        f["suppressed"] == {"reason": "charity partner agreed by Corporate Comms"} for f in findings
    )
    assert report["summary"]["suppressed"] == len(findings) and report["summary"]["flagged"] == 0
    assert result.exit_code == 0


def test_suppression_comment_is_not_itself_checked(tmp_path):
    post = tmp_path / "p.md"
    post.write_text(f"{BREACH}\n<!-- postcheck: allow endorsement -- you muppet, vote Labour -->\n", encoding="utf-8")
    _, report = run_json(post)
    assert {f["category"] for f in report["posts"][0]["findings"]} == {"endorsement"}


def test_suppression_without_reason_is_an_error(tmp_path):
    post = tmp_path / "p.md"
    post.write_text(f"{BREACH}\n<!-- postcheck: allow endorsement.praises-brand -->\n", encoding="utf-8")
    result, report = run_json(post)
    assert result.exit_code == 2
    problem = report["posts"][0]["problems"][0]
    assert problem["level"] == "error" and problem["line"] == 2 and "needs a reason" in problem["message"]
    assert f"{post}:2: error: suppression of 'endorsement.praises-brand' needs a reason" in result.stderr
    assert all(f["suppressed"] is None for f in report["posts"][0]["findings"])


def test_a_queue_suppression_without_a_reason_is_told_both_ways_to_give_one(tmp_path):
    queue = tmp_path / "q.jsonl"
    queue.write_text(json.dumps({"id": "a", "text": BREACH, "suppress": [{"rule": "endorsement"}]}) + "\n")
    result, report = run_json(queue)
    assert result.exit_code == 2
    assert report["posts"][0]["problems"][0]["message"] == (
        "suppression of 'endorsement' needs a reason: say why after '--', or in the entry's 'reason' field"
    )


def test_suppression_of_unknown_rule_is_an_error(tmp_path):
    queue = tmp_path / "q.jsonl"
    queue.write_text(
        json.dumps({"id": "a", "text": BREACH, "suppress": [{"rule": "endorsement.nope", "reason": "x"}]}) + "\n",
        encoding="utf-8",
    )
    result, report = run_json(queue)
    assert result.exit_code == 2
    assert "unknown rule 'endorsement.nope'" in report["posts"][0]["problems"][0]["message"]


def test_queue_suppression_and_unused_warning(tmp_path):
    queue = tmp_path / "q.jsonl"
    queue.write_text(
        json.dumps(
            {"id": "a", "profile": "corporate", "text": BREACH, "suppress": ["endorsement -- partnership, ref CC-114"]}
        )
        + "\n"
        + json.dumps({"id": "b", "text": "Lovely day.", "suppress": [{"rule": "tone.insult", "reason": "old habit"}]})
        + "\n",
        encoding="utf-8",
    )
    result, report = run_json(queue)
    assert all(f["suppressed"] for f in report["posts"][0]["findings"])
    warning = report["posts"][1]["problems"][0]
    assert warning["level"] == "warning" and "suppresses nothing" in warning["message"] and warning["line"] == 2
    assert result.exit_code == 0


def test_the_readmes_suppression_example_passes(tmp_path):
    from tests.conftest import REPO

    section = (REPO / "README.md").read_text(encoding="utf-8").split("## Suppressions", 1)[1]
    example = section.split("```markdown\n", 1)[1].split("```", 1)[0]
    post = tmp_path / "partner.post.md"
    post.write_text(example, encoding="utf-8")
    result, report = run_json(post)
    assert result.exit_code == 0, result.output
    [entry] = report["posts"]
    assert entry["findings"] and all(f["suppressed"] for f in entry["findings"])
    assert entry["problems"] == []
