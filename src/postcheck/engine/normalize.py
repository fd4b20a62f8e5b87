"""Normalise how people really write before matching, keeping offsets into the original.

Posts evade and vary: Cyrillic look-alikes, zero-width characters, full-width
forms, styled, enclosed, small-capital and accented letters (`letterforms.py`),
curly quotes, leetspeak ("v0te", "L@bour"), stretched words ("sooooo"),
spaced-out letters ("v o t e") and CamelCase hashtags ("#VoteReform"); lone
surrogates, which JSON can carry but no encoder accepts, become U+FFFD. Each is
rewritten once here so that rules stay simple. Every character of the result
remembers the span of the original it came from, so findings always point at
what the author typed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

import regex

from . import letterforms

# Letters from other scripts that render like Latin ones (Cyrillic and Greek).
_HOMOGLYPHS = {
    "а": "a",
    "в": "b",
    "е": "e",
    "к": "k",
    "м": "m",
    "н": "h",
    "о": "o",
    "р": "p",
    "с": "c",
    "т": "t",
    "у": "y",
    "х": "x",
    "і": "i",
    "ј": "j",
    "ѕ": "s",
    "ԁ": "d",
    "ɡ": "g",
    "һ": "h",
    "А": "A",
    "В": "B",
    "Е": "E",
    "К": "K",
    "М": "M",
    "Н": "H",
    "О": "O",
    "Р": "P",
    "С": "C",
    "Т": "T",
    "Х": "X",
    "І": "I",
    "Ј": "J",
    "Ѕ": "S",
    "Υ": "Y",
    "α": "a",
    "ο": "o",
    "ρ": "p",
    "ν": "v",
    "ι": "i",
    "κ": "k",
    "τ": "t",
    "υ": "u",
    "Α": "A",
    "Β": "B",
    "Ε": "E",
    "Ζ": "Z",
    "Η": "H",
    "Ι": "I",
    "Κ": "K",
    "Μ": "M",
    "Ν": "N",
    "Ο": "O",
    "Ρ": "P",
    "Τ": "T",
    "Χ": "X",
}
_QUOTES = {"‘": "'", "’": "'", "‛": "'", "`": "'", "“": '"', "”": '"', "„": '"', "″": '"', "′": "'"}
# Zero-width, joiner, bidi-control and soft-hyphen characters carry no letters.
_INVISIBLE = "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}

_CHARS = re.compile(
    f"[{_INVISIBLE}]|[{''.join(_HOMOGLYPHS)}{''.join(_QUOTES)}]|[\uff01-\uff5e\ufb00-\ufb06]|[\ud800-\udfff]"
    f"|{letterforms.CHARACTERS}"
)
_INVISIBLE_CHAR = re.compile(f"[{_INVISIBLE}]")
# Fixed, linear patterns, which the standard library runs several times faster than `regex`.
_SPACED = re.compile(r"(?<![\w'])(?:[A-Za-z] ){2,}[A-Za-z](?![\w'])")
_LEETED = re.compile(f"(?<=[A-Za-z])[{re.escape(''.join(_LEET))}](?=[A-Za-z])")
_STRETCHED = re.compile(r"([A-Za-z])\1{2,}")


class _HashtagBreaks:
    """Where the words of a CamelCase hashtag meet, looked for inside each hashtag: one pattern that
    looked behind for the '#' across the whole word took time growing with the square of its length."""

    _tags = regex.compile(r"#\w+")
    _breaks = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])")

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        for tag in self._tags.finditer(text):
            yield from self._breaks.finditer(text, tag.start() + 1, tag.end())


_CAMEL = _HashtagBreaks()
Pattern = re.Pattern[str] | regex.Pattern[str] | _HashtagBreaks


def _char_replacement(match: re.Match) -> str:
    char = match.group()
    if char in _HOMOGLYPHS:
        return _HOMOGLYPHS[char]
    if char in _QUOTES:
        return _QUOTES[char]
    if "\uff01" <= char <= "\uff5e" or "\ufb00" <= char <= "\ufb06":
        return unicodedata.normalize("NFKC", char)
    if "\ud800" <= char <= "\udfff":
        return "\ufffd"  # a lone surrogate (from JSON "\ud800") cannot be encoded; keep its place
    if _INVISIBLE_CHAR.match(char):
        return ""
    if char[0] in letterforms.FILLERS:
        return letterforms.filler(match.string, *match.span())
    return letterforms.plain(char)


def _replacement(match: re.Match[str] | regex.Match[str], pattern: Pattern) -> str:
    text = match.group()
    if pattern is _SPACED:
        return text.replace(" ", "")
    if pattern is _LEETED:
        return _LEET[text]
    if pattern is _STRETCHED:
        return text if text.lower() == "www" else text[0]
    return " "  # _CAMEL: a space between the words of a hashtag


# A text's UTF-8 bytes with letters as "a" and leet digits as "0": spaced-out and leet words then show as
# plain substrings (the bytes of other characters are none of these, so neighbours stay neighbours).
_LETTERS_AND_LEET = bytes.maketrans(bytes(range(65, 91)) + bytes(range(97, 123)) + b"013457", b"a" * 52 + b"0" * 6)


def _letters(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass").translate(_LETTERS_AND_LEET)


# The passes in order, each with a test of whether a text (and the same with letters as "a" and leet digits as
# "0") can hold a match of it: most posts need none of them, and a test costs less than the pass's search.
# (No cheaper test than its own search tells a stretched word.)
PASSES: tuple[tuple[Pattern, Callable[[str, bytes], bool]], ...] = (
    (_SPACED, lambda text, letters: b"a a a" in letters),
    (_LEETED, lambda text, letters: b"a0a" in letters or b"a@a" in letters or b"a$a" in letters),
    (_STRETCHED, lambda text, letters: True),
    (_CAMEL, lambda text, letters: "#" in text),
)


@dataclass(frozen=True)
class NormalizedText:
    """A normalised text and, per character, the original span it came from.

    `starts`/`ends` are None when nothing changed, so the common case costs nothing.
    """

    original: str
    text: str
    starts: list[int] | None = None
    ends: list[int] | None = None

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span [start, end) of the normalised text to the original text."""
        if self.starts is None or self.ends is None:
            return start, end
        n = len(self.text)
        if start >= n:
            return len(self.original), len(self.original)
        orig_start = self.starts[start]
        orig_end = self.ends[end - 1] if end > start else orig_start
        return orig_start, max(orig_end, orig_start)


def _apply(current: NormalizedText, pattern: Pattern, replace: Callable[[Any], str]) -> NormalizedText:
    text = current.text
    matches: list[re.Match[str] | regex.Match[str]] = list(pattern.finditer(text))
    if not matches:
        return current
    starts = current.starts if current.starts is not None else list(range(len(text)))
    ends = current.ends if current.ends is not None else list(range(1, len(text) + 1))
    out: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    pos = 0
    for match in matches:
        a, b = match.span()
        out.append(text[pos:a])
        new_starts.extend(starts[pos:a])
        new_ends.extend(ends[pos:a])
        piece = replace(match)
        out.append(piece)
        if len(piece) == b - a:  # one for one: each character keeps its own origin
            new_starts.extend(starts[a:b])
            new_ends.extend(ends[a:b])
        elif piece:  # otherwise every new character stands for the whole replaced run
            if a == b:  # an insertion takes the position of the character after it
                origin = starts[a] if a < len(text) else len(current.original)
                span = (origin, origin)
            else:
                span = (starts[a], ends[b - 1])
            new_starts.extend([span[0]] * len(piece))
            new_ends.extend([span[1]] * len(piece))
        pos = b
    out.append(text[pos:])
    new_starts.extend(starts[pos:])
    new_ends.extend(ends[pos:])
    return NormalizedText(current.original, "".join(out), new_starts, new_ends)


def normalize(text: str) -> NormalizedText:
    """Normalise a post for matching; see the module docstring for what changes."""
    current = NormalizedText(text, text)
    if not text.isascii():
        current = _apply(current, _CHARS, _char_replacement)
    letters = None
    for pattern, may_match in PASSES:
        if letters is None:
            letters = _letters(current.text)
        if may_match(current.text, letters):
            changed = _apply(current, pattern, partial(_replacement, pattern=pattern))
            if changed is not current:
                current, letters = changed, None
    return current
