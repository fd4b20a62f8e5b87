"""The tables an archive audit writes, and their rows built from the JSON report's post objects.

Both engines write the same columns: the local engine through pyarrow, Spark through a
DDL schema, both made from one column list here. A finding row is the JSON report's
finding (`post_dict`) flattened, with the post it belongs to, the account, the month
and the rulebook hash; an error row is a record that could not be checked, or a problem
around one that was (a bad suppression), with its reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from ..core.errors import PostcheckError
from ..core.post import Post
from ..governance.context import as_date

# (column, type): "string", "int" (32-bit), "long" (64-bit) or "strings" (a list of strings).
FINDING_COLUMNS = (
    ("post_id", "string"),
    ("source", "string"),
    ("post_line", "long"),
    ("account", "string"),
    ("month", "string"),
    ("profile", "string"),
    ("rule", "string"),
    ("category", "string"),
    ("severity", "string"),
    ("message", "string"),
    ("match", "string"),
    ("clause", "string"),
    ("start", "int"),
    ("end", "int"),
    ("line", "int"),
    ("column", "int"),
    ("field", "string"),
    ("section", "string"),
    ("obligation", "string"),
    ("also_cites", "strings"),
    ("suppressed", "string"),
    ("rulebook", "string"),
)
ERROR_COLUMNS = (
    ("source", "string"),
    ("line", "long"),
    ("post_id", "string"),
    ("level", "string"),
    ("reason", "string"),
)
# One row per (by, key): by is "all", "account", "month" or "category"; posts is null for categories.
SUMMARY_COLUMNS = (
    ("by", "string"),
    ("key", "string"),
    ("posts", "long"),
    ("flagged", "long"),
    ("unreadable", "long"),
    ("problems", "long"),
    ("errors", "long"),
    ("warnings", "long"),
    ("info", "long"),
)
_FINDING_COLUMN_NAMES = {name for name, _ in FINDING_COLUMNS}
_SPARK_TYPES = {"string": "string", "int": "int", "long": "bigint", "strings": "array<string>"}


def arrow_schema(columns: tuple) -> Any:
    import pyarrow as pa

    types = {"string": pa.string(), "int": pa.int32(), "long": pa.int64(), "strings": pa.list_(pa.string())}
    return pa.schema([(name, types[kind]) for name, kind in columns])


def spark_ddl(columns: tuple) -> str:
    return ", ".join(f"`{name}` {_SPARK_TYPES[kind]}" for name, kind in columns)


def month_of(post: Post) -> str | None:
    """The month a post went out (`created_at`, else `scheduled_at`) as YYYY-MM; None when it has no readable date."""
    value = post.meta.get("created_at") or post.meta.get("scheduled_at")
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime) and value.tzinfo is not None:  # a timestamp column: months in UTC
        value = value.astimezone(dt.timezone.utc)
    try:
        return as_date(value, (post.source, post.line), "created_at").strftime("%Y-%m")
    except PostcheckError:
        return None


def account_of(post: Post) -> str | None:
    account = post.meta.get("account")
    return None if account in (None, "") else str(account)


def finding_rows(report_post: dict, digest: str, account: str | None, month: str | None) -> Iterator[dict]:
    """The findings of one post of the JSON report, one flat row each."""
    for finding in report_post["findings"]:
        row = {
            "post_id": report_post["id"],
            "source": report_post["source"],
            "post_line": report_post["line"],
            "account": account,
            "month": month,
            "profile": report_post["profile"],
        }
        row.update((key, value) for key, value in finding.items() if key in _FINDING_COLUMN_NAMES)
        row["section"] = finding["citation"]["section"]
        row["obligation"] = finding["citation"]["obligation"]
        row["also_cites"] = [cite["obligation"] for cite in finding["also_cites"]]
        row["suppressed"] = finding["suppressed"]["reason"] if finding["suppressed"] else None
        row["rulebook"] = digest
        yield row


def error_rows(report_post: dict) -> Iterator[dict]:
    """Why a post could not be checked, and each problem around one that was."""
    where = {"source": report_post["source"], "post_id": report_post["id"]}
    if report_post["error"] is not None:
        yield {**where, "line": report_post["line"], "level": "error", "reason": report_post["error"]}
    for problem in report_post["problems"]:
        line = problem["line"] if problem["line"] is not None else report_post["line"]
        yield {**where, "line": line, "level": problem["level"], "reason": problem["message"]}
