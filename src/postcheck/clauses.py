"""Split a processed post into clauses, so a finding points at the clause that breaches.

Without a parser, clause boundaries are read from surface cues that reliably
join independent clauses in short posts: sentence starts, `;` `:` and dashes,
coordinating conjunctions ("but", "so", "yet"), "and"/"or" after a comma or
before a subject pronoun, a comma before a subject pronoun, and subordinators
("because", "although") that open a new proposition.
"""
from __future__ import annotations

from spacy.tokens import Doc

_BREAK_AFTER = {";", ":", "-", "–", "—", "…", "|"}
_ALWAYS_BEFORE = {"but", "so", "yet", "because", "although", "though", "whereas", "unless", "cos"}
_COORDINATORS = {"and", "or"}
_SUBJECTS = {"i", "we", "you", "he", "she", "they", "it", "there", "this", "that", "our", "my", "your"}


def clause_starts(doc: Doc) -> list[int]:
    """Token indices at which clauses start, ascending, always beginning with 0."""
    starts = [0] if len(doc) else []
    for token in doc[1:]:
        i = token.i
        prev = doc[i - 1]
        lower = token.lower_
        nxt = doc[i + 1].lower_ if i + 1 < len(doc) else ""
        if (
            token.is_sent_start
            or prev.text in _BREAK_AFTER and (prev.text != "-" or prev.whitespace_)
            or lower in _ALWAYS_BEFORE
            or lower in _COORDINATORS and (prev.text == "," or nxt in _SUBJECTS)
            or prev.text == "," and lower in _SUBJECTS and lower not in {"this", "that"}
        ):
            starts.append(i)
    return starts


def clause_index(doc: Doc, starts: list[int]) -> list[int]:
    """For each token, the index of the clause it belongs to."""
    index = [0] * len(doc)
    bounds = starts + [len(doc)]
    for k in range(len(starts)):
        for i in range(bounds[k], bounds[k + 1]):
            index[i] = k
    return index
