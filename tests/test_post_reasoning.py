"""Post-level reasoning: cues combined across sentences within a bound, and findings that mark
the clause carrying the breach rather than the context around it."""

from __future__ import annotations

import pytest
from tests.conftest import rule_yaml
from tests.test_matchers import linter_for, matches

from postcheck import PostcheckError, load_rulebook

# One cue of each matcher kind, and a post in which it sits a sentence away from "best" and
# two sentences away in the other.
KINDS = {
    "phrase": ("phrase: [spokes cycles]", "Spokes Cycles"),
    "lemma": ("lemma: [sort]", "sorted"),
    "pattern": ("pattern: [{LOWER: spokes}, {IS_TITLE: true}]", "Spokes Cycles"),
    "regex": ("regex: '(?-i:\\bSpokes\\s+[A-Z][a-z]+)'", "Spokes Cycles"),
    "lexicon": ("lexicon: shops", "Spokes Cycles"),
    "detector": ("detector: mobile-number", "07911 123456"),
}
SHOPS = {"shops": "terms: [Spokes Cycles]\n"}


def bounded(kind: str, near: str = "1 sentence") -> str:
    return (
        f"      all:\n        - phrase: [best in town]\n        - context: {{{KINDS[kind][0]}}}\n"
        f"      scope: post\n      near: {near}"
    )


def post(kind: str, gap: int) -> str:
    filler = " Lovely weather today." * (gap - 1)
    return f"Thanks to {KINDS[kind][1]} who sorted my bike.{filler} Best in town, get down there."


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_cue_in_the_next_sentence_combines(rules_dir, nlp, kind):
    lint = linter_for(rules_dir, nlp, bounded(kind), lexicons=SHOPS)
    assert matches(lint, post(kind, 1)) == ["Best in town"]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_cue_beyond_the_bound_does_not(rules_dir, nlp, kind):
    lint = linter_for(rules_dir, nlp, bounded(kind), lexicons=SHOPS)
    assert matches(lint, post(kind, 2)) == []
    wider = linter_for(rules_dir, nlp, bounded(kind, "2 sentences"), lexicons=SHOPS)
    assert matches(wider, post(kind, 2)) == ["Best in town"]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_bound_in_tokens_reaches_across_sentences_too(rules_dir, nlp, kind):
    lint = linter_for(rules_dir, nlp, bounded(kind, "12"), lexicons=SHOPS)
    assert matches(lint, post(kind, 1)) == ["Best in town"]
    assert matches(lint, post(kind, 4)) == []


def test_the_finding_marks_the_parts_that_carry_the_breach_not_the_context(rules_dir, nlp):
    raid = (
        "      all:\n        - phrase: [warrants]\n        - regex: '\\b\\d{1,2}\\s?am\\b'\n"
        "        - context: {phrase: [tomorrow]}\n      scope: post\n      near: 2 sentences"
    )
    lint = linter_for(rules_dir, nlp, raid)
    text = "Big day tomorrow! We're hitting three addresses on Parliament Road with warrants. 6am start."
    [finding] = lint.check(text)
    assert finding.match == "warrants. 6am"
    assert finding.clause == "We're hitting three addresses on Parliament Road with warrants. 6am start."
    remainder = text.replace(finding.clause, "")
    assert lint.check(remainder) == []


def test_an_unbounded_match_across_sentences_points_at_its_first_part(rules_dir, nlp):
    lint = linter_for(rules_dir, nlp, "      all: [{phrase: [love]}, {phrase: [greggs]}]\n      scope: post")
    assert matches(lint, "We love pies. Greggs is shut.") == ["love"]


def test_within_a_sentence_the_match_covers_every_carrying_part(rules_dir, nlp):
    lint = linter_for(rules_dir, nlp, "      all: [{phrase: [love]}, {context: {phrase: [greggs]}}]")
    assert matches(lint, "Greggs, we love you.") == ["love"]
    assert matches(lint, "We love you.") == []


def test_a_context_part_is_not_a_trigger_on_its_own(rules_dir, nlp):
    lint = linter_for(rules_dir, nlp, bounded("phrase"))
    assert matches(lint, "Thanks to Spokes Cycles who sorted my bike.") == []


def test_a_not_part_with_its_own_near_blocks_only_close_to_the_first_part(rules_dir, nlp):
    shares = (
        "      all:\n        - phrase: [shared post]\n        - not: {phrase: [fire brigade]}\n"
        "          near: 3\n      scope: post"
    )
    lint = linter_for(rules_dir, nlp, shares)
    assert matches(lint, "[Shared post from the Fire Brigade: test your alarms]") == []
    assert matches(lint, "[Shared post from a fan page: the fire brigade were late]") == ["Shared post"]
    whole = linter_for(rules_dir, nlp, shares.replace("\n          near: 3", ""))
    assert matches(whole, "[Shared post from a fan page: the fire brigade were late]") == []


@pytest.mark.parametrize(
    ("match", "message"),
    [
        ("      context: {phrase: [x]}", "'context' can only be a part of an 'all' list"),
        ("      all: [{context: {phrase: [x]}}]", "needs at least one part that is neither"),
        ("      all: [{phrase: [x]}, {phrase: [y]}]\n      near: 1 sentence", "near in sentences needs scope: post"),
        ("      all: [{phrase: [x]}, {phrase: [y]}]\n      scope: post\n      near: soon", "near must be"),
        ("      all: [{phrase: [x]}, {not: {phrase: [y]}, near: 1 sentence}]", "a 'not' part's near is a number"),
        ("      all: [{phrase: [x]}, {context: {phrase: [y]}, near: 3}]", "unknown key 'near' in 'context'"),
    ],
)
def test_the_loader_explains_bad_post_level_rules(rules_dir, match, message):
    (rules_dir / "tone.yaml").write_text(rule_yaml(match), encoding="utf-8")
    with pytest.raises(PostcheckError, match=message):
        load_rulebook((rules_dir,), include_bundled=False)
