"""The clause under a finding as one safe line, with carets (`^^^^`) under the words that breach.

Post text is shown as text, never as markup: control characters are made
visible (`\\u001b`) and line breaks folded, so a post cannot restyle or take
over the terminal. Carets are placed by display width (an emoji takes two
cells), so they sit under the words with colour or without.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text

from ..core.findings import Finding
from ..core.post import Post

Span = tuple[int, int]


def _visible_char(char: str) -> str:
    if char in "\n\r\t":
        return " "
    if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp") and char != "\u200d":
        return f"\\u{ord(char):04x}"
    return char


def visible(text: str) -> str:
    """Make control characters visible and fold line breaks, so text prints as one safe line."""
    return "".join(_visible_char(char) for char in text)


def field_text(post: Post, field: str) -> str:
    """The text a finding's offsets count in: the post's, its bio's, or a media description's."""
    if field == "text":
        return post.text
    if field == "bio":
        return post.appendix.strip()
    return dict(post.extras).get(field, "")


def marks_in_clause(post: Post, finding: Finding) -> list[Span]:
    """Where the matched words sit inside the finding's clause."""
    text, clause = field_text(post, finding.field), finding.clause
    # The clause holds the match, so it starts at most len(clause) before the match ends.
    at = text.find(clause, max(0, finding.end - len(clause)), finding.start + len(clause))
    if at >= 0:
        return [(start - at, end - at) for start, end in marks(finding) if at <= start and end <= at + len(clause)]
    found = clause.find(finding.match)
    return [(found, found + len(finding.match))] if found >= 0 else []


def marks(finding: Finding) -> list[Span]:
    """The offsets of every cue a finding marks: its `marks`, or failing those its match."""
    return [(mark.start, mark.end) for mark in finding.marks] or [(finding.start, finding.end)]


def underline(clause: str, spans: Sequence[Span], style: str) -> tuple[Text, str]:
    """The clause as visible text with the marked words styled, and the caret line under it."""
    flags = [False] * len(clause)
    for start, end in spans:
        flags[max(0, start) : max(0, end)] = [True] * (min(end, len(clause)) - max(0, start))
    shown = Text()
    carets = []
    run_start = 0
    for index in range(1, len(clause) + 1):
        if index == len(clause) or flags[index] != flags[run_start]:
            piece = visible(clause[run_start:index])
            marked = flags[run_start]
            shown.append(piece, style=style if marked else None)
            carets.append(("^" if marked else " ") * cell_len(piece))
            run_start = index
    return shown, "".join(carets).rstrip()
