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

_BREAK_AFTER = {";", ":", "-", "–", "—", "…", "|"}
_ALWAYS_BEFORE = {"but", "so", "yet", "because", "although", "though", "whereas", "unless", "cos"}
_COORDINATORS = {"and", "or"}
_SUBJECTS = {"i", "we", "you", "he", "she", "they", "it", "there", "this", "that", "our", "my", "your"}


def _opens_clause(tokens: PostTokens, i: int) -> bool:
    lower, prev = tokens.lower[i], tokens.text[i - 1]
    nxt = tokens.lower[i + 1] if i + 1 < len(tokens) else ""
    return (
        tokens.sentence[i] != tokens.sentence[i - 1]
        or tokens.is_space[i - 1]
        or prev in _BREAK_AFTER and (prev != "-" or tokens.space_after[i - 1])
        or lower in _ALWAYS_BEFORE
        or lower in _COORDINATORS and (prev == "," or nxt in _SUBJECTS)
        or prev == "," and lower in _SUBJECTS and lower not in {"this", "that"}
    )


def clause_starts(tokens: PostTokens) -> list[int]:
    """Token indices at which clauses start, ascending, always beginning with 0."""
    texts = tokens.text
    starts = [0] if texts else []
    depth = 1 if texts and texts[0] == "[" else 0
    for i in range(1, len(texts)):
        text = texts[i]
        if text == "[":
            depth += 1
        if not tokens.is_space[i] and (text == "[" or depth == 0) and _opens_clause(tokens, i):
            starts.append(i)
        if text == "]":
            depth = max(0, depth - 1)
    return starts


def clause_index(count: int, starts: list[int]) -> list[int]:
    """For each of `count` tokens, the index of the clause it belongs to."""
    index = [0] * count
    bounds = starts + [count]
    for k in range(len(starts)):
        index[bounds[k]:bounds[k + 1]] = [k] * (bounds[k + 1] - bounds[k])
    return index
