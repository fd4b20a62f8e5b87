"""The spaCy pipeline: blank English and one component for sentences and lookup lemmas.

No trained model and no network: `spacy.blank("en")` and one component that,
in a single pass over the tokens, sets lookup lemmas keyed on the lower-case
form (so "Recommend" and "recommended" share the lemma "recommend" whatever
their case) and splits sentences: where spaCy's rule-based sentencizer would
(after sentence-final punctuation, with its punctuation list) and after each
line break (posts put image descriptions and bios on lines of their own).
Everything it needs to know about a word is worked out the first time the word
is seen and kept for the first `KNOWN_WORDS` words, since the vocabulary of posts
is small and repetitive (and a queue's unique hashtags must not grow memory); one
pass instead of the sentencizer's and a lemmatizer's was a tenth of a check's time.

Loading the full lemma table (41,000 entries) is a large share of start-up, so
a rulebook's first run saves the part of it that its rules can ever use (the
entries whose lemma occurs in a `lemma` matcher) as JSON in the user's cache
directory, and later runs load that instead. Words outside it keep their
lower-case form, which cannot match any lemma pattern either way.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

from ..rulebook.cache import read_json, write_json
from .guarded_tokenizer import GuardedTokenizer

FULL_TABLE = "full"
# Where the annotator leaves, for `PostTokens`, each token's start and end offsets, sentence number,
# lemma, text and lower-case form, read in its pass so that nothing after it has to build spaCy Token
# objects again, nor slice and lower-case the post's words one by one.
TOKEN_FACTS = "postcheck.tokens"
KNOWN_WORDS = 20_000


@lru_cache(maxsize=1)
def full_lemma_table():
    from spacy.lookups import load_lookups

    return load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")


def _load_table(source: str) -> dict[int, str]:
    if source == FULL_TABLE:
        return full_lemma_table()
    cached = read_json(Path(source))
    if not isinstance(cached, dict) or not all(isinstance(value, str) for value in cached.values()):
        raise ValueError(f"unreadable lemma cache {source}")
    return {int(key): value for key, value in cached.items()}


def save_reduced_table(path: Path, lemmas: set[str]) -> None:
    """Keep the entries whose lemma some rule can match."""
    write_json(path, {str(key): value for key, value in full_lemma_table().items() if value.lower() in lemmas})


@Language.factory("postcheck_annotator", default_config={"table": FULL_TABLE, "sentences": True})
def make_annotator(nlp: Language, name: str, table: str, sentences: bool) -> Callable[[Doc], Doc]:
    lemmas = _load_table(table)
    strings = nlp.vocab.strings
    add_string: Callable[..., int] = strings.add  # its `allow_transient` (spaCy 3.8) is not in spaCy's type stub
    sentence_final = {strings.add(char) for char in Sentencizer.default_punct_chars}
    # orth id -> (lemma id, length, punctuation that ends no sentence, sentence-final, line break, lemma, text,
    # lower-case form)
    known: dict[int, tuple[int, int, bool, bool, bool, str, str, str]] = {}
    marker = Sentencizer()

    def facts(token: Token, keep: bool) -> tuple[int, int, bool, bool, bool, str, str, str]:
        lower = token.lower_
        lemma = lemmas.get(get_string_id(lower), lower).lower()
        # A word kept in `known` needs its lemma for good; others' lemmas go with the memory zone.
        lemma_id = add_string(lemma, allow_transient=not keep)
        final = token.orth in sentence_final
        text = token.text
        line_break = token.is_space and "\n" in text
        return lemma_id, len(text), token.is_punct and not final, final, line_break, lemma, text, lower

    def annotate(doc: Doc) -> Doc:
        starts: list[bool] = []
        offsets: list[int] = []
        ends: list[int] = []
        lemma_of: list[str] = []
        texts: list[str] = []
        lowers: list[str] = []
        after_final = after_break = False
        for token in doc:
            orth = token.orth
            word = known.get(orth)
            if word is None:
                keep = len(known) < KNOWN_WORDS
                word = facts(token, keep)
                if keep:
                    known[orth] = word
            lemma, length, other_punct, final, line_break, lemma_text, text, lower = word
            token.lemma = lemma
            lemma_of.append(lemma_text)
            texts.append(text)
            lowers.append(lower)
            idx = token.idx
            offsets.append(idx)
            ends.append(idx + length)
            if sentences:
                # As spaCy's Sentencizer: a sentence starts at the first token after sentence-final
                # punctuation that is not punctuation itself; and, for posts, after a line break.
                start = after_final and not final and not other_punct
                starts.append(start or after_break or not starts)
                after_final = final or (after_final and not start)
                after_break = line_break
            else:  # a trained pipeline's parser has split them
                starts.append(not starts or bool(token.is_sent_start))
        if sentences:
            marker.set_annotations([doc], [starts])  # in one call: Token.is_sent_start rescans the doc per token
        sentence_of = list(accumulate(starts[1:], initial=0)) if starts else []
        doc.user_data[TOKEN_FACTS] = (offsets, ends, sentence_of, lemma_of, texts, lowers)
        return doc

    return annotate


def build_pipeline(model: str | None = None, lemma_table: str = FULL_TABLE) -> Language:
    """Build the Language once; `model` names an installed trained pipeline instead of blank English."""
    nlp = spacy.load(model) if model else spacy.blank("en")
    nlp.tokenizer = GuardedTokenizer(nlp.tokenizer, nlp.vocab)
    nlp.add_pipe("postcheck_annotator", config={"table": lemma_table, "sentences": not model})
    return nlp
