"""The spaCy pipeline: blank English, sentences, line breaks and lookup lemmas.

No trained model and no network: `spacy.blank("en")`, the rule-based
sentencizer, and one component that sets lookup lemmas keyed on the lower-case
form (so "Recommend" and "recommended" share the lemma "recommend" whatever
their case) and starts a sentence after each line break (posts put image
descriptions and bios on lines of their own).

Loading the full lemma table (41,000 entries) is a large share of start-up, so
a rulebook's first run saves the part of it that its rules can ever use (the
entries whose lemma occurs in a `lemma` matcher) as JSON in the user's cache
directory, and later runs load that instead. Words outside it keep their
lower-case form, which cannot match any lemma pattern either way.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.strings import hash_string
from spacy.tokens import Doc

from .cache import read_json, write_json

FULL_TABLE = "full"


@lru_cache(maxsize=1)
def full_lemma_table():
    from spacy.lookups import load_lookups

    return load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")


def _load_table(source: str) -> dict[int, str]:
    if source == FULL_TABLE:
        return full_lemma_table()
    cached = read_json(Path(source))
    if not isinstance(cached, dict):
        raise ValueError(f"unreadable lemma cache {source}")
    return {int(key): value for key, value in cached.items()}


def save_reduced_table(path: Path, lemmas: set[str]) -> None:
    """Keep the entries whose lemma some rule can match."""
    write_json(path, {str(key): value for key, value in full_lemma_table().items() if value.lower() in lemmas})


@Language.factory("postcheck_lemmatizer", default_config={"table": FULL_TABLE})
def make_lemmatizer(nlp: Language, name: str, table: str):
    lemmas = _load_table(table)
    strings = nlp.vocab.strings
    lemma_of: dict[int, int] = {}  # orth id -> lemma id; the vocabulary of posts is small and repetitive

    def lemmatize(doc: Doc) -> Doc:
        # One pass sets the lemmas and starts a sentence after each line break (the tokenizer
        # always makes a line break its own whitespace token).
        break_before = False
        for token in doc:
            lemma = lemma_of.get(token.orth)
            if lemma is None:
                lower = token.lower_
                lemma = lemma_of[token.orth] = strings.add(lemmas.get(hash_string(lower), lower).lower())
            token.lemma = lemma
            if break_before:
                token.is_sent_start = True
            break_before = token.is_space and "\n" in token.text
        return doc

    return lemmatize


def build_pipeline(model: str | None = None, lemma_table: str = FULL_TABLE) -> Language:
    """Build the Language once; `model` names an installed trained pipeline instead of blank English."""
    if model:
        nlp = spacy.load(model)
    else:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
    nlp.add_pipe("postcheck_lemmatizer", name="postcheck_lemmatizer", config={"table": lemma_table})
    return nlp
