"""Letters in disguise: a party name in styled, enclosed, small-capital or accented letters, or padded with
marks, selectors and fillers, is still a party name; capitals count only where a lexicon asks for them."""

from __future__ import annotations

import unicodedata

import pytest


def _math(word: str, upper: int, lower: int) -> str:
    return "".join(
        chr(upper + ord(c) - 65) if c.isupper() else chr(lower + ord(c) - 97) if c.islower() else c for c in word
    )


_SMALL = dict(zip("abelnortu", "ᴀʙᴇʟɴᴏʀᴛᴜ", strict=True))
DISGUISES = {
    "all capitals": "LABOUR",
    "small capitals": "".join(_SMALL[c] for c in "labour"),
    "circled": "Ⓛⓐⓑⓞⓤⓡ",
    "mathematical bold": _math("Labour", 0x1D400, 0x1D41A),
    "mathematical italic": _math("Labour", 0x1D434, 0x1D44E),
    "mathematical bold script": _math("Labour", 0x1D4D0, 0x1D4EA),
    "fraktur": _math("Labour", 0x1D56C, 0x1D586),
    "double-struck": _math("Labour", 0x1D538, 0x1D552),
    "sans-serif": _math("Labour", 0x1D5A0, 0x1D5BA),
    "monospace": _math("Labour", 0x1D670, 0x1D68A),
    "squared": "".join(chr(0x1F130 + ord(c) - 65) for c in "LABOUR"),
    "negative squared": "".join(chr(0x1F170 + ord(c) - 65) for c in "LABOUR"),
    "superscript": "ᴸᵃᵇᵒᵘʳ",
    "struck through": "".join(c + "\u0336" for c in "Labour"),
    "accents": unicodedata.normalize("NFC", "La\u0301bo\u0301u\u0301r"),
    "variation selectors": "".join(c + "\ufe0f" for c in "Labour"),
    "Hangul fillers": "\u3164".join("Labour"),
    "braille blank": "L\u2800abour",
    "tag characters": "La\U000e0061bour",
}


@pytest.mark.parametrize("disguised", DISGUISES.values(), ids=DISGUISES.keys())
def test_a_party_name_in_disguise_is_still_a_party_name(linter, disguised):
    findings = linter.check(f"Lovely chat with the {disguised} candidate at the station today.")
    assert "political.names-party" in {f.rule for f in findings}, disguised


def test_capitals_match_only_lexicons_that_ask_for_them(linter):
    # "Iceland" is a brand only when capitalised; in capitals it is as likely the country.
    assert "endorsement.praises-brand" in {f.rule for f in linter.check("We love the new range at Iceland, brilliant.")}
    assert not any(f.category == "endorsement" for f in linter.check("WE LOVE THE NEW RANGE AT ICELAND, BRILLIANT."))


@pytest.mark.parametrize("options", ["match: lower\ncapitals: true", "match: text\ncapitals: sometimes"])
def test_a_lexicon_asks_for_capitals_only_with_exact_case(rules_dir, options):
    from postcheck import PostcheckError, load_rulebook

    (rules_dir / "lexicons" / "parties.yaml").write_text(f"{options}\nterms: [Labour]\n", encoding="utf-8")
    with pytest.raises(PostcheckError) as error:
        load_rulebook((rules_dir,), include_bundled=False)
    assert "parties.yaml:2" in str(error.value) and "capitals" in str(error.value)
