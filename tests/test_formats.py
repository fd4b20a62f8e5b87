"""Output formats: SARIF validates against the official schema, GitHub commands are well formed and escaped."""

from __future__ import annotations

import csv
import io
import json
import re

import jsonschema
import pytest
from tests.cli_support import run, runner
from tests.conftest import REPO

from postcheck.cli.app import app
from postcheck.reporters.github import command

EXAMPLES = REPO / "examples"
SCHEMA = json.loads((REPO / "tests" / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
HOSTILE = "::error file=x::pwned\n\x1b[31m[bold red]you muppet[/bold red] %0A ::warning::"


@pytest.fixture(scope="module")
def sarif():
    result = run(
        "--format",
        "sarif",
        str(EXAMPLES / "queue.jsonl"),
        str(EXAMPLES / "breaching-corporate.txt"),
        str(EXAMPLES / "scheduled.post.md"),
        "missing.txt",
    )
    assert result.exit_code == 2
    return json.loads(result.stdout)


def test_sarif_validates_against_the_schema(sarif):
    jsonschema.validate(sarif, SCHEMA)


def test_sarif_rules_carry_help_and_policy_citations(sarif):
    driver = sarif["runs"][0]["tool"]["driver"]
    rule = next(r for r in driver["rules"] if r["id"] == "endorsement.discount-offer")
    assert "Remain impartial" in rule["help"]["text"]
    assert rule["properties"]["citations"][0]["obligation"] == "3.1.5.impartial-endorsement"


def test_sarif_results_have_regions(sarif):
    run_ = sarif["runs"][0]
    by_file = {}
    for result in run_["results"]:
        location = result["locations"][0]["physicalLocation"]
        by_file.setdefault(location["artifactLocation"]["uri"].rsplit("/", 1)[-1], []).append(location.get("region"))
        assert run_["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    assert (
        by_file["breaching-corporate.txt"][0]["startLine"] == 1
        and "startColumn" in by_file["breaching-corporate.txt"][0]
    )
    assert by_file["scheduled.post.md"][0]["startLine"] == 11
    assert {r["startLine"] for r in by_file["queue.jsonl"]} == {2, 4}


def test_sarif_reports_unreadable_inputs(sarif):
    invocation = sarif["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert "no such file" in invocation["toolExecutionNotifications"][0]["message"]["text"]


def test_github_workflow_commands():
    result = run("--format", "github", "--no-model", str(EXAMPLES / "breaching-corporate.txt"))
    lines = result.stdout.strip().splitlines()
    pattern = re.compile(
        r"^::(error|warning|notice) (file=[^,:]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=[\w.%-]+)::\S.*$"
    )
    assert all(pattern.match(line) for line in lines[:-1]), lines
    assert lines[-1] == "::notice::postcheck: 1 post checked, 1 flagged, 5 errors, 0 warnings"


def test_a_post_that_could_not_be_read_is_not_counted_as_checked(tmp_path):
    missing = tmp_path / "missing.txt"
    text = run("--no-model", "--profile", "corporate", str(EXAMPLES / "breaching-corporate.txt"), str(missing))
    assert text.exit_code == 2
    assert text.stdout.splitlines()[-1].startswith("1 post checked, 1 flagged, ")
    assert text.stdout.splitlines()[-1].endswith(", 1 could not be checked")
    github = run("--format", "github", "--no-model", str(EXAMPLES / "breaching-corporate.txt"), str(missing))
    notice = github.stdout.strip().splitlines()[-1]
    assert notice == "::notice::postcheck: 1 post checked, 1 flagged, 5 errors, 0 warnings, 1 could not be checked"


def test_github_escaping():
    assert (
        command("error", "50% off\nnext", file="a,b:c.txt", line=3)
        == "::error file=a%2Cb%3Ac.txt,line=3::50%25 off%0Anext"
    )


@pytest.mark.parametrize("fmt", ["github", "text", "json", "jsonl", "sarif"])
def test_post_text_cannot_inject_commands_or_escapes(fmt):
    result = runner.invoke(app, ["--format", fmt, "-"], input=HOSTILE, color=True, env={})
    out = result.stdout
    assert "\x1b[31m" not in out
    for line in out.splitlines():
        assert not line.startswith("::error file=x"), line
        assert "::warning::" not in line or fmt != "github"
    if fmt == "text":
        assert "[bold red]you muppet[/bold red]" in out  # shown literally, not interpreted


def test_jsonl_is_one_post_per_line_then_a_closing_summary():
    result = run("--format", "jsonl", str(EXAMPLES / "queue.jsonl"))
    *posts, closing = [json.loads(line) for line in result.stdout.splitlines()]
    assert [p["id"] for p in posts] == ["q1", "q2", "q3", "q4"]
    assert all("findings" in p and "summary" not in p for p in posts)
    assert "findings" not in closing and closing["version"] == "1" and closing["rulebook"]
    assert closing["summary"]["posts"] == 4 and closing["summary"]["errors"] == sum(len(p["findings"]) for p in posts)


def test_summary_counts_categories():
    result = run("--summary", str(EXAMPLES / "queue.jsonl"))
    assert "findings by category" in result.stdout
    assert re.search(r"political\s+│?\s*\d", result.stdout)
    report = json.loads(run("--format", "json", str(EXAMPLES / "queue.jsonl")).stdout)
    assert report["summary"]["categories"]["political"] >= 1


def test_csv_has_a_row_per_finding_and_per_post_without_one_and_defuses_formulas(tmp_path):
    queue = tmp_path / "queue.jsonl"
    records = [
        {"id": '=HYPERLINK("http://example.invalid")', "text": "=1+1 Pop into Greggs, best pies in town."},
        {"id": "clean", "text": "Road closed on the A19 this morning."},
        {"id": "bad"},
    ]
    queue.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    result = run("--format", "csv", str(queue))
    report = json.loads(run("--format", "json", str(queue)).stdout)
    assert result.exit_code == report_exit(report)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == sum(max(1, len(p["findings"])) for p in report["posts"])
    flagged = [row for row in rows if row["rule"]]
    assert [row["rule"] for row in flagged] == [f["rule"] for f in report["posts"][0]["findings"]]
    assert all(row["id"] == "'" + records[0]["id"] for row in flagged)
    assert all(not row[key].startswith(("=", "+", "-", "@")) for row in rows for key in row)
    assert rows[-1]["error"] == "record has no 'text' field"


def report_exit(report: dict) -> int:
    return 2 if report["summary"]["unreadable"] else 1 if report["summary"]["errors"] else 0
