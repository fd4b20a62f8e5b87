"""The spaCy pipeline: blank English, sentences, line breaks and lookup lemmas.

No trained model and no network: `spacy.blank("en")`, the rule-based
sentencizer, and one component that sets lookup lemmas keyed on the lower-case
form (so "Recommend" and "recommended" share the lemma "recommend" whatever
their case) and starts a sentence after each line break (posts put image
descriptions and bios on lines of their own).
"""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc


@lru_cache(maxsize=1)
def _lemma_table():
    from spacy.lookups import load_lookups

    return load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")


@Language.factory("postcheck_lemmatizer")
def make_lemmatizer(nlp: Language, name: str):
    table = _lemma_table()
    strings = nlp.vocab.strings
    lemma_of: dict[int, int] = {}  # orth id -> lemma id; the vocabulary of posts is small and repetitive

    def lemmatize(doc: Doc) -> Doc:
        # One pass sets the lemmas and, in posts with line breaks, starts a sentence after each.
        lines = "\n" in doc.text
        break_before = False
        for token in doc:
            lemma = lemma_of.get(token.orth)
            if lemma is None:
                lower = token.lower_
                lemma = lemma_of[token.orth] = strings.add(table.get(lower, lower).lower())
            token.lemma = lemma
            if lines:
                if break_before:
                    token.is_sent_start = True
                break_before = "\n" in token.whitespace_ or (token.is_space and "\n" in token.text)
        return doc

    return lemmatize


def build_pipeline(model: str | None = None) -> Language:
    """Build the Language once; `model` names an installed trained pipeline instead."""
    if model:
        nlp = spacy.load(model)
    else:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
    nlp.add_pipe("postcheck_lemmatizer", name="postcheck_lemmatizer")
    return nlp
