"""Cheap pre-checks for regexes: the literal words at least one of which must occur for a match.

Running every rule regex on every post is the costliest step of a check. Most
rule regexes are alternations of phrases, so before running one we ask whether
any of its required literals occurs in the case-folded post; usually none does.
The literals are read from the parsed pattern. A pattern that cannot be analysed
gets no pre-check and always runs, so this only ever skips work, never matches.
"""
from __future__ import annotations

try:  # the stdlib regex parser: private, so every failure falls back to "always run"
    import re._parser as _sre_parse
    import re._constants as _sre
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _sre
    import sre_parse as _sre_parse

Requirement = frozenset  # any one of these case-folded literals must occur


_DIGITS = frozenset("0123456789")
# Words so common that requiring one of them filters nothing.
_COMMON = frozenset("a an and are as at be but by for from go has have he her his i in is it its me my no not of on "
                    "or our out she so that the their them they this to up us was we were will with you your".split())


def _best(options: list[Requirement]) -> Requirement | None:
    """Of several requirements that all hold, the most selective: no very common word, then the longest shortest literal."""
    options = [o for o in options if o]
    if not options:
        return None
    return max(options, key=lambda o: (not (o & _COMMON), o is not _DIGITS, min(map(len, o)), -len(o)))


def _needs_digit(op, arg) -> bool:
    """A `\\d` or `[0-9]` that must match: the text has to contain a digit."""
    if op is not _sre.IN:
        return False
    return arg in ([(_sre.CATEGORY, _sre.CATEGORY_DIGIT)], [(_sre.RANGE, (48, 57))])


def _sequence(items) -> Requirement | None:
    candidates: list[Requirement] = []
    run: list[str] = []

    def close_run():
        if run:
            candidates.append(frozenset(["".join(run).lower()]))
            run.clear()

    for op, arg in items:
        if op is _sre.LITERAL:
            run.append(chr(arg))
            continue
        close_run()
        if _needs_digit(op, arg):
            candidates.append(_DIGITS)
        elif op is _sre.SUBPATTERN:
            candidates.append(_sequence(arg[-1]))
        elif op is _sre.BRANCH:
            alternatives = [_sequence(branch) for branch in arg[1]]
            if all(alternatives):
                candidates.append(frozenset().union(*alternatives))
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and arg[0] >= 1:
            inner = list(arg[2])
            candidates.append(_DIGITS if len(inner) == 1 and _needs_digit(*inner[0]) else _sequence(inner))
        elif op is getattr(_sre, "POSSESSIVE_REPEAT", None) and arg[0] >= 1:
            candidates.append(_sequence(arg[2]))
    close_run()
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


def required_literals(pattern: str) -> Requirement | None:
    """Lower-case literals at least one of which any match must contain, or None if unknown."""
    try:
        parsed = _sre_parse.parse(pattern)
    except Exception:  # noqa: BLE001 - syntax the stdlib parser does not know (regex-module extensions)
        return None
    requirement = _sequence(list(parsed))
    if not requirement or any(not literal.strip() for literal in requirement):
        return None
    return frozenset(literal.casefold() for literal in requirement)
