"""Compile every leaf matcher of a rulebook once, and run them all on a post at once.

All `phrase` leaves and lower-case lexicons share one `PhraseMatcher` on LOWER,
all `lemma` leaves and lemma lexicons one on LEMMA, exact-case lexicons one on
ORTH, and all token patterns one `Matcher`, so the cost per post grows with the text, not with the number of
rules. Regexes run on the normalised text with a timeout, and only when one of
the literal words they need occurs in the post (see `literals.py`).
"""
from __future__ import annotations

from collections import defaultdict

import regex
from spacy.errors import MatchPatternError
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from .detectors import DETECTORS, digits
from .errors import PostcheckError
from .expressions import LazyPattern, Leaf, leaves
from .normalize import normalize
from .rulebook import Rulebook

REGEX_TIMEOUT_SECONDS = 0.25

Span = tuple[int, int]  # token start, token end (exclusive)


class MatcherSet:
    """The compiled leaf matchers of one rulebook."""

    def __init__(self, nlp: Language, rulebook: Rulebook):
        self._nlp = nlp
        self._phrases = {attr: PhraseMatcher(nlp.vocab, attr=attr) for attr in ("LOWER", "LEMMA", "ORTH")}
        self._tokens = Matcher(nlp.vocab, validate=True)
        self._regexes: dict[str, list[tuple[regex.Pattern, frozenset | None]]] = defaultdict(list)  # in rule order
        self._keys: dict[int, str] = {}
        self.lemmas: set[str] = set()  # every lemma a lemma matcher can match
        self._detectors: dict[str, object] = {}
        official = rulebook.lexicons.get("official-numbers")
        self._official = frozenset(digits(term) for term in official.terms) if official else frozenset()
        seen: set[str] = set()
        for rule in rulebook.rules:
            for leaf in leaves(rule.match):
                if leaf.key not in seen:
                    seen.add(leaf.key)
                    self._add(leaf, rulebook, rule)
        self._active = [m for m in (*self._phrases.values(), self._tokens) if len(m)]
        # Regex leaves that must always be considered, and for each literal the leaves that
        # may match once it occurs.
        self._always = frozenset(key for key, entries in self._regexes.items() if any(lit is None for _, lit in entries))
        self._keys_of: dict[str, set[str]] = defaultdict(set)
        for key, entries in self._regexes.items():
            for _, literals in entries:
                for literal in literals or ():
                    self._keys_of[literal].add(key)
        literals = frozenset(self._keys_of)
        # Index the literals by their first three characters, so a post only tests those whose
        # opening trigram it contains.
        self._short_literals = [lit for lit in literals if len(lit) < 3]
        self._by_trigram: dict[str, list[str]] = defaultdict(list)
        for literal in literals:
            if len(literal) >= 3:
                self._by_trigram[literal[:3]].append(literal)
        self._trigrams = frozenset(self._by_trigram)

    def _terms(self, terms, with_lemmas: bool) -> list[Doc]:
        docs = [self._nlp.make_doc(normalize(term).text) for term in terms]
        if with_lemmas:
            lemmatizer = self._nlp.get_pipe("postcheck_lemmatizer")
            docs = [lemmatizer(doc) for doc in docs]
            self.lemmas.update(token.lemma_ for doc in docs for token in doc)
        return docs

    def _add(self, leaf: Leaf, rulebook: Rulebook, rule) -> None:
        self._keys[self._nlp.vocab.strings.add(leaf.key)] = leaf.key
        if leaf.kind == "phrase":
            self._phrases["LOWER"].add(leaf.key, self._terms(leaf.value, False))
        elif leaf.kind == "lemma":
            self._phrases["LEMMA"].add(leaf.key, self._terms(leaf.value, True))
        elif leaf.kind == "lexicon":
            lexicon = rulebook.lexicons[leaf.value]
            if lexicon.terms:  # a lexicon filled from configuration (the watchlist) may be empty
                self._phrases[lexicon.attr].add(leaf.key, self._terms(lexicon.terms, lexicon.attr == "LEMMA"))
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

    def run(self, doc: Doc, text: str) -> PostHits:
        """The leaves that matched this post (`text` is `doc.text`, which spaCy rebuilds on every access):
        spaCy matchers now, regexes when first asked for."""
        eager: dict[str, list[Span]] = defaultdict(list)
        for matcher in self._active:
            for match_id, start, end in matcher(doc):
                eager[self._keys[match_id]].append((start, end))
        for spans in eager.values():
            spans.sort()
        folded = text.casefold()
        trigrams = {folded[i:i + 3] for i in range(len(folded) - 2)} & self._trigrams
        present = {lit for tri in trigrams for lit in self._by_trigram[tri] if lit in folded}
        present.update(lit for lit in self._short_literals if lit in folded)
        maybe = self._always.union(*(self._keys_of[literal] for literal in present))
        for key, detect in self._detectors.items():
            spans = [doc.char_span(a, b, alignment_mode="expand") for a, b in detect(text, self._official)]
            spans = sorted((s.start, s.end) for s in spans if s is not None and len(s))
            if spans:
                eager[key] = spans
        return PostHits(doc, text, eager, {key: self._regexes[key] for key in maybe}, present)


class PostHits:
    """Leaf hits for one post. Regex leaves run lazily: only when a rule needs them, and only
    when one of the literals they require occurs in the post, since regexes cost the most."""

    def __init__(self, doc: Doc, text: str, eager: dict[str, list[Span]], pending: dict, present: set[str]):
        self._doc = doc
        self._text = text
        self._hits = dict(eager)
        self._pending = pending  # leaf key -> [(pattern, literals it needs or None)]
        self._present = present  # the literals that occur in the post

    def keys(self) -> set[str]:
        """Leaves that fired or still may fire."""
        return self._hits.keys() | self._pending.keys()

    def get(self, key: str) -> list[Span]:
        if key in self._pending:
            self._hits[key] = self._run_regexes(self._pending.pop(key))
        return self._hits.get(key, [])

    def _run_regexes(self, entries: list[tuple[LazyPattern, frozenset | None]]) -> list[Span]:
        doc, spans = self._doc, []
        for pattern, literals in entries:
            if literals is not None and literals.isdisjoint(self._present):
                continue
            try:
                for found in pattern.compiled.finditer(self._text, timeout=REGEX_TIMEOUT_SECONDS):
                    span = doc.char_span(found.start(), found.end(), alignment_mode="expand")
                    if span is not None and len(span):
                        spans.append((span.start, span.end))
            except TimeoutError:
                continue  # a pathological input; the other rules still run
        return sorted(set(spans))
