"""Reading posts: every format, and every bad record becomes that post's error, never a crash or a skip."""

from __future__ import annotations

import json

import pytest

from postcheck import PostcheckError, read_source
from postcheck.inputs.sources import ReadOptions, read_bytes


def posts(path, **kwargs):
    return list(read_source(str(path), ReadOptions(**kwargs)))


def test_text_file_is_one_post(tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text("Hello Redcar.\n", encoding="utf-8")
    [post] = posts(path, profile="personal")
    assert (post.id, post.text, post.profile, post.error) == (str(path), "Hello Redcar.\n", "personal", None)


def test_markdown_front_matter_sets_profile_and_the_line_the_text_starts_on(tmp_path):
    path = tmp_path / "post.md"
    path.write_text(
        "---\nprofile: personal\naccount: '@pc_smith'\nscheduled_at: 2026-12-01T09:00\n---\nBody text.\n",
        encoding="utf-8",
    )
    [post] = posts(path)
    assert post.profile == "personal"
    assert post.text == "Body text.\n"
    assert post.line == 6
    assert post.meta["account"] == "@pc_smith"


def test_unclosed_front_matter_is_an_error(tmp_path):
    path = tmp_path / "post.md"
    path.write_text("---\nprofile: personal\nBody", encoding="utf-8")
    with pytest.raises(PostcheckError, match="never closed"):
        posts(path)


def test_jsonl_queue_keeps_going_past_bad_lines(tmp_path):
    path = tmp_path / "queue.jsonl"
    lines = [
        json.dumps({"id": "p1", "text": "One."}),
        "{not json",
        json.dumps({"id": "p3"}),
        json.dumps({"id": "p4", "text": 42}),
        "",
        json.dumps({"id": "p6", "text": "Six.", "profile": "personal"}),
        json.dumps({"id": "p7", "text": "Seven.", "profile": "martian"}),
        json.dumps(["a list"]),
        json.dumps({"id": "p9", "text": "   "}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = posts(path)
    assert [(p.id, p.line) for p in result] == [
        ("p1", 1),
        (f"{path}:2", 2),
        ("p3", 3),
        ("p4", 4),
        ("p6", 6),
        ("p7", 7),
        (f"{path}:8", 8),
        ("p9", 9),
    ]
    errors = {p.line: p.error for p in result}
    assert errors[1] is None and errors[6] is None
    assert "invalid JSON" in errors[2]
    assert "no 'text'" in errors[3]
    assert "must be a string" in errors[4]
    assert "unknown profile 'martian'" in errors[7]
    assert "not an object" in errors[8]
    assert "empty post" in errors[9]


def test_jsonl_line_with_invalid_utf8(tmp_path):
    path = tmp_path / "queue.jsonl"
    path.write_bytes(b'{"id": "a", "text": "ok"}\n{"id": "b", "text": "\xff\xfe bad"}\n{"id": "c", "text": "ok"}\n')
    result = posts(path)
    assert [p.error is None for p in result] == [True, False, True]
    assert result[1].line == 2 and "UTF-8" in result[1].error


def test_json_queue_list_and_posts_mapping(tmp_path):
    listed = tmp_path / "a.json"
    listed.write_text(json.dumps([{"id": "x", "text": "Hi."}]), encoding="utf-8")
    wrapped = tmp_path / "b.json"
    wrapped.write_text(json.dumps({"posts": [{"id": "y", "text": "Hi."}]}), encoding="utf-8")
    assert [p.id for p in posts(listed)] == ["x"]
    assert [p.id for p in posts(wrapped)] == ["y"]


def test_yaml_queue_records_know_their_line(tmp_path):
    path = tmp_path / "queue.yaml"
    path.write_text("posts:\n  - id: a\n    text: Hi.\n  - id: b\n    text: There.\n", encoding="utf-8")
    assert [(p.id, p.line) for p in posts(path)] == [("a", 2), ("b", 4)]


def test_csv_queue(tmp_path):
    path = tmp_path / "queue.csv"
    path.write_text(
        'id,text,profile\nc1,"Hello, Redcar",corporate\nc2,"Line one\nline two",personal\nc3,,\n', encoding="utf-8"
    )
    result = posts(path)
    assert [(p.id, p.line, p.profile) for p in result] == [
        ("c1", 2, "corporate"),
        ("c2", 3, "personal"),
        ("c3", 5, "both"),  # no profile: checked for both kinds of account
    ]
    assert result[1].text == "Line one\nline two"
    assert "empty post" in result[2].error


def test_csv_without_text_column(tmp_path):
    path = tmp_path / "queue.csv"
    path.write_text("id,body\n1,hello\n", encoding="utf-8")
    with pytest.raises(PostcheckError, match="'text' column"):
        posts(path)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x00\x01\x02binary\x00", "binary"),
        (b"caf\xe9 au lait", "not valid UTF-8"),
    ],
)
def test_unreadable_files(tmp_path, data, message):
    path = tmp_path / "draft.txt"
    path.write_bytes(data)
    with pytest.raises(PostcheckError, match=message):
        posts(path)


def test_utf16_with_bom_is_read(tmp_path):
    path = tmp_path / "draft.txt"
    path.write_bytes("Hello Redcar".encode("utf-16"))
    assert posts(path)[0].text == "Hello Redcar"


def test_empty_and_oversized_posts_are_errors(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    huge = tmp_path / "huge.txt"
    huge.write_text("word " * 50, encoding="utf-8")
    assert "empty post" in posts(empty)[0].error
    assert posts(huge, max_chars=100)[0].error == "post is 250 characters, over the limit of 100 (see --max-chars)"


def test_missing_file(tmp_path):
    with pytest.raises(PostcheckError, match="no such file"):
        posts(tmp_path / "nope.txt")


def test_directory_is_searched_with_include_and_exclude_globs(tmp_path):
    (tmp_path / "drafts" / "old").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    (tmp_path / "drafts" / "a.txt").write_text("A.", encoding="utf-8")
    (tmp_path / "drafts" / "b.post.md").write_text("B.", encoding="utf-8")
    (tmp_path / "drafts" / "old" / "c.txt").write_text("C.", encoding="utf-8")
    (tmp_path / "drafts" / "notes.py").write_text("print()", encoding="utf-8")
    (tmp_path / ".git" / "d.txt").write_text("D.", encoding="utf-8")
    (tmp_path / "drafts" / "bad.txt").write_bytes(b"\x00\x01binary")
    found = {p.id.replace(str(tmp_path) + "/", ""): p.error for p in posts(tmp_path)}
    assert set(found) == {"drafts/a.txt", "drafts/b.post.md", "drafts/old/c.txt", "drafts/bad.txt"}
    assert found["drafts/bad.txt"] is not None  # reported, and the files after it are still read
    only_md = posts(tmp_path, include=("*.md",), exclude=(".*", "old"))
    assert [p.id.rsplit("/", 1)[1] for p in only_md] == ["b.post.md"]


def test_yaml_queue_refuses_aliases(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text('a: &a ["x","x"]\nb: &b [*a,*a]\nposts: [*b]\n', encoding="utf-8")
    with pytest.raises(PostcheckError, match="aliases"):
        posts(path)


def test_a_profile_that_is_not_text_is_reported_as_text():
    [post] = read_bytes(b'{"id": "p", "text": "hi", "profile": [null, 1]}\n', "q.jsonl", ".jsonl", ReadOptions())
    assert post.profile == "[None, 1]"
    assert post.error == "unknown profile '[None, 1]' (use corporate, personal or both)"


def test_bytes_in_memory_are_read_as_a_file_of_their_suffix():
    options = ReadOptions()
    jsonl = list(read_bytes(b'{"id": "a", "text": "one"}\nnot json\n', "up.jsonl", ".jsonl", options))
    assert [(p.id, p.line, p.error is None) for p in jsonl] == [("a", 1, True), ("up.jsonl:2", 2, False)]
    [row] = read_bytes(b"id,text\nc1,hello\n", "up.csv", ".csv", options)
    assert (row.source, row.id, row.text, row.line) == ("up.csv", "c1", "hello", 2)
    with pytest.raises(PostcheckError, match="binary"):
        list(read_bytes(b"\x00\x01\x02", "up.csv", ".csv", options))


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ('{"id": "b", "text": ', "invalid JSON: the record ends before it is complete"),
        ("{'id': 'b', 'text': 'Hi'}", "invalid JSON: a field name is not in double quotes (column 2)"),
        ('{"id": "b" "text": "Hi"}', "invalid JSON: a comma is missing between two values (column 12)"),
        (
            '{"id": "b", "text": Hi}',
            "invalid JSON: a value is missing, or is not in JSON form (text goes in double quotes) (column 21)",
        ),
        ('{"id": "b", "text": "Hi"} x', "invalid JSON: something follows the end of the record (column 27)"),
    ],
)
def test_a_broken_json_line_says_what_is_wrong_in_plain_words_and_the_rest_is_read(tmp_path, line, error):
    path = tmp_path / "queue.jsonl"
    path.write_text(f'{{"id": "a", "text": "A."}}\n{line}\n{{"id": "c", "text": "C."}}\n', encoding="utf-8")
    assert [(p.line, p.error) for p in posts(path)] == [(1, None), (2, error), (3, None)]
