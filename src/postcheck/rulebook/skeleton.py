r"""A guard of a rule regex's bare structure, for a pattern made mostly of lookarounds.

The patterns for a person's name test each capitalised word against lists of
~150 words that are not names (`(?!(?:Monday|Tuesday|...|Irish)\b)`), twice,
before the cheap part after the name ("of", "from" and a street) that nearly
every capitalised word of a post then fails. Such a pattern is searched behind a
lookahead of its skeleton, the pattern with every lookaround taken out:
`(?=(?:SKELETON))PATTERN`. Taking an assertion out only lets more through, so
the skeleton matches wherever the pattern does and the lookahead, zero-width,
changes no match; where the skeleton fails, the word lists are never tried.

That holds only where nothing can undo the relaxation, so a pattern with
backreferences, recursion, conditionals, atomic groups, possessive quantifiers, `\K`,
global or verbose flags, comments, syntax the scanner does not read (POSIX
classes, nested sets), or a lookaround that a quantifier applies to, gets no
guard. Patterns whose lookarounds are a small part of them were measured no
faster with one (the skeleton is then most of the work done twice), so only a
pattern at least `MOSTLY` lookarounds, by its characters, gets a guard.
"""

from __future__ import annotations

import regex

from .sre import reads_otherwise

MOSTLY = 0.7
_REFUSED = regex.compile(
    r"\\[1-9gK]|\(\?P=|\(\?\(|\(\?>|[*+?}]\+|\(\?#|\(\?(?:R|&|[+-]?\d)|\(\?[a-zA-Z-]*[xV]|\(\?[a-zA-Z-]+\)"
)
_LOOKAROUNDS = ("(?=", "(?!", "(?<=", "(?<!")
_QUANTIFIERS = "?*+{"


def skeleton_guard(pattern: str) -> str:
    """A lookahead of the pattern's skeleton to put in front of it, or "" for none (see above)."""
    if _REFUSED.search(pattern) or reads_otherwise(pattern):
        return ""
    try:
        skeleton = _without_lookarounds(pattern)
    except IndexError:  # an unclosed group or class: the regex engine says what is wrong
        return ""
    if skeleton is None or len(pattern) - len(skeleton) < MOSTLY * len(pattern):
        return ""
    try:
        regex.compile(skeleton, regex.IGNORECASE)
    except regex.error:
        return ""
    return f"(?=(?:{skeleton}))"


def _without_lookarounds(pattern: str) -> str | None:
    """The pattern with each lookaround (and what it holds) taken out; None if a quantifier applies to one."""
    kept: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith(_LOOKAROUNDS, i):
            i = _group_end(pattern, i)
            if i < len(pattern) and pattern[i] in _QUANTIFIERS:
                return None
            continue
        end = _atom_end(pattern, i)
        kept.append(pattern[i:end])
        i = end
    return "".join(kept)


def _atom_end(pattern: str, i: int) -> int:
    """Where the escape, character class or single character at `i` ends."""
    if pattern[i] == "\\":
        return i + 2
    if pattern[i] != "[":
        return i + 1
    j = i + 1
    if pattern[j] == "^":
        j += 1
    if pattern[j] == "]":  # a leading "]" is a member, not the end
        j += 1
    while pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j + 1


def _group_end(pattern: str, i: int) -> int:
    """Where the group opening at `i` ends (just after its closing parenthesis)."""
    depth = 0
    while True:
        if pattern[i] == "(":
            depth += 1
        elif pattern[i] == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i = _atom_end(pattern, i)
