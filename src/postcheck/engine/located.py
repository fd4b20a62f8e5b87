"""Turn a rule's matched span in a processed post into a `Finding` with its place in the original text.

A finding's clause runs over every clause one of its cues sits in, its offsets
and marks point into the text as the user wrote it (before normalising), and
its citations put first the obligations that bind the kind of account checked.
"""

from __future__ import annotations

from ..core.findings import Citation, Finding, Mark, line_and_column
from ..rulebook.loader import Rule, Rulebook
from .evaluate import PostUnits
from .normalize import NormalizedText
from .tokens import PostTokens, Span


class FindingMaker:
    """Findings for the rules of one rulebook, with each rule's citations worked out once."""

    def __init__(self, rulebook: Rulebook):
        self._rulebook = rulebook
        self._citations = {
            (rule.id, profile): self._citations_for(rule, profile)
            for rule in rulebook.rules
            for profile in rule.profiles
        }

    def _citations_for(self, rule: Rule, profile: str) -> tuple[Citation, ...]:
        """The rule's citations, those that bind this kind of account first (3.1 corporate, 3.2/3.3 personal)."""
        obligations = [self._rulebook.policy.obligations[cite] for cite in rule.cites]
        binds = (
            (lambda o: o.section.startswith("3.1"))
            if profile == "corporate"
            else (lambda o: not o.section.startswith("3.1"))
        )
        ordered = sorted(obligations, key=lambda o: not binds(o))
        return tuple(Citation(o.section, o.id, o.quote) for o in ordered)

    def finding(
        self,
        rule: Rule,
        profile: str,
        norm: NormalizedText,
        tokens: PostTokens,
        span: Span,
        marked: list[Span],
        units: PostUnits,
    ) -> Finding:
        """A finding for a rule's span, whose clause runs over every clause a cue sits in."""
        match_start, match_end = norm.to_original(tokens.start[span[0]], tokens.end[span[1] - 1])
        first = min(units.clause_bounds(span[0])[0], units.clause_bounds(marked[0][0])[0])
        last = max(units.clause_bounds(span[1] - 1)[1], units.clause_bounds(marked[-1][1] - 1)[1]) - 1
        clause_start, clause_end = norm.to_original(tokens.start[first], tokens.end[last])
        line, column = line_and_column(norm.original, match_start)
        citations = self._citations[(rule.id, profile)]
        return Finding(
            rule=rule.id,
            category=rule.category,
            severity=rule.severity,
            message=rule.message,
            suggest=rule.suggest,
            match=norm.original[match_start:match_end],
            clause=norm.original[clause_start:clause_end].strip(),
            start=match_start,
            end=match_end,
            line=line,
            column=column,
            citation=citations[0],
            also_cites=citations[1:],
            profile=profile,
            marks=tuple(_mark(norm, tokens, cue) for cue in marked),
        )


def _mark(norm: NormalizedText, tokens: PostTokens, cue: Span) -> Mark:
    start, end = norm.to_original(tokens.start[cue[0]], tokens.end[cue[1] - 1])
    return Mark(start, end, norm.original[start:end])
