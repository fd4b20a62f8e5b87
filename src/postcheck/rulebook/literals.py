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

A literal goes on through spaces and choices of fixed strings: `(?:from|off)\s+the`
needs "from the" or "off the", which few posts have, where "from" and "the" are in
nearly all of them. Its spaces stand for any run of spaces (`\s+`), so posts are
looked at with each run of spaces written as one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import regex

from .posttext import BOUNDARY, SPACES, bare
from .shapes import shapes_of
from .sre import Item, parse
from .sre import constants as _sre

Requirement = frozenset  # any one of these case-folded, boundary-marked literals must occur

# The same engine as the rule regexes, so that a word character here is one there.
WORD = regex.compile(r"\w")
_MAX_RUNS = 32  # strings a literal run may stand for
_MAX_CLASS = 4  # characters of a class a literal run goes on through

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


def _best(options: Iterable[Requirement | None]) -> Requirement | None:
    """Of several requirements that all hold, the most selective: no very common word, then the longest
    shortest literal."""
    usable = [o for o in options if o]
    if not usable:
        return None
    return max(
        usable, key=lambda o: (not {bare(lit) for lit in o} & _COMMON, o is not _DIGITS, min(map(len, o)), -len(o))
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


def _literal(run: str, left: bool, right: bool) -> str:
    """A run of literal characters, marked at each end where the pattern puts a word boundary; its
    spaces, of whatever kind, as one space each run of them (as posts are looked at)."""
    text = SPACES.sub(" ", run.lower())
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
    repeats it must go through, each a set of literals one of which occurs. A run goes on through
    spaces (`\\s+` as one space: a post's runs of spaces are looked for as one) and through choices of
    fixed strings (`(?:from|off)`), as the set of the strings it can be, up to `_MAX_RUNS` of them."""
    items = list(items)
    candidates: list[Requirement | None] = []
    runs: list[str] = []  # the strings the literal run so far can be; none when no run is open
    run_left = left

    def close_run(right_bound: bool) -> None:
        # A run ending in spaces ends at a word boundary, as `\\s+` does after a word; one that can be
        # spaces alone (or nothing) requires no literal.
        if runs and all(run.strip(" ") for run in runs):
            candidates.append(
                frozenset(_literal(run.rstrip(" "), run_left, right_bound or run.endswith(" ")) for run in runs)
            )
        runs.clear()

    for index, (op, arg) in enumerate(items):
        before = _bounds(items[index - 1]) if index else left
        after = _bounds(items[index + 1]) if index + 1 < len(items) else right
        if runs and _is_space(op, arg):
            runs[:] = [run if run.endswith(" ") else run + " " for run in runs]
            continue
        choices = _choices(op, arg)
        if choices is not None:
            if len(runs) * len(choices) > _MAX_RUNS:
                close_run(False)
            if not runs:
                runs.append("")
                run_left = before
            runs[:] = [run + choice for run in runs for choice in choices]
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


def _is_space(op: Any, arg: Any) -> bool:
    """`\\s`, or one or more of them."""
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and arg[0] >= 1 and len(arg[2]) == 1:
        op, arg = next(iter(arg[2]))
    return op is _sre.IN and arg == [(_sre.CATEGORY, _sre.CATEGORY_SPACE)]


def _choices(op: Any, arg: Any) -> list[str] | None:
    """The strings an item matches when they are few and fixed: a literal character, a class of a few
    of them, or a choice of runs of them; None for any other item."""
    if op is _sre.LITERAL:
        return [chr(arg)]
    if op is _sre.IN and len(arg) <= _MAX_CLASS and all(kind is _sre.LITERAL for kind, _ in arg):
        return [chr(value) for _, value in arg]
    if op is _sre.BRANCH and all(all(o is _sre.LITERAL for o, _ in branch) for branch in arg[1]):
        return ["".join(chr(value) for _, value in branch) for branch in arg[1]]
    return None


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
    usable = [r for r in _requirements(parsed) if all(bare(literal).strip() for literal in r)]
    first = _best(usable)
    if first is None:
        return None, shapes_of(parsed), ()
    # A set that holds whenever `first` does adds nothing.
    further = tuple(dict.fromkeys(_folded(r) for r in usable if not r >= first))
    return _folded(first), shapes_of(parsed), further


def _folded(requirement: Requirement) -> Requirement:
    return frozenset(literal.casefold() for literal in requirement)
