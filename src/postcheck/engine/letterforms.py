"""Letters in disguise: styled, enclosed, small-capital and accented forms of plain letters.

A party name in mathematical bold (𝐋𝐚𝐛𝐨𝐮𝐫), circled (Ⓛⓐⓑⓞⓤⓡ), squared (🄻🄰🄱🄾🅄🅁),
small capitals (ʟᴀʙᴏᴜʀ), superscript (ᴸᵃᵇᵒᵘʳ), struck through with combining marks
(L̶a̶b̶o̶u̶r̶), accented (Lábóúr), or with variation selectors or blank fillers between
its letters, reads as the name to everyone but a matcher. `CHARACTERS` is the
pattern of the characters concerned, for the normaliser's character pass, and
`plain()` what each stands for: one plain letter or digit, nothing for marks and
selectors, or the character itself when it is none of these. Enclosed letters in
capitals (squared, negative) stay capitals, so LABOUR in them reads as capitals too.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# Ranges whose characters may stand for a plain letter or digit: accented Latin letters, IPA and
# phonetic small capitals and modifier letters, superscripts and subscripts, letterlike symbols,
# enclosed alphanumerics, Latin Extended-D small capitals, mathematical alphanumerics.
_LETTERS = (
    "\u00c0-\u024f\u0250-\u02ff\u1d00-\u1dbf\u2070-\u209f\u2100-\u214f\u2460-\u24ff\ua730-\ua7ff"
    "\U0001d400-\U0001d7ff\U0001f130-\U0001f189"
)
# Combining marks of the Latin script and of symbols, variation selectors and tag characters.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_SELECTORS = "\ufe00-\ufe0f\U000e0000-\U000e007f\U000e0100-\U000e01ef"
# Blank characters that are not spaces: Hangul and Khmer fillers, the braille blank.
FILLERS = "\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0"
CHARACTERS = f"[{_LETTERS}{_MARKS}{_SELECTORS}]|[{FILLERS}]+"

_MARK_OR_SELECTOR = re.compile(f"[{_MARKS}{_SELECTORS}]")
_SMALL_CAPITALS = dict(zip("ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘꞯʀꜱᴛᴜᴠᴡʏᴢ", "ABCDEFGHIJKLMNOPQRSTUVWYZ", strict=True))
_NEGATIVE_CIRCLED, _NEGATIVE_SQUARED = 0x1F150, 0x1F170  # A to Z each, without a compatibility form


@cache  # the few styled characters a queue uses, each worked out once
def plain(char: str) -> str:
    """The plain letter or digit a character stands for, "" for a mark or selector, else the character."""
    if char in _SMALL_CAPITALS:
        return _SMALL_CAPITALS[char]
    if _MARK_OR_SELECTOR.match(char):
        return ""
    code = ord(char)
    for first in (_NEGATIVE_CIRCLED, _NEGATIVE_SQUARED):
        if first <= code < first + 26:
            return chr(ord("A") + code - first)
    compatible = unicodedata.normalize("NFKC", char)
    if compatible.startswith("(") and compatible.endswith(")"):  # parenthesised: ⒧ is "(l)"
        compatible = compatible[1:-1]
    if len(compatible) == 1 and compatible.isascii() and compatible.isalnum():
        return compatible
    base = unicodedata.normalize("NFD", char)[0]
    return base if base.isascii() and base.isalpha() else char


def filler(text: str, start: int, end: int) -> str:
    """What a run of fillers stands for: nothing inside a word (L⠀abour), else a space."""
    inside = start > 0 and end < len(text) and text[start - 1].isalnum() and text[end].isalnum()
    return "" if inside else " "
