"""A regex's grouping read from its text, without parsing it: the `(`, `)` and `|` that group, and its
top-level alternatives. The named patterns and the regex memory need only this at every load; the
pre-checks' analysis (`literals.py`) parses the pattern, and runs only when it is not cached.
"""

from __future__ import annotations

from collections.abc import Iterator


def split_alternatives(pattern: str) -> list[str]:
    """Split a pattern at its top-level `|`, so each alternative gets its own pre-check.

    The union of the alternatives' matches covers every match of the whole pattern,
    which is all a leaf needs. A pattern with a global inline flag is kept whole.
    """
    if pattern.startswith("(?") and pattern[2:3].isalpha():
        return [pattern]
    pieces, start = [], 0
    for i, char, depth in grouping(pattern):
        if char == "|" and depth == 0:
            pieces.append(pattern[start:i])
            start = i + 1
    pieces.append(pattern[start:])
    return pieces if all(pieces) else [pattern]


def grouping(pattern: str) -> Iterator[tuple[int, str, int]]:
    """The pattern's `(`, `)` and `|` that group (not escaped, not in a character class), each with
    its index and the depth of groups open after it."""
    depth = 0
    for i, char, in_class in characters(pattern):
        if not in_class and char in "()|":
            depth += (char == "(") - (char == ")")
            yield i, char, depth


def characters(pattern: str) -> Iterator[tuple[int, str, bool]]:
    """Each character of the pattern that is neither escaped nor an escape, with its index and whether it
    stands inside a character class (the `[` that opens one outside it, the `]` that ends it inside). A
    `]` first in a class is a member, not its end: it and a `^` before it are passed over."""
    i, in_class = 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        yield i, char, in_class
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            first = i + 1 + (pattern[i + 1 : i + 2] == "^")
            if pattern[first : first + 1] == "]":
                i = first
        i += 1
