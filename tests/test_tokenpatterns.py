"""Token patterns compiled by `engine/tokenpatterns.py` find exactly what spaCy's Matcher finds."""

from __future__ import annotations

from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.matcher import Matcher

from postcheck.engine.normalize import normalize
from postcheck.engine.tokenpatterns import TokenPatterns, Unsupported
from postcheck.engine.tokens import PostTokens

WORDS = ["on", "the", "The", "Tees", "tees", "A19", "B12", ",", ".", "heads", "up", "Monday", "arrested", "a", "lad"]
WORDS += ["him", "we", "I", "\n", "!", "3", "Mr", "TEES", "x-ray", "it's"]
TOKEN_SPECS = st.one_of(
    st.fixed_dictionaries({"LOWER": st.sampled_from(["on", "the", "tees", "heads", "up", ","])}),
    st.fixed_dictionaries({"ORTH": st.sampled_from(["The", "Tees", ",", "."])}),
    st.fixed_dictionaries({"LOWER": st.fixed_dictionaries({"IN": st.lists(st.sampled_from(WORDS), min_size=1)})}),
    st.fixed_dictionaries({"LOWER": st.fixed_dictionaries({"NOT_IN": st.lists(st.sampled_from(WORDS), min_size=1)})}),
    st.fixed_dictionaries(
        {"TEXT": st.fixed_dictionaries({"REGEX": st.sampled_from(["^[ABM][0-9]{1,4}$", "e", "^T"])})}
    ),
    st.sampled_from(["IS_TITLE", "IS_ALPHA", "IS_SPACE", "IS_PUNCT"]).flatmap(
        lambda flag: st.fixed_dictionaries({flag: st.booleans()})
    ),
    st.fixed_dictionaries({"IS_SENT_START": st.booleans(), "LOWER": st.sampled_from(["arrested", "the", "we"])}),
    st.fixed_dictionaries({"IS_TITLE": st.just(True), "LOWER": st.fixed_dictionaries({"NOT_IN": st.just(["monday"])})}),
)
STEPS = st.tuples(TOKEN_SPECS, st.booleans()).map(lambda step: {**step[0], "OP": "?"} if step[1] else step[0])
PATTERNS = st.dictionaries(
    st.sampled_from(["place", "act"]),
    st.lists(st.lists(STEPS, min_size=1, max_size=4), min_size=1, max_size=3),
    min_size=1,
)


def _tokens(nlp, text):
    norm = normalize(text)
    return PostTokens(nlp(norm.text), norm.text)


def _spacy(nlp, patterns, tokens):
    matcher = Matcher(nlp.vocab, validate=True)
    for key, found in patterns.items():
        matcher.add(key, found)
    spans = defaultdict(set)
    for match_id, start, end in matcher(tokens.doc):
        spans[nlp.vocab.strings[match_id]].add((start, end))
    return {key: sorted(found) for key, found in spans.items()}


@settings(max_examples=300, deadline=None)
@given(patterns=PATTERNS, words=st.lists(st.sampled_from(WORDS), max_size=14))
def test_compiled_patterns_find_what_spacy_finds(nlp, patterns, words):
    tokens = _tokens(nlp, " ".join(words))
    assert TokenPatterns(nlp, patterns)(tokens) == _spacy(nlp, patterns, tokens)


def test_the_rulebook_patterns_find_what_spacy_finds_on_posts(nlp, linter):
    patterns = linter.matchers._token_patterns
    compiled = TokenPatterns(nlp, patterns)
    for text in [
        "Heads up, Stockton! Arrested a lad on the A19 near Yarm. Sectioned him.",
        "Arrested him at 3am. We cuffed them outside the Riverside, Tuesday.",
        "on Monday, at the Park, off B1380 \n arrested the 17-year-old lad",
    ]:
        tokens = _tokens(nlp, text)
        assert compiled(tokens) == _spacy(nlp, patterns, tokens)


@pytest.mark.parametrize(
    "pattern",
    [
        [{"LOWER": "a", "OP": "+"}],
        [{"LEMMA": "arrest"}],
        [{"LOWER": {"FUZZY": "arrest"}}],
        [{"LENGTH": 3}],
        [{"OP": "?"}],
    ],
)
def test_what_is_not_compiled_is_refused(nlp, pattern):
    with pytest.raises(Unsupported):
        TokenPatterns(nlp, {"key": [pattern]})


def test_a_rulebook_with_a_pattern_not_compiled_is_matched_by_spacy(nlp):
    from postcheck.engine.matchers import _compiled

    assert _compiled(nlp, {"key": [[{"LOWER": "a", "OP": "+"}]]}) is None
    assert _compiled(nlp, {"key": [[{"LOWER": "a"}]]}) is not None
