"""Fingerprints of findings and texts that survive edits elsewhere in a post.

A finding's fingerprint is its rule and a hash of its clause after
normalisation (case, spacing and punctuation folded), so rewording another
sentence of the post, or moving the clause, does not change it.
"""

from __future__ import annotations

import hashlib

import regex

from .findings import Finding

_NOISE = regex.compile(r"[\W_]+")


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def clause_fingerprint(finding: Finding) -> str:
    folded = _NOISE.sub(" ", finding.clause.casefold()).strip()
    return f"{finding.rule}:{text_hash(folded)[:16]}"
