"""Each matcher kind, each combinator, scopes, `near` and the context guards, on tiny rulebooks."""

from __future__ import annotations

import pytest
from tests.conftest import rule_yaml

from postcheck import Linter, load_rulebook


def linter_for(rules_dir, nlp, match: str, extra: str = "", lexicons: dict | None = None) -> Linter:
    for name, body in (lexicons or {}).items():
        (rules_dir / "lexicons" / f"{name}.yaml").write_text(body, encoding="utf-8")
    (rules_dir / "tone.yaml").write_text(rule_yaml(match, extra=extra), encoding="utf-8")
    return Linter(load_rulebook((rules_dir,), include_bundled=False), nlp)


def matches(linter: Linter, text: str, profile: str = "corporate") -> list[str]:
    return [f.match for f in linter.check(text, profile)]


def test_phrase_is_case_insensitive(rules_dir, nlp):
    lint = linter_for(rules_dir, nlp, "      phrase: [best in town]")
    assert matches(lint, "The BEST in Town, honestly.") == ["BEST in Town"]
    assert matches(lint, "The best pies in town.") == []


def test_lemma_matches_inflections(rules_dir, nlp):
    lint = linter_for(rules_dir, nlp, "      lemma: [recommend]")
    assert matches(lint, "We Recommended it.") == ["Recommended"]
    assert matches(lint, "We recommends it.") == ["recommends"]


def test_token_pattern(rules_dir, nlp):
    lint = linter_for(rules_dir, nlp, "      pattern: [{LOWER: vote}, {IS_TITLE: true}]")
    assert matches(lint, "Please vote Green today.") == ["vote Green"]
    assert matches(lint, "Please vote safely today.") == []


def test_regex_is_case_insensitive_unless_told(rules_dir, nlp):
    lint = linter_for(rules_dir, nlp, r"      regex: '\bcode\s+[a-z]+\d+'")
    assert matches(lint, "Use CODE SAVE10 now") == ["CODE SAVE10"]
    strict = linter_for(rules_dir, nlp, r"      regex: '(?-i:\b[A-Z]{2}\d{2}\s?[A-Z]{3}\b)'")
    assert matches(strict, "reg NK66 QIZ") == ["NK66 QIZ"]
    assert matches(strict, "reg nk66 qiz") == []


def test_lexicon_lower_lemma_and_exact_case(rules_dir, nlp):
    lexicons = {
        "shops": "terms: [Tees Tyres]\n",
        "verbs": "match: lemma\nterms: [chase]\n",
        "names": "match: text\nterms: [Ring]\n",
    }
    lint = linter_for(rules_dir, nlp, "      lexicon: [shops, verbs, names]", lexicons=lexicons)
    assert matches(lint, "tees tyres") == ["tees tyres"]
    assert matches(lint, "They chased him.") == ["chased"]
    assert matches(lint, "A Ring doorbell.") == ["Ring"]
    assert matches(lint, "Give us a ring.") == []


def test_all_needs_every_part_in_the_same_sentence(rules_dir, nlp):
    lint = linter_for(rules_dir, nlp, "      all: [{phrase: [love]}, {phrase: [greggs]}]\n      scope: sentence")
    assert matches(lint, "We love Greggs.") == ["love Greggs"]
    assert matches(lint, "We love pies. Greggs is shut.") == []


def test_all_with_post_scope_spans_sentences(rules_dir, nlp):
    lint = linter_for(rules_dir, nlp, "      all: [{phrase: [love]}, {phrase: [greggs]}]\n      scope: post")
    assert matches(lint, "We love pies. Greggs is shut.") == ["love"]


def test_clause_scope(rules_dir, nlp):
    lint = linter_for(rules_dir, nlp, "      all: [{phrase: [love]}, {phrase: [greggs]}]\n      scope: clause")
    assert matches(lint, "We love Greggs") == ["love Greggs"]
    assert matches(lint, "We love pies; Greggs is shut") == []


def test_near_limits_the_distance_in_tokens(rules_dir, nlp):
    lint = linter_for(rules_dir, nlp, "      all: [{phrase: [vote]}, {phrase: [labour]}]\n      near: 2")
    assert matches(lint, "Vote for Labour.") == ["Vote for Labour"]
    assert matches(lint, "Vote on Thursday whatever happens with Labour.") == []


def test_not_excludes_the_unit(rules_dir, nlp):
    lint = linter_for(
        rules_dir, nlp, "      all: [{phrase: [message us]}, {not: {regex: '\\b101\\b'}}]\n      scope: post"
    )
    assert matches(lint, "Message us the details.") == ["Message us"]
    assert matches(lint, "Message us or call 101.") == []


def test_any(rules_dir, nlp):
    lint = linter_for(rules_dir, nlp, "      any: [{phrase: [muppet]}, {phrase: [numpty]}]")
    assert matches(lint, "You muppet. You numpty.") == ["muppet", "numpty"]


@pytest.mark.parametrize(
    ("guard", "flagged", "spared"),
    [
        ("negated", "We endorse this shop.", "We do not endorse this shop."),
        ("quoted", "We endorse this shop.", 'He said: "we endorse this shop".'),
        ("question", "We endorse this shop.", "Do we endorse this shop?"),
        ("conditional", "We endorse this shop.", "If we endorse this shop, say so."),
    ],
)
def test_guards(rules_dir, nlp, guard, flagged, spared):
    lint = linter_for(rules_dir, nlp, "      phrase: [endorse]", extra=f"    unless: [{guard}]\n")
    assert matches(lint, flagged) == ["endorse"]
    assert matches(lint, spared) == []


def test_profiles_limit_a_rule(rules_dir, nlp):
    lint = linter_for(rules_dir, nlp, "      phrase: [selfie]", extra="    profiles: [personal]\n")
    assert matches(lint, "A selfie.", "personal") == ["selfie"]
    assert matches(lint, "A selfie.", "corporate") == []


def test_one_finding_per_rule_per_sentence(rules_dir, nlp):
    lint = linter_for(rules_dir, nlp, "      phrase: [muppet]")
    assert len(lint.check("Muppet; muppet, muppet")) == 1
    assert len(lint.check("Muppet. Muppet.")) == 2


def test_equal_leaves_are_compiled_once(rules_dir, nlp):
    lint = linter_for(rules_dir, nlp, "      any: [{phrase: [x]}, {all: [{phrase: [x]}, {phrase: [y]}]}]")
    assert sum(index.size for _, index in lint.matchers._indexes) == 2


def test_a_regex_runs_only_when_its_literal_occurs_and_the_rest_of_its_part_can_hold(rules_dir, nlp, monkeypatch):
    from postcheck.rulebook import expressions

    ran = []
    compiled = expressions.LazyPattern.compiled
    monkeypatch.setattr(
        expressions.LazyPattern, "compiled", property(lambda self: ran.append(self.source) or compiled.fget(self))
    )
    match = (
        "      any:\n        - all: [{regex: '\\bat\\s+\\d+\\s?am\\b'}, {phrase: [warrant]}]\n"
        "        - regex: '\\bdoors?\\s+in\\b'"
    )
    lint = linter_for(rules_dir, nlp, match)
    assert matches(lint, "Nice walk at 6am today.") == []  # no "warrant": the time regex never runs
    assert matches(lint, "Warrant done, home now.") == []  # nor here, where its literal does not occur
    assert ran == []
    assert matches(lint, "Warrant at 6 am on Acklam Road.") == ["Warrant at 6 am"]
    assert ran == ["\\bat\\s+\\d+\\s?am\\b"]


def test_an_alternative_two_rules_share_is_searched_once_a_post(rules_dir, nlp, monkeypatch):
    from postcheck.rulebook import expressions

    searched = []
    compiled = expressions.LazyPattern.compiled
    monkeypatch.setattr(
        expressions.LazyPattern, "compiled", property(lambda self: searched.append(self.source) or compiled.fget(self))
    )
    shared = "\\bdoors?\\s+in\\b"
    match = f"      any:\n        - regex: '{shared}|\\bwarrant\\b'\n        - regex: '{shared}'"
    lint = linter_for(rules_dir, nlp, match)
    assert matches(lint, "Doors in at six.") == ["Doors in"]
    assert searched.count(shared) == 1


def test_a_post_that_passes_a_rule_s_gate_reaches_the_rule(linter):
    """A rule is looked at only when one of its triggers fired: those must hold a whole clause of its gate,
    so that every post the gate lets through has fired one of them."""
    from postcheck.engine.linter import _triggers

    for rule in linter.rulebook.rules:
        triggers = _triggers(rule)
        assert any(clause <= triggers for clause in rule.match.gate) or not rule.match.gate, rule.id
        assert len(triggers) <= min(map(len, rule.match.gate), default=len(triggers)), rule.id
