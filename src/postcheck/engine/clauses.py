"""Split a processed post into clauses, so a finding points at the clause that breaches.

Without a parser, clause boundaries are read from surface cues that reliably
join independent clauses in short posts: sentence starts, `;` `:` and dashes,
coordinating conjunctions ("but", "so", "yet"), "and"/"or" after a comma or
before a subject pronoun, a comma before a subject pronoun, and subordinators
("because", "although") that open a new proposition. Attachment descriptions
in square brackets ("[photo: me in uniform]") are never split.
"""

from __future__ import annotations

from .tokens import PostTokens

_BREAK_AFTER = {";", ":", "-", "\u2013", "\u2014", "…", "|"}  # with the en and em dashes
_ALWAYS_BEFORE = {"but", "so", "yet", "because", "although", "though", "whereas", "unless", "cos"}
_COORDINATORS = {"and", "or"}
_SUBJECTS = {"i", "we", "you", "he", "she", "they", "it", "there", "this", "that", "our", "my", "your"}


_OPENING_SUBJECTS = _SUBJECTS - {"this", "that"}


def clause_starts(tokens: PostTokens) -> list[int]:
    """Token indices at which clauses start, ascending, always beginning with 0."""
    texts, lowers, spaces = tokens.text, tokens.lower, tokens.is_space
    sentence, space_after = tokens.sentence, tokens.space_after
    count = len(texts)
    if not count:
        return []
    starts = [0]
    depth = 1 if texts[0] == "[" else 0
    for i in range(1, count):
        text = texts[i]
        if text == "[":
            depth += 1
        if not spaces[i] and (text == "[" or depth == 0):
            lower, prev = lowers[i], texts[i - 1]
            if (
                sentence[i] != sentence[i - 1]
                or spaces[i - 1]
                or (prev in _BREAK_AFTER and (prev != "-" or space_after[i - 1]))
                or lower in _ALWAYS_BEFORE
                or (lower in _COORDINATORS and (prev == "," or (i + 1 < count and lowers[i + 1] in _SUBJECTS)))
                or (prev == "," and lower in _OPENING_SUBJECTS)
            ):
                starts.append(i)
        if text == "]":
            depth = max(0, depth - 1)
    return starts


def clause_index(count: int, starts: list[int]) -> list[int]:
    """For each of `count` tokens, the index of the clause it belongs to."""
    index = [0] * count
    bounds = [*starts, count]
    for k in range(len(starts)):
        index[bounds[k] : bounds[k + 1]] = [k] * (bounds[k + 1] - bounds[k])
    return index
