"""Bytes to text without surprises: encodings, bounded reads and bounded lines.

A file or stream is never read whole before its size is known to be acceptable:
`read_limited` stops one byte past the limit, and `numbered_lines` yields each
line of a stream with its number, a line longer than the limit becoming a marker
(its bytes are skipped, never kept). Text is UTF-8 (a BOM is allowed) or, after a
UTF-16 BOM, UTF-16; a line that does not decode is a marker too, so the lines
around it are still read. Binary files are recognised by a NUL byte near the start.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from ..core.errors import PostcheckError

UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_SNIFF = 8192


@dataclass(frozen=True)
class Line:
    """One line of a stream: its text, or why it could not be read (`problem`)."""

    number: int
    text: str | None
    problem: str | None = None


def decode(data: bytes, source: str) -> str:
    """A whole file's text: UTF-16 after its BOM, else UTF-8 (BOM allowed)."""
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise PostcheckError("not valid UTF-16 text", source) from None
    refuse_binary(data[:_SNIFF], source)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PostcheckError(f"not valid UTF-8 (byte {exc.start + 1})", source, line) from None


def refuse_binary(start: bytes, source: str) -> None:
    if b"\x00" in start:
        raise PostcheckError("looks like a binary file, not text", source)


def read_limited(handle: BinaryIO, limit: int, source: str, refusal: str) -> bytes:
    """All of a stream, refusing with `refusal` without reading further once it is longer than `limit` bytes."""
    data = handle.read(limit + 1)
    if len(data) > limit:
        raise PostcheckError(refusal, source)
    return data


def _sniff(handle: BinaryIO) -> bytes:
    """The first bytes of a stream, left in it to be read."""
    if isinstance(handle, io.BufferedReader):
        return handle.peek(_SNIFF)[:_SNIFF]
    if handle.seekable():
        start = handle.read(_SNIFF)
        handle.seek(0)
        return start
    return b""


def numbered_lines(handle: BinaryIO, limit: int, source: str) -> Iterator[Line]:
    """The stream's lines (with their line breaks), each at most `limit` bytes; longer lines are
    skipped and marked. Decoded as UTF-16 after a UTF-16 BOM, else line by line as UTF-8."""
    start = _sniff(handle)
    if start.startswith(UTF16_BOMS):
        yield from _utf16_lines(handle, limit)
        return
    refuse_binary(start, source)
    number = 0
    while line := handle.readline(limit + 1):
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            _skip_rest_of_line(handle)
            yield Line(number, None, f"line is over {limit:,} bytes; it was not read")
            continue
        try:
            yield Line(number, line.decode("utf-8-sig" if number == 1 else "utf-8"))
        except UnicodeDecodeError as exc:
            yield Line(number, None, f"not valid UTF-8 (byte {exc.start + 1} of the line)")


def _skip_rest_of_line(handle: BinaryIO) -> None:
    while (rest := handle.readline(65536)) and not rest.endswith(b"\n"):
        pass


def _utf16_lines(handle: BinaryIO, limit: int) -> Iterator[Line]:
    text = io.TextIOWrapper(handle, encoding="utf-16", newline="")
    number = 0
    try:
        while line := text.readline(limit + 1):
            number += 1
            if len(line) > limit and not line.endswith("\n"):
                while (rest := text.readline(65536)) and not rest.endswith("\n"):
                    pass
                yield Line(number, None, f"line is over {limit:,} characters; it was not read")
                continue
            yield Line(number, line)
    except UnicodeDecodeError:
        yield Line(number + 1, None, "not valid UTF-16 text from this line on; the rest of the file was not read")
    finally:
        text.detach()
