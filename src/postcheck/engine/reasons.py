"""Why a rule whose words matched did not fire: the reason a trace gives a reviewer.

Each reason has a kind and a sentence: `profile` (the rule binds the other kind
of account), `context` (it applies only in a pre-election period), `missing` (a
part matched nothing), `scope` (the parts matched, but not in one clause,
sentence or post), `distance` (in one, but further apart than `near`),
`excluded` (a `not` part matched beside them) and `guard` (every match was
negated, quoted, a question or a condition).
"""

from __future__ import annotations

from ..core.post import ACCOUNT_NAMES
from ..rulebook.expressions import AllOf, AnyOf, Expression, Leaf
from ..rulebook.loader import Rule
from .evaluate import PostUnits, _gap, evaluate, guarded
from .matchers import PostHits
from .tokens import Span

CONTEXT_NAMES = {"purdah": "in a pre-election period"}


def describe(part: Expression) -> str:
    """A part of a rule's `match:` in a few words."""
    if isinstance(part, Leaf):
        value = part.value if isinstance(part.value, str) else ", ".join(map(str, part.value))
        return f"{part.kind} {value[:60]}{'…' if len(value) > 60 else ''}"
    if isinstance(part, AnyOf):
        return "any of (" + "; ".join(describe(p) for p in part.parts[:3]) + ("; …)" if len(part.parts) > 3 else ")")
    return f"all of {len(part.parts)} parts in one {part.scope}"


def why_not(rule: Rule, profile: str, contexts: frozenset, hits: PostHits, units: PostUnits) -> list[tuple[str, str]]:
    """The reasons the rule did not fire on this post, as (kind, sentence); empty if it fired."""
    reasons = []
    if profile not in rule.profiles:
        others = " or ".join(ACCOUNT_NAMES[p] for p in sorted(rule.profiles))
        reasons.append(("profile", f"it binds only {others}, and this is {ACCOUNT_NAMES[profile]}"))
    if rule.when and not rule.when <= contexts:
        needed = " and ".join(
            CONTEXT_NAMES.get(context, f"in the '{context}' context") for context in sorted(rule.when)
        )
        reasons.append(("context", f"it applies only {needed}, and this post is not"))
    spans = evaluate(rule.match, hits, units)
    if not spans:
        return reasons + _unmet(rule.match, hits, units)
    dropped = [(span, guard) for span in spans for guard in sorted(rule.unless) if _guards(span, guard, units)]
    if {span for span, _ in dropped} >= set(spans):
        shown = "; ".join(f"{_text(units, span)!r} {_GUARD_WORDS[guard]}" for span, guard in dropped)
        reasons.append(("guard", f"every match was set aside: {shown}"))
    return reasons


_GUARD_WORDS = {
    "negated": "is negated",
    "quoted": "is inside quotation marks",
    "question": "is asked as a question",
    "conditional": "is only a condition",
}


def _guards(span: Span, guard: str, units: PostUnits) -> bool:
    return guarded(span, frozenset([guard]), units)


def _text(units: PostUnits, span: Span) -> str:
    tokens = units.tokens
    return tokens.post[tokens.start[span[0]] : tokens.end[span[1] - 1]]


def _unmet(expr: Expression, hits: PostHits, units: PostUnits) -> list[tuple[str, str]]:
    if isinstance(expr, Leaf):
        return [("missing", f"nothing matched {describe(expr)}")]
    if isinstance(expr, AnyOf):  # the alternatives that came closest: those with a part that matched
        near_misses = [part for part in expr.parts if isinstance(part, AllOf) and _any_part_matched(part, hits, units)]
        return [reason for part in near_misses for reason in _unmet(part, hits, units)] or [
            ("missing", f"nothing matched {describe(expr)}")
        ]
    return _unmet_all(expr, hits, units)


def _any_part_matched(expr: AllOf, hits: PostHits, units: PostUnits) -> bool:
    return any(evaluate(part, hits, units) for part in expr.required)


def _unmet_all(expr: AllOf, hits: PostHits, units: PostUnits) -> list[tuple[str, str]]:
    found = [evaluate(part, hits, units) for part in expr.required]
    missing = [describe(part) for part, spans in zip(expr.required, found, strict=True) if not spans]
    if missing:
        return [("missing", f"nothing matched {name}") for name in missing]
    too_far: tuple[int, Span, Span] | None = None  # the nearest pair that was still beyond `near`
    for anchor in found[0]:
        unit = units.unit(expr.scope, anchor[0])
        nearest = []
        for spans in found[1:]:
            together = [span for span in spans if units.unit(expr.scope, span[0]) == unit]
            if not together:
                break
            nearest.append(min((_distance(expr, units, anchor, span), span) for span in together))
        else:
            beyond = [(gap, span) for gap, span in nearest if expr.near is not None and gap > expr.near]
            if not beyond:  # every part was close by: a `not` part must have ruled it out
                return [("excluded", f"a 'not' part matched in the same {expr.scope}, which rules it out")]
            gap, span = max(beyond)
            if too_far is None or gap < too_far[0]:
                too_far = (gap, anchor, span)
    if too_far is None:
        return [("scope", f"its parts matched, but not in the same {expr.scope} (scope: {expr.scope})")]
    gap, anchor, span = too_far
    counted = "tokens" if expr.near_unit == "token" else "sentences"
    return [
        (
            "distance",
            f"{_text(units, anchor)!r} and {_text(units, span)!r} are {gap} {counted} apart; "
            f"the rule needs them within {expr.near} (near: {expr.near})",
        )
    ]


def _distance(expr: AllOf, units: PostUnits, anchor: Span, span: Span) -> int:
    if expr.near_unit == "sentence":
        return abs(units.sentence[span[0]] - units.sentence[anchor[0]])
    return _gap(anchor, span)
