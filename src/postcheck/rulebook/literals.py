r"""Cheap pre-checks for regexes: the literal words at least one of which must occur for a match.

Running every rule regex on every post is the costliest step of a check. Most
rule regexes are alternations of phrases, so before running one we ask whether
any of its required literals occurs in the case-folded post; usually none does.
The literals are read from the parsed pattern. A pattern that cannot be analysed
gets no pre-check and always runs, so this only ever skips work, never matches.

Word boundaries count: in `\bhe\s` the literal is the word "he", not the "he"
inside "the". A literal that the pattern puts at a word boundary carries
`BOUNDARY` at that end ("\x01he\x01"), and is only counted where the post has
a boundary there too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import regex

from .shapes import shapes_of
from .sre import Item, parse
from .sre import constants as _sre

Requirement = frozenset  # any one of these case-folded, boundary-marked literals must occur

BOUNDARY = "\x01"
# The same engine as the rule regexes, so that a word character here is one there.
WORD = regex.compile(r"\w")
_OTHER_DIGITS = regex.compile(r"(?![0-9])\d")

_DIGITS = frozenset("0123456789")
# Words so common that requiring one of them filters nothing.
_COMMON = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "go",
        "has",
        "have",
        "he",
        "her",
        "his",
        "i",
        "in",
        "is",
        "it",
        "its",
        "me",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "out",
        "she",
        "so",
        "that",
        "the",
        "their",
        "them",
        "they",
        "this",
        "to",
        "up",
        "us",
        "was",
        "we",
        "were",
        "will",
        "with",
        "you",
        "your",
    ]
)
_AT_BOUNDARY = (_sre.AT_BOUNDARY, _sre.AT_BEGINNING, _sre.AT_BEGINNING_STRING, _sre.AT_END, _sre.AT_END_STRING)


def fold(text: str) -> str:
    """A text as literals are looked for in it: case-folded, and with every other script's digits
    written as "0", since `\\d` in a rule regex matches those too."""
    folded = text.casefold()
    return folded if folded.isascii() else _OTHER_DIGITS.sub("0", folded)


def unmark(literal: str) -> tuple[str, bool, bool]:
    """A literal without its markers, and whether a word boundary must precede and follow it."""
    return _bare(literal), literal.startswith(BOUNDARY), literal.endswith(BOUNDARY)


def _bare(literal: str) -> str:
    return literal.strip(BOUNDARY)


def _best(options: Iterable[Requirement | None]) -> Requirement | None:
    """Of several requirements that all hold, the most selective: no very common word, then the longest
    shortest literal."""
    usable = [o for o in options if o]
    if not usable:
        return None
    return max(
        usable, key=lambda o: (not {_bare(lit) for lit in o} & _COMMON, o is not _DIGITS, min(map(len, o)), -len(o))
    )


def _needs_digit(op: Any, arg: Any) -> bool:
    """A `\\d` or `[0-9]` that must match: the text has to contain a digit."""
    if op is not _sre.IN:
        return False
    return arg in ([(_sre.CATEGORY, _sre.CATEGORY_DIGIT)], [(_sre.RANGE, (48, 57))])


def _bounds(item: Item) -> bool:
    """Whether a word character next to this item must sit at a word boundary: `\\b`, `^`, `$`, or
    one or more spaces."""
    op, arg = item
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and arg[0] >= 1 and len(arg[2]) == 1:
        op, arg = next(iter(arg[2]))
    return (op is _sre.AT and arg in _AT_BOUNDARY) or (op is _sre.IN and arg == [(_sre.CATEGORY, _sre.CATEGORY_SPACE)])


def _literal(chars: list[str], left: bool, right: bool) -> str:
    """A run of literal characters, marked at each end where the pattern puts a word boundary."""
    text = "".join(chars).lower()
    if left and WORD.match(text[0]):
        text = BOUNDARY + text
    if right and WORD.match(text[-1]):
        text += BOUNDARY
    return text


def _sequence(items: Iterable[Item], left: bool = False, right: bool = False) -> Requirement | None:
    """The best requirement of a sequence; `left`/`right` say whether a boundary surely lies just
    before/after it."""
    return _best(_requirements(items, left, right))


def _requirements(items: Iterable[Item], left: bool = False, right: bool = False) -> list[Requirement]:
    """Every requirement a match of a sequence meets: its literal runs, and those of the groups and
    repeats it must go through, each a set of literals one of which occurs."""
    items = list(items)
    candidates: list[Requirement | None] = []
    run: list[str] = []
    run_left = left

    def close_run(right_bound: bool) -> None:
        if run:
            candidates.append(frozenset([_literal(run, run_left, right_bound)]))
            run.clear()

    for index, (op, arg) in enumerate(items):
        before = _bounds(items[index - 1]) if index else left
        after = _bounds(items[index + 1]) if index + 1 < len(items) else right
        if op is _sre.LITERAL:
            if not run:
                run_left = before
            run.append(chr(arg))
            continue
        close_run(_bounds((op, arg)))
        if _needs_digit(op, arg):
            candidates.append(_DIGITS)
        elif op is _sre.SUBPATTERN:
            candidates += _requirements(arg[-1], before, after)
        elif op is _sre.BRANCH:
            alternatives = [_sequence(branch, before, after) for branch in arg[1]]
            found = [alternative for alternative in alternatives if alternative]
            if len(found) == len(alternatives):  # every alternative needs a literal
                candidates.append(frozenset().union(*found))
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and arg[0] >= 1:
            inner = list(arg[2])
            # Each repetition starts where the last ended, so only the first is known to follow `before`.
            if len(inner) == 1 and _needs_digit(*inner[0]):
                candidates.append(_DIGITS)
            else:
                candidates += _requirements(inner, before, False)
        elif op is getattr(_sre, "POSSESSIVE_REPEAT", None) and arg[0] >= 1:
            candidates += _requirements(arg[2], before, False)
    close_run(right)
    return [candidate for candidate in candidates if candidate]


def split_alternatives(pattern: str) -> list[str]:
    """Split a pattern at its top-level `|`, so each alternative gets its own pre-check.

    The union of the alternatives' matches covers every match of the whole pattern,
    which is all a leaf needs. A pattern with a global inline flag is kept whole.
    """
    if pattern.startswith("(?") and pattern[2:3].isalpha():
        return [pattern]
    pieces, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "]":
                i += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            pieces.append(pattern[start:i])
            start = i + 1
        i += 1
    pieces.append(pattern[start:])
    return pieces if all(pieces) else [pattern]


def prechecks(pattern: str) -> tuple[Requirement | None, frozenset | None, tuple[Requirement, ...]]:
    """The pre-checks of a pattern, each None when the pattern says too little: the case-folded
    literals one of which any match contains (the most selective such set), the shape strings one
    of which the shape of any text it matches contains, and the pattern's further sets of literals,
    one of each of which any match contains too (so a post with one of the first set's literals,
    often a common word, is searched only if it has one of each further set's as well)."""
    try:
        parsed = parse(pattern)
    except Exception:  # noqa: BLE001 - syntax the stdlib parser does not know (regex-module extensions)
        return None, None, ()
    usable = [r for r in _requirements(parsed) if all(_bare(literal).strip() for literal in r)]
    first = _best(usable)
    if first is None:
        return None, shapes_of(parsed), ()
    # A set that holds whenever `first` does adds nothing.
    further = tuple(dict.fromkeys(_folded(r) for r in usable if not r >= first))
    return _folded(first), shapes_of(parsed), further


def _folded(requirement: Requirement) -> Requirement:
    return frozenset(literal.casefold() for literal in requirement)
