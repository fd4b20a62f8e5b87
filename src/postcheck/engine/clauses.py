"""Split a processed post into clauses, so a finding points at the clause that breaches.

Without a parser, clause boundaries are read from surface cues that reliably
join independent clauses in short posts: sentence starts, `;` `:` and dashes,
coordinating conjunctions ("but", "so", "yet"), "and"/"or" after a comma or
before a subject pronoun, a comma before a subject pronoun, and subordinators
("because", "although") that open a new proposition. Attachment descriptions
in square brackets ("[photo: me in uniform]") are never split.
"""

from __future__ import annotations

from itertools import pairwise

from .tokens import PostTokens

_BREAK_AFTER = {";", ":", "-", "\u2013", "\u2014", "…", "|"}  # with the en and em dashes
_ALWAYS_BEFORE = {"but", "so", "yet", "because", "although", "though", "whereas", "unless", "cos"}
_COORDINATORS = {"and", "or"}
_SUBJECTS = {"i", "we", "you", "he", "she", "they", "it", "there", "this", "that", "our", "my", "your"}


_OPENING_SUBJECTS = _SUBJECTS - {"this", "that"}
_BEFORE_A_START = _BREAK_AFTER | {","}  # tokens after which a clause may start
_STARTERS = _ALWAYS_BEFORE | _COORDINATORS  # words at which one may start


def clause_starts(tokens: PostTokens) -> list[int]:
    """Token indices at which clauses start, ascending, always beginning with 0."""
    texts, lowers, sentence = tokens.text, tokens.lower, tokens.sentence
    count = len(texts)
    if not count:
        return []
    if "[" in tokens.post:
        return _starts_between_brackets(tokens)
    # Outside brackets a clause can start only after a sentence break, a space, a break mark or a comma,
    # or at a conjunction: the few tokens worth the full test, found without a loop in Python.
    after = [i + 1 for i, text in enumerate(texts) if text in _BEFORE_A_START or text.isspace()]
    at = [i for i, lower in enumerate(lowers) if lower in _STARTERS]
    breaks = [i for i, (a, b) in enumerate(pairwise(sentence), start=1) if a != b]
    starts = [0]
    for i in sorted({*after, *at, *breaks}):
        if 0 < i < count and _starts(tokens, i):
            starts.append(i)
    return starts


def _starts(tokens: PostTokens, i: int) -> bool:
    """Whether a clause starts at token `i` (not the first, not between brackets)."""
    texts, lowers = tokens.text, tokens.lower
    if texts[i].isspace():
        return False
    lower, prev = lowers[i], texts[i - 1]
    return (
        tokens.sentence[i] != tokens.sentence[i - 1]
        or prev.isspace()
        or (prev in _BREAK_AFTER and (prev != "-" or tokens.space_after[i - 1]))
        or lower in _ALWAYS_BEFORE
        or (lower in _COORDINATORS and (prev == "," or (i + 1 < len(texts) and lowers[i + 1] in _SUBJECTS)))
        or (prev == "," and lower in _OPENING_SUBJECTS)
    )


def _starts_between_brackets(tokens: PostTokens) -> list[int]:
    """Clause starts in a post with brackets, whose descriptions are never split."""
    texts = tokens.text
    starts = [0]
    depth = 1 if texts[0] == "[" else 0
    for i in range(1, len(texts)):
        text = texts[i]
        if text == "[":
            depth += 1
        if (text == "[" or depth == 0) and _starts(tokens, i):
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
