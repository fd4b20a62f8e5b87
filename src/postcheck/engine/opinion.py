"""The learned model's part in a check: its evidence for a batch of posts, and the warnings it adds.

The model (`learned.py`) scores every category it knows; here a score at or
above the category's threshold becomes a warning, only for a category no rule
flagged, at the clause that scored highest. Rules stay the only source of errors.
"""

from __future__ import annotations

import numpy as np

from ..core.findings import Finding
from ..rulebook.loader import Rule
from .evaluate import PostUnits
from .learned import LearnedModel, LexiconHits
from .located import FindingMaker
from .matchers import PostHits
from .normalize import NormalizedText
from .tokens import PostTokens

# A post's evidence, the kinds of account for which it reaches a threshold, and its lexicon hits.
Evidence = tuple[np.ndarray, frozenset, LexiconHits]


class SecondOpinion:
    """Warnings from a learned model, for the rules of the rulebook marked `learned`."""

    def __init__(self, model: LearnedModel | None, rules: dict[str, list[tuple[Rule, int]]], maker: FindingMaker):
        self._model, self._rules, self._maker = model, rules, maker

    def evidence(self, tokens: list[PostTokens], hits: list[PostHits]) -> list[Evidence | None]:
        """For each post, the model's evidence and the kinds of account for which it reaches a threshold;
        None when it reaches none (most posts) or there is no model. Scored for the whole batch at
        once: per post, numpy's fixed costs were most of the model's."""
        if self._model is None:
            return [None] * len(tokens)
        lexicons = [self._model.lexicons(each) for each in hits]
        evidence = self._model.evidence([each.doc for each in tokens], lexicons)
        reached = self._model.reaching(evidence)
        return [(evidence[i], found, lexicons[i]) if found else None for i, found in enumerate(reached)]

    def findings(
        self,
        profile: str,
        norm: NormalizedText,
        tokens: PostTokens,
        units: PostUnits,
        evidence: Evidence,
        flagged: set[str],
    ) -> list[Finding]:
        """Warnings for categories no rule flagged, each at the clause that scored highest."""
        assert self._model is not None  # evidence comes only from a loaded model
        scores = self._model.scores(evidence[0], profile)
        found = []
        for rule, column in self._rules[profile]:
            if scores[column] >= 0 and rule.category not in flagged:
                span = self._model.best_clause(tokens, column, evidence[2])
                if span is not None:
                    found.append(self._maker.finding(rule, profile, norm, tokens, span, [span], units))
        return found
