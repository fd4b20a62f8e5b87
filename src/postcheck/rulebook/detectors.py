"""Detectors: the few matchers that need code rather than patterns, named from rules as `detector: NAME`.

Phone numbers are found and classified with `phonenumbers` (Google's
libphonenumber), which knows UK numbering far better than a hand-written
regex: `mobile-number` finds mobile and personal numbers, `landline-number`
the rest. Numbers in the `official-numbers` lexicon (101, 999, Crimestoppers,
a force's own lines, partners listed in configuration) are never reported.

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
        national = str(match.number.national_number)
        if digits(match.raw_string) in official or national in official or "0" + national in official:
            continue
        mobile = phonenumbers.number_type(match.number) in mobile_types or (
            match.number.country_code == 44 and national.startswith("7")
        )
        yield match.start, match.end, mobile


def mobile_numbers(text: str, official: frozenset[str]) -> list[tuple[int, int]]:
    return _spans(text, official, mobile=True)


def landline_numbers(text: str, official: frozenset[str]) -> list[tuple[int, int]]:
    return _spans(text, official, mobile=False)


Detector = Callable[[str, frozenset[str]], list[tuple[int, int]]]  # (text, official numbers) -> spans

DETECTORS: dict[str, Detector] = {
    "mobile-number": mobile_numbers,
    "landline-number": landline_numbers,
}
