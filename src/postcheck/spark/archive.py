"""`postcheck audit-archive`: every post of an archive checked, on one machine or on Spark, into Parquet tables.

The output directory gets findings/ (one row per finding), errors/ (each record that could
not be checked, with its reason), summary/ (per account, per month and per category) and
summary.txt (the short table also printed). Both engines write the same rows.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from ..core.errors import PostcheckError
from .audit import AuditSettings
from .output import prepare, write_summary
from .records import archive_files
from .summary import Summary


def audit_archive(
    source: Path, output: Path, settings: AuditSettings, engine: str = "local", master: str | None = None, jobs: int = 0
) -> Summary:
    """Audit every post under `source` into `output`; `jobs` processes for the local engine (0: every core)."""
    if importlib.util.find_spec("pyarrow") is None:
        raise PostcheckError("archive audits write Parquet with pyarrow: pip install 'postcheck[archive]'")
    if engine == "spark" and importlib.util.find_spec("pyspark") is None:
        raise PostcheckError("the Spark engine needs pyspark: pip install 'postcheck[spark]'")
    files = archive_files(source)
    prepare(output)
    if engine == "spark":
        from .driver import audit_on_spark, spark_session

        spark, started = spark_session(master)
        try:
            summary = audit_on_spark(spark, files, output, settings)
        finally:
            if started:
                spark.stop()
    else:
        from .local import audit_locally

        summary = audit_locally(files, output, settings, jobs or len(os.sched_getaffinity(0)))
    write_summary(output, summary)
    return summary
