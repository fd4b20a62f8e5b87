"""Compile every leaf matcher of a rulebook once, and run them all on a post at once.

All `phrase` leaves and lower-case lexicons share one phrase index on LOWER,
all `lemma` leaves and lemma lexicons one on LEMMA, exact-case lexicons one on
ORTH (see `phrases.py`), and all token patterns one spaCy `Matcher`, so the cost
per post grows with the text, not with the number of rules. Regexes run on the normalised text with a
timeout, and only the alternatives that pass their pre-checks (the literal
words and shapes a match needs, found for all rules at once: `prefilter.py`).
Regexes and token patterns run only when a rule first asks for one of them: the
`Matcher` builds a spaCy Token for each token it tests, which cost a tenth of
checking a short post, and the rules that use token patterns rarely get that far.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from spacy.errors import MatchPatternError
from spacy.language import Language
from spacy.matcher import Matcher

from ..core.errors import PostcheckError
from ..rulebook.detectors import DETECTORS, Detector, Partial, digits
from ..rulebook.expressions import LazyPattern, Leaf, leaves
from ..rulebook.loader import Rule, Rulebook
from .phrases import ATTRS, PhraseIndex, TermSequences
from .prefiltercache import cached_prefilter
from .tokenpatterns import TokenPatterns, Unsupported
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
        self._tokens = Matcher(nlp.vocab, validate=True)  # checks each pattern, and matches those tokenpatterns cannot
        self._token_patterns: dict[str, list[list[dict]]] = {}
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
        self._patterns = frozenset(key for key in self._keys.values() if key in self._tokens)
        self._compiled_patterns = _compiled(nlp, self._token_patterns)
        # Every regex alternative, numbered in the order of their sources, in which a leaf's are searched.
        alternatives = sorted(
            ((key, pattern) for key, patterns in self._regexes.items() for pattern in patterns),
            key=lambda item: item[1].source,
        )
        self._alternatives = [pattern for _, pattern in alternatives]
        self._key_of = [key for key, _ in alternatives]
        numbers: dict[str, set[int]] = defaultdict(set)
        for index, key in enumerate(self._key_of):
            numbers[key].add(index)
        self._numbers = {key: frozenset(found) for key, found in numbers.items()}
        self._prefilter = cached_prefilter(self._alternatives)

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
                self._token_patterns[leaf.key] = leaf.value  # equal leaves share a key, so none is lost
            except (MatchPatternError, ValueError) as exc:
                detail = " ".join(str(exc).split())
                raise PostcheckError(f"rule {rule.id}: invalid token pattern: {detail}", rule.path, rule.line) from None
        elif leaf.kind == "regex":
            self._regexes[leaf.key].extend(leaf.compiled)
        elif leaf.kind == "detector":
            self._detectors[leaf.key] = DETECTORS[leaf.value]

    def run(self, tokens: PostTokens) -> PostHits:
        """The leaves that matched this post: phrases and detectors now, regexes and token patterns when
        first asked for."""
        text = tokens.post
        eager: dict[str, list[Span]] = defaultdict(list)
        for attr, index in self._indexes:
            index.find(tokens.values(attr), eager)
        for spans in eager.values():
            spans.sort()
        hits = PostHits(tokens, eager, self.candidates(text), self._owners, self._patterns, self.match_tokens)
        for key, detect in self._detectors.items():
            try:
                found = detect(text, self._official)
            except Partial as partial:
                found = partial.spans
                hits.notes.append(f"rule {self._owners[key]} stopped early: {partial.reason}")
            spans = sorted({span for a, b in found if (span := tokens.span(a, b))})
            if spans:
                eager[key] = spans
        hits.active |= eager.keys() | self._patterns
        return hits

    def match_tokens(self, tokens: PostTokens) -> dict[str, list[Span]]:
        """The hits of the token patterns, all found at once: by the compiled patterns, or by spaCy's `Matcher`
        for a rulebook whose patterns they cannot match."""
        if self._compiled_patterns is not None:
            return self._compiled_patterns(tokens)
        found: dict[str, list[Span]] = defaultdict(list)
        for match_id, start, end in self._tokens(tokens.doc):
            found[self._keys[match_id]].append((start, end))
        for spans in found.values():
            spans.sort()
        return found

    def candidates(self, text: str) -> Candidates:
        """The regex alternatives that may match this text: those whose literals occur in it (with
        the word boundaries they need) and whose shapes it has."""
        return Candidates(self, self._prefilter.passing(text))


class Candidates:
    """The regex alternatives a post's pre-checks let through, by leaf (none by default)."""

    def __init__(self, matchers: MatcherSet | None = None, passed: frozenset[int] | set[int] = frozenset()):
        self._matchers = matchers
        self._passed = passed
        self.keys = {matchers._key_of[index] for index in passed} if matchers else set()

    def of(self, key: str) -> list[LazyPattern]:
        """A leaf's alternatives let through, in the order of their sources."""
        if self._matchers is None:
            return []
        alternatives = self._matchers._alternatives
        return [alternatives[index] for index in sorted(self._matchers._numbers.get(key, frozenset()) & self._passed)]


class PostHits:
    """Leaf hits for one post. Regex leaves run lazily: only when a rule needs them, and only
    the alternatives the post's literals and shape let through, since regexes cost the most."""

    def __init__(
        self,
        tokens: PostTokens,
        eager: dict[str, list[Span]],
        candidates: Candidates,
        owners: dict[str, str],
        patterns: frozenset[str] = frozenset(),
        match_tokens: Callable[[PostTokens], dict[str, list[Span]]] | None = None,
    ):
        self._tokens = tokens
        self._hits = eager  # filled by the caller with the detectors' hits
        self._candidates = candidates
        self._pending = set(candidates.keys)  # the regex leaves still to run
        self._owners = owners
        self._patterns = patterns  # the token patterns' leaves, all matched when a rule first asks for one
        self._match_tokens = match_tokens
        self.active = eager.keys() | candidates.keys  # leaves that fired or still may fire
        self.budget = REGEX_BUDGET_SECONDS
        self._searched: dict[str, set[Span]] = {}  # each alternative's hits, once its search has finished
        self.notes: list[str] = []  # what could not be checked in full, for the post's problems

    def get(self, key: str) -> list[Span]:
        if key in self._pending:
            self._pending.discard(key)
            self._hits[key] = self._run_regexes(key, self._candidates.of(key))
        elif key in self._patterns and self._match_tokens is not None:
            self._hits.update(self._match_tokens(self._tokens))
            self._match_tokens = None
        return self._hits.get(key, [])

    def _run_regexes(self, key: str, patterns: list[LazyPattern]) -> list[Span]:
        spans: set[Span] = set()
        length = len(self._tokens.post)
        for pattern in patterns:
            found = self._searched.get(pattern.source)  # rules share alternatives: each is searched once a post
            if found is None:
                found = set()
                compiled = pattern.compiled  # compiled on first use: not searching, so not on the post's time
                # Keeping a timeout reads the process clock, which costs more than searching a short
                # post; a post within the pattern's proven safe length needs none (see regexbound.py).
                if length <= pattern.safe_length:
                    self._collect(compiled.finditer(self._tokens.post), found)
                    self._searched[pattern.source] = found
                elif self._search_timed(key, compiled, found):
                    self._searched[pattern.source] = found
            spans |= found
        return sorted(spans)

    def _search_timed(self, key: str, compiled: Any, spans: set[Span]) -> bool:
        """Search within the post's time limits, counted in this thread's processor time; whether the
        search finished. The regex engine's timeout is wall-clock, so on a busy machine it can expire while
        the search got little of the processor: such a search is tried again, up to a far higher wall-clock
        cap that only a true hang reaches."""
        allowance = min(REGEX_TIMEOUT_SECONDS, self.budget)
        if allowance <= 0:
            self._note(key, "the post's time for rule patterns ran out before this rule's turn")
            return False
        first = time.perf_counter()
        while True:
            started = time.thread_time()
            try:
                self._collect(compiled.finditer(self._tokens.post, timeout=allowance), spans)
                return True
            except TimeoutError:
                starved = time.thread_time() - started < allowance / 2
                if not starved or time.perf_counter() - first >= REGEX_WALL_SECONDS:
                    self._note(key, f"its pattern took longer than {allowance:.2g} s on this post")
                    return False
            finally:
                self.budget -= time.thread_time() - started

    def _collect(self, matches: Iterator[Any], spans: set[Span]) -> None:
        for found in matches:
            span = self._tokens.span(*found.span())
            if span:
                spans.add(span)

    def _note(self, key: str, reason: str) -> None:
        self.notes.append(f"rule {self._owners[key]} could not finish: {reason}")


def _compiled(nlp: Language, patterns: dict[str, list[list[dict]]]) -> TokenPatterns | None:
    """The token patterns compiled, when they can be: when the tokens' sentence starts are the annotator's (a
    trained pipeline's parser marks its own) and each pattern uses what `tokenpatterns` matches."""
    if not patterns or not nlp.get_pipe_config("postcheck_annotator").get("sentences", True):
        return None
    try:
        return TokenPatterns(nlp, patterns)
    except Unsupported:
        return None
