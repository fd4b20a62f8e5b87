"""Archive audits: the same rules over millions of posts, on one machine or on Apache Spark.

`check_posts(df)` checks a Spark DataFrame of posts and returns one row per finding
(`audit_posts(df)` also gives the records that could not be checked, and summary counts);
`archive.audit_archive` is `postcheck audit-archive`, with a local engine (processes on one
machine, no Spark) and a Spark engine. Both reuse the linter, the readers and the JSON
report's post objects, so a post gets the same findings here as from the command line.
pyspark (`postcheck[spark]`) and pyarrow (`postcheck[archive]`) are imported only when used.
"""

from __future__ import annotations

from .frames import AuditFrames, audit_posts, check_posts

__all__ = ["AuditFrames", "audit_posts", "check_posts"]
