"""An archive's files and records: which files an audit reads, and posts from Parquet and Spark rows.

JSONL, CSV and the other queue formats are read by postcheck's own readers
(`inputs.sources`), so a record is judged exactly as `postcheck --format jsonl` judges it.
A Parquet or DataFrame row becomes a record with the same keys and passes the same checks
(`post_from_record`); its `line` is its row number in its file, from 1. A Parquet file that
cannot be read, or has no `text` column, is one error row, not a failed run.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..core.errors import PostcheckError
from ..core.post import Post
from ..inputs.sources import ReadOptions, post_from_record, read_sources

ARCHIVE_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".parquet")
RECORD_KEYS = ("id", "text", "profile", "account", "created_at", "scheduled_at", "media", "suppress")
PARQUET_BATCH = 10_000


def archive_files(path: Path) -> list[Path]:
    """The file itself, or every JSONL, CSV and Parquet file under a directory (names starting '.' or '_' skipped:
    hidden files, and the `_SUCCESS` markers Spark leaves)."""
    if not path.exists():
        raise PostcheckError("no such file or directory", str(path))
    if path.is_file():
        return [path]
    files = [
        file
        for file in sorted(path.rglob("*"))
        if file.is_file()
        and file.suffix.lower() in ARCHIVE_SUFFIXES
        and not any(part.startswith((".", "_")) for part in file.relative_to(path).parts)
    ]
    if not files:
        raise PostcheckError("no .jsonl, .csv or .parquet files in this directory", str(path))
    return files


def is_parquet(path: Path) -> bool:
    return path.suffix.lower() == ".parquet"


def parquet_problem(path: Path) -> str | None:
    """Why a Parquet file cannot be audited (unreadable, or no text column), from its footer alone."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        names = pq.read_schema(path).names
    except (OSError, pa.ArrowException) as exc:
        return f"not a readable Parquet file ({first_line(exc)})"
    return None if "text" in names else "Parquet file has no 'text' column"


def first_line(exc: Exception) -> str:
    """An exception's message for a one-line reason (Arrow's and Spark's run over several lines)."""
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def unreadable_file(path: Path, reason: str, options: ReadOptions) -> Post:
    return Post(str(path), str(path), profile=options.profile, line=None, error=reason)


def post_from_row(
    row: dict, source: str, line: int | None, options: ReadOptions, fallback_id: str | None = None
) -> Post:
    """A post from a Parquet or DataFrame row; an empty (null) column counts as absent."""
    record = {key: value for key, value in row.items() if value is not None}
    return post_from_record(record, source, line, options, fallback_id)


def parquet_posts(path: Path, options: ReadOptions) -> Iterator[Post]:
    """The posts of one Parquet file, a batch of rows at a time, so memory stays flat."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    problem = parquet_problem(path)
    if problem:
        yield unreadable_file(path, problem, options)
        return
    handle = pq.ParquetFile(path)
    columns = [name for name in handle.schema_arrow.names if name in RECORD_KEYS]
    line = 0
    try:
        for batch in handle.iter_batches(batch_size=PARQUET_BATCH, columns=columns):
            for row in batch.to_pylist():
                line += 1
                yield post_from_row(row, str(path), line, options)
    except (OSError, pa.ArrowException) as exc:  # damage inside the file: say where reading stopped
        yield unreadable_file(path, f"Parquet file unreadable after row {line:,} ({first_line(exc)})", options)


def archive_posts(files: list[Path], options: ReadOptions) -> Iterator[Post]:
    """Every post of every file, in order: Parquet through pyarrow, the rest through postcheck's readers."""
    for file in files:
        if is_parquet(file):
            yield from parquet_posts(file, options)
        else:
            yield from read_sources([str(file)], options)
