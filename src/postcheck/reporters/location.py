"""Where a finding is in its source file: shared by the text, SARIF and GitHub reporters.

A single-post file (`.txt`, `.md`) has findings at real file lines and columns
(front matter shifts the body). A queue record is one line of its queue file:
the finding's own line and column count within the post text.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.findings import Finding, line_and_column
from ..core.post import Post


@dataclass(frozen=True)
class Region:
    line: int | None
    column: int | None
    end_line: int | None = None
    end_column: int | None = None


def is_record(post: Post) -> bool:
    return post.id != post.source


def region(post: Post, finding: Finding) -> Region:
    if is_record(post) or finding.field != "text":  # offsets count within a record, a bio or a media description
        return Region(post.line, None)
    end_line, end_column = line_and_column(post.text, finding.end)
    offset = (post.line or 1) - 1
    return Region(finding.line + offset, finding.column, end_line + offset, end_column)
