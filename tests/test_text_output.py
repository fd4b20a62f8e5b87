"""Text output for an officer: carets under the words, plain output without colour, a queue grouped by
post, and the selection and summary options."""

from __future__ import annotations

import json
import re
from itertools import pairwise

import pytest
from tests.cli_support import run

VOTE = "Only one party backs the police, so vote Labour on Thursday!"


def caret_runs(output: str) -> list[str]:
    """The words each caret line marks under the clause line above it, run by run."""
    runs = []
    for clause, carets in pairwise(output.splitlines()):
        if clause.lstrip().startswith("> ") and "^" in carets and set(carets.strip()) <= {"^", " "}:
            marked = "".join(
                c if mark == "^" else "\0" for c, mark in zip(clause, carets.ljust(len(clause)), strict=False)
            )
            runs += [run for run in marked.split("\0") if run]
    return runs


def test_carets_sit_under_the_marked_words_without_colour():
    result = run("--profile", "corporate", "--text", VOTE)
    report = json.loads(run("--format", "json", "--profile", "corporate", "--text", VOTE).stdout)
    marked = [mark["match"] for f in report["posts"][0]["findings"] for mark in f["marks"]]
    assert marked and sorted(caret_runs(result.stdout)) == sorted(marked)


def test_carets_count_wide_characters_as_two_columns():
    text = "Cracking night 😂😂 vote Labour on Thursday!"
    lines = run("--profile", "corporate", "--text", text).stdout.splitlines()
    # The voting advice's own clause and carets (another finding may mark the whole sentence first).
    header = next(number for number, line in enumerate(lines) if "political.voting-advice" in line)
    clause_line, caret_line = lines[header + 1], lines[header + 2]
    # Each emoji takes two cells: the carets start two cells later than the characters before them.
    before = clause_line[: clause_line.index("vote Labour")]
    cells = len(before) + sum(1 for char in before if ord(char) > 0xFFFF)
    assert caret_line.index("^") == cells


def test_no_color_means_no_bold_dim_or_reverse_video_even_on_a_terminal():
    forced = run("--profile", "corporate", "--text", VOTE, env={"FORCE_COLOR": "1"}).stdout
    assert "\x1b[" in forced  # a terminal gets colour and highlighting...
    plain = run("--profile", "corporate", "--text", VOTE, env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout
    assert "\x1b[" not in plain  # ...but not when NO_COLOR is set, not even bold or reverse video
    assert "political.voting-advice" in plain and "^^^" in plain


def test_a_queue_is_grouped_by_post(tmp_path):
    queue = tmp_path / "queue.jsonl"
    rows = [
        {"id": "a", "profile": "corporate", "text": VOTE},
        {"id": "b", "profile": "corporate", "text": "Road closed on the A19."},
        {"id": "c", "profile": "corporate", "text": "We love Greggs, best sausage rolls in town!"},
    ]
    queue.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    out = run(queue).stdout
    headers = [line for line in out.splitlines() if re.match(rf"{re.escape(str(queue))}:\d+ \[\w\]", line)]
    assert [h.split(" [")[1][0] for h in headers] == ["a", "c"]
    assert headers[0].endswith("on a force account: " + headers[0].split(": ")[-1])
    assert re.search(r"^  1:\d+ error political\.", out, re.MULTILINE)


def test_statistics_count_findings_per_rule_instead_of_listing_them(tmp_path):
    result = run("--statistics", "--profile", "corporate", "--text", VOTE)
    assert "findings by rule" in result.stdout and "political.voting-advice" in result.stdout
    assert "> " not in result.stdout and "suggest:" not in result.stdout


def test_quiet_prints_the_findings_and_nothing_else():
    result = run("--quiet", "--profile", "corporate", "--text", VOTE)
    assert "political.voting-advice" in result.stdout and "checked" not in result.stdout
    assert run("--quiet", "--profile", "corporate", "--text", "Road closed on the A19.").stdout == ""


def test_exit_zero_keeps_findings_but_not_unreadable_posts(tmp_path):
    result = run("--exit-zero", "--profile", "corporate", "--text", VOTE)
    assert result.exit_code == 0 and "political.voting-advice" in result.stdout
    assert run("--exit-zero", tmp_path / "missing.txt").exit_code == 2


@pytest.mark.parametrize(
    ("options", "present", "absent"),
    [
        (["--select", "political"], {"political"}, {"writing", "tone"}),
        (["--select", "tone,writing"], {"tone", "writing"}, {"political"}),
        (["--ignore", "political"], {"tone", "writing"}, {"political"}),
        (["--ignore", "political", "--ignore", "writing"], {"tone"}, {"political", "writing"}),
        (["--select", "political.voting-advice"], {"political"}, {"tone", "writing"}),
    ],
)
def test_select_and_ignore_rules_or_categories(options, present, absent):
    text = "VOTE LABOUR ON THURSDAY, YOU MUPPETS!!! gr8 innit"
    report = json.loads(run("--format", "json", "--profile", "corporate", *options, "--text", text).stdout)
    categories = {f["category"] for f in report["posts"][0]["findings"]}
    assert present <= categories and not absent & categories, categories


def test_ignored_rules_named_in_a_suppression_are_neither_unknown_nor_unused(tmp_path):
    queue = tmp_path / "q.jsonl"
    record = {"id": "a", "profile": "corporate", "text": VOTE, "suppress": ["political -- agreed, ref CC-9"]}
    queue.write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = run("--format", "json", "--ignore", "political", queue)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["posts"][0]["problems"] == []
