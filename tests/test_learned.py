"""The learned second opinion: its features, its scores, its thresholds, its rules and its switch.

Most tests use a small model written here, whose weights are known, so that what
they check does not move when the shipped model is retrained; the shipped
weights have tests of their own in test_learned_weights.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.strings import get_string_id
from tests.test_properties import TEXT
from typer.testing import CliRunner

from postcheck import Linter, PostcheckError, load_rulebook
from postcheck.cli.app import app
from postcheck.engine import learned
from postcheck.engine.learned import (
    CHAR_GRAMS,
    FEATURES_VERSION,
    LearnedModel,
    lexicon_feature,
    lexicon_hits,
    lexicon_keys,
    lexicon_pair_features,
    lexicon_pair_key,
    split_hash,
    word_features,
)
from postcheck.engine.normalize import normalize
from postcheck.engine.tokens import PostTokens

BITS = 16
MASK = (1 << BITS) - 1
CATEGORIES = sorted(load_rulebook().policy.categories)


def write_model(
    path, words: dict[str, dict[str, float]], thresholds: dict[str, float], lexicons: dict | None = None, **extra
) -> None:
    """A model whose only weights are on the given words' own features and lexicons' features."""
    weights = np.zeros((1 << BITS, len(CATEGORIES)))
    for word, by_category in words.items():
        for category, value in by_category.items():
            weights[get_string_id(word) & MASK, CATEGORIES.index(category)] += value
    for name, by_category in (lexicons or {}).items():  # a lexicon's name, or "A+B" for a pair of lexicons
        pair = {lexicon_pair_key(each, MASK) for each in name.split("+")}
        row = lexicon_pair_features(pair)[0] if len(pair) > 1 else lexicon_feature(name, MASK)
        for category, value in by_category.items():
            weights[row, CATEGORIES.index(category)] += value
    rows = np.flatnonzero(weights.any(axis=1)).astype(np.uint32)
    arrays = {
        "features": np.array(FEATURES_VERSION),
        "bits": np.array(BITS),
        "categories": np.array(CATEGORIES),
        "rows": rows,
        "values": weights[rows].astype(np.float16),
        "bias": np.zeros(len(CATEGORIES), dtype=np.float32),
        "thresholds": np.array([thresholds.get(c, np.inf) for c in CATEGORIES], dtype=np.float32),
    }
    np.savez(path, **(arrays | extra))


@pytest.fixture
def zebra(tmp_path, monkeypatch):
    """The shipped rulebook over a model for which 'zebra' is a strong sign of harm to victims,
    and 'giraffe' a weak one (below the threshold of 5)."""
    path = tmp_path / "zebra.npz"
    words = {"zebra": {"victim-impact": 10.0, "business-interest": 10.0}, "giraffe": {"victim-impact": 4.0}}
    write_model(path, words, {"victim-impact": 5.0, "business-interest": 5.0})
    monkeypatch.setattr(learned, "WEIGHTS_FILE", path)
    return Linter()


def opinions(findings) -> list:
    return [f for f in findings if f.rule.endswith(".second-opinion")]


def processed(linter: Linter, texts: list[str]) -> tuple[list, list]:
    """The texts' Docs and lexicon hits, as the linter reads them."""
    docs, lexicons = [], []
    for text in texts:
        normal = normalize(text).text
        tokens = PostTokens(linter.nlp(normal), normal)
        docs.append(tokens.doc)
        lexicons.append(lexicon_hits(linter.matchers.run(tokens), lexicon_keys(linter.rulebook)))
    return docs, lexicons


def test_a_word_gives_itself_and_its_character_ngrams():
    features = word_features("copper", MASK)
    assert features[0] == get_string_id("copper") & MASK
    assert len(features) == 1 + sum(len("<copper>") - n + 1 for n in CHAR_GRAMS)
    assert all(0 <= f <= MASK for f in features)
    assert word_features("copper", MASK) == features


@pytest.mark.parametrize("word", ["101", "bit.ly/x7kq2mz", "ref-40231", "cops25", "😂", "don't"])
def test_a_word_not_all_letters_gives_only_itself(word):
    assert word_features(word, MASK) == [get_string_id(word) & MASK]


def test_a_long_word_gives_the_ngrams_of_its_start():
    long, longer = "x" * learned.LONGEST_WORD, "x" * (learned.LONGEST_WORD + 50)
    assert word_features(long, MASK)[1:] == word_features(longer, MASK)[1:]
    assert word_features(long, MASK)[0] != word_features(longer, MASK)[0]


@given(first=st.integers(0, 2**64 - 1), second=st.integers(0, 2**64 - 1))
def test_a_pair_feature_is_a_part_from_each_word(first, second):
    assert split_hash(first, MASK)[1] ^ split_hash(second, MASK)[0] == (first * learned._PAIR ^ second) & MASK


def test_a_category_over_its_threshold_is_a_warning_at_the_clause_that_scored_highest(zebra):
    text = "Great turnout at the community day. Then a zebra wandered past the station!"
    [finding] = opinions(zebra.check(text, "corporate"))
    assert (finding.rule, finding.severity, finding.category) == (
        "victim-impact.second-opinion",
        "warning",
        "victim-impact",
    )
    assert finding.match == finding.clause == "Then a zebra wandered past the station!"
    assert text[finding.start : finding.end] == finding.match
    assert finding.citation.obligation.startswith("3.1.5")


def test_below_its_threshold_a_category_is_not_reported(zebra):
    assert opinions(zebra.check("A giraffe wandered past the station.", "corporate")) == []


def test_evidence_adds_up(zebra):
    [finding] = opinions(zebra.check("A giraffe and a giraffe wandered past the station.", "corporate"))
    assert finding.rule == "victim-impact.second-opinion"  # 4 + 4 reaches 5


def test_no_opinion_on_a_category_a_rule_already_flagged(zebra):
    findings = zebra.check(
        "A zebra wandered past. Left your keys in the car and it got nicked? What did you expect.", "corporate"
    )
    assert any(f.category == "victim-impact" and f.severity == "error" for f in findings)
    assert opinions(findings) == []


def test_only_for_the_accounts_the_rule_names(zebra):
    # business-interest.second-opinion binds personal accounts only
    assert [f.rule for f in opinions(zebra.check("Zebra prints for sale.", "personal"))] == [
        "business-interest.second-opinion",
        "victim-impact.second-opinion",
    ]
    assert [f.rule for f in opinions(zebra.check("Zebra prints for sale.", "corporate"))] == [
        "victim-impact.second-opinion"
    ]


def test_a_post_in_a_batch_scores_as_it_does_alone(zebra):
    model = zebra.learned
    texts = ["A zebra, you muppet.", "", "   ", "Officers attended a giraffe at the zoo.\n\nAll fine.", "zebra " * 300]
    docs, lexicons = processed(zebra, texts)
    together = model.evidence(docs, lexicons)
    for doc, hits, row in zip(docs, lexicons, together, strict=True):
        assert np.array_equal(model.evidence([doc], [hits])[0], row)


def test_scores_match_the_features_training_counts():
    model = LearnedModel()
    with np.load(learned.WEIGHTS_FILE) as data:
        bias = data["bias"].astype(np.float64)
    posts = [
        ("Best chippy in Redcar, get yourselves down there!", "personal"),
        ("Call 101.\n\nThanks  all.\n", "corporate"),
        ("Those muppets in the council have cut the budget again, you couldn't make it up.", "personal"),
    ]
    docs, lexicons = processed(Linter(), [text for text, _ in posts])
    assert lexicons[1] == [] and all(lexicons[::2]), "posts with lexicon hits and without, compared alike"
    for (_, profile), doc, hits in zip(posts, docs, lexicons, strict=True):
        words = [doc.vocab.strings[lower] for lower in learned.word_ids(doc).tolist()]
        features = learned.post_features(words, profile, model.mask, hits)
        expected = bias + model.weights[features].astype(np.float64).sum(axis=0) - model.thresholds
        assert np.allclose(model.scores(model.evidence([doc], [hits])[0], profile), expected, rtol=1e-4, atol=1e-2)


def test_the_word_cache_starting_again_changes_nothing(tmp_path, monkeypatch):
    words = " ".join(f"w{i}" for i in range(300))
    nlp = Linter().nlp
    docs = [nlp(words), nlp("zebra " + words)]
    none: list[list] = [[], []]
    expected = LearnedModel().evidence(docs, none)
    monkeypatch.setattr(learned, "_CACHE_LIMIT", 100)  # fewer words than one post has: worked out one by one
    assert np.array_equal(LearnedModel().evidence(docs, none), expected)
    monkeypatch.setattr(learned, "_CACHE_LIMIT", 400)  # room for one post's words at a time
    small = LearnedModel()
    together = np.vstack([small.evidence([doc], [[]]) for doc in docs * 2])
    assert np.array_equal(together, np.vstack([expected, expected]))


def test_a_model_without_a_rules_category_is_an_error_naming_the_rule(tmp_path, monkeypatch):
    path = tmp_path / "few.npz"
    write_model(path, {}, {}, categories=np.array([c if c != "victim-impact" else "other" for c in CATEGORIES]))
    monkeypatch.setattr(learned, "WEIGHTS_FILE", path)
    with pytest.raises(PostcheckError) as caught:
        Linter()
    assert "victim-impact.second-opinion" in str(caught.value) and caught.value.path.endswith("learned.yaml")


def test_weights_of_other_features_are_refused(tmp_path, monkeypatch):
    path = tmp_path / "old.npz"
    write_model(path, {}, {}, features=np.array("0"))
    monkeypatch.setattr(learned, "WEIGHTS_FILE", path)
    with pytest.raises(PostcheckError, match="features version 0"):
        Linter()


def test_unreadable_weights_are_a_clear_error(tmp_path, monkeypatch):
    path = tmp_path / "broken.npz"
    path.write_bytes(b"not a model")
    monkeypatch.setattr(learned, "WEIGHTS_FILE", path)
    with pytest.raises(PostcheckError, match="cannot read the learned model's weights"):
        Linter()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXT, profile=st.sampled_from(["corporate", "personal", "both"]))
def test_on_any_text_opinions_point_inside_it(always, text, profile):
    findings = always.check(text, profile)
    for finding in opinions(findings):
        assert finding.severity == "warning"
        assert 0 <= finding.start < finding.end <= len(text)
        assert text[finding.start : finding.end] == finding.match
        assert finding.match in finding.clause
    assert findings == always.check(text, profile)


@pytest.fixture(scope="module")
def always(tmp_path_factory):
    """A model that reaches every threshold on every post, so every category the rules leave is an opinion."""
    path = tmp_path_factory.mktemp("always") / "always.npz"
    write_model(path, {}, dict.fromkeys(CATEGORIES, -1e9))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(learned, "WEIGHTS_FILE", path)
        yield Linter()


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(app, list(args), env={"NO_COLOR": "1", **(env or {})})


def test_no_model_on_the_command_line_and_in_configuration(zebra, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = "Then a zebra wandered past the station."
    assert "victim-impact.second-opinion" in run("--text", text, "-p", "corporate").output
    assert "victim-impact.second-opinion" not in run("--text", text, "-p", "corporate", "--no-model").output
    (tmp_path / ".postcheck.yaml").write_text("model: false\n", encoding="utf-8")
    assert "victim-impact.second-opinion" not in run("--text", text, "-p", "corporate").output
    assert "second-opinion" not in run("rules").output


def test_configuration_re_levels_or_disables_a_learned_rule_but_never_makes_it_an_error(zebra, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = "Then a zebra wandered past the station."
    (tmp_path / ".postcheck.yaml").write_text("severity: {victim-impact.second-opinion: info}\n", encoding="utf-8")
    assert "info victim-impact.second-opinion" in run("--text", text, "-p", "corporate").output
    (tmp_path / ".postcheck.yaml").write_text("disable: [victim-impact.second-opinion]\n", encoding="utf-8")
    assert "victim-impact.second-opinion" not in run("--text", text, "-p", "corporate").output
    (tmp_path / ".postcheck.yaml").write_text("severity: {victim-impact.second-opinion: error}\n", encoding="utf-8")
    result = run("--text", text)
    assert result.exit_code == 2
    assert ".postcheck.yaml:1" in result.output and "a learned opinion is a warning at most" in result.output
    (tmp_path / ".postcheck.yaml").write_text("model: perhaps\n", encoding="utf-8")
    assert "'model' must be true or false" in run("--text", text).output


def test_explain_traces_the_score_and_the_clause(zebra, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    output = run("explain", "-p", "corporate", "--text", "All calm. Then a zebra wandered past.").output
    assert "trace victim-impact.second-opinion: fired" in output
    assert "model victim-impact: 10.0, threshold 5.0: 'Then a zebra wandered past.'" in output
