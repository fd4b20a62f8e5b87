"""Compile every leaf matcher of a rulebook once, and run them all on a post at once.

All `phrase` leaves and lower-case lexicons share one `PhraseMatcher` on LOWER,
all `lemma` leaves and lemma lexicons one on LEMMA, exact-case lexicons one on
ORTH, and all token patterns one `Matcher`, so the cost per post grows with the text, not with the number of
rules. Regexes run on the normalised text with a timeout.
"""
from __future__ import annotations

from collections import defaultdict

import regex
from spacy.errors import MatchPatternError
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from .errors import PostcheckError
from .expressions import Leaf, leaves
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
        self._regexes: list[tuple[str, regex.Pattern]] = []
        self._keys: dict[int, str] = {}
        seen: set[str] = set()
        for rule in rulebook.rules:
            for leaf in leaves(rule.match):
                if leaf.key not in seen:
                    seen.add(leaf.key)
                    self._add(leaf, rulebook, rule)
        self._active = [m for m in (*self._phrases.values(), self._tokens) if len(m)]

    def _terms(self, terms, with_lemmas: bool) -> list[Doc]:
        docs = [self._nlp.make_doc(normalize(term).text) for term in terms]
        if with_lemmas:
            lemmatizer = self._nlp.get_pipe("postcheck_lemmatizer")
            docs = [lemmatizer(doc) for doc in docs]
        return docs

    def _add(self, leaf: Leaf, rulebook: Rulebook, rule) -> None:
        self._keys[self._nlp.vocab.strings.add(leaf.key)] = leaf.key
        if leaf.kind == "phrase":
            self._phrases["LOWER"].add(leaf.key, self._terms(leaf.value, False))
        elif leaf.kind == "lemma":
            self._phrases["LEMMA"].add(leaf.key, self._terms(leaf.value, True))
        elif leaf.kind == "lexicon":
            lexicon = rulebook.lexicons[leaf.value]
            self._phrases[lexicon.attr].add(leaf.key, self._terms(lexicon.terms, lexicon.attr == "LEMMA"))
        elif leaf.kind == "pattern":
            try:
                self._tokens.add(leaf.key, leaf.value)
            except (MatchPatternError, ValueError) as exc:
                detail = " ".join(str(exc).split())
                raise PostcheckError(f"rule {rule.id}: invalid token pattern: {detail}", rule.path, rule.line) from None
        elif leaf.kind == "regex":
            for pattern in leaf.value:
                self._regexes.append((leaf.key, regex.compile(pattern, regex.IGNORECASE)))

    def run(self, doc: Doc) -> dict[str, list[Span]]:
        """Every leaf that matched, with its token spans in document order."""
        hits: dict[str, list[Span]] = defaultdict(list)
        for matcher in self._active:
            for match_id, start, end in matcher(doc):
                hits[self._keys[match_id]].append((start, end))
        text = doc.text
        for key, pattern in self._regexes:
            try:
                for found in pattern.finditer(text, timeout=REGEX_TIMEOUT_SECONDS):
                    span = doc.char_span(found.start(), found.end(), alignment_mode="expand")
                    if span is not None and len(span):
                        hits[key].append((span.start, span.end))
            except TimeoutError:
                continue  # a pathological input; the other rules still run
        for spans in hits.values():
            spans.sort()
        return hits
