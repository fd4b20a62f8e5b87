"""Read posts from files, queues and stdin.

One file is one post (`.txt`, `.md` with optional YAML front matter) or a queue
of posts (`.jsonl`, `.json`, `.yaml`, `.csv`). A record that cannot be read
becomes a `Post` carrying an `error`, never an exception, so the rest of a
queue is still checked and nothing is skipped silently. JSONL is streamed.
"""
from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import PostcheckError
from .rulebook import PROFILES
from .yamlfile import LineDict, parse_yaml

QUEUE_SUFFIXES = {".jsonl", ".ndjson", ".json", ".yaml", ".yml", ".csv"}
POST_SUFFIXES = {".txt", ".md", ".markdown"}
DEFAULT_MAX_CHARS = 100_000
_META_KEYS = ("account", "scheduled_at", "media")


@dataclass
class Post:
    """One draft post; `line` is where it starts in its source, `body_line` where its text starts."""

    source: str
    id: str
    text: str = ""
    profile: str = "corporate"
    line: int | None = 1  # None when the problem is the whole file (missing, unreadable)
    error: str | None = None
    body_line: int = 1
    meta: dict = field(default_factory=dict)


def _decode(data: bytes, source: str) -> str:
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PostcheckError("looks like a binary file, not text", source)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise PostcheckError("not valid UTF-16 text", source) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PostcheckError(f"not valid UTF-8 (byte {exc.start + 1})", source, line) from None


def _record(raw, source: str, line: int, default_profile: str, max_chars: int) -> Post:
    """Build a post from one queue record (a mapping with at least `text`)."""
    fallback_id = f"{source}:{line}"
    if not isinstance(raw, dict):
        return Post(source, fallback_id, line=line, error="record is not an object with a 'text' field")
    post_id = str(raw.get("id", fallback_id))
    post = Post(source, post_id, line=line, profile=raw.get("profile") or default_profile)
    post.meta = {k: raw[k] for k in _META_KEYS if k in raw}
    text = raw.get("text")
    if text is None:
        post.error = "record has no 'text' field"
    elif not isinstance(text, str):
        post.error = f"'text' must be a string, not {type(text).__name__}"
    elif post.profile not in PROFILES:
        post.error = f"unknown profile '{post.profile}' (use {' or '.join(PROFILES)})"
    else:
        post.text = text
        post.error = _text_problem(text, max_chars)
    return post


def _text_problem(text: str, max_chars: int) -> str | None:
    if not text.strip():
        return "empty post: there is no text to check"
    if len(text) > max_chars:
        return f"post is {len(text):,} characters, over the limit of {max_chars:,}"
    return None


def _front_matter(text: str, source: str) -> tuple[dict, str, int]:
    if not text.startswith("---"):
        return {}, text, 1
    lines = text.split("\n")
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            meta = parse_yaml("\n".join(lines[1:i]), source) or {}
            if not isinstance(meta, dict):
                raise PostcheckError("front matter must be a YAML mapping", source, 2)
            return meta, "\n".join(lines[i + 1:]), i + 2
    raise PostcheckError("front matter starts with '---' but is never closed", source, 1)


def _single(text: str, source: str, profile: str, max_chars: int, markdown: bool) -> Iterator[Post]:
    meta, body, body_line = _front_matter(text, source) if markdown else ({}, text, 1)
    post = _record({**meta, "text": body, "id": meta.get("id", source)}, source, 1, profile, max_chars)
    post.body_line = body_line
    yield post


def _decoded_lines(handle: io.BufferedIOBase) -> Iterator[tuple[int, str | None]]:
    """Number and decode the lines of a byte stream; None marks a line that is not UTF-8."""
    for number, raw in enumerate(handle, start=1):
        try:
            yield number, raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            yield number, None


def _jsonl(handle: io.BufferedIOBase, source: str, profile: str, max_chars: int) -> Iterator[Post]:
    """Read a JSONL queue line by line, so memory stays flat however long the queue is."""
    for number, line in _decoded_lines(handle):
        if line is None:
            yield Post(source, f"{source}:{number}", line=number, error="not valid UTF-8")
            continue
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Post(source, f"{source}:{number}", line=number, error=f"invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        yield _record(raw, source, number, profile, max_chars)


def _records(items, source: str) -> list:
    if isinstance(items, dict) and "posts" in items:
        items = items["posts"]
    if not isinstance(items, list):
        raise PostcheckError("a queue must be a list of posts or a mapping with a 'posts' list", source, 1)
    return items


def _json(text: str, source: str, profile: str, max_chars: int) -> Iterator[Post]:
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PostcheckError(f"invalid JSON: {exc.msg}", source, exc.lineno) from None
    for index, raw in enumerate(_records(items, source), start=1):
        post = _record(raw, source, index, profile, max_chars)
        post.line = None  # JSON keeps no line numbers; the record's position is in its id
        yield post


def _yaml(text: str, source: str, profile: str, max_chars: int) -> Iterator[Post]:
    for raw in _records(parse_yaml(text, source), source):
        yield _record(raw, source, raw.line if isinstance(raw, LineDict) else 1, profile, max_chars)


def _csv(text: str, source: str, profile: str, max_chars: int) -> Iterator[Post]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames or "text" not in reader.fieldnames:
        raise PostcheckError("CSV needs a header row with a 'text' column", source, 1)
    line = 2
    try:
        for row in reader:
            if None in row:
                yield Post(source, f"{source}:{line}", line=line, error="row has more fields than the header")
            else:
                yield _record({k: v for k, v in row.items() if v not in (None, "")} | {"text": row["text"]}, source, line, profile, max_chars)
            line = reader.line_num + 1
    except csv.Error as exc:
        yield Post(source, f"{source}:{line}", line=line, error=f"unreadable CSV: {exc}")


def read_source(path: str, profile: str = "corporate", max_chars: int = DEFAULT_MAX_CHARS, stdin_format: str = "txt") -> Iterator[Post]:
    """Yield the posts of one path ('-' for stdin). Unreadable files raise PostcheckError."""
    if path == "-":
        source, suffix = "<stdin>", "." + stdin_format.lstrip(".")
        if suffix in (".jsonl", ".ndjson"):
            yield from _jsonl(sys.stdin.buffer, source, profile, max_chars)
            return
        data = sys.stdin.buffer.read()
    else:
        file, source = Path(path), path
        suffix = file.suffix.lower()
        if file.is_dir():
            raise PostcheckError("is a directory; name the files to check", source)
        try:
            if suffix in (".jsonl", ".ndjson"):
                with file.open("rb") as handle:
                    yield from _jsonl(handle, source, profile, max_chars)
                return
            data = file.read_bytes()
        except FileNotFoundError:
            raise PostcheckError("no such file", source) from None
        except OSError as exc:
            raise PostcheckError(f"cannot read file ({exc.strerror})", source) from None
    text = _decode(data, source)
    readers = {".json": _json, ".yaml": _yaml, ".yml": _yaml, ".csv": _csv}
    if suffix in readers:
        yield from readers[suffix](text, source, profile, max_chars)
    else:
        yield from _single(text, source, profile, max_chars, markdown=suffix in (".md", ".markdown"))
