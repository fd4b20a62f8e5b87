"""Clause splitting: findings point at the clause that breaches, not the whole post."""

from __future__ import annotations

from itertools import pairwise

import pytest

from postcheck.engine.clauses import clause_starts
from postcheck.engine.tokens import PostTokens


def clauses(nlp, text: str) -> list[str]:
    doc = nlp(text)
    bounds = [*clause_starts(PostTokens(doc, text)), len(doc)]
    return [doc[a:b].text.strip() for a, b in pairwise(bounds)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We tried; it failed", ["We tried;", "it failed"]),
        ("Note: roads are closed", ["Note:", "roads are closed"]),
        ("It is late - go home", ["It is late -", "go home"]),
        ("I was off duty but I saw it", ["I was off duty", "but I saw it"]),
        ("Cash and phones were seized", ["Cash and phones were seized"]),
        ("We came, and we stayed", ["We came,", "and we stayed"]),
        ("It rained, we left", ["It rained,", "we left"]),
        ("First line.\n[photo: second line]", ["First line.", "[photo: second line]"]),
    ],
)
def test_clause_boundaries(nlp, text, expected):
    assert clauses(nlp, text) == expected


def test_a_finding_names_its_clause(linter):
    [finding] = [
        f for f in linter.check("Great night out; you absolute muppet, Dave.", "personal") if f.rule == "tone.insult"
    ]
    assert finding.clause == "you absolute muppet, Dave."
