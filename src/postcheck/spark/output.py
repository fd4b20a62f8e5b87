"""Where an audit's results go: one directory holding findings/, errors/ and summary/ as Parquet, and summary.txt.

Each table is a directory of Parquet part files, as Spark writes them; the local engine
writes one part file per table in the same layout, so `pyarrow.parquet.read_table`,
pandas and `spark.read.parquet` read either engine's output the same way.
"""

from __future__ import annotations

from pathlib import Path

from ..core.errors import PostcheckError
from .summary import Summary
from .tables import ERROR_COLUMNS, FINDING_COLUMNS, SUMMARY_COLUMNS, arrow_schema

PART = "part-00000.parquet"


def prepare(output: Path) -> None:
    """A new or empty directory: an audit never mixes its tables with an earlier run's."""
    if output.exists() and (not output.is_dir() or any(output.iterdir())):
        raise PostcheckError("already exists and is not an empty directory; choose a new output directory", str(output))
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PostcheckError(f"cannot create the output directory ({exc.strerror})", str(output)) from None


def write_table(directory: Path, columns: tuple, rows: list[dict]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    directory.mkdir(exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=arrow_schema(columns)), directory / PART)


def write_summary(output: Path, summary: Summary) -> str:
    """summary/ as Parquet and summary.txt as the short table; returns the table."""
    write_table(output / "summary", SUMMARY_COLUMNS, summary.rows())
    text = summary.text()
    (output / "summary.txt").write_text(text, encoding="utf-8")
    return text


class LocalTables:
    """findings/ and errors/ written as rows arrive, a row group at a time, so memory stays flat."""

    def __init__(self, output: Path):
        import pyarrow.parquet as pq

        self._writers = {}
        for name, columns in (("findings", FINDING_COLUMNS), ("errors", ERROR_COLUMNS)):
            (output / name).mkdir()
            self._writers[name] = pq.ParquetWriter(output / name / PART, arrow_schema(columns))

    def write(self, findings: list[dict], errors: list[dict]) -> None:
        import pyarrow as pa

        for name, rows in (("findings", findings), ("errors", errors)):
            if rows:
                writer = self._writers[name]
                writer.write_table(pa.Table.from_pylist(rows, schema=writer.schema))

    def close(self) -> None:
        for writer in self._writers.values():
            writer.close()
