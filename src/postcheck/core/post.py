"""A post: one draft as read from its source, and what travels with it.

A post that cannot be read carries an `error` instead of text, so nothing is
skipped silently. Its suppressions come from its text or its record; its
problems (bad or unused suppressions) are added as it is checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PROFILES = ("corporate", "personal")  # the kinds of account: a force account or an officer's own
# A post that does not say which account it is for is checked for both, and reported for each.
BOTH = "both"
ACCOUNT_NAMES = {"corporate": "a force account", "personal": "your own account"}


@dataclass(frozen=True)
class Suppression:
    rule: str
    reason: str
    line: int | None


@dataclass(frozen=True)
class Problem:
    """Something wrong around a post that is not a finding: a bad or unused suppression."""

    level: str  # "error" or "warning"
    line: int | None
    message: str


@dataclass
class Post:
    """One draft post; `line` is where its text starts in its source (after any front matter)."""

    source: str
    id: str
    text: str = ""
    profile: str = "corporate"
    line: int | None = 1  # None when the problem is the whole file or the format keeps no lines
    error: str | None = None
    meta: dict = field(default_factory=dict)
    suppressions: list[Suppression] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    contexts: frozenset = frozenset()  # e.g. {"purdah"} when the post falls in a pre-election period
    appendix: str = ""  # checked after the text, e.g. the account's bio; findings there have field "bio"
    extras: list[tuple[str, str]] = field(default_factory=list)  # (field, text): media descriptions
