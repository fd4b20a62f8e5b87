"""The Spark engine of `postcheck audit-archive`: start Spark, read the archive, write the three tables.

Parquet files are read by Spark, split across the cluster, each row knowing its file and
row number (`_metadata`). JSONL and CSV are read by postcheck's own readers, one task per
file, so they must sit on a filesystem every executor mounts; a Parquet file whose footer
cannot be read goes the same way and becomes one error row. The checked frame is kept
(memory, then disk) while findings/ and errors/ are written and the summary is added up.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Any

from ..core.errors import PostcheckError
from .audit import AuditSettings
from .frames import LINE, RESULT_DDL, SOURCE, AuditFrames, check_stream, checked_frame
from .records import RECORD_KEYS, archive_posts, first_line, is_parquet, parquet_problem
from .summary import COUNTS, Summary


def spark_session(master: str | None, conf: dict | None = None) -> tuple[Any, bool]:
    """The running Spark session, or a new one on `master` with `conf`; and whether it is new (to stop it)."""
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active, False
    builder = SparkSession.builder.appName("postcheck audit-archive").config("spark.ui.showConsoleProgress", "false")
    if master:
        builder = builder.master(master)
    if (master or "local").startswith("local"):  # executors run this Python, with postcheck installed
        builder = builder.config("spark.pyspark.python", sys.executable)
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    try:
        spark = builder.getOrCreate()
    except RuntimeError as exc:  # pyspark's errors when the JVM does not start
        raise PostcheckError(f"Spark did not start; it needs Java 17 or later (`java -version`): {exc}") from None
    spark.sparkContext.setLogLevel("ERROR")
    return spark, True


def _parquet_frame(spark: Any, files: list[Path], settings: AuditSettings) -> AuditFrames:
    df = spark.read.option("mergeSchema", "true").parquet(*(str(file.resolve()) for file in files))
    columns = {key: key for key in RECORD_KEYS if key in df.columns}
    df = df.select(*columns, df["_metadata.file_path"].alias(SOURCE), (df["_metadata.row_index"] + 1).alias(LINE))
    paths = {str(file.resolve()): str(file) for file in files}
    return checked_frame(df, settings, columns, paths=paths)


def _read_and_check(settings: AuditSettings, batches: Any) -> Any:
    """Each path of the batches read by postcheck's readers and checked, in one stream per task."""
    paths = (Path(path) for batch in batches for path in batch.column("path").to_pylist())
    return check_stream(settings, archive_posts(list(paths), settings.options))


def _file_frame(spark: Any, files: list[Path], settings: AuditSettings) -> AuditFrames:
    paths = spark.sparkContext.parallelize([(str(file),) for file in files], len(files)).toDF("path string")
    return AuditFrames(paths.mapInArrow(functools.partial(_read_and_check, settings), RESULT_DDL))


def audit_on_spark(spark: Any, files: list[Path], output: Path, settings: AuditSettings) -> Summary:
    """Check every post of `files` on Spark; write findings/ and errors/ under `output`; return the summary."""
    from py4j.protocol import Py4JError
    from pyspark import StorageLevel
    from pyspark.errors import PySparkException
    from pyspark.sql import functions as F

    parquet = [file for file in files if is_parquet(file) and parquet_problem(file) is None]
    by_file = sorted(set(files) - set(parquet))
    frames = [_parquet_frame(spark, parquet, settings)] if parquet else []
    frames += [_file_frame(spark, by_file, settings)] if by_file else []
    results = frames[0].results if len(frames) == 1 else frames[0].results.unionByName(frames[1].results)
    results = results.persist(StorageLevel.MEMORY_AND_DISK)
    try:
        checked = AuditFrames(results)
        checked.findings.write.parquet(str(output / "findings"))
        checked.errors.write.parquet(str(output / "errors"))
        sums = checked.tallies.groupBy("by", "key").agg(*(F.sum(name).alias(name) for name in COUNTS)).collect()
    except (PySparkException, Py4JError) as exc:  # a lost executor, a damaged file part-way through
        raise PostcheckError(f"the Spark job failed ({first_line(exc)}); the Spark log names the task") from None
    finally:
        results.unpersist()
    return Summary.from_rows(row.asDict() for row in sums)
