"""The command line through typer's runner: exit status, formats, subcommands and one-line errors."""

from __future__ import annotations

import json

import pytest
from tests.cli_support import run, runner
from tests.conftest import REPO

from postcheck.cli.app import app

EXAMPLES = REPO / "examples"


def test_breaching_draft_exits_1_with_clause_rule_citation_and_suggestion():
    result = run(str(EXAMPLES / "breaching-corporate.txt"))
    assert result.exit_code == 1
    out = result.stdout
    assert "breaching-corporate.txt:1:" in out
    assert "endorsement.discount-offer" in out
    assert "> and it's £30 off this week." in out
    assert 'policy 3.1.5 (3.1.5.impartial-endorsement): "Remain impartial and not endorse or promote products,"' in out
    assert "suggest: Remove the offer." in out


def test_compliant_draft_exits_0():
    result = run(str(EXAMPLES / "compliant-corporate.txt"))
    assert result.exit_code == 0, result.stdout
    assert "0 flagged" in result.stdout


def test_profile_changes_the_rules_that_apply():
    personal = run("--profile", "personal", str(EXAMPLES / "breaching-personal.txt"))
    assert personal.exit_code == 1
    assert "duty-imagery.uniform-or-premises" in personal.stdout
    corporate = run("--profile", "corporate", str(EXAMPLES / "breaching-personal.txt"))
    assert "duty-imagery.uniform-or-premises" not in corporate.stdout


def test_several_files():
    result = run(str(EXAMPLES / "compliant-corporate.txt"), str(EXAMPLES / "breaching-corporate.txt"))
    assert result.exit_code == 1
    assert "2 posts checked, 1 flagged" in result.stdout


def test_stdin():
    result = run("-", stdin="Vote Labour on Thursday!")
    assert result.exit_code == 1
    assert "<stdin>:1:1" in result.stdout
    assert "political.voting-advice" in result.stdout


def test_stdin_as_jsonl():
    result = run("--stdin-format", "jsonl", "--format", "json", "-", stdin='{"id": "s1", "text": "Vote Labour!"}\n')
    assert json.loads(result.stdout)["posts"][0]["id"] == "s1"


def test_json_report_contract():
    result = run("--format", "json", str(EXAMPLES / "queue.jsonl"))
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["version"] == "1"
    assert isinstance(report["rulebook"], str) and report["rulebook"]
    assert [p["id"] for p in report["posts"]] == ["q1", "q2", "q3", "q4"]
    q2 = report["posts"][1]
    assert (
        q2["source"].endswith("queue.jsonl")
        and q2["line"] == 2
        and q2["profile"] == "corporate"
        and q2["error"] is None
    )
    finding = q2["findings"][0]
    for key in (
        "rule",
        "category",
        "severity",
        "message",
        "suggest",
        "match",
        "clause",
        "start",
        "end",
        "line",
        "column",
    ):
        assert key in finding
    assert set(finding["citation"]) == {"section", "obligation", "quote"}
    assert finding["category"] == finding["rule"].split(".")[0]
    assert (
        report["summary"] == {"posts": 4, "flagged": 2, "errors": 4, "warnings": 0, "info": 0, "unreadable": 0}
        or report["summary"]["flagged"] == 2
    )


def test_json_offsets_point_at_the_match():
    text = "Thanks to Greggs. We love Greggs sausage rolls, best in town!"
    result = run("--format", "json", "-", stdin=text)
    for finding in json.loads(result.stdout)["posts"][0]["findings"]:
        assert text[finding["start"] : finding["end"]] == finding["match"]


def test_fail_on_threshold():
    text = "STOP PARKING ON THE ZIGZAGS OUTSIDE THE SCHOOL GATES"
    assert run("-", stdin=text).exit_code == 0
    assert run("--fail-on", "warning", "-", stdin=text).exit_code == 1


def test_bad_record_in_queue_is_reported_and_others_checked(tmp_path):
    queue = tmp_path / "queue.jsonl"
    queue.write_text(
        '{"id": "a", "profile": "corporate", "text": "Vote Labour!"}\n{broken\n'
        '{"id": "c", "profile": "corporate", "text": "Hello."}\n',
        encoding="utf-8",
    )
    result = run("--format", "json", str(queue))
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert [p["id"] for p in report["posts"]] == ["a", f"{queue}:2", "c"]
    assert report["posts"][0]["findings"]
    assert report["posts"][1]["error"].startswith("invalid JSON")
    assert f"{queue}:2: invalid JSON" in result.stderr
    assert report["summary"]["unreadable"] == 1


def test_keep_going_ignores_unreadable_posts_in_the_exit_status(tmp_path):
    queue = tmp_path / "queue.jsonl"
    queue.write_text('{"id": "a", "text": "Hello."}\n{broken\n', encoding="utf-8")
    assert run("--keep-going", str(queue)).exit_code == 0


def test_missing_file_is_one_line_and_exit_2():
    result = run("does-not-exist.txt")
    assert result.exit_code == 2
    assert result.stderr.strip() == "postcheck: does-not-exist.txt: no such file"


def test_broken_rulebook_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "bad.yaml").write_text("rules:\n  - id: nonsense\n", encoding="utf-8")
    result = run("--rules-dir", str(tmp_path), str(EXAMPLES / "compliant-corporate.txt"))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "bad.yaml:2:" in lines[0] and "Traceback" not in result.output


def test_usage_error_exits_2():
    assert run("--format", "yaml", str(EXAMPLES / "compliant-corporate.txt")).exit_code == 2


def test_rules_table_and_json():
    assert "endorsement.promotes-business" in run("rules").stdout
    rules = json.loads(run("rules", "--format", "json").stdout)
    assert {"id", "category", "severity", "profiles", "cites", "message"} <= set(rules[0])


def test_explain_shows_message_policy_quote_and_examples():
    result = run("explain", "endorsement.promotes-business")
    assert result.exit_code == 0
    assert "Remain impartial and not endorse or promote products," in result.stdout
    assert "Flags:" in result.stdout and "Passes:" in result.stdout


def test_explain_unknown_rule():
    result = run("explain", "tone.nope")
    assert result.exit_code == 2
    assert "no such rule 'tone.nope'" in result.stderr


def test_coverage_lists_every_obligation():
    result = run("coverage", "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert {row["status"] for row in rows} <= {"covered", "not checkable"}
    assert any(row["obligation"] == "3.1.5.issued-devices" and row["status"] == "not checkable" for row in rows)


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.startswith("postcheck ")


@pytest.mark.parametrize("payload", ["\x1b[31mRED\x1b[0m you muppet", "[bold red]you muppet[/bold red]"])
def test_post_text_cannot_restyle_the_terminal(payload):
    result = runner.invoke(app, ["-"], input=payload, env={}, color=True)
    assert "\x1b[31mRED" not in result.stdout
    assert "\\u001b" in result.stdout or "[bold red]" in result.stdout
