"""Read posts from files, queues, folders and stdin.

One file is one post (`.txt`, `.md` with optional YAML front matter) or a queue
of posts (`.jsonl`, `.json`, `.yaml`, `.csv`); a folder is searched recursively
(`folders.py`). A record that cannot be read becomes a `Post` carrying an
`error`, never an exception, so the rest of a queue is still checked and nothing
is skipped silently; a queue with no posts is an error too. JSON Lines and CSV
are read a line at a time, so memory stays flat however long the queue is; a file
read whole is refused unread once it is over its size limit (a post's four bytes
a character, `MAX_QUEUE_BYTES` for a `.json` or `.yaml` queue). Each queue format's
reader is imported when a file of that format is read, so a draft loads none.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable, Iterator
from importlib import import_module
from pathlib import Path
from typing import BinaryIO

from ..core.errors import PostcheckError
from ..core.post import Post
from ..core.yamlfile import LineDict, parse_yaml
from . import suppressions
from .lines import decode, numbered_lines, read_limited
from .records import DEFAULT_EXCLUDE, DEFAULT_INCLUDE, DEFAULT_MAX_CHARS, ReadOptions, not_empty, record_post

__all__ = ["DEFAULT_EXCLUDE", "DEFAULT_INCLUDE", "DEFAULT_MAX_CHARS", "ReadOptions", "read_bytes", "read_sources"]

MAX_QUEUE_BYTES = 64 * 1024 * 1024  # a .json or .yaml queue is parsed whole; JSON Lines and CSV have no limit
FORMATS = ("txt", "md", "jsonl", "json", "yaml", "csv")  # what --stdin-format accepts
_STREAMED = {".jsonl": (".jsonqueue", "jsonl"), ".ndjson": (".jsonqueue", "jsonl"), ".csv": (".csvqueue", "csv_queue")}
_QUEUES = (".json", ".yaml", ".yml")


def post_from_record(
    raw: object, source: str, line: int | None, options: ReadOptions, fallback_id: str | None = None
) -> Post:
    """A post from a record another reader produced (a Parquet or Spark row): the same checks as a queue record."""
    return record_post(raw, source, line, options, fallback_id)


def _front_matter(text: str, source: str) -> tuple[dict, str, int]:
    if not text.startswith("---"):
        return {}, text, 1
    lines = text.split("\n")
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            meta = parse_yaml("\n".join(lines[1:i]), source) or {}
            if not isinstance(meta, dict):
                raise PostcheckError("front matter must be a YAML mapping", source, 2)
            return meta, "\n".join(lines[i + 1 :]), i + 2
    raise PostcheckError("front matter starts with '---' but is never closed", source, 1)


def _single(text: str, source: str, options: ReadOptions, markdown: bool) -> Iterator[Post]:
    meta, body, body_line = _front_matter(text, source) if markdown else ({}, text, 1)
    body, inline = suppressions.extract_inline(body, body_line)
    # The post's line is where its text starts, so that a finding's line within the text maps to the file's.
    post = record_post({**meta, "text": body, "id": str(meta.get("id", source))}, source, body_line, options)
    post.suppressions += inline
    yield post


def text_post(text: str, source: str, options: ReadOptions) -> Post:
    """A draft given as a string (`postcheck --text "..."`), read as a `.txt` file is."""
    return next(_single(text, source, options, markdown=False))


def _yaml(text: str, source: str, options: ReadOptions) -> Iterator[Post]:
    items = parse_yaml(text, source, records=True)
    if isinstance(items, dict) and "posts" in items:
        items = items["posts"]
    if not isinstance(items, list):
        raise PostcheckError("a queue must be a list of posts or a mapping with a 'posts' list", source, 1)
    posts = (
        record_post(raw, source, raw.line, options, duplicates=raw.duplicates)
        if isinstance(raw, LineDict)
        else record_post(raw, source, None, options)
        for raw in items
    )
    yield from not_empty(posts, source)


def _whole(data: bytes, source: str, suffix: str, options: ReadOptions) -> Iterator[Post]:
    text = decode(data, source)
    if suffix == ".json":
        from .jsonqueue import json_queue

        yield from json_queue(text, source, options)
    elif suffix in (".yaml", ".yml"):
        yield from _yaml(text, source, options)
    else:
        yield from _single(text, source, options, markdown=suffix in (".md", ".markdown"))


def _read(handle: BinaryIO, source: str, suffix: str, options: ReadOptions) -> Iterator[Post]:
    """The posts of an open stream: line by line for JSON Lines and CSV, else read whole within its limit."""
    if suffix in _STREAMED:
        module, name = _STREAMED[suffix]
        reader = getattr(import_module(module, __package__), name)
        yield from reader(numbered_lines(handle, options.max_line_bytes, source), source, options)
        return
    if suffix in _QUEUES:
        data = read_limited(handle, MAX_QUEUE_BYTES, source, _QUEUE_REFUSAL)
    else:
        data = read_limited(handle, options.max_post_bytes, source, _post_refusal(options))
    yield from _whole(data, source, suffix, options)


_QUEUE_REFUSAL = (
    f"the file is over {MAX_QUEUE_BYTES:,} bytes and was not read: a .json or .yaml queue is read whole; "
    "use JSON Lines (.jsonl) or CSV for larger queues"
)


def _post_refusal(options: ReadOptions) -> str:
    # The byte limit allows four bytes a character and more, so it is no figure to show: the characters are.
    return (
        "the file is far too long for a post and was not read: "
        f"a post may have at most {options.max_chars:,} characters (see --max-chars)"
    )


def read_source(path: str, options: ReadOptions | None = None) -> Iterator[Post]:
    """Yield the posts of one path ('-' for stdin, a folder recursively). Unreadable files raise PostcheckError."""
    options = options or ReadOptions()
    if path == "-":
        yield from _read(sys.stdin.buffer, "<stdin>", "." + options.stdin_format.lstrip("."), options)
        return
    file = Path(path)
    if file.is_dir():
        from .folders import folder_entries

        yield from read_sources(folder_entries(file, options), options)
        return
    try:
        with file.open("rb") as handle:
            yield from _read(handle, path, file.suffix.lower(), options)
    except FileNotFoundError:
        raise PostcheckError("no such file", path) from None
    except OSError as exc:
        raise PostcheckError(f"cannot read file ({exc.strerror})", path) from None


def read_bytes(data: bytes, source: str, suffix: str, options: ReadOptions) -> Iterator[Post]:
    """The posts of content already in memory (an upload), read as a file of that suffix; `source` only names it."""
    yield from _read(io.BytesIO(data), source, suffix, options)


def read_sources(paths: Iterable[str | Post], options: ReadOptions) -> Iterator[Post]:
    """Every post of every path, in order; a file that cannot be read becomes one post with an error
    (a folder's entries may already be such posts)."""
    for path in paths:
        if isinstance(path, Post):
            yield path
            continue
        try:
            yield from read_source(path, options)
        except PostcheckError as exc:
            yield Post(
                source=exc.path or path, id=exc.path or path, profile=options.profile, line=exc.line, error=exc.message
            )
