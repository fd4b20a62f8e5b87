"""`postcheck audit-archive` with the local engine: the command line's findings, bad records kept, the summary."""

from __future__ import annotations

import datetime as dt
import importlib.util
import itertools
import os
import shutil
import subprocess
import sys
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.archive_helpers import (
    archive_records,
    assert_same_as_cli,
    assert_same_tables,
    cli_rows,
    table_rows,
    write_damaged_parquet,
    write_jsonl,
    write_parquet,
)
from tests.conftest import REPO
from typer.testing import CliRunner

from postcheck.cli.app import app
from postcheck.core.post import Post
from postcheck.inputs.suppressions import from_record as parse_suppressions
from postcheck.spark.summary import Summary
from postcheck.spark.tables import month_of

pytest.importorskip("pyarrow")


def audit(*args: str):
    return CliRunner().invoke(app, ["audit-archive", *map(str, args)])


@pytest.fixture(scope="module")
def archive(tmp_path_factory, rulebook):
    directory = tmp_path_factory.mktemp("archive")
    records = archive_records(rulebook)
    return write_jsonl(records, directory / "posts.jsonl"), write_parquet(records, directory / "posts.parquet"), records


@pytest.fixture(scope="module")
def audited(archive, tmp_path_factory):
    """The JSONL archive audited by the local engine in one process."""
    output = tmp_path_factory.mktemp("audit") / "out"
    result = audit(archive[0], output, "--jobs", "1")
    assert result.exit_code == 2, result.output  # the generated posts include bad suppressions
    return output


def test_local_engine_gives_the_command_lines_findings_post_by_post(archive, audited, tmp_path):
    jsonl, parquet, _ = archive
    cli = cli_findings, cli_errors = cli_rows(jsonl)
    assert audit(parquet, tmp_path / "pq", "--jobs", "1").exit_code == 2
    assert_same_as_cli(audited, cli)
    # A Parquet row's line is its row number, which is the JSONL line of the same record; only the source differs.
    assert_same_as_cli(tmp_path / "pq", cli, "source")
    categories = {row["category"] for row in cli_findings}
    assert len(cli_findings) > 150 and len(categories) >= 12
    assert any(row["suppressed"] for row in cli_findings)
    assert any("tone.no-such-rule" in row["reason"] for row in cli_errors)


def test_findings_carry_the_account_month_and_rulebook(archive, audited):
    records = {record["id"]: record for record in archive[2]}
    rows = table_rows(audited, "findings")
    digest = CliRunner().invoke(app, ["--version"]).stdout.split("rulebook ")[1].strip()
    assert {row["rulebook"] for row in rows} == {digest}
    dated = [row for row in rows if row["month"]]
    assert dated and all(row["account"] == records[row["post_id"]]["account"] for row in dated)
    for row in dated:
        record = records[row["post_id"]]
        assert (record.get("created_at") or record["scheduled_at"]).startswith(row["month"])
    assert all(row["month"] is None for row in rows if row["post_id"].startswith("paraphrase-"))


def test_summary_adds_up_to_the_tables(archive, audited):
    summary = {(row["by"], row["key"]): row for row in table_rows(audited, "summary")}
    active = [row for row in table_rows(audited, "findings") if not row["suppressed"]]
    total = summary[("all", None)]
    assert total["posts"] == len(archive[2])
    assert total["flagged"] == len({row["post_id"] for row in active})
    assert sum(row["posts"] for (by, _), row in summary.items() if by == "account") == total["posts"]
    for (category, severity), count in Counter((row["category"], row["severity"]) for row in active).items():
        assert (
            summary[("category", category)][{"error": "errors", "warning": "warnings", "info": "info"}[severity]]
            == count
        )
    assert (audited / "summary.txt").read_text(encoding="utf-8").startswith(f"{total['posts']:,} posts checked")


def test_worker_processes_write_the_same_tables(archive, audited, tmp_path):
    assert audit(archive[0], tmp_path / "two", "--jobs", "2").exit_code == 2
    assert_same_tables(tmp_path / "two", audited)


def test_every_bad_record_is_an_error_row_with_its_reason(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "a.jsonl").write_bytes(
        b'{"id": "ok", "text": "Vote Conservative on Thursday!"}\n{not json\n\xff\xfe\n'
        b'{"id": "n", "text": 5}\n{"id": "e", "text": " "}\n{"id": "p", "text": "hi", "profile": "boss"}\n'
    )
    (archive / "b.csv").write_text("id,text\nc1,Fine post\nc2,too,many\n", encoding="utf-8")
    pq.write_table(pa.table({"id": ["q1", "q2"], "text": ["A fine post.", None]}), archive / "c.parquet")
    pq.write_table(pa.table({"id": ["r1"], "body": ["no text column"]}), archive / "d.parquet")
    (archive / "e.parquet").write_bytes(b"PAR1 this is not really parquet")
    write_damaged_parquet(archive / "f.parquet")
    (archive / ".hidden.jsonl").write_text("{broken\n", encoding="utf-8")
    result = audit(archive, tmp_path / "out")
    assert result.exit_code == 2
    assert "10 records could not be checked" in result.stderr
    errors = {
        (row["source"].rsplit("/", 1)[-1], row["line"]): row["reason"] for row in table_rows(tmp_path / "out", "errors")
    }
    assert errors.keys() == {
        ("a.jsonl", 2),
        ("a.jsonl", 3),
        ("a.jsonl", 4),
        ("a.jsonl", 5),
        ("a.jsonl", 6),
        ("b.csv", 3),
        ("c.parquet", 2),
        ("d.parquet", None),
        ("e.parquet", None),
        ("f.parquet", None),
    }
    assert errors[("a.jsonl", 2)].startswith("invalid JSON")
    assert errors[("c.parquet", 2)] == "record has no 'text' field"
    assert errors[("d.parquet", None)] == "Parquet file has no 'text' column"
    assert errors[("e.parquet", None)].startswith("not a readable Parquet file")
    assert errors[("f.parquet", None)].startswith("Parquet file unreadable after row ")
    summary = {(row["by"], row["key"]): row for row in table_rows(tmp_path / "out", "summary")}
    assert summary[("all", None)]["unreadable"] == 10
    checked_before_the_damage = int(errors[("f.parquet", None)].split("after row ")[1].split(" ")[0].replace(",", ""))
    assert summary[("all", None)]["posts"] == 13 + checked_before_the_damage
    assert audit(archive, tmp_path / "again", "--keep-going").exit_code == 1  # the one political post


@pytest.fixture(scope="module")
def checked_pool(linter):
    """Posts with findings of each severity, a suppressed one, a bad suppression and an unreadable record."""
    texts = [
        "Vote Labour on Thursday!",
        "Lovely day at the beach.",
        "You absolute muppet, learn to park.",
        "Gr8 2 c so many ppl at the beat surgery 2day!! thx 4 comin",
        "We love the new Ring doorbell, it's the best on the market!",
    ]
    posts = [
        Post("q", str(i), text=t, meta={"account": f"@a{i % 3}", "created_at": f"2021-0{i + 1}-01"})
        for i, t in enumerate(texts)
    ]
    posts[0].suppressions = parse_suppressions(["political -- agreed"], 1)[0]
    posts[1].suppressions = parse_suppressions(["tone.nonexistent -- a rule that is not there"], 1)[0]
    posts.append(Post("q", "bad", line=7, error="invalid JSON"))
    return list(linter.check_posts(posts))


@given(workers=st.lists(st.integers(0, 3), min_size=1, max_size=30))
@settings(max_examples=60, deadline=None)
def test_summaries_of_any_split_add_up_to_the_whole(checked_pool, workers):
    whole, parts = Summary(), [Summary() for _ in range(4)]
    for worker, (post, findings) in zip(workers, itertools.cycle(checked_pool)):
        for summary in (whole, parts[worker]):
            summary.add(post, findings, post.meta.get("account"), month_of(post))
    assert Summary.from_rows(row for part in parts for row in part.rows()).rows() == whole.rows()
    rows = whole.rows()
    assert whole.total["posts"] == len(workers) == sum(row["posts"] for row in rows if row["by"] == "month")
    assert all(row["posts"] is None for row in rows if row["by"] == "category")
    total = whole.total
    expected = 2 if total["unreadable"] or total["problems"] else 1 if total["errors"] else 0
    assert whole.exit_status("error", keep_going=False) == expected


def test_month_of_a_post():
    def month(**meta):
        return month_of(Post("q", "1", text="x", meta=meta))

    assert month(created_at="2020-03-09T10:00:00Z", scheduled_at="2019-01-01") == "2020-03"
    assert month(scheduled_at="2019-01-01") == "2019-01"
    late = dt.datetime(2020, 1, 31, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert month(created_at=late) == "2020-02"  # timestamps count in UTC, as Spark and pyarrow both give them
    assert month(created_at="last Tuesday") is None and month() is None


@pytest.mark.parametrize(
    ("missing", "args", "extra"), [("pyarrow", (), "archive"), ("pyspark", ("--engine", "spark"), "spark")]
)
def test_a_missing_extra_is_named_before_anything_is_written(tmp_path, monkeypatch, missing, args, extra):
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *rest: None if name == missing else find_spec(name, *rest)
    )
    result = audit(REPO / "examples" / "queue.jsonl", tmp_path / "out", *args)
    assert result.exit_code == 2 and f"pip install 'postcheck[{extra}]'" in result.stderr
    assert not (tmp_path / "out").exists()


def test_output_must_be_a_new_directory_and_input_must_exist(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "old.txt").write_text("an earlier run", encoding="utf-8")
    result = audit(REPO / "examples" / "queue.jsonl", tmp_path / "out")
    assert result.exit_code == 2 and "choose a new output directory" in result.stderr
    result = audit(tmp_path / "missing.jsonl", tmp_path / "new")
    assert result.exit_code == 2 and result.stderr.strip().endswith("missing.jsonl: no such file or directory")


def test_audit_archive_as_a_real_process(tmp_path):
    postcheck = shutil.which("postcheck") or os.path.join(os.path.dirname(sys.executable), "postcheck")
    result = subprocess.run(
        [postcheck, "audit-archive", "examples/queue.jsonl", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == (tmp_path / "out" / "summary.txt").read_text(encoding="utf-8")
    findings = table_rows(tmp_path / "out", "findings")
    assert findings and all(row["rule"].startswith(row["category"] + ".") for row in findings)
