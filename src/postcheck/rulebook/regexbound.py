r"""A proven bound on the work of a rule regex, so that short posts can skip the timeout.

Every rule regex runs with a timeout, but the `regex` engine reads the process
clock to keep one, and on a virtual machine that cost more than the searches
themselves. So each pattern gets a bound on its backtracking work as a
polynomial in the text length n, read from the parsed pattern, and a search of
a text short enough that the bound stays under `BUDGET` steps runs without the
clock. Patterns it cannot bound (backreferences, unbounded repeats of groups)
and longer texts keep the timeout.

The bound is computed right to left over each sequence, from what may follow
every item: the cost of trying it, and the characters it can start with. A
repeat of one character class may stop at up to n + 1 places and the rest of
the pattern is retried from each; but when no character of the class can start
what follows, every stop but the last fails at once, so the rest runs once.
That is why `\btoo\s+soft\b` costs O(n) from each start and `\w+\w+x` O(n²).
"""

from __future__ import annotations

import math
import string
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import regex

from .sre import Item, case_sensitive_inside, parse
from .sre import constants as _sre

BUDGET = 5_000_000  # backtracking steps: a few hundredths of a second, well under the timeout

# Characters outside ASCII, by the kinds that classes tell apart, and the end of the text.
SPACE, WORD, SYMBOL, END = "<space>", "<word>", "<symbol>", "<end>"
_NON_ASCII = frozenset([SPACE, WORD, SYMBOL])
_ASCII = frozenset(map(chr, range(128)))
_DIGITS = frozenset(string.digits)
_SPACES = frozenset(" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f")
_WORDS = frozenset(string.ascii_letters + string.digits + "_")
_CATEGORIES = {
    _sre.CATEGORY_DIGIT: _DIGITS | {WORD},
    _sre.CATEGORY_NOT_DIGIT: (_ASCII - _DIGITS) | _NON_ASCII,
    _sre.CATEGORY_SPACE: _SPACES | {SPACE},
    _sre.CATEGORY_NOT_SPACE: (_ASCII - _SPACES) | {WORD, SYMBOL},
    _sre.CATEGORY_WORD: _WORDS | {WORD},
    _sre.CATEGORY_NOT_WORD: (_ASCII - _WORDS) | {SPACE, SYMBOL},
}
_SINGLE = (_sre.LITERAL, _sre.NOT_LITERAL, _sre.IN, _sre.ANY)
_REPEATS = tuple(op for op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)) if op)
_ATOMIC = getattr(_sre, "ATOMIC_GROUP", None)


class Unbounded(Exception):
    """The pattern has a construct whose work this analysis cannot bound."""


@dataclass(frozen=True)
class Cost:
    """At most `c * n**d` steps for a text of length n >= 1."""

    c: float
    d: int

    def __add__(self, other: Cost) -> Cost:
        return Cost(self.c + other.c, max(self.d, other.d))

    def __mul__(self, other: Cost) -> Cost:
        return Cost(self.c * other.c, self.d + other.d)


ONE = Cost(1.0, 0)
PER_CHAR = Cost(2.0, 1)  # n + 1 places to stop, at most 2n for n >= 1


@dataclass(frozen=True)
class Rest:
    """What follows a point of the pattern: the cost of trying it, the part of that cost spent
    before it consumes a character (zero-width checks), and the characters it can start with
    (END when it can match nothing, as the text may end or anything may follow)."""

    cost: Cost
    head: Cost
    first: frozenset


def _chars(op: Any, arg: Any, sensitive: bool) -> frozenset:
    """The characters one single-character item can match, those outside ASCII by kind."""
    if op is _sre.LITERAL:
        chars: set[str] | frozenset[str] = {chr(arg)}
    elif op is _sre.NOT_LITERAL or op is _sre.ANY:
        chars = (_ASCII - {chr(arg) if op is _sre.NOT_LITERAL else "\n"}) | _NON_ASCII
    else:  # IN
        chars, negate = set(), False
        for kind, value in arg:
            if kind is _sre.NEGATE:
                negate = True
            elif kind is _sre.LITERAL:
                chars.add(chr(value))
            elif kind is _sre.RANGE:
                chars.update(map(chr, range(value[0], min(value[1], 127) + 1)))
                if value[1] > 127:
                    chars |= _NON_ASCII
            else:
                chars |= _CATEGORIES.get(value, _ASCII | _NON_ASCII)
        if negate:
            chars = (_ASCII - chars) | _NON_ASCII
    if any(len(c) == 1 and not c.isascii() for c in chars):
        chars = {c for c in chars if len(c) > 1 or c.isascii()} | _NON_ASCII
    if not sensitive and any(len(c) == 1 and c.isalpha() for c in chars):
        # Case-folding reaches the other case, and a few letters outside ASCII (the Kelvin sign).
        chars = set(chars) | {c.swapcase() for c in chars if len(c) == 1} | {WORD}
    return frozenset(chars)


def _total(costs: Iterable[Cost]) -> Cost:
    costs = list(costs)
    total = costs[0]
    for cost in costs[1:]:
        total = total + cost
    return total


def _sequence(items: Iterable[Item], rest: Rest, sensitive: bool) -> Rest:
    for op, arg in reversed(list(items)):
        rest = _item(op, arg, rest, sensitive)
    return rest


def _item(op: Any, arg: Any, rest: Rest, sensitive: bool) -> Rest:
    if op in _SINGLE:
        return Rest(ONE + rest.cost, ONE, _chars(op, arg, sensitive))
    if op is _sre.AT:
        return Rest(ONE + rest.cost, ONE + rest.head, rest.first)
    if op is _sre.SUBPATTERN:
        return _sequence(arg[-1], rest, case_sensitive_inside(arg, sensitive))
    if op is _ATOMIC:
        return _sequence(arg, rest, sensitive)
    if op is _sre.BRANCH:
        options = [_sequence(branch, rest, sensitive) for branch in arg[1]]
        return Rest(
            _total(o.cost for o in options),
            _total(o.head for o in options),
            frozenset().union(*(o.first for o in options)),
        )
    if op in (_sre.ASSERT, _sre.ASSERT_NOT):
        inner = _sequence(arg[1], Rest(ONE, ONE, frozenset([END])), sensitive)
        return Rest(inner.cost + rest.cost, inner.cost + rest.head, rest.first)
    if op in _REPEATS:
        low, high, inner = arg
        return _repeat(low, high, inner, rest, sensitive)
    raise Unbounded(str(op))  # backreferences, conditionals


def _repeat(low: int, high: Any, inner: Iterable[Item], rest: Rest, sensitive: bool) -> Rest:
    inner = list(inner)
    unbounded = high is _sre.MAXREPEAT
    if len(inner) == 1 and inner[0][0] in _SINGLE:
        chars = _chars(*inner[0], sensitive)
        stops = PER_CHAR if unbounded else Cost(float(high - low + 1), 0)
        # When no character of the class can start what follows, only the attempt that stops where the class no
        # longer matches can get past that first character; every other stop fails there, after its zero-width checks.
        cost = stops + stops * rest.head + rest.cost if chars.isdisjoint(rest.first) else stops * (ONE + rest.cost)
        if low == 0:
            return Rest(cost, ONE + rest.head, chars | rest.first)
        return Rest(cost, ONE, chars)
    if unbounded:
        raise Unbounded("a repeat of a group without a bound")
    for _ in range(high - low):  # each optional copy: the copy and what follows it, or what follows
        with_copy = _sequence(inner, rest, sensitive)
        rest = Rest(with_copy.cost + rest.cost, with_copy.head + rest.head, with_copy.first | rest.first)
    for _ in range(low):
        rest = _sequence(inner, rest, sensitive)
    return rest


def first_chars(items: list[Item]) -> frozenset | None:
    """The characters a match of a parsed pattern (with IGNORECASE) can begin with, those outside ASCII
    by kind, and END when it can match the empty string; None when the analysis cannot read it."""
    try:
        return _sequence(items, Rest(ONE, ONE, frozenset([END])), sensitive=False).first
    except (Unbounded, RecursionError):
        return None


def _per_start(pattern: str) -> Cost | None:
    """The bound on the work of a search from one start position; None if the pattern cannot be bounded."""
    try:
        return _sequence(parse(pattern), Rest(ONE, ONE, frozenset([END])), sensitive=False).cost
    except (Unbounded, RecursionError):
        return None
    except Exception:  # noqa: BLE001 - syntax the stdlib parser does not know
        return None


def safe_length(pattern: str) -> int:
    """The longest text a search of this pattern (from each of its n + 1 start positions) provably
    finishes within BUDGET steps on; 0 if the pattern cannot be bounded."""
    per_start = _per_start(pattern)
    if per_start is None:
        return 0

    def work(n: int) -> float:
        return (n + 1) * per_start.c * float(n) ** per_start.d

    if not math.isfinite(per_start.c) or work(1) > BUDGET:
        return 0
    low, high = 1, 2
    while work(high) <= BUDGET and high < 1 << 24:
        high *= 2
    while low < high - 1:  # the largest n with work(n) <= BUDGET
        mid = (low + high) // 2
        low, high = (mid, high) if work(mid) <= BUDGET else (low, mid)
    return low


STRESS_SECONDS = 0.5  # a sound pattern searches these texts in milliseconds; an exploding one, for minutes


def fails_stress(pattern: str) -> str | None:
    """For a pattern whose work this analysis cannot bound, or bounds only by the cube of the text's
    length or worse (the bound is cautious: most such patterns are fine): search texts built to make it
    backtrack, its own characters and pairs of them repeated, then a character that stops a match. The
    first text it cannot search within STRESS_SECONDS, shown; None when it searched them all, or needs no test."""
    per_start = _per_start(pattern)
    if per_start is not None and per_start.d < 2:
        return None
    compiled = regex.compile(pattern, regex.IGNORECASE)
    letters = [c for c in dict.fromkeys(pattern.lower()) if c.isalnum() or c in " _-.,'@#/!?=:"][:16]
    # A text that ends without the pattern's last character fails at once; one that has it out of reach does not.
    endings = ["\x00", *(" " + c for c in letters)]
    for unit in [*letters, *(a + b for a, b in pairwise(letters)), "a", "1", " ", "a ", "a1"]:
        # Exponential work shows on a short text; cubic and worse on a long one that keeps a match in sight.
        for length, tried in ((40, endings[:1]), (2_000, endings)):
            for ending in tried:
                text = unit * (length // len(unit)) + ending
                try:
                    for _ in compiled.finditer(text, timeout=STRESS_SECONDS):
                        pass
                except TimeoutError:
                    return repr(unit * 3 + "..." + ending) + f" ({len(text):,} characters)"
    return None
