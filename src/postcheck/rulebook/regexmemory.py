"""What is learnt about each rule regex before any post, kept between runs: `LazyPattern` and `RegexMemory`.

Each top-level alternative of a rule regex becomes a `LazyPattern`: compiled the
first time a post needs it, with its pre-checks (the literals and shapes a match
needs, `literals.py` and `shapes.py`) and its safe length (`regexbound.py`). An
alternative whose work cannot be bounded, or only by the cube of the text's length
or worse, is searched on texts built to make it backtrack, and refused if one takes
too long: a catastrophic regex would stall every post it runs on.
Working these out for ~100 patterns was a third of start-up, so `RegexMemory`
keeps them in the user's cache (`cache.py`: sealed, and checked for shape here).
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import regex

from .cache import cache_dir, read_json, write_json
from .grouping import split_alternatives

# The modules whose analysis the cache holds; all but the first two are imported only when an analysis is not cached.
_ANALYSES = (
    "grouping.py",
    "posttext.py",
    "literals.py",
    "shapes.py",
    "sre.py",
    "regexbound.py",
    "firstchars.py",
    "skeleton.py",
)

# Nested unbounded quantifiers such as (a+)+ can backtrack exponentially.
_NESTED_QUANTIFIER = regex.compile(r"\((?:[^()\\]|\\.)*[+*](?:[^()\\]|\\.)*\)(?:[+*]|\{\d*,\})")


@cache
def analysis_stamp() -> str:
    """A hash of the code that analyses a rule regex and of the regex engine's version: with a source, it
    names the source's alternatives, pre-checks and safe length."""
    here = Path(__file__)
    code = b"".join(here.with_name(name).read_bytes() for name in _ANALYSES) + here.read_bytes()
    return hashlib.sha256(code + regex.__version__.encode()).hexdigest()[:16]


class LazyPattern:
    """One alternative of a rule regex, compiled the first time a post needs it (a single draft
    checked from a pre-commit hook then pays only for the few regexes its words let through),
    with the pre-checks a post must pass first: the literals it needs (one of them must occur)
    and the shapes (one of them must occur in the shape of the post); None means no check. `further`
    holds more sets of literals, one of each of which must occur too.
    `safe_length` is the longest text it provably searches quickly without a timeout, searched with its
    `guard` in front: lookaheads of the characters a match can begin with (`firstchars.py`) and of its
    skeleton (`skeleton.py`), or "" for none."""

    __slots__ = ("_compiled", "further", "guard", "literals", "safe_length", "shapes", "source")

    def __init__(
        self,
        source: str,
        literals: frozenset | None,
        shapes: frozenset | None,
        further: tuple[frozenset, ...] = (),
        safe_length: int = 0,
        guard: str = "",
    ):
        self.source = source
        self.guard = guard
        self.literals = literals
        self.shapes = shapes
        self.further = further
        self.safe_length = safe_length
        self._compiled: regex.Pattern | None = None

    @property
    def searched(self) -> str:
        """The pattern as it is searched: the alternative behind its guard."""
        return self.guard + self.source

    @property
    def compiled(self) -> regex.Pattern:
        if self._compiled is None:
            self._compiled = regex.compile(self.searched, regex.IGNORECASE)
        return self._compiled


class Catastrophic(Exception):
    """A rule regex that takes exponential time: the text it was stopped on."""


class NestedQuantifier(Exception):
    """A rule regex that nests unbounded quantifiers, such as (a+)+."""


class RegexMemory:
    """What earlier runs learnt about rule regexes: which compile, and each alternative's
    pre-checks and safe length. Compiling and analysing ~100 patterns was a third of start-up. The file is
    named by the regex engine's version and the analysing code, so neither can go stale."""

    def __init__(self):
        self.path = cache_dir() / f"regexes-{analysis_stamp()}.json"
        self.patterns: dict[str, list[str]] = {}  # each pattern known to be sound, split into its alternatives
        self.prechecks: dict[str, tuple] = {}
        self.changed = False
        self._made: dict[str, LazyPattern] = {}  # one pattern for each source, however many rules use it
        stored = read_json(self.path)  # sealed by this user's key (see cache.py), or None
        try:
            self.patterns = {pattern: _string_list(pieces) for pattern, pieces in stored["patterns"].items()}
            self.prechecks = {
                source: (
                    *(None if c is None else frozenset(_string_list(c)) for c in checks[:2]),
                    tuple(frozenset(_string_list(c)) for c in checks[2]),
                    _count(checks[3]),
                    _string(checks[4]),
                )
                for source, checks in stored["prechecks"].items()
            }
        except (TypeError, KeyError, IndexError, AttributeError, ValueError):  # none yet, or not what this code writes
            self.patterns, self.prechecks = {}, {}

    def pieces(self, pattern: str) -> list[str]:
        """A rule regex's top-level alternatives, once it is known to be sound (checked unless an
        earlier run did: splitting and checking every pattern was a tenth of loading the rulebook).
        Raises NestedQuantifier, or `regex.error` for a pattern that does not compile."""
        if pattern not in self.patterns:
            if _NESTED_QUANTIFIER.search(pattern):
                raise NestedQuantifier(pattern)
            regex.compile(pattern, regex.IGNORECASE)
            self.patterns[pattern] = split_alternatives(pattern)
            self.changed = True
        return self.patterns[pattern]

    def alternative(self, source: str) -> LazyPattern:
        """The alternative with its pre-checks; raises Catastrophic for one that takes exponential time."""
        if source not in self.prechecks:
            from . import regexbound
            from .firstchars import first_char_guard
            from .literals import prechecks
            from .skeleton import skeleton_guard

            attack = regexbound.fails_stress(source)
            if attack is not None:
                raise Catastrophic(attack)
            guard = first_char_guard(source) + skeleton_guard(source)  # only once accepted
            if guard and regexbound.fails_stress(guard + source) is not None:
                guard = first_char_guard(source)  # a skeleton that backtracks where its pattern does not: none
            self.prechecks[source] = (*prechecks(source), regexbound.safe_length(guard + source), guard)
            self.changed = True
        if source not in self._made:
            self._made[source] = LazyPattern(source, *self.prechecks[source])
        return self._made[source]

    def save(self) -> None:
        if self.changed:
            write_json(
                self.path,
                {
                    "patterns": self.patterns,
                    "prechecks": {
                        source: [
                            *(None if c is None else sorted(c) for c in checks[:2]),
                            [sorted(c) for c in checks[2]],
                            *checks[3:],
                        ]
                        for source, checks in self.prechecks.items()
                    },
                },
            )
            self.changed = False


def _string_list(value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError("not a list of strings")
    return value


def _string(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("not a string")
    return value


def _count(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError("not a count")
    return value
