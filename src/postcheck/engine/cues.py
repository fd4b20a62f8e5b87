"""The words a finding rests on: every cue of its rule in what it reports, marked together.

A rule's match can join several parts ("best" and a brand, an address and a
time) and fire more than once in a sentence; one finding reports them all. Its
cues are the hits of the leaves that carry the breach (the parts of an `all`,
not its `context` or `not` parts) inside the spans the rule matched, so an
officer sees every word to change, not just the first.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..rulebook.expressions import AllOf, AnyOf, Expression, Leaf
from .matchers import PostHits
from .tokens import Span


def carrying_keys(expr: Expression) -> tuple[str, ...]:
    """The keys of the leaves that carry a breach, in rule order, each once."""
    return tuple(dict.fromkeys(leaf.key for leaf in _carrying(expr)))


def _carrying(expr: Expression) -> Iterator[Leaf]:
    if isinstance(expr, Leaf):
        yield expr
    elif isinstance(expr, (AnyOf, AllOf)):  # an `all`'s parts, without its context and `not` parts
        for part in expr.parts:
            yield from _carrying(part)


def cues(keys: tuple[str, ...], spans: list[Span], hits: PostHits) -> list[Span]:
    """The hits of the carrying leaves `keys` inside the matched spans, merged where they overlap
    and in text order; the spans themselves when no leaf hit lies inside one."""
    inside = {
        hit
        for key in keys
        if key in hits.active
        for hit in hits.get(key)
        if any(start <= hit[0] and hit[1] <= end for start, end in spans)
    }
    merged: list[Span] = []
    for start, end in sorted(inside or spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
