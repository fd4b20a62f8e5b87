"""One queue record to one post: what every reader shares once it has a record's fields.

A record is a mapping with at least `text`. Whatever else it holds, the result is
a `Post`: checked, or carrying an `error` that says what is wrong with it, never
an exception. A key given twice, a text that is not text (a number too long to
convert included), an empty or over-long text, an unknown profile: each is that
post's error, and the rest of the queue is read on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ..core.errors import quoted
from ..core.post import BOTH, PROFILES, Post
from ..core.yamlfile import LongNumber
from . import suppressions

DEFAULT_MAX_CHARS = 100_000
DEFAULT_INCLUDE = (
    "*.txt",
    "*.md",
    "*.markdown",
    "*.jsonl",
    "*.ndjson",
    "*.csv",
    "*.post.yaml",
    "*.post.yml",
    "*.post.json",
)
DEFAULT_EXCLUDE = (".*", "node_modules", "__pycache__")
_META_KEYS = ("account", "scheduled_at", "created_at", "media")


@dataclass(frozen=True)
class ReadOptions:
    """How to read sources: default profile, per-account profiles, limits and directory globs."""

    profile: str = BOTH  # for posts that do not say, and whose account the configuration does not map
    max_chars: int = DEFAULT_MAX_CHARS
    stdin_format: str = "txt"
    accounts: dict = field(default_factory=dict)
    include: tuple = DEFAULT_INCLUDE
    exclude: tuple = DEFAULT_EXCLUDE

    @property
    def max_post_bytes(self) -> int:
        """The most bytes a post's file may hold: four per character (UTF-8's widest), and room for front matter."""
        return 4 * self.max_chars + 65_536

    @property
    def max_line_bytes(self) -> int:
        """The longest queue line or row read: a post at the limit with its other fields, every character
        escaped (JSON writes one outside the BMP as twelve bytes)."""
        return 12 * self.max_chars + 65_536


def text_problem(text: str, max_chars: int) -> str | None:
    if not text.strip():
        return "empty post: there is no text to check"
    if len(text) > max_chars:
        return f"post is {len(text):,} characters, over the limit of {max_chars:,} (see --max-chars)"
    return None


def record_post(
    raw: object,
    source: str,
    line: int | None,
    options: ReadOptions,
    fallback_id: str | None = None,
    duplicates: Iterable[tuple[str, int | None]] = (),
) -> Post:
    """Build a post from one queue record; `duplicates` are the keys the record gives twice (with their lines)."""
    fallback_id = fallback_id or f"{source}:{line}"
    if not isinstance(raw, dict):
        return Post(source, fallback_id, line=line, error="record is not an object with a 'text' field")
    profile = str(raw.get("profile") or options.accounts.get(str(raw.get("account", ""))) or options.profile)
    post = Post(source, str(raw.get("id", fallback_id)), line=line, profile=profile)
    post.meta = {k: raw[k] for k in _META_KEYS if k in raw}
    if "suppress" in raw:
        post.suppressions, post.problems = suppressions.from_record(raw["suppress"], line)
    text = raw.get("text")
    twice = next(iter(duplicates), None)
    if twice is not None:
        at = f" (line {twice[1]})" if twice[1] else ""
        post.error = f"'{twice[0]}' is given twice in this record{at}; which one is meant cannot be known"
    elif text is None:
        post.error = "record has no 'text' field"
    elif not isinstance(text, str) or isinstance(text, LongNumber):
        kind = "a number" if isinstance(text, LongNumber) else type(text).__name__
        post.error = f"'text' must be a string, not {kind}"
    elif post.profile not in (*PROFILES, BOTH):
        post.error = f"unknown profile {quoted(post.profile)} (use {', '.join(PROFILES)} or {BOTH})"
    else:
        post.text = text
        post.error = text_problem(text, options.max_chars)
    return post


def not_empty(posts: Iterable[Post], source: str) -> Iterator[Post]:
    """The posts of a queue; a queue that holds none is one post with an error, so it cannot pass unnoticed."""
    empty = True
    for post in posts:
        empty = False
        yield post
    if empty:
        yield Post(source, source, line=None, error="the queue holds no posts (a failed export can look like this)")
