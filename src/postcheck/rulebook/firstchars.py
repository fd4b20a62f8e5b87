r"""A guard on the first character of a rule regex, so that a search skips at once the places no match starts.

The `regex` engine tries a pattern at every position of a post. A pattern that
opens with a lookbehind or a negative lookahead, such as a name not preceded by
a rank (`(?<!\b(?:PC|Sgt|...)\s)(?-i:\b(?=[A-Z])...)`), runs that assertion at
every position, though a match can only begin with a capital. Such a pattern
is searched with a lookahead of the characters a match can begin with in front
(`(?-i:(?=[A-Z]))`): zero-width, so every match stays the same, and most
positions fail on one character test. The characters are read from the parsed
pattern by `regexbound`'s analysis, which keeps what a rule regex can match
outside ASCII as kinds (`\w`, `\s`); patterns that can start with a symbol
outside ASCII, or match the empty string, get no guard. Patterns that open
with a plain character, class or positive lookahead already fail fast, and
measured no faster with a guard.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex

from . import regexbound
from .sre import Item, parse, reads_otherwise
from .sre import constants as _sre

_KINDS = {regexbound.WORD: r"\w", regexbound.SPACE: r"\s"}


def first_char_guard(pattern: str) -> str:
    """A lookahead to put in front of the pattern (matched as it is, with IGNORECASE), or "" for none."""
    if reads_otherwise(pattern):
        return ""
    try:
        items = parse(pattern)
        if not _opens_with_costly_assertion(items):
            return ""
        first = regexbound.first_chars(items)
    except Exception:  # noqa: BLE001 - syntax the stdlib parser does not read, or a pattern it cannot bound
        return ""
    if first is None or regexbound.END in first or regexbound.SYMBOL in first:
        return ""
    # ASCII characters as themselves, unless `\w` or `\s` holds them already.
    covered = regex.compile("|".join(_KINDS[kind] for kind in first if kind in _KINDS) or "(?!)")
    ascii_chars = "".join(regex.escape(c) for c in sorted(first) if len(c) == 1 and not covered.fullmatch(c))
    kinds = "".join(_KINDS[kind] for kind in sorted(first) if kind in _KINDS)
    return f"(?-i:(?=[{ascii_chars}{kinds}]))"


def _opens_with_costly_assertion(items: Iterable[Item]) -> bool:
    """Whether the first assertion before anything is matched is a lookbehind or a negative lookahead."""
    for op, arg in items:
        if op is _sre.AT:  # \b, ^: one cheap test
            continue
        if op is _sre.SUBPATTERN:
            return _opens_with_costly_assertion(arg[-1])
        if op is _sre.ASSERT_NOT:
            return True
        return op is _sre.ASSERT and arg[0] < 0  # a lookbehind; a positive lookahead is itself a guard
    return False
