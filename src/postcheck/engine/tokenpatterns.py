"""Token patterns (`pattern:` leaves) matched over the token facts a post already has, as spaCy's Matcher would.

spaCy's `Matcher` builds a Token object for every token it tests, twice, and calls a
Python predicate for every `IN`, `NOT_IN` and `REGEX` in a pattern: a sixth of checking
a long post that reached a rule with token patterns. The patterns rules write are
compiled here instead into tests over the texts, lower-case forms and sentence starts
that `PostTokens` holds: a token's LOWER, ORTH or TEXT as a value, `IN`, `NOT_IN` or
`REGEX` (searched with `re`, as spaCy does); the language's own `IS_` flags, worked out
by the functions spaCy computes them with; and IS_SENT_START. A token may be skipped
with `OP: "?"`. The answer is the Matcher's: every (start, end) at which a pattern of a
key matches, once per key, never empty. A pattern with anything else (other attributes,
other operators) is `Unsupported`, and the caller keeps spaCy's Matcher for the rulebook.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from spacy.lang.lex_attrs import LEX_ATTRS
from spacy.language import Language

from .tokens import PostTokens, Span

_TEXTS = {"LOWER": "lower", "ORTH": "text", "TEXT": "text"}
_FLAGS = ("IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_PUNCT", "IS_SPACE", "IS_TITLE", "IS_UPPER")
Mask = list[bool]  # whether each token asked about passes a test
# A token test: whether the tokens at the given positions (all of them for None) pass it.
Test = Callable[["_Columns", "list[int] | None"], Mask]


class Unsupported(Exception):
    """A token pattern this module does not match: spaCy's Matcher has to."""


class _Columns:
    """A post's tokens as the tests read them. A pattern's first token is tested at every position, once for
    the post; the tokens after it only where a match so far ends."""

    def __init__(self, tokens: PostTokens, getters: dict[str, Callable[[str], Any]], tests: list[Test]):
        self.tokens = tokens
        self._getters = getters
        self._tests = tests
        self._masks: dict[int, Mask] = {}

    def values(self, column: str, at: list[int] | None) -> list[str]:
        values: list[str] = getattr(self.tokens, column)
        return values if at is None else [values[i] for i in at]

    def flag(self, name: str, at: list[int] | None) -> Mask:
        getter = self._getters[name]
        return [bool(getter(text)) for text in self.values("text", at)]

    def sentence_starts(self, at: list[int] | None) -> Mask:
        sentence = self.tokens.sentence
        return [i == 0 or sentence[i] != sentence[i - 1] for i in (range(len(sentence)) if at is None else at)]

    def everywhere(self, test: int) -> Mask:
        if test not in self._masks:
            self._masks[test] = self._tests[test](self, None)
        return self._masks[test]


def _equal(column: str, value: str) -> Test:
    return lambda c, at: [text == value for text in c.values(column, at)]


def _inside(column: str, words: frozenset[str]) -> Test:
    return lambda c, at: [text in words for text in c.values(column, at)]


def _outside(column: str, words: frozenset[str]) -> Test:
    return lambda c, at: [text not in words for text in c.values(column, at)]


def _found_by(column: str, pattern: re.Pattern[str]) -> Test:
    return lambda c, at: [pattern.search(text) is not None for text in c.values(column, at)]


def _value_tests(column: str, spec: object) -> list[Test]:
    """Tests of one text attribute of the tokens (`column` of PostTokens): a value, or IN / NOT_IN / REGEX."""
    if isinstance(spec, str):
        return [_equal(column, spec)]
    if not isinstance(spec, dict) or not spec or not set(spec) <= {"IN", "NOT_IN", "REGEX"}:
        raise Unsupported(f"{column} {spec!r}")
    tests = []
    for operator, value in spec.items():
        if operator == "REGEX" and isinstance(value, str):
            tests.append(_found_by(column, re.compile(value)))
        elif operator != "REGEX" and isinstance(value, list) and all(isinstance(v, str) for v in value):
            tests.append((_inside if operator == "IN" else _outside)(column, frozenset(value)))
        else:
            raise Unsupported(f"{column} {operator} {value!r}")
    return tests


def _flag(name: str, value: bool) -> Test:
    return lambda c, at: [flag == value for flag in c.flag(name, at)]


def _sentence_start(value: bool) -> Test:
    return lambda c, at: [start == value for start in c.sentence_starts(at)]


def _all(tests: list[Test]) -> Test:
    def passes(c: _Columns, at: list[int] | None) -> Mask:
        mask = tests[0](c, at)
        for test in tests[1:]:
            mask = [a and b for a, b in zip(mask, test(c, at), strict=True)]
        return mask

    return passes


def _token_test(spec: dict) -> tuple[Test, bool]:
    """One token's tests joined, and whether the token may be skipped (`OP: "?"`)."""
    tests: list[Test] = []
    for attr, value in spec.items():
        if attr == "OP":
            if value != "?":
                raise Unsupported(f"OP {value!r}")
        elif attr in _TEXTS:
            tests += _value_tests(_TEXTS[attr], value)
        elif attr in _FLAGS and isinstance(value, bool):
            tests.append(_flag(attr, value))
        elif attr == "IS_SENT_START" and isinstance(value, bool):
            tests.append(_sentence_start(value))
        else:
            raise Unsupported(attr)
    if not tests:
        raise Unsupported("a token without a test")
    return tests[0] if len(tests) == 1 else _all(tests), spec.get("OP") == "?"


class TokenPatterns:
    """Every token pattern of a rulebook by its leaf key, compiled; raises Unsupported for one it cannot match."""

    def __init__(self, nlp: Language, patterns: dict[str, list[list[dict]]]):
        # The flags as the language's vocabulary computes them: spaCy's own functions, or the language's.
        getters = {**LEX_ATTRS, **nlp.Defaults.lex_attr_getters}
        ids = {function.__name__.upper(): attr for attr, function in LEX_ATTRS.items()}
        self._getters = {name: getters[ids[name]] for name in _FLAGS}
        self._tests: list[Test] = []
        self._patterns: dict[str, list[list[tuple[int, bool]]]] = {}
        for key, found in patterns.items():
            self._patterns[key] = [[self._step(spec) for spec in pattern] for pattern in found]

    def _step(self, spec: dict) -> tuple[int, bool]:
        test, optional = _token_test(spec)
        self._tests.append(test)
        return len(self._tests) - 1, optional

    def __call__(self, tokens: PostTokens) -> dict[str, list[Span]]:
        """Each key's matches in order, as (start, end) token spans; keys without one are left out."""
        columns, count = _Columns(tokens, self._getters, self._tests), len(tokens)
        found: dict[str, list[Span]] = {}
        for key, patterns in self._patterns.items():
            spans: set[Span] = set()
            for (first, skippable), *steps in patterns:
                # Every way of matching the tokens so far, from every start at once: (start, end) pairs.
                pairs = {(i, i + 1) for i, passed in enumerate(columns.everywhere(first)) if passed}
                if skippable:
                    pairs |= {(i, i) for i in range(count)}
                for test, optional in steps:
                    at = sorted({end for _, end in pairs if end < count})
                    passing = {i for i, passed in zip(at, self._tests[test](columns, at), strict=True) if passed}
                    moved = {(start, end + 1) for start, end in pairs if end in passing}
                    pairs = pairs | moved if optional else moved
                    if not pairs:
                        break
                spans.update(pair for pair in pairs if pair[1] > pair[0])
            if spans:
                found[key] = sorted(spans)
        return found
