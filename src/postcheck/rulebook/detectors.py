"""Detectors: the few matchers that need code rather than patterns, named from rules as `detector: NAME`.

Phone numbers are found and classified with `phonenumbers` (Google's
libphonenumber), which knows UK numbering far better than a hand-written
regex: `mobile-number` finds mobile and personal numbers, `landline-number`
the rest. Numbers in the `official-numbers` lexicon (101, 999, Crimestoppers,
a force's own lines, partners listed in configuration) are never reported, and
neither are digits that are not a phone number at all: a crime reference or log
number ("quote 5221008102", "ref 20BW/71729Q/20") or digits glued to letters, as in
an @handle ("@Paige75783902").

libphonenumber takes up to half a millisecond for each number in a long run of
them, so a post is searched for at most `MAX_NUMBERS` numbers; a post holding more
(no real post does) is checked up to the last of them and marked as checked only
in part (`Partial`), never passed silently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache

import regex

_ENOUGH_DIGITS = regex.compile(r"(?:\d[\s().-]*){7}")
# A number introduced as a reference ("quote", "ref", "log", "CAD", "crime number") is one, whatever its digits.
_REFERENCE_BEFORE = regex.compile(
    r"\b(?:ref(?:erence)?|quot(?:e|ing)|log|cad|urn|occurrence|incident|crime|case|job)"
    r"(?:\s*(?:no\.?|number|num|ref(?:erence)?))?[\s.:#/-]{0,3}$",
    regex.IGNORECASE,
)
_GLUED = frozenset("@_/#")
MAX_NUMBERS = 200


class Partial(Exception):
    """A detector stopped at its work limit: the spans it found, and what it could not check."""

    def __init__(self, spans: list[tuple[int, int]], reason: str):
        super().__init__(reason)
        self.spans = spans
        self.reason = reason


def digits(text: str) -> str:
    return "".join(char for char in text if char.isdigit())


@lru_cache(maxsize=16)  # the mobile and landline detectors share one parse of the same post
def _numbers(text: str, official: frozenset[str]) -> tuple[tuple[tuple[int, int, bool], ...], bool]:
    """The numbers in the text, and whether there were too many to look at them all."""
    limit = None
    for count, found in enumerate(_ENOUGH_DIGITS.finditer(text), start=1):
        if count > MAX_NUMBERS:
            limit = found.start()
            break
    return tuple(_find_numbers(text[:limit], official)), limit is not None


def _spans(text: str, official: frozenset[str], mobile: bool) -> list[tuple[int, int]]:
    numbers, partial = _numbers(text, official)
    spans = [(start, end) for start, end, is_mobile in numbers if is_mobile == mobile]
    if partial:
        raise Partial(spans, f"it holds more than {MAX_NUMBERS} numbers; only the first {MAX_NUMBERS} were checked")
    return spans


def _find_numbers(text: str, official: frozenset[str]) -> Iterator[tuple[int, int, bool]]:
    if not _ENOUGH_DIGITS.search(text):
        return
    import phonenumbers  # loaded on first use: most posts have no phone number, and start-up time counts

    mobile_types = {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.PERSONAL_NUMBER,
        phonenumbers.PhoneNumberType.PAGER,
    }
    for match in phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE):
        if _not_a_phone_number(text, match.start, match.end):
            continue
        national = str(match.number.national_number)
        if digits(match.raw_string) in official or national in official or "0" + national in official:
            continue
        mobile = phonenumbers.number_type(match.number) in mobile_types or (
            match.number.country_code == 44 and national.startswith("7")
        )
        yield match.start, match.end, mobile


def _not_a_phone_number(text: str, start: int, end: int) -> bool:
    """Digits glued to a word, a handle or a reference's slashes, or introduced as a reference number."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if before.isalnum() or before in _GLUED or after.isalnum() or after in _GLUED:
        return True
    return _REFERENCE_BEFORE.search(text, max(0, start - 24), start) is not None


def mobile_numbers(text: str, official: frozenset[str]) -> list[tuple[int, int]]:
    return _spans(text, official, mobile=True)


def landline_numbers(text: str, official: frozenset[str]) -> list[tuple[int, int]]:
    return _spans(text, official, mobile=False)


Detector = Callable[[str, frozenset[str]], list[tuple[int, int]]]  # (text, official numbers) -> spans

DETECTORS: dict[str, Detector] = {
    "mobile-number": mobile_numbers,
    "landline-number": landline_numbers,
}
