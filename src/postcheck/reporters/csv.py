"""CSV for spreadsheets: one row per finding, and one row for a post with none, so every post appears.

The columns are the JSON report's fields, flattened (the citation's section,
obligation and quote become columns). A cell that a spreadsheet would read as
a formula (it starts with `=`, `+`, `-`, `@`, a tab or a carriage return) is
prefixed with an apostrophe: post text is untrusted, and `=HYPERLINK(...)` in a
draft must not become a live link in a reviewer's spreadsheet.
"""

from __future__ import annotations

import csv
from typing import TextIO

from ..core.findings import Finding
from ..core.post import Post
from ..core.report import Tally, post_entries
from ..rulebook.loader import Rulebook

POST_COLUMNS = ("source", "id", "profile", "line", "error")
FINDING_COLUMNS = (
    "rule",
    "category",
    "severity",
    "message",
    "suggest",
    "match",
    "clause",
    "start",
    "end",
    "finding_line",
    "column",
    "section",
    "obligation",
    "quote",
    "field",
    "suppressed",
    "waived",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _finding_cells(finding: dict) -> dict:
    citation = finding["citation"]
    return {
        **{key: finding[key] for key in FINDING_COLUMNS if key in finding},
        "finding_line": finding["line"],
        "section": citation["section"],
        "obligation": citation["obligation"],
        "quote": citation["quote"],
        "suppressed": (finding["suppressed"] or {}).get("reason"),
        "waived": (finding["waived"] or {}).get("reason"),
    }


class CsvReporter:
    def __init__(self, stream: TextIO):
        self.stream = stream
        self._writer = csv.writer(stream, lineterminator="\n")

    def start(self, rulebook: Rulebook) -> None:
        self._writer.writerow(POST_COLUMNS + FINDING_COLUMNS)

    def post(self, post: Post, findings: list[Finding]) -> None:
        for data in post_entries(post, findings):
            head = [_cell(data[key]) for key in POST_COLUMNS]
            for finding in data["findings"] or [None]:
                cells = _finding_cells(finding) if finding else {}
                self._writer.writerow(head + [_cell(cells.get(key)) for key in FINDING_COLUMNS])

    def end(self, tally: Tally) -> None:
        self.stream.flush()
