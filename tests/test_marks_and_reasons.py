"""Where and why: a finding marks every cue of its rule together, and a trace says why a rule that
nearly matched did not fire."""

from __future__ import annotations

import json

import pytest
from tests.conftest import rule_yaml
from tests.test_matchers import linter_for
from typer.testing import CliRunner

from postcheck import Linter, load_rulebook
from postcheck.cli.app import app
from postcheck.engine.trace import trace_post

runner = CliRunner()


def marks(finding) -> list[str]:
    return [mark.match for mark in finding.marks]


def test_each_part_of_an_all_is_marked_not_the_words_between(rules_dir, nlp):
    lint = linter_for(rules_dir, nlp, "      all: [{phrase: [recommend]}, {phrase: [Greggs]}]")
    [finding] = lint.check("We really recommend the pasties at Greggs.")
    assert finding.match == "recommend the pasties at Greggs"
    assert marks(finding) == ["recommend", "Greggs"]
    text = "We really recommend the pasties at Greggs."
    assert all(text[m.start : m.end] == m.match for m in finding.marks)


def test_several_hits_of_a_rule_in_a_sentence_are_marked_together(rules_dir, nlp):
    lint = linter_for(rules_dir, nlp, "      phrase: [muppet, idiot]")
    [finding] = lint.check("You muppet, honestly, what an idiot")
    assert finding.match == "muppet"
    assert marks(finding) == ["muppet", "idiot"]
    assert "idiot" in finding.clause  # the clause runs over every cue


def test_context_parts_hold_but_are_not_marked(rules_dir, nlp):
    match = "      all: [{phrase: [door]}, {context: {phrase: [tomorrow]}}]\n      scope: post"
    lint = linter_for(rules_dir, nlp, match)
    [finding] = lint.check("Big day tomorrow. We put the door in at six.")
    assert marks(finding) == ["door"]


def test_marks_are_in_the_json_report_and_under_carets():
    text = "You muppet, honestly, what a muppet. Vote Labour on Thursday."
    report = json.loads(
        runner.invoke(app, ["--format", "json", "--profile", "corporate", "--text", text], env={"NO_COLOR": "1"}).stdout
    )
    for finding in report["posts"][0]["findings"]:
        assert finding["marks"]
        for mark in finding["marks"]:
            assert text[mark["start"] : mark["end"]] == mark["match"]
            assert mark["match"] in finding["clause"]


def test_redaction_masks_the_marks_too(tmp_path):
    text = "His number is 07700 900123, ring him after 6"
    result = runner.invoke(app, ["--format", "json", "--redact", "--profile", "personal", "--text", text])
    findings = json.loads(result.stdout)["posts"][0]["findings"]
    personal = [f for f in findings if f["category"] == "personal-data"]
    assert personal and all("900123" not in m["match"] for f in personal for m in f["marks"])


@pytest.fixture
def rules(rules_dir):
    """Rules whose near misses each have one reason."""
    body = "rules:\n"
    for rule_id, match, extra in (
        ("tone.scoped", "      all: [{phrase: [best]}, {phrase: [Greggs]}]", ""),
        ("tone.close", "      all: [{phrase: [raid]}, {phrase: [6am]}]\n      near: 3", ""),
        ("tone.ruled-out", "      all: [{phrase: [best]}, {not: {phrase: [worst]}}]", ""),
        ("tone.guarded", "      phrase: [endorse]", "    unless: [negated]\n"),
        ("tone.personal-only", "      phrase: [selfie]", "    profiles: [personal]\n"),
        ("tone.in-purdah", "      phrase: [candidate]", "    when: [purdah]\n"),
        ("tone.missing", "      all: [{phrase: [vote]}, {phrase: [Labour]}]", ""),
    ):
        body += rule_yaml(match, rule_id=rule_id, extra=extra).split("rules:\n", 1)[1]
    (rules_dir / "tone.yaml").write_text(body, encoding="utf-8")
    return load_rulebook((rules_dir,), include_bundled=False)


@pytest.mark.parametrize(
    ("text", "rule", "kind", "words"),
    [
        ("Best day out. Greggs were there.", "tone.scoped", "scope", "same sentence"),
        ("The raid on the estate starts at 6am", "tone.close", "distance", "5 tokens apart"),
        ("The best of days and the worst of days", "tone.ruled-out", "excluded", "'not' part"),
        ("We never endorse anyone", "tone.guarded", "guard", "'endorse' is negated"),
        ("A selfie from the beat", "tone.personal-only", "profile", "binds only your own account"),
        ("Meet the candidate", "tone.in-purdah", "context", "pre-election period"),
        ("Remember to vote", "tone.missing", "missing", "nothing matched phrase Labour"),
    ],
)
def test_a_trace_says_why_a_rule_did_not_fire(rules, nlp, text, rule, kind, words):
    entries = {entry["rule"]: entry for entry in trace_post(Linter(rules, nlp), text, "corporate")}
    entry = entries[rule]
    assert not entry["fired"]
    assert [k for k, _ in entry["reasons"]] == [kind], entry["reasons"]
    assert words in entry["reasons"][0][1]


def test_a_rule_for_the_other_account_that_would_not_fire_anyway_is_left_out(rules, nlp):
    entries = {entry["rule"] for entry in trace_post(Linter(rules, nlp), "A selfie? Not today.", "corporate")}
    assert "tone.personal-only" in entries
    quiet = {entry["rule"] for entry in trace_post(Linter(rules, nlp), "Vote early", "corporate")}
    assert "tone.personal-only" not in quiet


def test_a_fired_rule_has_no_reasons(rules, nlp):
    entries = {entry["rule"]: entry for entry in trace_post(Linter(rules, nlp), "The raid: 6am", "corporate")}
    assert entries["tone.close"]["fired"] and entries["tone.close"]["reasons"] == []


def test_trace_on_the_command_line_prints_the_reason():
    result = runner.invoke(
        app,
        ["explain", "--profile", "corporate", "--text", "We do not endorse Greggs, best pies in town"],
        env={"NO_COLOR": "1"},
    )
    assert "why not (guard): every match was set aside: 'Greggs, best' is negated" in result.stdout


def test_a_colleagues_warning_is_reported_as_discipline_not_victim_blaming():
    text = "Dave got a final written warning for being late again... serves him right tbh"
    report = json.loads(runner.invoke(app, ["--format", "json", "--profile", "personal", "--text", text]).stdout)
    findings = report["posts"][0]["findings"]
    assert {f["category"] for f in findings} == {"police-information"}
    [finding] = [f for f in findings if f["rule"] == "police-information.discipline-comment"]
    assert "discipline" in finding["message"] and "victim" not in finding["message"] + finding["suggest"]
    assert [mark["match"] for mark in finding["marks"]] == ["final written warning", "serves him right"]
