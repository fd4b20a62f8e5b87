"""Split a processed post into clauses, so a finding points at the clause that breaches.

Without a parser, clause boundaries are read from surface cues that reliably
join independent clauses in short posts: sentence starts, `;` `:` and dashes,
coordinating conjunctions ("but", "so", "yet"), "and"/"or" after a comma or
before a subject pronoun, a comma before a subject pronoun, and subordinators
("because", "although") that open a new proposition. Attachment descriptions
in square brackets ("[photo: me in uniform]") are never split.
"""
from __future__ import annotations

from spacy.tokens import Doc

_BREAK_AFTER = {";", ":", "-", "–", "—", "…", "|"}
_ALWAYS_BEFORE = {"but", "so", "yet", "because", "although", "though", "whereas", "unless", "cos"}
_COORDINATORS = {"and", "or"}
_SUBJECTS = {"i", "we", "you", "he", "she", "they", "it", "there", "this", "that", "our", "my", "your"}


def _opens_clause(doc: Doc, i: int) -> bool:
    token, prev = doc[i], doc[i - 1]
    lower = token.lower_
    nxt = doc[i + 1].lower_ if i + 1 < len(doc) else ""
    return (
        token.is_sent_start
        or prev.is_space
        or prev.text in _BREAK_AFTER and (prev.text != "-" or bool(prev.whitespace_))
        or lower in _ALWAYS_BEFORE
        or lower in _COORDINATORS and (prev.text == "," or nxt in _SUBJECTS)
        or prev.text == "," and lower in _SUBJECTS and lower not in {"this", "that"}
    )


def clause_starts(doc: Doc) -> list[int]:
    """Token indices at which clauses start, ascending, always beginning with 0."""
    starts = [0] if len(doc) else []
    depth = 1 if len(doc) and doc[0].text == "[" else 0
    for token in doc[1:]:
        if token.text == "[":
            depth += 1
        if not token.is_space and (token.text == "[" or depth == 0) and _opens_clause(doc, token.i):
            starts.append(token.i)
        if token.text == "]":
            depth = max(0, depth - 1)
    return starts


def clause_index(doc: Doc, starts: list[int]) -> list[int]:
    """For each token, the index of the clause it belongs to."""
    index = [0] * len(doc)
    bounds = starts + [len(doc)]
    for k in range(len(starts)):
        for i in range(bounds[k], bounds[k + 1]):
            index[i] = k
    return index
