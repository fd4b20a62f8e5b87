"""The parts of a post that are not its text but still carry breaches: media and the account's bio.

- Media (`media:` in front matter or a queue record, each `{file, alt}` or a file name):
  the alt text and the file name are checked with the same rules as the text, as an
  image description (`[image: ...]`), so `selfie_custody_suite.jpg` on a personal
  account is duty imagery. An image file that exists on disk is opened with Pillow,
  and GPS coordinates in its EXIF data are reported: a photo can give away an
  officer's home or an operation's location.
- Bio (`--bio` or `bios: {account: text}` in configuration): appended to the post as
  `[bio: ...]`, so a personal account that names the force is read as linked to it.
"""

from __future__ import annotations

from pathlib import Path

import regex

_GPS_IFD = 0x8825
_LATITUDE, _LONGITUDE = 2, 4
_FILE_WORDS = regex.compile(r"[_\-.+]+")


def media_items(value: object) -> list[dict]:
    """`media` as a list of {file, alt}; strings are file names."""
    items = value if isinstance(value, list) else [value]
    result = []
    for item in items:
        if isinstance(item, str):
            result.append({"file": item, "alt": ""})
        elif isinstance(item, dict):
            result.append({"file": str(item.get("file") or ""), "alt": str(item.get("alt") or "")})
    return result


def has_gps(path: Path) -> bool:
    """Whether an image file carries a GPS position in its EXIF data (unreadable files do not)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            gps = image.getexif().get_ifd(_GPS_IFD)
    except (OSError, UnidentifiedImageError, ValueError):
        return False
    return _LATITUDE in gps and _LONGITUDE in gps


def describe(item: dict, base: Path | None) -> str:
    """The media item as the text that rules check; with no `base`, a file name is only words and is never opened."""
    lines = []
    if item["alt"].strip():
        lines.append(f"[image: {item['alt'].strip()}]")
    if item["file"]:
        name = Path(item["file"]).stem
        lines.append(f"[image file: {_FILE_WORDS.sub(' ', name).strip()}]")
        path = None if base is None else base / item["file"]  # an absolute file name replaces the base
        if path is not None and path.is_file() and has_gps(path):
            lines.append("[image location: GPS coordinates in the photo's EXIF data]")
    return "\n".join(lines)
