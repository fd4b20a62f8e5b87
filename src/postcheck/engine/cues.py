"""The words a finding rests on: every cue of its rule in what it reports, marked together.

A rule's match can join several parts ("best" and a brand, an address and a
time) and fire more than once in a sentence; one finding reports them all. Its
cues are the hits of the leaves that carry the breach (the parts of an `all`,
not its `context` or `not` parts) inside the spans the rule matched, so an
officer sees every word to change, not just the first.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from itertools import accumulate

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


class Cues:
    """The cues of a post's findings. Each leaf's hits are sorted once for the post, and a finding
    looks only at the hits that start inside its spans: a post of thousands of sentences or
    brackets has thousands of findings, spans and hits, and testing every pair took minutes."""

    def __init__(self, hits: PostHits):
        self._hits = hits
        self._ordered: dict[str, tuple[list[Span], list[int]]] = {}

    def of(self, keys: tuple[str, ...], spans: list[Span]) -> list[Span]:
        """The hits of the carrying leaves `keys` inside the matched spans, merged where they overlap
        and in text order; the spans themselves when no leaf hit lies inside one."""
        within, ranges = _container(spans), _merged(spans)
        inside: set[Span] = set()
        for key in keys:
            if key not in self._hits.active:
                continue
            ordered, starts = self._sorted(key)
            for low, high in ranges:  # disjoint, so each hit is looked at once
                inside.update(
                    hit for hit in ordered[bisect_left(starts, low) : bisect_right(starts, high)] if within(hit)
                )
        return _merged(inside or spans)

    def _sorted(self, key: str) -> tuple[list[Span], list[int]]:
        if key not in self._ordered:
            ordered = sorted(self._hits.get(key))
            self._ordered[key] = ordered, [start for start, _ in ordered]
        return self._ordered[key]


def _merged(spans: Iterable[Span]) -> list[Span]:
    """Spans in text order, those that overlap or touch made one."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _container(spans: list[Span]) -> Callable[[Span], bool]:
    """Whether a hit lies inside one of `spans`, in logarithmic time."""
    ordered = sorted(spans)
    starts = [start for start, _ in ordered]
    furthest = list(accumulate((end for _, end in ordered), max))  # the furthest end of a span starting so far

    def within(hit: Span) -> bool:
        i = bisect_right(starts, hit[0])
        return i > 0 and furthest[i - 1] >= hit[1]

    return within
