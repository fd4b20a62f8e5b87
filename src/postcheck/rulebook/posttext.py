r"""A post's text as the regex pre-checks compare it, and how their literals are written.

A literal that its pattern puts at a word boundary carries `BOUNDARY` at that end
("\x01he\x01"), and is only counted where the post has a boundary there too; a post
is looked at case-folded, with other scripts' digits as "0" and each run of spaces as
one (`fold`), and its shape (`shape`, see `shapes.py`) is what shape pre-checks look in.
Finding a pattern's literals and shapes (`literals.py`, `shapes.py`) is needed only when
its analysis is not cached, so what the engine's pre-filter uses at every check is here.
"""

from __future__ import annotations

import regex

BOUNDARY = "\x01"
SPACES = regex.compile(r"\s+")  # the rule regexes' `\s`
_OTHER_DIGITS = regex.compile(r"(?![0-9])\d")
_NOT_ONE_SPACE = regex.compile(r"\s{2,}|[^\S ]")


def fold(text: str) -> str:
    """A text as literals are looked for in it: case-folded, with every other script's digits written
    as "0", since `\\d` in a rule regex matches those too, and each run of spaces as one space."""
    folded = text.casefold()
    if not folded.isascii():
        folded = _OTHER_DIGITS.sub("0", folded)
    return SPACES.sub(" ", folded) if _NOT_ONE_SPACE.search(folded) else folded


def unmark(literal: str) -> tuple[str, bool, bool]:
    """A literal without its markers, and whether a word boundary must precede and follow it."""
    return bare(literal), literal.startswith(BOUNDARY), literal.endswith(BOUNDARY)


def bare(literal: str) -> str:
    return literal.strip(BOUNDARY)


NOT_ASCII = "\uffff"
_ASCII_SHAPES = {
    **dict.fromkeys(range(65, 91), "A"),
    **dict.fromkeys(range(97, 123), "a"),
    **dict.fromkeys(map(ord, "0123456789"), "0"),
    **dict.fromkeys(map(ord, " \t\n\r\x0b\x0c"), " "),
}
_DIGIT = regex.compile(r"\d")
_SPACE = regex.compile(r"\s")


class _ShapeTable(dict):
    """`str.translate` table: ASCII as above, other characters worked out on first sight."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if code < 128:
            shape = char
        elif char in "\u212a\u017f":
            shape = "A" if char == "\u212a" else "a"
        elif _DIGIT.match(char):
            shape = "0"
        elif _SPACE.match(char):
            shape = " "
        else:
            shape = NOT_ASCII
        self[code] = shape
        return shape


_SHAPE_TABLE = _ShapeTable(_ASCII_SHAPES)
_SPACE_RUN = regex.compile(" {2,}")


def shape(text: str) -> str:
    """The shape of a text. A run of spaces becomes one, so that `\\s+` has a shape: " "."""
    shaped = text.translate(_SHAPE_TABLE)
    return _SPACE_RUN.sub(" ", shaped) if "  " in shaped else shaped
