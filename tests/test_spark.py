"""The Spark engine in local mode: the same findings as the local engine and the command line, post by post.

One Spark session serves the module (starting the JVM costs seconds). Without pyspark or
Java these tests skip, unless POSTCHECK_REQUIRE_SPARK=1 (as CI sets it): then they fail.
"""

from __future__ import annotations

import os
import shutil

import pytest
from tests.archive_helpers import (
    archive_records,
    assert_same_as_cli,
    assert_same_tables,
    cli_rows,
    sorted_rows,
    table_rows,
    without,
    write_damaged_parquet,
    write_jsonl,
    write_parquet,
)
from typer.testing import CliRunner

from postcheck.cli.app import app
from postcheck.core.post import Post
from postcheck.core.report import post_dict
from postcheck.spark import audit_posts, check_posts
from postcheck.spark.tables import finding_rows

pytest.importorskip("pyarrow")
if os.environ.get("POSTCHECK_REQUIRE_SPARK") != "1":
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("Spark needs Java", allow_module_level=True)


@pytest.fixture(scope="module")
def spark():
    from postcheck.spark.driver import spark_session

    # Tests run short jobs: the JVM's quick compiler alone starts them in half the time on a busy machine.
    quick = {"spark.ui.enabled": "false", "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"}
    session, _ = spark_session("local[2]", quick)
    yield session
    session.stop()


def test_spark_engine_gives_the_same_tables_as_the_local_engine_and_the_command_line(spark, rulebook, tmp_path):
    records = archive_records(rulebook)
    half = len(records) // 2
    archive = tmp_path / "archive"
    archive.mkdir()
    write_parquet(records[:half], archive / "a-posts.parquet")  # read by Spark, split across tasks
    write_jsonl(records[half:], archive / "b-posts.jsonl")  # read by postcheck's reader in a task
    (archive / "c-broken.parquet").write_bytes(b"PAR1 not parquet at all")
    runner = CliRunner()
    for engine, jobs in (("spark", ()), ("local", ("--jobs", "1"))):
        args = ["audit-archive", str(archive), str(tmp_path / engine), "--engine", engine, *jobs]
        result = runner.invoke(app, args)
        assert result.exit_code == 2, result.output  # the broken file, and bad suppressions
    assert_same_tables(tmp_path / "spark", tmp_path / "local")
    (tmp_path / "cli").mkdir()
    # The command line reads the Parquet half as JSONL: its line numbers are the Parquet rows'; the source differs.
    cli = cli_rows(write_jsonl(records[:half], tmp_path / "cli" / "a.jsonl"), archive / "b-posts.jsonl")
    assert_same_as_cli(tmp_path / "spark", cli, "source", tables=("findings",))
    assert len({row["post_id"] for row in cli[0]}) > 100
    errors = table_rows(tmp_path / "spark", "errors")
    assert any(
        row["source"].endswith("c-broken.parquet") and "not a readable Parquet" in row["reason"] for row in errors
    )


def test_check_posts_on_a_dataframe_with_its_own_column_names(spark, linter):
    posts = [
        (1, "We love the new Ring doorbell, it's the best on the market!", "corporate"),
        (2, "Lovely walk on the beach with the dog this morning.", "personal"),
        (3, "Only one party backs the police, so vote Labour on Thursday!", "corporate"),
        (4, None, "corporate"),
        (5, "Another drunk idiot in the cells tonight 😂", "personal"),
    ]
    df = spark.createDataFrame(posts, "number long, body string, account_type string")
    columns = {"text_col": "body", "id_col": "number", "profile_col": "account_type"}
    found = [without(row.asDict(), "rulebook") for row in check_posts(df, **columns).collect()]
    expected = []
    readable = [Post("dataframe", str(n), text=text, profile=profile, line=None) for n, text, profile in posts if text]
    for post, findings in linter.check_posts(readable):
        expected += finding_rows(post_dict(post, findings), "", None, None)
    assert sorted_rows(found) == sorted_rows([without(row, "rulebook") for row in expected])
    assert {row["post_id"] for row in found} == {"1", "3", "5"}
    errors = [row.asDict() for row in audit_posts(df, **columns).errors.collect()]
    assert [(row["post_id"], row["reason"]) for row in errors] == [("4", "record has no 'text' field")]


def test_a_parquet_file_damaged_part_way_stops_the_spark_job_with_one_clear_line(spark, tmp_path):
    damaged = write_damaged_parquet(tmp_path / "damaged.parquet")
    result = CliRunner().invoke(app, ["audit-archive", str(damaged), str(tmp_path / "out"), "--engine", "spark"])
    assert result.exit_code == 2
    assert result.stderr.startswith("postcheck: error: the Spark job failed (") and len(result.stderr.splitlines()) == 1
