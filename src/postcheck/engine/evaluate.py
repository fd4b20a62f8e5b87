"""Evaluate rule expressions on one processed post, and the context guards around them.

Leaf hits come from `MatcherSet.run`. Every expression carries a gate (each of
its parts has a leaf that fired or may fire); a rule, or a part of one, whose
gate fails is never evaluated, and the parts of an `all` without regexes are
evaluated first, so most rules cost a few set operations per post and a regex
runs only when the rest of its part already holds.

Guards (`unless:`) drop a hit whose clause is negated ("we will never
share…"), which sits inside quotation marks, which is asked as a question or
which is only a condition ("if you see…").
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable
from itertools import accumulate

from spacy.lang.lex_attrs import is_punct

from ..rulebook.expressions import AllOf, AnyOf, Expression, Gate, Leaf
from .clauses import clause_index, clause_starts
from .matchers import PostHits
from .tokens import PostTokens

Span = tuple[int, int]

# Including every form spaCy's English tokenizer exceptions give the norm "not" ("n't", with a straight or a
# curly apostrophe, and "nt").
_NEGATIONS = {
    "not",
    "n't",
    "n\u2019t",
    "nt",
    "never",
    "no",
    "cannot",
    "without",
    "neither",
    "nor",
    "dont",
    "didnt",
    "wont",
    "cant",
}
_CONDITIONALS = {"if", "whether", "unless"}
_NEGATION_WINDOW = 8
# "can't wait for tomorrow's job", "can't believe the jury...": these negate nothing that follows.
_IDIOMS = {"wait", "believe"}


class PostUnits:
    """Which sentence each token belongs to, and (computed only when asked) its clause."""

    def __init__(self, tokens: PostTokens):
        self.tokens = tokens
        self.sentence = tokens.sentence
        self._clauses: tuple[list[int], list[int]] | None = None
        self._sentences: list[Span] | None = None

    def _clause_data(self) -> tuple[list[int], list[int]]:
        if self._clauses is None:
            starts = clause_starts(self.tokens)
            self._clauses = (starts, clause_index(len(self.tokens), starts))
        return self._clauses

    @property
    def clause(self) -> list[int]:
        return self._clause_data()[1]

    def unit(self, scope: str, token: int) -> int:
        if scope == "post":
            return 0
        return (self.sentence if scope == "sentence" else self.clause)[token]

    def clause_bounds(self, token: int) -> Span:
        starts, index = self._clause_data()
        k = index[token]
        end = starts[k + 1] if k + 1 < len(starts) else len(self.tokens)
        return starts[k], end

    def sentence_bounds(self, token: int) -> Span:
        if self._sentences is None:  # each sentence's first and last token, found in one pass when first asked
            bounds: list[Span] = []
            for i, k in enumerate(self.sentence):
                if k == len(bounds):
                    bounds.append((i, i + 1))
                else:
                    bounds[k] = (bounds[k][0], i + 1)
            self._sentences = bounds
        return self._sentences[self.sentence[token]]


def passes(gate: Gate, active: set[str]) -> bool:
    # A plain loop: `all()` over a generator took three times as long, and this runs for every gate of every
    # candidate rule and part on every post.
    for clause in gate:  # noqa: SIM110
        if clause.isdisjoint(active):
            return False
    return True


def _gap(a: Span, b: Span) -> int:
    return max(0, b[0] - a[1], a[0] - b[1])


class _Nearest:
    """The spans of one part by scope unit, each unit's sorted by start with the furthest end reached so far,
    so that the closest span to an anchor (the first of the closest, in order) takes two binary searches:
    comparing every pair grew with the square of the hits in a long sentence."""

    def __init__(self, spans: list[Span], unit_of: Callable[[int], tuple[int, int]]):
        groups: dict[tuple[int, int], list[Span]] = defaultdict(list)
        for span in spans:
            groups[unit_of(span[0])].append(span)
        self._units = {}
        for unit, group in groups.items():
            group.sort()
            self._units[unit] = (group, [s[0] for s in group], list(accumulate((s[1] for s in group), max)))

    def closest(self, unit: tuple[int, int], anchor: Span) -> Span | None:
        if unit not in self._units:
            return None
        spans, starts, reach = self._units[unit]
        begin, end = anchor
        before = bisect_right(starts, end)  # spans[:before] start no later than the anchor ends
        touching = bisect_left(reach, begin, 0, before)  # the first of them to reach the anchor: gap 0
        if touching < before:
            return spans[touching]
        if before and (before == len(spans) or begin - reach[before - 1] <= starts[before] - end):
            return spans[bisect_left(reach, reach[before - 1], 0, before)]
        return spans[before]


def evaluate(expr: Expression, hits: PostHits, units: PostUnits) -> list[Span]:
    """The token spans at which an expression holds. Parts whose gate fails are skipped
    unevaluated, so a regex runs only when the rest of its part can hold."""
    if isinstance(expr, Leaf):
        return hits.get(expr.key)
    if isinstance(expr, AnyOf):
        found: set[Span] = set()
        active = hits.active
        for part in expr.parts:
            # A leaf's gate is its own key: tested here, as most parts are leaves, without a call for it.
            if type(part) is Leaf:
                if part.key in active:
                    found.update(hits.get(part.key))
            elif passes(part.gate, active):
                found.update(evaluate(part, hits, units))
        return sorted(found)
    return _evaluate_all(expr, hits, units)


def _closest(expr: AllOf, units: PostUnits, nearest: _Nearest, unit: int, anchor: Span) -> Span | None:
    """A part's hit closest to the first part's in its unit, within the expression's `near` bound
    (tokens, or sentences), the first in order among equals; None when there is none."""
    if expr.near is not None and expr.near_unit == "sentence":
        sentence = units.sentence[anchor[0]]
        found = [
            span
            for other in range(sentence - expr.near, sentence + expr.near + 1)
            if (span := nearest.closest((unit, other), anchor)) is not None
        ]
        return min(found, key=lambda span: _gap(anchor, span), default=None)
    span = nearest.closest((unit, 0), anchor)
    if span is None or (expr.near is not None and _gap(anchor, span) > expr.near):
        return None
    return span


def _evaluate_all(expr: AllOf, hits: PostHits, units: PostUnits) -> list[Span]:
    """Spans covering the parts that carry the breach (not the `context` parts) wherever all
    parts hold together. Across sentences, only a bounded `near` lets the span cover them all;
    an unbounded post-wide match points at its first part."""
    if not passes(expr.gate, hits.active):
        return []
    required = expr.required
    part_hits: list[list[Span]] = [[] for _ in required]
    for index in expr.order:
        part = required[index]
        spans = hits.get(part.key) if type(part) is Leaf else evaluate(part, hits, units)
        if not spans:
            return []
        part_hits[index] = spans
    blocked: set[int] = set()
    nearby: list[tuple[int, Span]] = []  # hits of `not` parts that block only within their own bound
    for part, bound in zip(expr.excluded, expr.excluded_near, strict=True):
        for span in evaluate(part, hits, units):
            if bound is None:
                blocked.add(units.unit(expr.scope, span[0]))
            else:
                nearby.append((bound, span))
    result = []
    by_sentence = expr.near is not None and expr.near_unit == "sentence"

    def group(token: int) -> tuple[int, int]:  # each part's hits are looked up by unit (and sentence)
        return units.unit(expr.scope, token), units.sentence[token] if by_sentence else 0

    others = [_Nearest(spans, group) for spans in part_hits[1:]]
    for anchor in part_hits[0]:
        unit = units.unit(expr.scope, anchor[0])
        if unit in blocked or any(_gap(anchor, span) <= bound for bound, span in nearby):
            continue
        chosen = [anchor]
        for nearest in others:
            hit = _closest(expr, units, nearest, unit, anchor)
            if hit is None:
                break
            chosen.append(hit)
        else:
            marked = chosen[: len(expr.parts)]
            start, end = min(s[0] for s in marked), max(s[1] for s in marked)
            if expr.near is None and units.sentence[start] != units.sentence[end - 1]:
                start, end = anchor
            result.append((start, end))
    return result


def _negated_before(tokens: PostTokens, start: int, limit: int) -> bool:
    """A negation cue shortly before `start`, not cut off by punctuation ("Can't sleep, warrant at 6")."""
    for i in range(start - 1, limit - 1, -1):
        text = tokens.text[i]
        if text not in ("'", "-") and is_punct(text):
            return False
        if tokens.lower[i] in _NEGATIONS and tokens.lower[i + 1] not in _IDIOMS:
            return True
    return False


def guarded(span: Span, guards: frozenset, units: PostUnits) -> bool:
    """True when a guard named in the rule's `unless` applies to this hit."""
    tokens = units.tokens
    clause_start, _ = units.clause_bounds(span[0])
    if "negated" in guards and _negated_before(tokens, span[0], max(clause_start, span[0] - _NEGATION_WINDOW)):
        return True
    if "conditional" in guards:
        sent_start, _ = units.sentence_bounds(span[0])
        if tokens.lower[clause_start] in _CONDITIONALS or tokens.lower[sent_start] in _CONDITIONALS:
            return True
    if "quoted" in guards and tokens.quotes_before[span[0]] % 2 == 1:
        return True
    if "question" in guards:
        _, sent_end = units.sentence_bounds(span[0])
        tail = [i for i in range(span[0], sent_end) if not tokens.is_space[i]]
        if tail and "?" in tokens.text[tail[-1]]:
            return True
    return False
