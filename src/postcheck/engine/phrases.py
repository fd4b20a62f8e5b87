"""Phrase, lemma and lexicon terms matched as token sequences, without building a spaCy Doc per term.

A term matches where the post has the same tokens as the term, compared on one
attribute: the lower-case form, the lemma, or the exact text (what spaCy's
`PhraseMatcher` compares). The terms of every leaf on one attribute share a
trie, walked once per post over the token values the annotator already has.

spaCy's `PhraseMatcher` needs a Doc per term: building ~7,500 of them took a
quarter of a second, the largest part of start-up. So the terms are tokenised
once per rulebook (by the pipeline's own tokenizer and lemmas, so a term splits
as the same words in a post would) and their token sequences kept in the cache
directory; later runs read them back and only build the tries.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

from spacy.language import Language

from ..rulebook.cache import cache_dir, read_json, write_json
from . import normalize, pipeline
from .normalize import normalize as normalise_text

ATTRS = ("LOWER", "LEMMA", "ORTH")
_END = ""  # a token is never empty, so the empty string marks where terms end
Sequence = tuple[str, ...]
_STAMP = hashlib.sha256(
    b"".join(Path(str(module.__file__)).read_bytes() for module in (normalize, pipeline)) + Path(__file__).read_bytes()
).hexdigest()[:8]


class PhraseIndex:
    """The terms of many leaves on one attribute, as a trie of token values."""

    def __init__(self) -> None:
        self._root: dict = {}
        self.size = 0

    def add(self, key: str, sequences: Iterable[Sequence]) -> None:
        for sequence in sequences:
            node = self._root
            for value in sequence:
                node = node.setdefault(value, {})
            keys = node.setdefault(_END, [])
            if key not in keys:  # two terms can share a sequence ("drug", "drugs" as lemmas)
                keys.append(key)
                self.size += 1

    def find(self, values: list[str], found: dict[str, list[tuple[int, int]]]) -> None:
        """Add to `found` every (start, end) token span of `values` that is one of a leaf's terms."""
        root, count = self._root, len(values)
        for start in range(count):
            node = root.get(values[start])
            end = start + 1
            while node is not None:
                keys = node.get(_END)
                if keys is not None:
                    for key in keys:
                        found[key].append((start, end))
                if end == count:
                    break
                node = node.get(values[end])
                end += 1


class TermSequences:
    """Each term's token sequence on its attribute, from the cache or tokenised now (and cached)."""

    def __init__(self, nlp: Language, digest: str):
        self._nlp = nlp
        self._file = cache_dir() / f"phrases-{digest}-{_STAMP}.json"
        stored = read_json(self._file)
        self._known: dict[str, list[Sequence]] = {}
        if isinstance(stored, dict):
            try:
                self._known = {key: [tuple(map(str, seq)) for seq in seqs] for key, seqs in stored.items()}
            except TypeError:  # damaged: tokenise afresh
                self._known = {}
        self._fresh = not self._known

    def of(self, key: str, terms: Iterable[str], attr: str) -> list[Sequence]:
        """The token sequences of a leaf's terms (`key` names the leaf and its attribute)."""
        if key not in self._known:
            self._known[key] = self._tokenise(terms, attr)
            self._fresh = True
        return self._known[key]

    def _tokenise(self, terms: Iterable[str], attr: str) -> list[Sequence]:
        docs = [self._nlp.make_doc(normalise_text(term).text) for term in terms]
        if attr == "LEMMA":
            annotate: Callable = self._nlp.get_pipe("postcheck_annotator")
            return [tuple(token.lemma_ for token in annotate(doc)) for doc in docs]
        if attr == "LOWER":
            return [tuple(token.lower_ for token in doc) for doc in docs]
        return [tuple(token.text for token in doc) for doc in docs]

    def save(self) -> None:
        if self._fresh:
            write_json(self._file, self._known)
            self._fresh = False
