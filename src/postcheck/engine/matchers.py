"""Compile every leaf matcher of a rulebook once, and run them all on a post at once.

All `phrase` leaves and lower-case lexicons share one phrase index on LOWER,
all `lemma` leaves and lemma lexicons one on LEMMA, exact-case lexicons one on
ORTH (see `phrases.py`), and all token patterns one spaCy `Matcher`, so the cost
per post grows with the text, not with the number of rules. Regexes run on the normalised text with a
timeout, and only the alternatives that pass their pre-checks (see
`literals.py`): one of their literal words occurs in the post, found for all
rules at once by Aho-Corasick automata (pyahocorasick), where testing ~900
literals one by one cost more than tokenising the post; and the post has one
of their shapes.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import ahocorasick
from spacy.errors import MatchPatternError
from spacy.language import Language
from spacy.matcher import Matcher

from ..core.errors import PostcheckError
from ..rulebook.detectors import DETECTORS, Detector, Partial, digits
from ..rulebook.expressions import LazyPattern, Leaf, leaves
from ..rulebook.literals import WORD, fold, unmark
from ..rulebook.loader import Rule, Rulebook
from ..rulebook.shapes import shape
from .phrases import ATTRS, PhraseIndex, TermSequences
from .tokens import PostTokens, Span

# Processor time, not wall-clock time, so that a busy machine does not leave a post unchecked.
REGEX_TIMEOUT_SECONDS = 0.25  # for one regex alternative on one post
REGEX_BUDGET_SECONDS = 0.5  # for all the timed regex searches of one post together
REGEX_WALL_SECONDS = 3.0  # wall-clock cap on one alternative however starved it was: a true hang stops here


class MatcherSet:
    """The compiled leaf matchers of one rulebook."""

    def __init__(self, nlp: Language, rulebook: Rulebook):
        self._nlp = nlp
        self._phrases = {attr: PhraseIndex() for attr in ATTRS}
        self._sequences = TermSequences(nlp, rulebook.digest)
        self._tokens = Matcher(nlp.vocab, validate=True)
        self._regexes: dict[str, list[LazyPattern]] = defaultdict(list)
        self._keys: dict[int, str] = {}
        self._owners: dict[str, str] = {}  # leaf key -> the first rule that uses it, to name in a note
        self.lemmas: set[str] = set()  # every lemma a lemma matcher can match
        self._detectors: dict[str, Detector] = {}
        official = rulebook.lexicons.get("official-numbers")
        self._official = frozenset(digits(term) for term in official.terms) if official else frozenset()
        seen: set[str] = set()
        for rule in rulebook.rules:
            for leaf in leaves(rule.match):
                if leaf.key not in seen:
                    seen.add(leaf.key)
                    self._add(leaf, rulebook, rule)
        self._sequences.save()
        self._indexes = [(attr, index) for attr, index in self._phrases.items() if index.size]
        self._active = [self._tokens] if len(self._tokens) else []
        # Alternatives without literals are always considered; the others once a literal occurs.
        self._always: list[tuple[str, LazyPattern]] = []
        needed_by: dict[str, list[tuple[str, LazyPattern]]] = defaultdict(list)
        for key, patterns in self._regexes.items():
            for pattern in patterns:
                if pattern.literals is None:
                    self._always.append((key, pattern))
                for literal in pattern.literals or ():
                    needed_by[literal].append((key, pattern))
        # Two automata find bare literals: one those that count wherever they occur, holding the
        # alternatives each lets through; the other those that count only after a word boundary,
        # before one, or between two, holding its length and the alternatives for each case.
        # Alternatives are indices into `_wanted`, so that a literal seen many times is expanded once.
        self._wanted = list(needed_by.values())
        anywhere: dict[str, set[int]] = defaultdict(set)
        bounded: dict[str, tuple[list[int], ...]] = defaultdict(lambda: ([], [], []))
        for index, literal in enumerate(needed_by):
            bare, left, right = unmark(literal)
            if left or right:
                bounded[bare][left + 2 * right - 1].append(index)
            else:
                anywhere[bare].add(index)
        self._anywhere = _automaton({bare: frozenset(found) for bare, found in anywhere.items()})
        self._bounded = _automaton(
            {bare: (number, len(bare), *map(tuple, groups)) for number, (bare, groups) in enumerate(bounded.items())}
        )

    def _terms(self, key: str, terms: tuple[str, ...], attr: str) -> None:
        sequences = self._sequences.of(key, terms, attr)
        if attr == "LEMMA":
            self.lemmas.update(value for sequence in sequences for value in sequence)
        self._phrases[attr].add(key, sequences)

    def _add(self, leaf: Leaf, rulebook: Rulebook, rule: Rule) -> None:
        self._keys[self._nlp.vocab.strings.add(leaf.key)] = leaf.key
        self._owners[leaf.key] = rule.id
        if leaf.kind == "phrase":
            self._terms(leaf.key, leaf.value, "LOWER")
        elif leaf.kind == "lemma":
            self._terms(leaf.key, leaf.value, "LEMMA")
        elif leaf.kind == "lexicon":
            lexicon = rulebook.lexicons[leaf.value]
            terms = lexicon.terms
            if lexicon.capitals:
                terms += tuple(term.upper() for term in terms if term.upper() != term)
            if terms:  # a lexicon filled from configuration (the watchlist) may be empty
                self._terms(leaf.key, terms, lexicon.attr)
        elif leaf.kind == "pattern":
            try:
                self._tokens.add(leaf.key, leaf.value)
            except (MatchPatternError, ValueError) as exc:
                detail = " ".join(str(exc).split())
                raise PostcheckError(f"rule {rule.id}: invalid token pattern: {detail}", rule.path, rule.line) from None
        elif leaf.kind == "regex":
            self._regexes[leaf.key].extend(leaf.compiled)
        elif leaf.kind == "detector":
            self._detectors[leaf.key] = DETECTORS[leaf.value]

    def run(self, tokens: PostTokens) -> PostHits:
        """The leaves that matched this post: spaCy matchers now, regexes when first asked for."""
        doc, text = tokens.doc, tokens.post
        eager: dict[str, list[Span]] = defaultdict(list)
        for attr, index in self._indexes:
            index.find(tokens.values(attr), eager)
        for matcher in self._active:
            for match_id, start, end in matcher(doc):
                eager[self._keys[match_id]].append((start, end))
        for spans in eager.values():
            spans.sort()
        pending = self.candidates(text)
        hits = PostHits(tokens, eager, pending, self._owners)
        for key, detect in self._detectors.items():
            try:
                found = detect(text, self._official)
            except Partial as partial:
                found = partial.spans
                hits.notes.append(f"rule {self._owners[key]} stopped early: {partial.reason}")
            spans = sorted({span for a, b in found if (span := tokens.span(a, b))})
            if spans:
                eager[key] = spans
        hits.active |= eager.keys()
        return hits

    def candidates(self, text: str) -> dict[str, set[LazyPattern]]:
        """For each regex leaf, the alternatives that may match this text: those whose literals
        occur in it (with the word boundaries they need) and whose shapes it has."""
        post_shape = shape(text)
        pending: dict[str, set[LazyPattern]] = {}
        wanted = list(self._always)
        for index in self._literals_in(fold(text)):
            wanted += self._wanted[index]
        for key, pattern in wanted:
            if pattern.shapes is not None:
                for required in pattern.shapes:
                    if required in post_shape:
                        break
                else:
                    continue
            if key in pending:
                pending[key].add(pattern)
            else:
                pending[key] = {pattern}
        return pending

    def _literals_in(self, folded: str) -> set[int]:
        """The literals that occur in a case-folded post, with the word boundaries they need."""
        found: set[int] = set()
        if self._anywhere is not None:
            for indices in {indices for _, indices in self._anywhere.iter(folded)}:
                found |= indices
        if self._bounded is None:
            return found
        settled: set[int] = set()  # literals whose every use has been counted
        end = len(folded) - 1
        for last, (number, length, after, before, between) in self._bounded.iter(folded):
            if number in settled:
                continue
            # A literal marked at an end starts or ends with a word character, so a boundary
            # there is a matter of the character beside it.
            first = last - length + 1
            left = first == 0 or not _is_word(folded[first - 1])
            right = last == end or not _is_word(folded[last + 1])
            if left:
                found.update(after)
            if right:
                found.update(before)
            if left and right:
                found.update(between)
            if (left or not after) and (right or not before) and ((left and right) or not between):
                settled.add(number)
        return found


def _automaton(values: dict) -> ahocorasick.Automaton | None:
    """An Aho-Corasick automaton from words to values, or None for no words."""
    if not values:
        return None
    automaton = ahocorasick.Automaton()
    for word, value in values.items():
        automaton.add_word(word, value)
    automaton.make_automaton()
    return automaton


def _is_word(char: str) -> bool:
    """Whether the rule regexes' `\\w` matches this character (ASCII answered without a regex call)."""
    if char.isascii():
        return char.isalnum() or char == "_"
    return WORD.match(char) is not None


class PostHits:
    """Leaf hits for one post. Regex leaves run lazily: only when a rule needs them, and only
    the alternatives the post's literals and shape let through, since regexes cost the most."""

    def __init__(
        self,
        tokens: PostTokens,
        eager: dict[str, list[Span]],
        pending: dict[str, set[LazyPattern]],
        owners: dict[str, str],
    ):
        self._tokens = tokens
        self._hits = eager  # filled by the caller with the detectors' hits
        self._pending = pending  # leaf key -> the alternatives still to run
        self._owners = owners
        self.active = eager.keys() | pending.keys()  # leaves that fired or still may fire
        self.budget = REGEX_BUDGET_SECONDS
        self.notes: list[str] = []  # what could not be checked in full, for the post's problems

    def get(self, key: str) -> list[Span]:
        if key in self._pending:
            self._hits[key] = self._run_regexes(key, self._pending.pop(key))
        return self._hits.get(key, [])

    def _run_regexes(self, key: str, patterns: set[LazyPattern]) -> list[Span]:
        spans: set[Span] = set()
        length = len(self._tokens.post)
        for pattern in sorted(patterns, key=lambda p: p.source) if len(patterns) > 1 else patterns:
            compiled = pattern.compiled  # compiled on first use: not searching, so not on the post's time
            # Keeping a timeout reads the process clock, which costs more than searching a short
            # post; a post within the pattern's proven safe length needs none (see regexbound.py).
            if length <= pattern.safe_length:
                self._collect(compiled.finditer(self._tokens.post), spans)
            else:
                self._search_timed(key, compiled, spans)
        return sorted(spans)

    def _search_timed(self, key: str, compiled: Any, spans: set[Span]) -> None:
        """Search within the post's time limits, counted in this thread's processor time. The regex
        engine's timeout is wall-clock, so on a busy machine it can expire while the search got
        little of the processor: such a search is tried again, up to a far higher wall-clock cap
        that only a true hang reaches."""
        allowance = min(REGEX_TIMEOUT_SECONDS, self.budget)
        if allowance <= 0:
            self._note(key, "the post's time for rule patterns ran out before this rule's turn")
            return
        first = time.perf_counter()
        while True:
            started = time.thread_time()
            try:
                self._collect(compiled.finditer(self._tokens.post, timeout=allowance), spans)
                return
            except TimeoutError:
                starved = time.thread_time() - started < allowance / 2
                if not starved or time.perf_counter() - first >= REGEX_WALL_SECONDS:
                    self._note(key, f"its pattern took longer than {allowance:.2g} s on this post")
                    return
            finally:
                self.budget -= time.thread_time() - started

    def _collect(self, matches: Iterator[Any], spans: set[Span]) -> None:
        for found in matches:
            span = self._tokens.span(*found.span())
            if span:
                spans.add(span)

    def _note(self, key: str, reason: str) -> None:
        self.notes.append(f"rule {self._owners[key]} could not finish: {reason}")
