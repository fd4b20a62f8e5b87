"""Hostile queues: no record can end the read, hide another record, or pass unread.

Every record yields a post or a per-post error; the other records are still read; a file
that cannot be read at all is one error naming it; and nothing is read whole before its
size is known to be acceptable.
"""

from __future__ import annotations

import codecs
import json
import os

import pytest
from typer.testing import CliRunner

from postcheck import PostcheckError, read_source
from postcheck.cli.app import app
from postcheck.inputs import sources
from postcheck.inputs.sources import ReadOptions

HUGE_NUMBER = "9" * 5_000
DEEP = "[" * 5_000 + "]" * 5_000
runner = CliRunner()


def posts(path, **options):
    return list(read_source(str(path), ReadOptions(**options)))


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def errors(result):
    return [(p.id, p.error) for p in result if p.error is not None]


@pytest.mark.parametrize(
    "bad",
    [
        f'{{"id": {HUGE_NUMBER}, "text": "A 5,000-digit id."}}',
        f'{{"id": "n", "text": "A huge number elsewhere.", "extra": [{HUGE_NUMBER}]}}',
        f'{{"id": "deep", "text": "Nested.", "extra": {DEEP}}}',
        '{"id": "twice", "text": "first", "text": "second"}',
    ],
    ids=["huge id", "huge number", "deep nesting", "duplicate text"],
)
@pytest.mark.parametrize("suffix", [".jsonl", ".json"])
def test_one_record_never_ends_the_read_of_the_others(tmp_path, bad, suffix):
    good = [json.dumps({"id": "a", "text": "Before."}), json.dumps({"id": "z", "text": "After."})]
    records = [good[0], bad, good[1]]
    text = "\n".join(records) + "\n" if suffix == ".jsonl" else "[\n" + ",\n".join(records) + "\n]"
    result = posts(write(tmp_path, "queue" + suffix, text))
    assert len(result) == 3
    assert [p.text for p in (result[0], result[2])] == ["Before.", "After."]
    middle = result[1]
    if "twice" in bad:
        assert middle.error and "'text' is given twice" in middle.error
    elif "deep" in bad:
        assert middle.error and "nested too deeply" in middle.error
    else:
        assert middle.error is None and middle.text


def test_a_json_record_that_cannot_be_read_is_named_by_its_number_and_line(tmp_path):
    text = '[\n {"id": "a", "text": "One."},\n {"id": "b", "text": "Two." "oops"},\n {"id": "c", "text": "Three."}\n]'
    path = write(tmp_path, "queue.json", text)
    result = posts(path)
    assert [p.id for p in result] == ["a", f"{path}#2", "c"]
    assert "record 2 (line 3)" in result[1].error
    cli = runner.invoke(app, ["--format", "json", str(path)])
    assert f"{path} [{path}#2]: record 2 (line 3)" in cli.stderr
    assert json.loads(cli.stdout)["summary"]["posts"] == 3


def test_a_json_queue_broken_at_the_top_says_where_and_what_was_lost(tmp_path):
    path = write(tmp_path, "queue.json", '[{"id": "a", "text": "One."}, {"id": "b", "text": "Two.')
    result = posts(path)
    assert result[0].id == "a"
    assert "line 1, after record 1" in result[-1].error and "the rest could not be read" in result[-1].error


def test_yaml_records_with_a_huge_id_an_impossible_date_or_a_key_twice_fail_alone(tmp_path):
    path = write(
        tmp_path,
        "queue.yaml",
        f"- id: {HUGE_NUMBER}\n  text: Huge id.\n"
        "- id: date\n  text: Impossible date.\n  scheduled_at: 2026-02-30\n"
        "- id: twice\n  text: first\n  text: second\n"
        "- id: fine\n  text: Fine.\n",
    )
    result = posts(path)
    assert [p.error is None for p in result] == [True, True, False, True]
    assert result[0].id == HUGE_NUMBER and result[1].meta["scheduled_at"] == "2026-02-30"
    assert "'text' is given twice in this record (line 8)" in result[2].error
    cli = runner.invoke(app, ["--format", "json", str(path)])
    report = json.loads(cli.stdout)
    by_id = {p["id"]: p for p in report["posts"]}
    assert "scheduled_at" in by_id["date"]["error"] and by_id["fine"]["error"] is None
    assert cli.exit_code == 2


def test_an_impossible_date_in_front_matter_is_that_posts_error(tmp_path):
    front = "---\nprofile: corporate\nscheduled_at: 2026-02-30\n---\n"
    path = write(tmp_path, "post.md", front + "Vote Labour on Thursday!\n")
    cli = runner.invoke(app, ["--format", "json", str(path)])
    [post] = json.loads(cli.stdout)["posts"]
    assert cli.exit_code == 2 and "'scheduled_at' must be a date" in post["error"]


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("waivers.yaml", "- {rule: tone, post: q1, reason: r, approved_by: me, expires: 2026-02-30}\n", "expires"),
        (".postcheck.yaml", "elections:\n  - {name: PCC, purdah_start: 2026-02-30, polling_day: 2026-05-07}\n", "date"),
        (".postcheck.yaml", "profile: personal\nprofile: corporate\n", "'profile' is given twice"),
    ],
)
def test_bad_dates_and_repeated_keys_in_settings_are_one_clear_error(tmp_path, name, body, message):
    settings = write(tmp_path, name, body)
    post = write(tmp_path, "draft.txt", "Hello Redcar.")
    option = ["--waivers", str(settings)] if name == "waivers.yaml" else ["--config", str(settings)]
    result = runner.invoke(app, [*option, str(post)])
    assert result.exit_code == 2 and message in result.stderr and f"{settings}:" in result.stderr
    assert "Traceback" not in result.output


def test_a_csv_header_naming_text_twice_is_refused(tmp_path):
    with pytest.raises(PostcheckError, match=r"'text' twice \(columns 2 and 3\)"):
        posts(write(tmp_path, "queue.csv", "id,text,text\n1,one,two\n"))


def test_a_header_of_a_hundred_thousand_columns_is_read_in_one_pass(tmp_path):
    # Each name was compared with every name before it: 100,000 columns took minutes before one row was read.
    names = ",".join(f"c{i}" for i in range(100_000))
    with pytest.raises(PostcheckError, match=r"'c7' twice \(columns 10 and 100003\)"):
        posts(write(tmp_path, "queue.csv", f"id,text,{names},c7\n1,Vote Labour!\n"))
    [post] = posts(write(tmp_path, "wide.csv", f"id,text,{names}\n1,Vote Labour!\n"))
    assert post.text == "Vote Labour!" and post.error is None


def test_a_csv_whose_lines_end_in_a_carriage_return_alone_says_so(tmp_path):
    with pytest.raises(PostcheckError, match="carriage return alone"):
        posts(write(tmp_path, "queue.csv", "id,text\r1,Vote Labour!\r2,Fine.\r"))


def test_a_csv_field_over_the_limit_costs_only_its_row(tmp_path):
    big = "x" * 200_000  # over the csv module's own field limit (131,072) as well as the post limit
    path = write(tmp_path, "queue.csv", f"id,text\n1,First.\n2,{big}\n3,Vote Labour on Thursday!\n")
    result = posts(path)
    assert [p.id for p in result] == ["1", "2", "3"]
    assert "over the limit" in result[1].error and result[2].text == "Vote Labour on Thursday!"
    assert runner.invoke(app, ["--keep-going", str(path)]).exit_code == 1  # row 3 was read, and breaches


def test_a_stray_quote_costs_only_its_row(tmp_path):
    path = write(tmp_path, "queue.csv", 'id,text\n1,"Unclosed quote\n2,Vote Labour on Thursday!\n3,Fine.\n')
    result = posts(path)
    assert [(p.line, p.error is None) for p in result] == [(2, False), (3, True), (4, True)]
    assert "quote" in result[0].error and result[1].text == "Vote Labour on Thursday!"


def test_a_stray_quote_that_closes_later_does_not_swallow_rows_between(tmp_path):
    rows = 'id,text,profile\n1,"Oops,corporate\n2,Vote Labour!,corporate\n3,"x",corporate\n'
    path = write(tmp_path, "queue.csv", rows)
    result = posts(path)
    assert [p.line for p in result] == [2, 3, 4] and result[1].text == "Vote Labour!"


@pytest.mark.parametrize(
    ("name", "text"),
    [("queue.jsonl", ""), ("queue.jsonl", "\n\n"), ("queue.csv", "id,text\n"), ("queue.json", "[]"), ("q.yaml", "[]")],
)
def test_an_empty_queue_is_an_error_not_a_pass(tmp_path, name, text):
    path = write(tmp_path, name, text)
    [post] = posts(path)
    assert "holds no posts" in post.error
    assert runner.invoke(app, [str(path)]).exit_code == 2


def test_an_empty_folder_is_an_error_not_a_pass(tmp_path):
    (tmp_path / "posts").mkdir()
    [post] = posts(tmp_path / "posts")
    assert "no post files found" in post.error


def test_a_folder_that_cannot_be_listed_is_reported(tmp_path, monkeypatch):
    (tmp_path / "posts" / "locked").mkdir(parents=True)
    (tmp_path / "posts" / "a.txt").write_text("A.", encoding="utf-8")
    (tmp_path / "posts" / "locked" / "b.txt").write_text("B.", encoding="utf-8")
    real = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = posts(tmp_path / "posts")
    assert [p.error is None for p in result] == [True, False]
    assert "cannot read this folder (Permission denied)" in result[1].error and result[1].source.endswith("locked")


def test_dangling_links_and_files_removed_after_listing_are_reported(tmp_path):
    folder = tmp_path / "posts"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):
        (folder / name).write_text("Hello.", encoding="utf-8")
    (folder / "c.txt").symlink_to(folder / "gone.txt")
    reading = read_source(str(folder), ReadOptions())
    first = next(reading)
    (folder / "b.txt").unlink()
    rest = list(reading)
    assert first.error is None
    assert [p.source.rsplit("/", 1)[1] for p in rest] == ["b.txt", "c.txt"]
    assert "no such file" in rest[0].error and "link whose target does not exist" in rest[1].error


class Endless:
    """A stream that never ends, and fails the test if asked for all of it."""

    def __init__(self):
        self.given = 0

    def read(self, size=-1):
        assert size is not None and size >= 0, "read without a limit"
        self.given += size
        return b"a" * size

    def seekable(self):
        return False


def test_a_post_is_refused_before_more_than_its_limit_is_read(monkeypatch):
    stream = Endless()
    monkeypatch.setattr(sources.sys, "stdin", type("Stdin", (), {"buffer": stream})())
    [post] = list(sources.read_sources(["-"], ReadOptions(max_chars=1_000)))
    assert "was not read" in post.error and stream.given <= ReadOptions(max_chars=1_000).max_post_bytes + 1


def test_a_huge_text_file_is_refused_unread(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024)  # sparse: 100 MB that take no space
    with pytest.raises(PostcheckError) as refused:
        posts(path)
    assert refused.value.message == (
        "the file is far too long for a post and was not read: a post may have at most 100,000 characters "
        "(see --max-chars)"
    )


def test_a_jsonl_line_over_the_limit_costs_only_that_line(tmp_path):
    path = tmp_path / "queue.jsonl"
    long_line = json.dumps({"id": "big", "text": "x" * 200_000})
    path.write_text("\n".join([json.dumps({"id": "a", "text": "A."}), long_line, '{"id": "b", "text": "B."}']))
    result = posts(path, max_chars=1_000)
    assert [p.error is None for p in result] == [True, False, True] and "was not read" in result[1].error


def test_utf16_jsonl_with_a_bom_is_read(tmp_path):
    path = tmp_path / "queue.jsonl"
    lines = "\n".join(json.dumps({"id": f"u{i}", "text": "Hello Redcar"}) for i in range(3)) + "\n"
    path.write_bytes(codecs.BOM_UTF16_LE + lines.encode("utf-16-le"))
    assert [(p.id, p.text, p.error) for p in posts(path)] == [(f"u{i}", "Hello Redcar", None) for i in range(3)]


@pytest.mark.parametrize("args", [["--max-chars", "0"], ["--max-chars", "-5"], ["--stdin-format", "exe"]])
def test_impossible_reading_options_are_usage_errors(args):
    result = runner.invoke(app, [*args, "-"], input="Hello")
    assert result.exit_code == 2 and "Invalid value" in result.output
