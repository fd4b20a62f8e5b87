"""Normalisation rewrites evasions once and keeps every offset pointing at the original text."""

from __future__ import annotations

from functools import partial

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postcheck.engine.normalize import NormalizedText, normalize


def mapped(text: str, word: str) -> str:
    """The original text behind `word` in the normalised text."""
    norm = normalize(text)
    start = norm.text.index(word)
    a, b = norm.to_original(start, start + len(word))
    return text[a:b]


@pytest.mark.parametrize(
    ("text", "word", "original"),
    [
        ("Vote L@bour today", "Labour", "L@bour"),
        ("v0te now", "vote", "v0te"),
        ("sooooo good", "so", "sooooo"),
        ("v o t e for us", "vote", "v o t e"),
        ("v\u200bote for us", "vote", "v\u200bote"),
        ("\uff36\uff2f\uff34\uff25 now", "VOTE", "\uff36\uff2f\uff34\uff25"),
        ("Vote L\u0430bour", "Labour", "L\u0430bour"),
        ("#VoteReform now", "Vote Reform", "VoteReform"),
        ("we don\u2019t", "don't", "don\u2019t"),
    ],
)
def test_evasions_are_undone_and_mapped_back(text, word, original):
    assert word in normalize(text).text
    assert mapped(text, word) == original


def test_plain_text_costs_nothing():
    norm = normalize("Officers attended a collision on the A19.")
    assert norm.starts is None
    assert norm.to_original(3, 9) == (3, 9)


@pytest.mark.parametrize(
    "text", ["4pm", "A19", "0800 555 111", "www.cleveland.police.uk", "@jonno_84", "£30", "l8r", "gr8", "b4"]
)
def test_ordinary_tokens_are_left_alone(text):
    assert normalize(text).text == text


@settings(max_examples=400, deadline=None)
@given(
    text=st.lists(
        st.sampled_from([*"aZ0137@$#' .\t£😂", "v o t e", "b0ss", "soooo", "L@bour", "x y"]), max_size=30
    ).map("".join)
)
def test_a_pass_is_skipped_only_where_it_could_not_match(text):
    from postcheck.engine.normalize import PASSES, _apply, _letters, _replacement

    letters = _letters(text)
    for pattern, may_match in PASSES:
        if not may_match(text, letters):
            assert next(iter(pattern.finditer(text)), None) is None
    every_pass = NormalizedText(text, text)
    for pattern, _ in PASSES:
        every_pass = _apply(every_pass, pattern, partial(_replacement, pattern=pattern))
    assert normalize(text) == every_pass
