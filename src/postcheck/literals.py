r"""Cheap pre-checks for regexes: the literal words at least one of which must occur for a match.

Running every rule regex on every post is the costliest step of a check. Most
rule regexes are alternations of phrases, so before running one we ask whether
any of its required literals occurs in the case-folded post; usually none does.
The literals are read from the parsed pattern. A pattern that cannot be analysed
gets no pre-check and always runs, so this only ever skips work, never matches.

Word boundaries count: in `\bhe\s` the literal is the word "he", not the "he"
inside "the". A literal that the pattern puts at a word boundary carries
`BOUNDARY` at that end ("\x01he\x01"), and is only counted where the post has
a boundary there too.
"""
from __future__ import annotations

import regex

try:  # the stdlib regex parser: private, so every failure falls back to "always run"
    import re._parser as _sre_parse
    import re._constants as _sre
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _sre
    import sre_parse as _sre_parse

Requirement = frozenset  # any one of these case-folded, boundary-marked literals must occur

BOUNDARY = "\x01"
# The same engine as the rule regexes, so that a word character here is one there.
WORD = regex.compile(r"\w")
_OTHER_DIGITS = regex.compile(r"(?![0-9])\d")

_DIGITS = frozenset("0123456789")
# Words so common that requiring one of them filters nothing.
_COMMON = frozenset("a an and are as at be but by for from go has have he her his i in is it its me my no not of on "
                    "or our out she so that the their them they this to up us was we were will with you your".split())
_AT_BOUNDARY = (_sre.AT_BOUNDARY, _sre.AT_BEGINNING, _sre.AT_BEGINNING_STRING, _sre.AT_END, _sre.AT_END_STRING)


def fold(text: str) -> str:
    """A text as literals are looked for in it: case-folded, and with every other script's digits
    written as "0", since `\\d` in a rule regex matches those too."""
    folded = text.casefold()
    return folded if folded.isascii() else _OTHER_DIGITS.sub("0", folded)


def unmark(literal: str) -> tuple[str, bool, bool]:
    """A literal without its markers, and whether a word boundary must precede and follow it."""
    return _bare(literal), literal.startswith(BOUNDARY), literal.endswith(BOUNDARY)


def _bare(literal: str) -> str:
    return literal.strip(BOUNDARY)


def _best(options: list[Requirement]) -> Requirement | None:
    """Of several requirements that all hold, the most selective: no very common word, then the longest shortest literal."""
    options = [o for o in options if o]
    if not options:
        return None
    return max(options, key=lambda o: (not {_bare(lit) for lit in o} & _COMMON, o is not _DIGITS, min(map(len, o)), -len(o)))


def _needs_digit(op, arg) -> bool:
    """A `\\d` or `[0-9]` that must match: the text has to contain a digit."""
    if op is not _sre.IN:
        return False
    return arg in ([(_sre.CATEGORY, _sre.CATEGORY_DIGIT)], [(_sre.RANGE, (48, 57))])


def _bounds(item) -> bool:
    """Whether a word character next to this item must sit at a word boundary: `\\b`, `^`, `$`, or
    one or more spaces."""
    op, arg = item
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and arg[0] >= 1 and len(arg[2]) == 1:
        op, arg = list(arg[2])[0]
    return (op is _sre.AT and arg in _AT_BOUNDARY) or (op is _sre.IN and arg == [(_sre.CATEGORY, _sre.CATEGORY_SPACE)])


def _literal(chars: list[str], left: bool, right: bool) -> str:
    """A run of literal characters, marked at each end where the pattern puts a word boundary."""
    text = "".join(chars).lower()
    if left and WORD.match(text[0]):
        text = BOUNDARY + text
    if right and WORD.match(text[-1]):
        text += BOUNDARY
    return text


def _sequence(items, left: bool = False, right: bool = False) -> Requirement | None:
    """The best requirement of a sequence; `left`/`right` say whether a boundary surely lies just
    before/after it."""
    items = list(items)
    candidates: list[Requirement] = []
    run: list[str] = []
    run_left = left

    def close_run(right_bound: bool):
        if run:
            candidates.append(frozenset([_literal(run, run_left, right_bound)]))
            run.clear()

    for index, (op, arg) in enumerate(items):
        before = _bounds(items[index - 1]) if index else left
        after = _bounds(items[index + 1]) if index + 1 < len(items) else right
        if op is _sre.LITERAL:
            if not run:
                run_left = before
            run.append(chr(arg))
            continue
        close_run(_bounds((op, arg)))
        if _needs_digit(op, arg):
            candidates.append(_DIGITS)
        elif op is _sre.SUBPATTERN:
            candidates.append(_sequence(arg[-1], before, after))
        elif op is _sre.BRANCH:
            alternatives = [_sequence(branch, before, after) for branch in arg[1]]
            if all(alternatives):
                candidates.append(frozenset().union(*alternatives))
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and arg[0] >= 1:
            inner = list(arg[2])
            # Each repetition starts where the last ended, so only the first is known to follow `before`.
            candidates.append(_DIGITS if len(inner) == 1 and _needs_digit(*inner[0]) else _sequence(inner, before, False))
        elif op is getattr(_sre, "POSSESSIVE_REPEAT", None) and arg[0] >= 1:
            candidates.append(_sequence(arg[2], before, False))
    close_run(right)
    return _best(candidates)


def split_alternatives(pattern: str) -> list[str]:
    """Split a pattern at its top-level `|`, so each alternative gets its own pre-check.

    The union of the alternatives' matches covers every match of the whole pattern,
    which is all a leaf needs. A pattern with a global inline flag is kept whole.
    """
    if pattern.startswith("(?") and pattern[2:3].isalpha():
        return [pattern]
    pieces, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "]":
                i += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            pieces.append(pattern[start:i])
            start = i + 1
        i += 1
    pieces.append(pattern[start:])
    return pieces if all(pieces) else [pattern]


def prechecks(pattern: str) -> tuple[Requirement | None, frozenset | None]:
    """The pre-checks of a pattern, each None when the pattern says too little: the case-folded
    literals one of which any match contains, and the shape strings one of which the shape of any
    text it matches contains."""
    try:
        parsed = list(_sre_parse.parse(pattern))
    except Exception:  # noqa: BLE001 - syntax the stdlib parser does not know (regex-module extensions)
        return None, None
    return _literals_of(parsed), _shapes_of(parsed)


def _literals_of(parsed: list) -> Requirement | None:
    requirement = _sequence(parsed)
    if not requirement or any(not _bare(literal).strip() for literal in requirement):
        return None
    return frozenset(literal.casefold() for literal in requirement)


# Shapes: case-sensitive patterns ("(?-i:\b[A-Z]{2}\d{2}") name few literals, but the kinds of
# character they need next to each other are just as telling. A post's shape maps upper-case
# letters to "A", lower-case to "a", digits to "0" and spaces to " ". Outside ASCII, what a rule
# regex can match with an ASCII shape is mapped the same way: any digit (`\d`) to "0", any space
# (`\s`) to " ", and the two letters that case-folding makes ASCII (the Kelvin sign, long s) to
# "A" and "a"; every other character to NOT_ASCII, which no pattern's shape contains.
NOT_ASCII = "\uffff"
_ASCII_SHAPES = {
    **dict.fromkeys(range(65, 91), "A"), **dict.fromkeys(range(97, 123), "a"),
    **dict.fromkeys(map(ord, "0123456789"), "0"), **dict.fromkeys(map(ord, " \t\n\r\x0b\x0c"), " "),
}
_DIGIT = regex.compile(r"\d")
_SPACE = regex.compile(r"\s")


class _ShapeTable(dict):
    """`str.translate` table: ASCII as above, other characters worked out on first sight."""

    def __missing__(self, code: int):
        char = chr(code)
        if code < 128:
            shape = char
        elif char in "\u212a\u017f":
            shape = "A" if char == "\u212a" else "a"
        elif _DIGIT.match(char):
            shape = "0"
        elif _SPACE.match(char):
            shape = " "
        else:
            shape = NOT_ASCII
        self[code] = shape
        return shape


_SHAPE_TABLE = _ShapeTable(_ASCII_SHAPES)
_SPACE_RUN = regex.compile(" {2,}")
_IGNORECASE = 2  # re.IGNORECASE in a SUBPATTERN's flags


def case_sensitive_inside(group, sensitive: bool) -> bool:
    """Whether a parsed group `(?i:...)` / `(?-i:...)` matches case-sensitively, given the context."""
    _, add_flags, del_flags, _ = group
    return False if add_flags & _IGNORECASE else True if del_flags & _IGNORECASE else sensitive
_MAX_VARIANTS = 16
_MIN_SCORE = 2  # lower-case letters and spaces are everywhere; a shape needs two other characters


def shape(text: str) -> str:
    """The shape of a text. A run of spaces becomes one, so that `\\s+` has a shape: " "."""
    shaped = text.translate(_SHAPE_TABLE)
    return _SPACE_RUN.sub(" ", shaped) if "  " in shaped else shaped


def _char_shapes(op, arg, sensitive: bool) -> frozenset | None:
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
    shapes = set()
    for char in chars:
        if char.isalpha() and not sensitive:
            shapes.update("Aa")
        else:
            shapes.add(char.translate(_SHAPE_TABLE))
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

    def extend(self, shapes) -> None:
        if len(self.run) * len(shapes) > _MAX_VARIANTS:
            self.close()
        self.run = {_join(prefix, shape) for prefix in self.run for shape in shapes}

    def walk(self, items, sensitive: bool) -> None:
        for op, arg in items:
            if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
                continue  # zero width: the characters either side are still next to each other
            if op is _sre.SUBPATTERN:
                self.walk(arg[-1], case_sensitive_inside(arg, sensitive))
            elif op is _sre.BRANCH:
                self._branch(arg[1], sensitive)
            elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
                self._repeat(*arg, sensitive)
            elif (shapes := _char_shapes(op, arg, sensitive)) is not None:
                self.extend(shapes)
            else:
                self.close()

    def _branch(self, branches, sensitive: bool) -> None:
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
        if all(options):
            self.candidates.append(frozenset().union(*options))

    def _repeat(self, low: int, high: int, inner, sensitive: bool) -> None:
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


def _shapes_of(parsed: list) -> frozenset | None:
    walk = _ShapeWalk()
    walk.walk(parsed, sensitive=False)  # rule regexes run with IGNORECASE
    return _best_shapes(walk)
