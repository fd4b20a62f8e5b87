"""What a check returns: findings, each tied to a clause, a rule and the policy text."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True)
class Citation:
    section: str
    obligation: str
    quote: str


@dataclass(frozen=True)
class Mark:
    """One cue a finding rests on: `text[start:end] == match` in the finding's field."""

    start: int
    end: int
    match: str


@dataclass(frozen=True)
class Finding:
    """One breach: `start`/`end` are character offsets into the post text; line and column are 1-based."""

    rule: str
    category: str
    severity: str
    message: str
    suggest: str
    match: str
    clause: str
    start: int
    end: int
    line: int
    column: int
    citation: Citation
    also_cites: tuple = ()
    suppressed: str | None = None  # the reason, when a suppression allows this finding
    waived: dict | None = None  # the waiver (reason, approver, expiry) that accepted this finding
    field: str = "text"  # where the offsets point: the post text, "bio", or "media[0]" (its description)
    profile: str = ""  # the kind of account whose rules found it: corporate or personal
    marks: tuple[Mark, ...] = ()  # each cue the finding rests on, in text order (empty: just `match`)

    @property
    def active(self) -> bool:
        """Neither suppressed nor waived: it counts towards the summary and the exit status."""
        return self.suppressed is None and self.waived is None

    def sort_key(self) -> tuple:
        return (self.start, self.end, self.rule)

    def to_dict(self) -> dict:
        """The finding as the JSON report has it. Written out field by field: `dataclasses.asdict`
        deep-copies every value and cost more than checking the post."""
        return {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "message": self.message,
            "suggest": self.suggest,
            "match": self.match,
            "clause": self.clause,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "citation": _citation(self.citation),
            "also_cites": [_citation(c) for c in self.also_cites],
            "suppressed": {"reason": self.suppressed} if self.suppressed is not None else None,
            "waived": dict(self.waived) if self.waived is not None else None,
            "field": self.field,
            "profile": self.profile,
            "marks": [{"start": m.start, "end": m.end, "match": m.match} for m in self.marks],
        }


def _citation(citation: Citation) -> dict:
    return {"section": citation.section, "obligation": citation.obligation, "quote": citation.quote}


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    if len(text) <= _LONG_TEXT:
        line = text.count("\n", 0, offset) + 1
        return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
    # A long post may have thousands of findings: counting its lines again for each grew with their product.
    starts = _line_starts(text)
    line = bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1


_LONG_TEXT = 2_000


@lru_cache(maxsize=4)  # the few posts being reported; a str caches its hash, so a lookup costs nothing
def _line_starts(text: str) -> list[int]:
    return [0, *(found.end() for found in re.finditer("\n", text))]
