"""Which alternatives of the rule regexes a post can match, found before any regex runs.

Each alternative carries pre-checks (`literals.py`, `shapes.py`): sets of
literals, one of each of which any match contains, and shapes, one of which the
post's shape must contain. The literals of each alternative's most selective set
are looked for in all alternatives at once, as words of the post or by one
Aho-Corasick automaton (pyahocorasick), where testing ~900 literals one by one cost
more than tokenising the post; one found wakes every alternative it belongs to, as
one set union. Only
the alternatives woken are then tested for their shapes and their further sets,
mostly common words and signs ("of", "us", "[") that in an automaton would be
found all over every post, but whose absence still spares a search. The shapes
all alternatives require are found in the post's shape by a second automaton, in
one pass, when the first alternative woken needs one: looking for each woken
alternative's shapes in turn was a fifth of the pre-checks' time.
"""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

import ahocorasick
import regex

from ..rulebook.posttext import BOUNDARY, fold, shape, unmark
from ..rulebook.regexmemory import LazyPattern

_WORDS = regex.compile(r"\w+")  # the rule regexes' engine, so that a word here is one there
_WORD_RUNS = regex.compile(r"(\w+)")  # splitting by it keeps the runs of word characters, at odd places
_NOT_BOUNDARY = "\x02"  # what BOUNDARY, were it in a post, becomes there: a character no literal holds
Further = tuple[frozenset[str], tuple[str, ...]]


class Tables(NamedTuple):
    """What the pre-checks of a list of alternatives come to, by the alternatives' positions: those woken by
    every post; each alternative's shapes (None for none) and further sets; the whole words that wake
    alternatives; and the other literals, written with BOUNDARY where they need a word boundary (see
    `tables`). Working these out was half of building the matchers, so they are cached (`prefiltercache.py`)."""

    always: frozenset[int]
    checks: dict[int, tuple[frozenset[str] | None, tuple[Further, ...]]]
    words: dict[str, frozenset[int]]
    marked: dict[str, frozenset[int]]


def tables(alternatives: list[LazyPattern]) -> Tables:
    """The pre-checks of a list of alternatives, as the Prefilter looks them up."""
    woken: dict[str, set[int]] = defaultdict(set)  # literal -> the alternatives it wakes
    always: list[int] = []  # alternatives without literals, woken by every post
    checks: dict[int, tuple[frozenset | None, tuple[Further, ...]]] = {}
    for index, pattern in enumerate(alternatives):
        if pattern.literals is None:
            always.append(index)
        for literal in pattern.literals or ():
            woken[literal].add(index)
        further = tuple(map(_further, pattern.further))
        if pattern.shapes is not None or further:
            checks[index] = (pattern.shapes, further)
    # A literal of word characters with a boundary at each end is a word of the post, looked up in
    # the post's words. One automaton finds the others in the post written with BOUNDARY at every word
    # boundary, each written with BOUNDARY at the ends it needs one and wherever its own characters make
    # one (which they do wherever they occur, so a literal that needs no boundary is found there too).
    # Each maps straight to the alternatives it wakes: literals written alike wake theirs together.
    words: dict[str, set[int]] = defaultdict(set)
    marked_literals: dict[str, set[int]] = defaultdict(set)
    for literal, wakes in woken.items():
        bare, left, right = unmark(literal)
        if left and right and _WORDS.fullmatch(bare):
            words[bare] |= wakes
            continue
        marked = _marked(bare)
        marked = marked if left else marked.removeprefix(BOUNDARY)
        marked_literals[marked if right else marked.removesuffix(BOUNDARY)] |= wakes
    return Tables(
        frozenset(always),
        checks,
        {word: frozenset(found) for word, found in words.items()},
        {marked: frozenset(found) for marked, found in marked_literals.items()},
    )


class Prefilter:
    """The pre-checks of a list of alternatives, compiled to answer for a post by their positions in it."""

    def __init__(self, alternatives: list[LazyPattern], found: Tables | None = None):
        """`found` holds the alternatives' tables when they are known already (read from the cache)."""
        if found is None:
            found = tables(alternatives)
        self._always = found.always
        self._checks = found.checks
        self._checked = frozenset(self._checks)
        self._shapes = _automaton({each: each for shapes, _ in self._checks.values() for each in shapes or ()})
        self._words = found.words
        self._automaton = _automaton(found.marked)

    def passing(self, text: str) -> set[int]:
        """The positions of the alternatives this text passes every pre-check of."""
        folded = fold(text)
        pieces = _WORD_RUNS.split(folded.replace(BOUNDARY, _NOT_BOUNDARY) if BOUNDARY in folded else folded)
        words = set(pieces[1::2])  # the runs of word characters, between the others
        found = [self._words[word] for word in words & self._words.keys()]
        if self._automaton is not None:
            found += [woken for _, woken in self._automaton.iter(BOUNDARY.join(pieces))]
        passed = set(self._always).union(*found)
        post_shapes: set[str] | None = None  # the required shapes the post's shape holds
        for index in passed & self._checked:
            shapes, further = self._checks[index]
            if shapes is not None:
                if post_shapes is None:
                    post_shapes = {found for _, found in self._shapes.iter(shape(text))} if self._shapes else set()
                if shapes.isdisjoint(post_shapes):
                    passed.discard(index)
                    continue
            for whole, parts in further:
                if whole.isdisjoint(words):
                    for part in parts:
                        if part in folded:
                            break
                    else:
                        passed.discard(index)
                        break
        return passed


def _further(requirement: frozenset) -> Further:
    """A further set of literals as its whole words, looked up in the post's words, and the rest, whose
    presence anywhere is enough here (their boundaries are not checked), the shortest first: they are
    the likeliest found, which settles the set at once."""
    whole: set[str] = set()
    parts: set[str] = set()
    for literal in requirement:
        bare, left, right = unmark(literal)
        (whole if left and right and _WORDS.fullmatch(bare) else parts).add(bare)
    return frozenset(whole), tuple(sorted(parts, key=len))


def _automaton(values: dict) -> ahocorasick.Automaton | None:
    """An Aho-Corasick automaton from words to values, or None for no words."""
    if not values:
        return None
    automaton = ahocorasick.Automaton()
    for word, value in values.items():
        automaton.add_word(word, value)
    automaton.make_automaton()
    return automaton


def _marked(text: str) -> str:
    """A text with BOUNDARY at each of its word boundaries, its ends included where a word character is."""
    return BOUNDARY.join(_WORD_RUNS.split(text))
