"""spaCy's tokenizer with a bound on its work: no post makes it take more than linear time.

spaCy peels prefixes and suffixes off a whitespace-free chunk one at a time and
tests what is left after each, so a chunk of punctuation or emoji costs time that
grows with the square of its length or worse: 20,000 "!" took minutes. The
guard hands spaCy only pieces whose cost is bounded:

- a run of `RUN` or more characters that are neither letters, digits nor spaces
  becomes one token per character (with the marks and joiners that belong to it),
  which is what spaCy makes of such a run anyway;
- a whitespace-free chunk longer than `CHUNK` characters (longer than a web
  address) is split into words and single characters by one linear pattern.

Posts without either, which is nearly all of them, go to spaCy untouched, at the
cost of one search. The tokens cover the text exactly, so offsets are unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import regex
from spacy.tokens import Doc
from spacy.vocab import Vocab

RUN = 8  # characters: a run of "!" or emoji shorter than this costs spaCy microseconds
CHUNK = 256  # characters: longer than almost every web address
MARKS = 16  # marks, joiners and modifiers kept with the character before them

_RUN = re.compile(rf"[^\w\s]{{{RUN},}}")
_CHUNKS = re.compile(r"\S+")
# What attaches to the character before it: combining marks, joiners, variation selectors, skin tones, tags.
_ATTACHED = r"[\p{M}\u200c\u200d\ufe00-\ufe0f\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]"
# Plain tokens: words (letters and digits, cut every CHUNK characters), and every other character, each with
# what attaches to it. (Not grapheme clusters: finding those between regional indicators is quadratic.)
_PLAIN = regex.compile(
    rf"(?:[\p{{L}}\p{{N}}_]{_ATTACHED}{{0,{MARKS}}}){{1,{CHUNK}}}|.{_ATTACHED}{{0,{MARKS}}}", regex.DOTALL
)


class GuardedTokenizer:
    """Calls like a spaCy `Tokenizer`, and tokenises hostile stretches of text itself."""

    def __init__(self, inner: Callable[[str], Doc], vocab: Vocab):
        self.inner = inner
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        if not _RUN.search(text) and not _has_long_chunk(text):
            return self.inner(text)
        words: list[str] = []
        spaces: list[bool] = []
        for piece, plain in _pieces(text):
            if plain:
                words.extend(_PLAIN.findall(piece))
                spaces.extend([False] * (len(words) - len(spaces)))
                continue
            if spaces and not spaces[-1] and piece.startswith(" ") and _is_plain_end(words):
                # The space after a plain piece belongs to its last token, as spaCy would keep it.
                spaces[-1] = True
                piece = piece[1:]
                if not piece:
                    continue
            for token in self.inner(piece):
                words.append(token.text)
                spaces.append(bool(token.whitespace_))
        return Doc(self.vocab, words=words, spaces=spaces)

    def __getattr__(self, name: str) -> object:  # rules, caches and settings of the wrapped tokenizer
        return getattr(self.inner, name)


def _has_long_chunk(text: str) -> bool:
    return len(text) > CHUNK and max(map(len, text.split()), default=0) > CHUNK


def _is_plain_end(words: list[str]) -> bool:
    return bool(words) and not words[-1].isspace()


def _pieces(text: str) -> Iterator[tuple[str, bool]]:
    """The text as consecutive pieces, each marked plain (tokenised here) or not (by spaCy)."""
    position = 0
    for chunk in _CHUNKS.finditer(text):
        start, end = chunk.span()
        cuts = [(start, end)] if end - start > CHUNK else [run.span() for run in _RUN.finditer(text, start, end)]
        for a, b in cuts:
            if a > position:
                yield text[position:a], False
            yield text[a:b], True
            position = b
    if position < len(text):
        yield text[position:], False
