"""The run's tally and exit status, and a post as the JSON report has it: shared by every reporter
and by the audit record.

Exit status: 0 when nothing reaches the fail level, 1 when a finding does,
2 when an input could not be checked or a suppression is invalid (unless the
run keeps going). Suppressed findings count towards neither.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

from .findings import SEVERITY_RANK, Finding
from .post import BOTH, PROFILES, Post

REPORT_VERSION = "1"


@dataclass
class Tally:
    posts: int = 0
    flagged: int = 0
    errors: int = 0
    warnings: int = 0
    info: int = 0
    unreadable: int = 0
    suppressed: int = 0
    waived: int = 0
    baselined: int = 0
    problems: int = 0  # bad suppressions and other errors around a post that was still checked
    worst: int = -1
    categories: Counter = field(default_factory=Counter)
    rules: Counter = field(default_factory=Counter)  # active findings per rule
    waivers: list = field(default_factory=list)  # each waiver with its status, known at the end of the run

    def add(self, post: Post, findings: list[Finding]) -> None:
        self.posts += 1
        self.unreadable += post.error is not None
        self.problems += sum(p.level == "error" for p in post.problems)
        active = [f for f in findings if f.active]
        self.suppressed += sum(f.suppressed is not None for f in findings)
        self.waived += sum(f.waived is not None and f.suppressed is None for f in findings)
        self.flagged += bool(active)
        self.categories.update(f.category for f in active)
        self.rules.update(f.rule for f in active)
        for finding in active:
            if finding.severity == "error":
                self.errors += 1
            elif finding.severity == "warning":
                self.warnings += 1
            else:
                self.info += 1
            self.worst = max(self.worst, SEVERITY_RANK[finding.severity])

    def as_dict(self) -> dict:
        return {
            "posts": self.posts,
            "flagged": self.flagged,
            "errors": self.errors,
            "warnings": self.warnings,
            "info": self.info,
            "unreadable": self.unreadable,
            "suppressed": self.suppressed,
            "waived": self.waived,
            "baselined": self.baselined,
            "problems": self.problems,
            "categories": dict(sorted(self.categories.items())),
            "rules": dict(sorted(self.rules.items())),
        }

    def exit_status(self, fail_on: str, keep_going: bool = False) -> int:
        if (self.unreadable or self.problems) and not keep_going:
            return 2
        return 1 if self.worst >= SEVERITY_RANK[fail_on] else 0


def plural(count: int, word: str) -> str:
    """`1 post`, `2 posts`: counts in summaries read as English."""
    return f"{count} {word}{'s' * (count != 1)}"


def post_entries(post: Post, findings: list[Finding]) -> list[dict]:
    """A post as the JSON report contract has it: one entry per account type it was checked for
    (two for a post that did not say, each with that account type's findings). Finding lines are
    relative to the post text."""
    if post.profile != BOTH:
        return [_entry(post, post.profile, findings)]
    return [_entry(post, profile, [f for f in findings if f.profile == profile]) for profile in PROFILES]


def post_dict(post: Post, findings: list[Finding]) -> dict:
    """A post and all its findings as one object, for a record of one post (a reviewer's decision):
    the same fields as a report entry, with `profile` "both" for a post checked for both."""
    return _entry(post, post.profile, findings)


def _entry(post: Post, profile: str, findings: list[Finding]) -> dict:
    return {
        "source": post.source,
        "id": post.id,
        "profile": profile,
        "line": post.line,
        "error": post.error,
        "findings": [f.to_dict() for f in findings],
        "problems": [asdict(p) for p in post.problems],
        "checked_for_both": post.profile == BOTH,
    }
