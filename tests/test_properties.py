"""Property tests: any text is checked without error, offsets always hold, and results are deterministic."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postcheck import Post
from postcheck.engine.tokens import PostTokens

# Text that mixes the awkward parts of real posts: emoji, ZWJ sequences, combining marks,
# bidi and zero-width characters, homoglyphs, CRLF, tabs and rule trigger words.
ALPHABET = st.sampled_from(
    [
        *"abcdeilmnorstuvy AEIOU.,;:!?'\"-#@$0123456789\n\t\r[]*%",
        "\u200b",
        "\u200d",
        "\u202e",
        "\u0301",
        "\u0430",
        "\uff36",
        "👮",
        "👩‍👩‍👧",
        "😂",
        "\U0001f926\u200d\u2642\ufe0f",
        "\ud800"[:0],
        " vote ",
        " Labour ",
        " muppet ",
        " warrant ",
        " tomorrow ",
        " uniform ",
        " [photo: ",
        " best in town ",
        " 07700 900481 ",
    ]
)
TEXT = st.lists(ALPHABET, max_size=80).map("".join)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(text=TEXT, profile=st.sampled_from(["corporate", "personal"]))
def test_any_text_gives_findings_whose_offsets_hold(linter, text, profile):
    findings = linter.check(text, profile)
    for finding in findings:
        assert 0 <= finding.start <= finding.end <= len(text)
        assert text[finding.start : finding.end] == finding.match
        assert finding.line >= 1 and finding.column >= 1
        assert finding.clause.strip() == finding.clause
    assert findings == sorted(findings, key=lambda f: f.sort_key())


@SETTINGS
@given(text=TEXT)
def test_checking_is_deterministic(linter, text):
    assert linter.check(text) == linter.check(text)


@SETTINGS
@given(texts=st.lists(TEXT, min_size=1, max_size=5))
def test_a_post_in_a_queue_gets_the_same_findings_as_alone(linter, texts):
    posts = [Post("q", str(i), text) for i, text in enumerate(texts)]
    in_queue = [findings for _, findings in linter.check_posts(posts)]
    assert in_queue == [linter.check(text) for text in texts]


def test_a_megabyte_of_one_word(linter):
    text = "a" * 1_000_000
    assert linter.check(text) == []


def test_lone_surrogates_and_control_characters(linter):
    text = "vote \ud800 Labour \x00\x1b[31m muppet \x7f"
    for finding in linter.check(text):
        assert text[finding.start : finding.end] == finding.match


@SETTINGS
@given(text=TEXT, data=st.data())
def test_token_spans_agree_with_spacy_char_span_in_expand_mode(linter, text, data):
    doc = linter.nlp(text)
    tokens = PostTokens(doc, doc.text)
    start = data.draw(st.integers(-2, len(text) + 2))
    end = data.draw(st.integers(-2, len(text) + 2))
    expected = None
    if 0 <= start < end <= len(text):
        span = doc.char_span(start, end, alignment_mode="expand")
        expected = (span.start, span.end) if span is not None and len(span) else None
    assert tokens.span(start, end) == expected


@SETTINGS
@given(text=TEXT)
def test_token_facts_read_once_match_the_doc(linter, text):
    doc = linter.nlp(text)
    tokens = PostTokens(doc, doc.text)
    assert tokens.text == [t.text for t in doc]
    assert tokens.lower == [t.lower_ for t in doc]
    assert tokens.is_space == [t.is_space for t in doc]
    assert tokens.space_after == [bool(t.whitespace_) for t in doc]
    sentence_of = {t.i: k for k, sent in enumerate(doc.sents) for t in sent}
    assert tokens.sentence == [sentence_of[t.i] for t in doc]


def _rule_regex_alternatives():
    from postcheck import load_rulebook
    from postcheck.rulebook.expressions import leaves

    found = {}
    for rule in load_rulebook().rules:
        for leaf in leaves(rule.match):
            for pattern in leaf.compiled:
                try:
                    re.compile(pattern.source, re.IGNORECASE)  # hypothesis generates from stdlib syntax
                except re.error:
                    continue
                found[pattern.source] = (leaf.key, pattern)
    return sorted(found.items())


ALTERNATIVES = _rule_regex_alternatives()


@settings(
    max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(data=st.data())
def test_pre_checks_never_skip_a_regex_that_matches(linter, data):
    """The literal and shape pre-checks only save work: whenever a rule regex matches a text,
    the text gets past both checks for it."""
    source, (key, pattern) = data.draw(st.sampled_from(ALTERNATIVES))
    text = data.draw(st.from_regex(re.compile(source, re.IGNORECASE)))
    if pattern.compiled.search(text):
        let_through = {candidate.source for candidate in linter.matchers.candidates(text).of(key)}
        assert source in let_through, (source, text)


@pytest.mark.parametrize(
    ("source", "text"),
    [
        (r"\bunder\s+(?:25|30|35)s?\b", "Under \t\n  25s only"),
        (r"(?-i:\b\d{1,4}[A-Za-z]?,?\s+(?:[A-Z][a-z]+\s){1,3}(?:Road|Street|Lane)\b)", "at 14b, \t Acklam Road"),
        (r"(?-i:\bRT\s*@\w+)", "RT \n\n @TeesNews"),
        # Outside ASCII: other scripts' digits, other spaces, letters that fold to ASCII, emoji.
        (r"\bk\d\d", "\u212a\u0663\u0664"),
        (r"(?-i:\b[A-Z]{2}\d{2})", "😂 AB\u0663\u0664"),
        (r"\bunder\s+(?:25|30|35)s?\b", "under\u00a0\u200925 👀"),
    ],
)
def test_shape_pre_checks_hold_for_spaces_and_characters_outside_ascii(source, text):
    import regex

    from postcheck.rulebook.expressions import LazyPattern
    from postcheck.rulebook.literals import prechecks
    from postcheck.rulebook.posttext import shape

    assert regex.search(source, text, regex.IGNORECASE)
    pattern = LazyPattern(source, *prechecks(source))
    assert any(required in shape(text) for required in pattern.shapes), (pattern.shapes, shape(text))
