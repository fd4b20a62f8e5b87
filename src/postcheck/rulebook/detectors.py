"""Detectors: the few matchers that need code rather than patterns, named from rules as `detector: NAME`.

Phone numbers are found and classified with `phonenumbers` (Google's
libphonenumber), which knows UK numbering far better than a hand-written
regex: `mobile-number` finds mobile and personal numbers, `landline-number`
the rest. Numbers in the `official-numbers` lexicon (101, 999, Crimestoppers,
a force's own lines, partners listed in configuration) are never reported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache

import regex

_ENOUGH_DIGITS = regex.compile(r"(?:\d[\s().-]*){7}")


def digits(text: str) -> str:
    return "".join(char for char in text if char.isdigit())


@lru_cache(maxsize=16)  # the mobile and landline detectors share one parse of the same post
def _numbers(text: str, official: frozenset[str]) -> tuple[tuple[int, int, bool], ...]:
    return tuple(_find_numbers(text, official))


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
    return [(start, end) for start, end, mobile in _numbers(text, official) if mobile]


def landline_numbers(text: str, official: frozenset[str]) -> list[tuple[int, int]]:
    return [(start, end) for start, end, mobile in _numbers(text, official) if not mobile]


Detector = Callable[[str, frozenset[str]], list[tuple[int, int]]]  # (text, official numbers) -> spans

DETECTORS: dict[str, Detector] = {
    "mobile-number": mobile_numbers,
    "landline-number": landline_numbers,
}
