"""The learned second opinion reads the rulebook's lexicons: a hit counts for its family, each time,
and a pair of lexicons once per post, wherever in it they are (small models written here; see
test_learned.py)."""

from __future__ import annotations

import pytest
from tests.test_learned import opinions, processed, write_model

from postcheck import Linter
from postcheck.engine import learned


@pytest.fixture
def muppet(tmp_path, monkeypatch):
    """The shipped rulebook over a model for which only the lexicon of insults counts, towards a
    business interest (which no rule about insults flags)."""
    path = tmp_path / "muppet.npz"
    write_model(path, {}, {"business-interest": 5.0}, lexicons={"insults": {"business-interest": 6.0}})
    monkeypatch.setattr(learned, "WEIGHTS_FILE", path)
    return Linter()


@pytest.mark.parametrize("insult", ["muppet", "plonker", "wazzock", "knuckle-dragger"])
def test_a_lexicon_counts_for_any_of_its_terms_at_the_clause_that_holds_it(muppet, insult):
    text = f"Lovely morning on the prom. Then some {insult} parked across the cycle lane."
    [finding] = opinions(muppet.check(text, "personal"))
    assert finding.rule == "business-interest.second-opinion"
    assert finding.match == f"Then some {insult} parked across the cycle lane."


def test_a_lexicon_hit_is_counted_each_time(muppet):
    model = muppet.learned
    docs, lexicons = processed(muppet, ["What a muppet.", "What a muppet, a total muppet.", "What a day."])
    assert [len(hits) for hits in lexicons] == [1, 2, 0]
    column = model.column("business-interest")
    assert model.evidence(docs, lexicons)[:, column].tolist() == [6.0, 12.0, 0.0]


@pytest.fixture
def paired(tmp_path, monkeypatch):
    """A model for which an insult and a place of worship in one post are evidence of discrimination,
    and neither is alone."""
    path = tmp_path / "paired.npz"
    write_model(path, {}, {"discrimination": 5.0}, lexicons={"insults+religion": {"discrimination": 6.0}})
    monkeypatch.setattr(learned, "WEIGHTS_FILE", path)
    return Linter()


def test_a_pair_of_lexicons_counts_once_per_post_wherever_they_are(paired):
    texts = [
        "Some muppet parked across the cycle lane. Later we went to the mosque for the open day.",
        "Some muppet parked across the cycle lane.",
        "Later we went to the mosque for the open day.",
        "Muppet after muppet at the mosque car park, another muppet on the way home.",
    ]
    assert [bool(opinions(paired.check(text, "personal"))) for text in texts] == [True, False, False, True]
    column = paired.learned.column("discrimination")
    assert paired.learned.evidence(*processed(paired, texts))[:, column].tolist() == [6.0, 0.0, 0.0, 6.0]
