"""Archive audits on Apache Spark: `check_posts(df)`, the same checks as the command line, on every executor.

Rows reach Python as Arrow batches (`mapInArrow`). Each Python worker builds its Linter
once and keeps it between tasks, then streams a partition's batches through it. A
partition's output holds its finding rows, its error rows and, last, its summary counts,
each kind in its own struct column beside `kind`, so the posts are checked once and each
table is a filter away (`AuditFrames`).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..core.errors import PostcheckError
from ..core.post import Post
from ..engine.linter import Linter
from ..governance.context import Context
from ..inputs.sources import ReadOptions
from ..rulebook.loader import Rulebook, load_rulebook
from .audit import AuditSettings, Collector, audited
from .records import post_from_row
from .tables import ERROR_COLUMNS, FINDING_COLUMNS, SUMMARY_COLUMNS, arrow_schema, spark_ddl

OUTPUT_BATCH = 5_000  # rows per Arrow batch handed back to Spark
RESULT_COLUMNS = (("finding", FINDING_COLUMNS), ("error", ERROR_COLUMNS), ("tally", SUMMARY_COLUMNS))
RESULT_DDL = "kind string, " + ", ".join(f"{name} struct<{spark_ddl(columns)}>" for name, columns in RESULT_COLUMNS)
SOURCE, LINE, ROW = "_source", "_line", "_row"  # where a row came from, when the frame knows

_linters: dict[str, Linter] = {}  # per Python worker, by rulebook digest: built once, kept between tasks


def _linter(rulebook: Rulebook) -> Linter:
    if rulebook.digest not in _linters:
        _linters[rulebook.digest] = Linter(rulebook)
    return _linters[rulebook.digest]


@functools.cache
def _result_schema() -> Any:
    import pyarrow as pa

    structs = [(name, pa.struct(list(arrow_schema(columns)))) for name, columns in RESULT_COLUMNS]
    return pa.schema([("kind", pa.string()), *structs])


def _result_batch(findings: list[dict], errors: list[dict], tallies: list[dict] | None = None) -> Any:
    import pyarrow as pa

    rows = [{"kind": "finding", "finding": row} for row in findings]
    rows += [{"kind": "error", "error": row} for row in errors]
    rows += [{"kind": "tally", "tally": row} for row in tallies or []]
    return pa.RecordBatch.from_pylist(rows, schema=_result_schema())


def check_stream(settings: AuditSettings, posts: Iterable[Post]) -> Iterator[Any]:
    """Result batches for a partition's posts; the partition's summary counts come last."""
    collector = Collector(settings.rulebook.digest)
    for post, findings in audited(settings.context, posts, _linter(settings.rulebook).check_posts):
        collector.add(post, findings)
        if len(collector.findings) + len(collector.errors) >= OUTPUT_BATCH:
            yield _result_batch(*collector.drain())
    yield _result_batch(*collector.drain(), tallies=collector.summary.rows())


def _row_posts(batches: Iterable[Any], options: ReadOptions, source: str, paths: dict[str, str]) -> Iterator[Post]:
    """Posts from a frame's rows. A row read from a file carries its file (shown as given on the command
    line) and row number; any other row is named by its place in the frame when it has no id."""
    from urllib.parse import unquote, urlparse

    for batch in batches:
        for row in batch.to_pylist():
            uri, line, key = row.pop(SOURCE, None), row.pop(LINE, None), row.pop(ROW, None)
            origin = paths.get(unquote(urlparse(uri).path), uri) if uri else source
            yield post_from_row(row, origin, line, options, None if line else f"{origin}#{key}")


def _check_rows(settings: AuditSettings, source: str, paths: dict[str, str], batches: Iterable[Any]) -> Iterator[Any]:
    return check_stream(settings, _row_posts(batches, settings.options, source, paths))


@dataclass(frozen=True)
class AuditFrames:
    """The checked frame; each table is a view of it. Persist `results` before reading more than one table."""

    results: Any

    def _table(self, kind: str) -> Any:
        return self.results.filter(self.results.kind == kind).select(f"{kind}.*")

    @property
    def findings(self) -> Any:
        return self._table("finding")

    @property
    def errors(self) -> Any:
        return self._table("error")

    @property
    def tallies(self) -> Any:
        """Each partition's summary counts; add them up per (by, key) for the whole summary."""
        return self._table("tally")


def parallel(df: Any) -> Any:
    """Enough partitions for every core twice over: checking a post costs far more than moving it."""
    wanted = 2 * df.sparkSession.sparkContext.defaultParallelism
    return df if df.rdd.getNumPartitions() >= wanted else df.repartition(wanted)


def checked_frame(
    df: Any,
    settings: AuditSettings,
    columns: Mapping[str, str | None],
    source: str = "dataframe",
    paths: dict | None = None,
) -> AuditFrames:
    """Check the posts of `df`; `columns` maps record keys (text, id, profile, account, created_at) to its columns."""
    missing = [name for name in columns.values() if name and name not in df.columns]
    if missing:
        raise PostcheckError(f"no column {', '.join(map(repr, missing))} in the DataFrame (it has {df.columns})")
    from pyspark.sql import functions as F

    selected = [F.col(name).alias(key) for key, name in columns.items() if name]
    selected += [F.col(name) for name in (SOURCE, LINE) if name in df.columns]
    if LINE not in df.columns:
        selected.append(F.monotonically_increasing_id().alias(ROW))
    check = functools.partial(_check_rows, settings, source, paths or {})
    return AuditFrames(parallel(df.select(*selected)).mapInArrow(check, RESULT_DDL))


def audit_posts(
    df: Any,
    text_col: str = "text",
    id_col: str | None = "id",
    profile_col: str | None = None,
    rulebook: Rulebook | None = None,
    *,
    account_col: str | None = None,
    date_col: str | None = None,
) -> AuditFrames:
    """The findings, errors and summary counts of the posts of `df`, checked once; posts without a profile
    column are corporate, and a post's month comes from `date_col`."""
    settings = AuditSettings(rulebook or load_rulebook(), Context([], [], dt.date.today()), ReadOptions())
    columns = {"text": text_col, "id": id_col, "profile": profile_col, "account": account_col, "created_at": date_col}
    return checked_frame(df, settings, columns)


def check_posts(df: Any, *args: Any, **kwargs: Any) -> Any:
    """One row per finding of each post of `df` (the columns of `tables.FINDING_COLUMNS`): the findings
    `postcheck --format jsonl` gives. It takes `audit_posts`'s arguments (text_col="text", id_col="id",
    profile_col=None, rulebook=None, ...); records that cannot be checked are in `audit_posts(...).errors`."""
    return audit_posts(df, *args, **kwargs).findings
