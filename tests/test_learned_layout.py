"""The learned second opinion reads words, not layout: white space is no evidence, and a clause is
found among words (a small model written here; see test_learned.py)."""

from __future__ import annotations

import pytest
from tests.test_learned import opinions, processed, write_model

from postcheck import Linter
from postcheck.engine import learned


@pytest.fixture
def layout(tmp_path, monkeypatch):
    """A model that would read line breaks and runs of spaces as a strong sign of harm to victims."""
    path = tmp_path / "layout.npz"
    breaks = {space: {"victim-impact": 10.0} for space in ("\n", "\n\n", "  ", "\t")}
    write_model(path, breaks | {"giraffe": {"victim-impact": 4.0}}, {"victim-impact": 5.0})
    monkeypatch.setattr(learned, "WEIGHTS_FILE", path)
    return Linter()


def test_white_space_is_no_evidence(layout):
    model = layout.learned
    texts = ["Officers attended a giraffe at the zoo.", "Officers attended\n\na giraffe  at the zoo.\t\n", "\n\n"]
    evidence = model.evidence(*processed(layout, texts))
    assert evidence[:, model.column("victim-impact")].tolist() == [4.0, 4.0, 0.0]
    assert opinions(layout.check(texts[1], "corporate")) == []


def test_the_clause_that_scored_highest_is_found_among_words_not_spaces(layout):
    text = "A quiet shift.\n\nThen a giraffe and a giraffe wandered past the station!"
    [finding] = opinions(layout.check(text, "personal"))
    assert finding.match == "Then a giraffe and a giraffe wandered past the station!"
