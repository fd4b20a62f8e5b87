"""JSON and JSON Lines queues, read so that no record can end the read or hide another.

Every JSON value is decoded with two changes: a key given twice in an object is
an error (the first value would be lost silently), and a number too long to
convert is kept as a `LongNumber`. A JSON Lines queue is read line by line, each
line its own record. A `.json` queue is decoded whole when it can be; when it
cannot (a syntax error, a record nested too deep, a key given twice), its list of
posts is split into records by bracket depth, each decoded on its own, so the bad
one becomes that post's error, named by its number and line, and the rest are read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator

from ..core.post import Post
from ..core.yamlfile import LongNumber
from .lines import Line
from .records import ReadOptions, not_empty, record_post

_MAX_DIGITS = 4_300  # Python's limit for converting text to int


class DuplicateKey(ValueError):
    def __init__(self, key: str):
        super().__init__(f"'{key}' is given twice in this record; which one is meant cannot be known")


def _object(pairs: list[tuple[str, object]]) -> dict:
    result = dict(pairs)
    if len(result) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(key)
            seen.add(key)
    return result


def _integer(digits: str) -> int | LongNumber:
    return int(digits) if len(digits.lstrip("-")) <= _MAX_DIGITS else LongNumber(digits)


_DECODER = json.JSONDecoder(object_pairs_hook=_object, parse_int=_integer)


def loads(text: str) -> object:
    """Decode one JSON value; raises ValueError (JSONDecodeError, DuplicateKey) or RecursionError."""
    return _DECODER.decode(text)


# The JSON decoder's wording, as someone who edits a queue by hand would say it.
_PLAIN = {
    "Expecting value": "a value is missing, or is not in JSON form (text goes in double quotes)",
    "Expecting property name enclosed in double quotes": "a field name is not in double quotes",
    "Expecting ',' delimiter": "a comma is missing between two values",
    "Expecting ':' delimiter": "a colon is missing after a field name",
    "Unterminated string starting at": "a text in quotes is not closed",
    "Extra data": "something follows the end of the record",
    "Invalid control character at": "a tab, line break or other control character is inside quotes",
}


def problem(exc: ValueError | RecursionError) -> str:
    """What is wrong with a JSON value, for a post's error."""
    if isinstance(exc, json.JSONDecodeError):
        if not exc.doc[exc.pos :].strip():  # the column would be past the record's end
            return "invalid JSON: the record ends before it is complete"
        return f"invalid JSON: {_PLAIN.get(exc.msg, exc.msg)} (column {exc.colno})"
    if isinstance(exc, RecursionError):
        return "invalid JSON: nested too deeply to read"
    return str(exc)


def jsonl(lines: Iterable[Line], source: str, options: ReadOptions) -> Iterator[Post]:
    """A JSON Lines queue, one record per line; memory stays flat however long the queue is."""
    yield from not_empty(_jsonl(lines, source, options), source)


def _jsonl(lines: Iterable[Line], source: str, options: ReadOptions) -> Iterator[Post]:
    for line in lines:
        if line.text is None:
            yield Post(source, f"{source}:{line.number}", line=line.number, error=line.problem)
            continue
        if not line.text.strip():
            continue
        try:
            raw = loads(line.text)
        except (ValueError, RecursionError) as exc:
            yield Post(source, f"{source}:{line.number}", line=line.number, error=problem(exc))
            continue
        yield record_post(raw, source, line.number, options)


def json_queue(text: str, source: str, options: ReadOptions) -> Iterator[Post]:
    """A `.json` queue: a list of posts, or a mapping with a `posts` list. JSON keeps no line numbers,
    so its records have none; an error names the record by number (and its line, when split)."""
    try:
        items = loads(text)
    except (ValueError, RecursionError):
        yield from not_empty(_record_by_record(text, source, options), source)
        return
    if isinstance(items, dict) and "posts" in items:
        items = items["posts"]
    if not isinstance(items, list):
        yield Post(source, source, line=None, error="a queue must be a list of posts or a mapping with a 'posts' list")
        return
    posts = (record_post(raw, source, None, options, fallback_id=f"{source}#{i}") for i, raw in enumerate(items, 1))
    yield from not_empty(posts, source)


# Strings (skipped whole, so brackets inside them do not count), brackets, commas, and a quote that opens a
# string never closed.
_STRUCTURE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{},]|"', re.DOTALL)
_KEY = re.compile(r'\s*("[^"\\]*(?:\\.[^"\\]*)*")\s*:\s*', re.DOTALL)


class _Broken(Exception):
    """The queue's structure itself is broken at this offset: nothing after it can be told apart."""

    def __init__(self, offset: int, reason: str):
        super().__init__(reason)
        self.offset = offset
        self.reason = reason


def _members(text: str, start: int) -> Iterator[tuple[int, int]]:
    """Spans of the members of the list or object opening at `start`, found by bracket depth."""
    depth, begin = 0, start + 1
    for token in _STRUCTURE.finditer(text, start):
        mark = token.group()
        if mark in ("[", "{"):
            depth += 1
        elif mark in ("]", "}"):
            depth -= 1
            if depth == 0:
                if text[begin : token.start()].strip():
                    yield begin, token.start()
                return
        elif mark == "," and depth == 1:
            yield begin, token.start()
            begin = token.end()
        elif mark == '"':
            raise _Broken(token.start(), "a string is opened and never closed")
    raise _Broken(len(text), "the list of posts is never closed")


def _posts_list(text: str) -> int:
    """Where the list of posts opens: the whole document, or the value of its `posts` key."""
    start = len(text) - len(text.lstrip())
    if text[start : start + 1] == "[":
        return start
    if text[start : start + 1] == "{":
        found = [(a + key.end(), key) for a, b in _members(text, start) if (key := _KEY.match(text, a, b)) is not None]
        lists = [at for at, key in found if _quiet_loads(key.group(1)) == "posts"]
        if len(lists) > 1:
            raise _Broken(lists[1], "'posts' is given twice; which list is meant cannot be known")
        if lists and text[lists[0] : lists[0] + 1] == "[":
            return lists[0]
    raise _Broken(start, "a queue must be a list of posts or a mapping with a 'posts' list")


def _quiet_loads(text: str) -> object:
    try:
        return loads(text)
    except (ValueError, RecursionError):
        return None


def _record_by_record(text: str, source: str, options: ReadOptions) -> Iterator[Post]:
    line, counted, index = 1, 0, 0
    try:
        for index, (a, b) in enumerate(_members(text, _posts_list(text)), start=1):
            record = text[a:b]
            first = a + len(record) - len(record.lstrip())
            line += text.count("\n", counted, first)  # counted on from the last record: linear in the file
            counted = first
            try:
                raw = loads(record)
            except (ValueError, RecursionError) as exc:
                error = f"record {index} (line {line}): {problem(exc)}"
                yield Post(source, f"{source}#{index}", line=None, error=error)
                continue
            yield record_post(raw, source, None, options, fallback_id=f"{source}#{index}")
    except _Broken as broken:
        where = text.count("\n", 0, broken.offset) + 1
        yield Post(
            source,
            f"{source}#{index + 1}",
            line=None,
            error=f"invalid JSON at line {where}, after record {index}: {broken.reason}; the rest could not be read",
        )
