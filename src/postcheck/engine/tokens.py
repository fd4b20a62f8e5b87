"""The facts about each token of a processed post that matching reads, taken from the Doc once.

spaCy builds a new `Token` object on every `doc[i]` and every iteration, so
asking the same token the same question from several rules and guards was the
largest cost of a check. `PostTokens` takes offsets, sentence numbers, lemmas,
texts and lower-case forms from the pipeline's annotator, which reads them in its
own pass over the tokens (each word's once, from its first sight); derives the
rest only when a clause or guard needs it; and maps character offsets to tokens the way
`Doc.char_span(..., alignment_mode="expand")` does, without building spans.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import cached_property
from itertools import accumulate

from spacy.tokens import Doc

from .pipeline import TOKEN_FACTS

Span = tuple[int, int]  # token start, token end (exclusive)


class PostTokens:
    """Per-token offsets and sentence numbers; texts, lower-case forms and spacing on demand."""

    def __init__(self, doc: Doc, text: str):
        self.doc = doc
        self.post = text  # doc.text, which spaCy would rebuild on every access
        # Each token's start offset, end offset (without its trailing space), sentence number, lemma, text
        # and lower-case form.
        self.start, self.end, self.sentence, self.lemma, self.text, self.lower = doc.user_data[TOKEN_FACTS]

    def __len__(self) -> int:
        return len(self.start)

    def values(self, attr: str) -> list[str]:
        """Each token's lower-case form (LOWER), lemma (LEMMA) or text (ORTH), as phrases compare them."""
        return self.lower if attr == "LOWER" else self.lemma if attr == "LEMMA" else self.text

    @cached_property
    def is_space(self) -> list[bool]:
        return [text.isspace() for text in self.text]

    @cached_property
    def quotes_before(self) -> list[int]:
        """How many double quotes the tokens before each token hold: an odd number means it is quoted."""
        return list(accumulate((text.count('"') for text in self.text), initial=0))

    @cached_property
    def space_after(self) -> list[bool]:
        """Whether a space follows the token (spaCy keeps at most one in `whitespace_`)."""
        following = [*self.start[1:], len(self.post)]  # where the next token, or the text, starts
        return [end < nxt for end, nxt in zip(self.end, following, strict=False)]  # no tokens: nothing to pair

    def span(self, start_char: int, end_char: int) -> Span | None:
        """The tokens a character span touches, as `char_span(..., alignment_mode="expand")` finds
        them: None for an empty result or offsets outside the text."""
        if not self.start or start_char < 0 or end_char > len(self.post) or end_char <= start_char:
            return None
        first = bisect_right(self.start, start_char) - 1
        last = bisect_right(self.start, end_char - 1) - 1
        if start_char == self.end[first]:  # it begins in the space after a token
            first += 1
        return (first, last + 1) if last + 1 > first else None
