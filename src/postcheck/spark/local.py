"""The local engine: an archive audit on the cores of one machine, without Spark.

The main process reads the archive (postcheck's readers, pyarrow for Parquet), worker
processes check batches of posts (`engine.parallel`, as `postcheck --jobs` does, in input
order), and the main process writes the rows as they come, so memory stays flat however
many posts the archive holds.
"""

from __future__ import annotations

import functools
from pathlib import Path

from ..engine.linter import Linter
from ..engine.parallel import check_in_parallel
from .audit import AuditSettings, Check, Collector, audited
from .output import LocalTables
from .records import archive_posts
from .summary import Summary

FLUSH_ROWS = 10_000  # rows held before they are written as a row group: some 16 MB of row dicts


def audit_locally(files: list[Path], output: Path, settings: AuditSettings, jobs: int) -> Summary:
    """Check every post of `files` with `jobs` processes; write findings/ and errors/ under `output`."""
    check: Check = (
        functools.partial(check_in_parallel, settings.rulebook, None, jobs=jobs)
        if jobs > 1
        else Linter(settings.rulebook).check_posts
    )
    collector = Collector(settings.rulebook.digest)
    tables = LocalTables(output)
    try:
        for post, findings in audited(settings.context, archive_posts(files, settings.options), check):
            collector.add(post, findings)
            if len(collector.findings) + len(collector.errors) >= FLUSH_ROWS:
                tables.write(*collector.drain())
        tables.write(*collector.drain())
    finally:
        tables.close()
    return collector.summary
