"""Lexicons: the rulebook's named word lists, and the checks a lexicon file must pass.

A lexicon (`lexicons/*.yaml`) is a list of terms and how they are compared with
the text. Rules name lexicons in their patterns; a configuration may add terms
to one, within the same size limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.errors import PostcheckError
from ..core.yamlfile import LineDict

_LEXICON_KEYS = {"description", "match", "terms", "capitals"}
# How a lexicon's terms are compared with the text: case-insensitively, by lemma, or exactly (for names that are
# also common words).
LEXICON_ATTRS = {"lower": "LOWER", "lemma": "LEMMA", "text": "ORTH"}
# Each term is tokenised into spaCy's vocabulary at every start (about 0.15 ms a term): a lexicon
# of 300,000 terms took minutes. The largest shipped lexicon has a few hundred.
MAX_LEXICON_TERMS = 10_000


@dataclass(frozen=True)
class Lexicon:
    name: str
    description: str
    attr: str  # a spaCy attribute: LOWER, LEMMA or ORTH
    terms: tuple
    capitals: bool = False  # exact case (ORTH), and each term in capitals too: LABOUR as well as Labour


def load_lexicon(path: Path, data: object) -> Lexicon:
    """A lexicon file's checked contents; every mistake names the file and line."""
    where = str(path)
    if not isinstance(data, LineDict):
        raise PostcheckError("a lexicon must be a mapping with 'terms'", where, 1)
    unknown = set(data) - _LEXICON_KEYS
    if unknown:
        raise PostcheckError(f"unknown key '{sorted(unknown)[0]}' in lexicon", where, data.line_of(sorted(unknown)[0]))
    terms = data.get("terms")
    if not isinstance(terms, list) or not all(isinstance(t, str) and t.strip() for t in terms):
        raise PostcheckError("lexicon 'terms' must be a list of strings", where, data.line_of("terms"))
    if len(terms) > MAX_LEXICON_TERMS:
        raise PostcheckError(f"lexicon has {too_many_terms(len(terms))}", where, data.line_of("terms"))
    attr = data.get("match", "lower")
    if attr not in LEXICON_ATTRS:
        raise PostcheckError(
            f"lexicon 'match' must be one of {', '.join(LEXICON_ATTRS)}, not '{attr}'", where, data.line_of("match")
        )
    capitals = data.get("capitals", False)
    if not isinstance(capitals, bool) or (capitals and attr != "text"):
        raise PostcheckError(
            "lexicon 'capitals' is true or false, and only for 'match: text'", where, data.line_of("capitals")
        )
    return Lexicon(path.stem, str(data.get("description", "")), LEXICON_ATTRS[attr], tuple(terms), capitals)


def too_many_terms(count: int) -> str:
    return (
        f"{count:,} terms, more than {MAX_LEXICON_TERMS:,}: each term costs start-up time on every run;"
        " split it, or match the pattern the terms share with a regex"
    )
