r"""Shape pre-checks for regexes: the kinds of character a match needs next to each other.

Case-sensitive patterns ("(?-i:\b[A-Z]{2}\d{2})") name few literals, but the kinds of
character they need next to each other are just as telling. A post's shape maps upper-case
letters to "A", lower-case to "a", digits to "0" and spaces to " ". Outside ASCII, what a rule
regex can match with an ASCII shape is mapped the same way: any digit (`\d`) to "0", any space
(`\s`) to " ", and the two letters that case-folding makes ASCII (the Kelvin sign, long s) to
"A" and "a"; every other character to NOT_ASCII, which no pattern's shape contains. A post's
shape is worked out in `posttext.py`, which a check loads when these analyses are cached.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from .posttext import shape
from .sre import Item, case_sensitive_inside
from .sre import constants as _sre

_MAX_VARIANTS = 16
_MIN_SCORE = 2  # lower-case letters and spaces are everywhere; a shape needs two other characters


def _char_shapes(op: Any, arg: Any, sensitive: bool) -> frozenset | None:
    """The shapes of the one character this item matches, or None if it is not a single-character
    item or can match too much to say."""
    if op is _sre.LITERAL:
        chars = [chr(arg)]
    elif op is _sre.IN:
        chars = []
        for kind, value in arg:
            if kind is _sre.LITERAL:
                chars.append(chr(value))
            elif kind is _sre.RANGE and value[1] - value[0] < 128:
                chars.extend(map(chr, range(value[0], value[1] + 1)))
            elif kind is _sre.CATEGORY and value in (_sre.CATEGORY_DIGIT, _sre.CATEGORY_SPACE):
                chars.append("0" if value is _sre.CATEGORY_DIGIT else " ")
            else:
                return None
    else:
        return None
    if not all(char.isascii() for char in chars):
        return None  # case-folding and classes reach too far outside ASCII to say
    shapes: set[str] = set()
    for char in chars:
        if char.isalpha() and not sensitive:
            shapes.update("Aa")
        else:
            shapes.add(shape(char))
    return frozenset(shapes)


def _score(shapes: frozenset) -> int:
    return min(sum(char not in "a " for char in s) for s in shapes)


class _ShapeWalk:
    """Walks a parsed pattern, growing runs of adjacent characters' shapes. A run is the set of
    shape strings the characters matched so far can have; it closes into a candidate wherever
    adjacency is no longer certain (a repeat of unknown length, a character class too broad)."""

    def __init__(self):
        self.candidates: list[frozenset] = []
        self.run = {""}

    def close(self) -> None:
        if self.run != {""}:
            self.candidates.append(frozenset(self.run))
        self.run = {""}

    def extend(self, shapes: Collection[str]) -> None:
        if len(self.run) * len(shapes) > _MAX_VARIANTS:
            self.close()
        self.run = {_join(prefix, shape) for prefix in self.run for shape in shapes}

    def walk(self, items: Iterable[Item], sensitive: bool) -> None:
        for op, arg in items:
            if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
                continue  # zero width: the characters either side are still next to each other
            if op is _sre.SUBPATTERN:
                self.walk(arg[-1], case_sensitive_inside(arg, sensitive))
            elif op is _sre.BRANCH:
                self._branch(arg[1], sensitive)
            elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
                low, high, inner = arg
                self._repeat(low, high, inner, sensitive)
            elif (shapes := _char_shapes(op, arg, sensitive)) is not None:
                self.extend(shapes)
            else:
                self.close()

    def _branch(self, branches: Iterable[Iterable[Item]], sensitive: bool) -> None:
        walks = []
        for branch in branches:
            walk = _ShapeWalk()
            walk.walk(branch, sensitive)
            walks.append(walk)
        if all(not w.candidates for w in walks):  # each alternative is a fixed run: the run goes on
            self.extend(frozenset().union(*(w.run for w in walks)))
            return
        self.close()
        options = [_best_shapes(w) for w in walks]
        found = [option for option in options if option]
        if len(found) == len(options):  # every alternative has a shape
            self.candidates.append(frozenset().union(*found))

    def _repeat(self, low: int, high: int, inner: Iterable[Item], sensitive: bool) -> None:
        inner = list(inner)
        shapes = _char_shapes(*inner[0], sensitive) if len(inner) == 1 else None
        if shapes is None:
            if low >= 1:  # the first copy follows what came before; later copies may differ
                self.walk(inner, sensitive)
            self.close()
        elif low == 0 and (high == 1 or shapes == {" "}):  # a space or none: runs of spaces are one
            if len(self.run) * (len(shapes) + 1) > _MAX_VARIANTS:
                self.close()
            self.run |= {_join(prefix, shape) for prefix in self.run for shape in shapes}
        elif low == 0:
            self.close()
        elif shapes == {" "}:  # one or more spaces: one space in a shape
            self.extend(shapes)
        else:
            for _ in range(min(low, 4)):
                self.extend(shapes)
            if high != low:  # more may follow: only the last repetitions touch what comes next
                self.close()
                for _ in range(min(low, 4)):
                    self.extend(shapes)


def _join(prefix: str, shape: str) -> str:
    return prefix if shape == " " and prefix.endswith(" ") else prefix + shape


def _best_shapes(walk: _ShapeWalk) -> frozenset | None:
    walk.close()
    usable = [c for c in walk.candidates if _score(c) >= _MIN_SCORE]
    return max(usable, key=lambda c: (_score(c), -len(c))) if usable else None


def shapes_of(parsed: list[Item]) -> frozenset | None:
    walk = _ShapeWalk()
    walk.walk(parsed, sensitive=False)  # rule regexes run with IGNORECASE
    return _best_shapes(walk)
