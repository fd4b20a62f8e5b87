"""Read posts from files, queues, directories and stdin.

One file is one post (`.txt`, `.md` with optional YAML front matter) or a queue
of posts (`.jsonl`, `.json`, `.yaml`, `.csv`); a directory is searched
recursively. A record that cannot be read becomes a `Post` carrying an
`error`, never an exception, so the rest of a queue is still checked and
nothing is skipped silently. JSONL is streamed, so memory stays flat.
"""

from __future__ import annotations

import csv
import fnmatch
import io
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import PostcheckError
from ..core.post import BOTH, PROFILES, Post
from ..core.yamlfile import LineDict, parse_yaml
from . import suppressions

DEFAULT_MAX_CHARS = 100_000
DEFAULT_INCLUDE = (
    "*.txt",
    "*.md",
    "*.markdown",
    "*.jsonl",
    "*.ndjson",
    "*.csv",
    "*.post.yaml",
    "*.post.yml",
    "*.post.json",
)
DEFAULT_EXCLUDE = (".*", "node_modules", "__pycache__")
_META_KEYS = ("account", "scheduled_at", "created_at", "media")


@dataclass(frozen=True)
class ReadOptions:
    """How to read sources: default profile, per-account profiles, limits and directory globs."""

    profile: str = BOTH  # for posts that do not say, and whose account the configuration does not map
    max_chars: int = DEFAULT_MAX_CHARS
    stdin_format: str = "txt"
    accounts: dict = field(default_factory=dict)
    include: tuple = DEFAULT_INCLUDE
    exclude: tuple = DEFAULT_EXCLUDE


def _decode(data: bytes, source: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise PostcheckError("not valid UTF-16 text", source) from None
    if b"\x00" in data[:8192]:
        raise PostcheckError("looks like a binary file, not text", source)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PostcheckError(f"not valid UTF-8 (byte {exc.start + 1})", source, line) from None


def _text_problem(text: str, max_chars: int) -> str | None:
    if not text.strip():
        return "empty post: there is no text to check"
    if len(text) > max_chars:
        return f"post is {len(text):,} characters, over the limit of {max_chars:,}"
    return None


def _record(raw: object, source: str, line: int | None, options: ReadOptions, fallback_id: str | None = None) -> Post:
    """Build a post from one queue record (a mapping with at least `text`)."""
    fallback_id = fallback_id or f"{source}:{line}"
    if not isinstance(raw, dict):
        return Post(source, fallback_id, line=line, error="record is not an object with a 'text' field")
    profile = str(raw.get("profile") or options.accounts.get(str(raw.get("account", ""))) or options.profile)
    post = Post(source, str(raw.get("id", fallback_id)), line=line, profile=profile)
    post.meta = {k: raw[k] for k in _META_KEYS if k in raw}
    if "suppress" in raw:
        post.suppressions, post.problems = suppressions.from_record(raw["suppress"], line)
    text = raw.get("text")
    if text is None:
        post.error = "record has no 'text' field"
    elif not isinstance(text, str):
        post.error = f"'text' must be a string, not {type(text).__name__}"
    elif post.profile not in (*PROFILES, BOTH):
        post.error = f"unknown profile '{post.profile}' (use {', '.join(PROFILES)} or {BOTH})"
    else:
        post.text = text
        post.error = _text_problem(text, options.max_chars)
    return post


def post_from_record(
    raw: object, source: str, line: int | None, options: ReadOptions, fallback_id: str | None = None
) -> Post:
    """A post from a record another reader produced (a Parquet or Spark row): the same checks as a queue record."""
    return _record(raw, source, line, options, fallback_id)


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
    post = _record({**meta, "text": body, "id": meta.get("id", source)}, source, body_line, options)
    post.suppressions += inline
    yield post


def text_post(text: str, source: str, options: ReadOptions) -> Post:
    """A draft given as a string (`postcheck --text "..."`), read as a `.txt` file is."""
    return next(_single(text, source, options, markdown=False))


def _decoded_lines(handle: Iterable[bytes]) -> Iterator[tuple[int, str | None]]:
    """Number and decode the lines of a byte stream; None marks a line that is not UTF-8."""
    for number, raw in enumerate(handle, start=1):
        try:
            yield number, raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            yield number, None


def _jsonl(handle: Iterable[bytes], source: str, options: ReadOptions) -> Iterator[Post]:
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
        yield _record(raw, source, number, options)


def _records(items: object, source: str) -> list:
    if isinstance(items, dict) and "posts" in items:
        items = items["posts"]
    if not isinstance(items, list):
        raise PostcheckError("a queue must be a list of posts or a mapping with a 'posts' list", source, 1)
    return items


def _json(text: str, source: str, options: ReadOptions) -> Iterator[Post]:
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PostcheckError(f"invalid JSON: {exc.msg}", source, exc.lineno) from None
    for index, raw in enumerate(_records(items, source), start=1):
        yield _record(raw, source, None, options, fallback_id=f"{source}#{index}")  # JSON keeps no line numbers


def _yaml(text: str, source: str, options: ReadOptions) -> Iterator[Post]:
    for raw in _records(parse_yaml(text, source), source):
        yield _record(raw, source, raw.line if isinstance(raw, LineDict) else None, options)


def _csv(text: str, source: str, options: ReadOptions) -> Iterator[Post]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames or "text" not in reader.fieldnames:
        raise PostcheckError("CSV needs a header row with a 'text' column", source, 1)
    line = 2
    try:
        for row in reader:
            if None in row:
                yield Post(source, f"{source}:{line}", line=line, error="row has more fields than the header")
            else:
                fields = {k: v for k, v in row.items() if v not in (None, "")}
                yield _record(fields | {"text": row["text"]}, source, line, options)
            line = reader.line_num + 1
    except csv.Error as exc:
        yield Post(source, f"{source}:{line}", line=line, error=f"unreadable CSV: {exc}")


_READERS = {".json": _json, ".yaml": _yaml, ".yml": _yaml, ".csv": _csv}


def _parse(data: bytes, source: str, suffix: str, options: ReadOptions) -> Iterator[Post]:
    text = _decode(data, source)
    if suffix in _READERS:
        yield from _READERS[suffix](text, source, options)
    else:
        yield from _single(text, source, options, markdown=suffix in (".md", ".markdown"))


def _directory(root: Path, options: ReadOptions) -> Iterator[Path]:
    """Files under `root` matching the include globs and none of the exclude globs, in a stable order."""
    for path in sorted(root.rglob("*")):
        parts = path.relative_to(root).parts
        if any(fnmatch.fnmatch(part, pattern) for part in parts for pattern in options.exclude):
            continue
        if path.is_file() and any(fnmatch.fnmatch(path.name, pattern) for pattern in options.include):
            yield path


def read_source(path: str, options: ReadOptions | None = None) -> Iterator[Post]:
    """Yield the posts of one path ('-' for stdin, a directory recursively). Unreadable files raise PostcheckError."""
    options = options or ReadOptions()
    if path == "-":
        suffix = "." + options.stdin_format.lstrip(".")
        if suffix in (".jsonl", ".ndjson"):
            yield from _jsonl(sys.stdin.buffer, "<stdin>", options)
        else:
            yield from _parse(sys.stdin.buffer.read(), "<stdin>", suffix, options)
        return
    file = Path(path)
    if file.is_dir():
        yield from read_sources((str(child) for child in _directory(file, options)), options)
        return
    suffix = file.suffix.lower()
    try:
        if suffix in (".jsonl", ".ndjson"):
            with file.open("rb") as handle:
                yield from _jsonl(handle, path, options)
            return
        data = file.read_bytes()
    except FileNotFoundError:
        raise PostcheckError("no such file", path) from None
    except OSError as exc:
        raise PostcheckError(f"cannot read file ({exc.strerror})", path) from None
    yield from _parse(data, path, suffix, options)


def read_bytes(data: bytes, source: str, suffix: str, options: ReadOptions) -> Iterator[Post]:
    """The posts of content already in memory (an upload), read as a file of that suffix; `source` only names it."""
    if suffix in (".jsonl", ".ndjson"):
        yield from _jsonl(io.BytesIO(data), source, options)
    else:
        yield from _parse(data, source, suffix, options)


def read_sources(paths: Iterable[str], options: ReadOptions) -> Iterator[Post]:
    """Every post of every path, in order; a file that cannot be read becomes one post with an error."""
    for path in paths:
        try:
            yield from read_source(path, options)
        except PostcheckError as exc:
            yield Post(
                source=exc.path or path, id=exc.path or path, profile=options.profile, line=exc.line, error=exc.message
            )
