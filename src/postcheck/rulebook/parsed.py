"""The rulebook's YAML files as parsed, kept between runs under a hash of their bytes.

Parsing ~100 rule and lexicon files was the largest part of loading the
rulebook, and an officer's check or a pre-commit hook loads it on every run.
The files are read every time (their bytes name the cache entry, so an edited
file is parsed afresh) and everything parsed is validated again as before; only
the YAML parsing is skipped. Mappings keep their line numbers, so errors found
on a cached parse still name the file and line. A value JSON cannot hold as it
is (a date, a key that is not text) leaves the run uncached.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from ..core.errors import PostcheckError
from ..core.yamlfile import LineDict, parse_yaml
from .cache import cache_dir, read_json, write_json

_STAMP = hashlib.sha256(
    b"".join(Path(module).read_bytes() for module in (__file__, parse_yaml.__code__.co_filename))
).hexdigest()[:8]


# The key under which a stored mapping keeps its line and its keys' lines: the JSON decoder builds every
# mapping as it reads (`_mapping`), where walking the decoded tree again took as long as decoding it.
_LINES = "\0"


class _Unstorable(Exception):
    """A parsed value that JSON would not give back unchanged."""


def _encode(value: Any) -> Any:
    """JSON for parsed YAML: a mapping is an object with its items, and its lines under _LINES."""
    if isinstance(value, LineDict):
        if not all(isinstance(key, str) for key in value) or _LINES in value:
            raise _Unstorable
        return {**{k: _encode(v) for k, v in value.items()}, _LINES: [value.line, value.key_lines]}
    if isinstance(value, list):
        return [_encode(item) for item in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise _Unstorable


def _mapping(value: dict) -> Any:
    """Each JSON object as it is decoded: a mapping with its lines, or (without them) a mapping's key lines."""
    lines = value.pop(_LINES, None)
    if lines is None:
        return value
    try:
        line, key_lines = lines
        mapping = LineDict(value)
        mapping.line, mapping.key_lines = int(line), dict(key_lines)
    except (TypeError, ValueError):
        raise ValueError("not a stored mapping") from None
    return mapping


class ParsedFiles:
    """The parsed content of a fixed list of YAML files, from the cache when their bytes are known."""

    def __init__(self, paths: list[Path]):
        self.bytes: dict[Path, bytes] = {}
        for path in paths:
            try:
                self.bytes[path] = path.read_bytes()
            except OSError as exc:
                raise PostcheckError(f"cannot read file ({exc.strerror})", str(path)) from None
        key = hashlib.sha256(_STAMP.encode())
        for path, data in self.bytes.items():
            key.update(path.name.encode() + b"\0" + hashlib.sha256(data).digest())
        self._file = cache_dir() / f"rulebook-{key.hexdigest()[:24]}.json"
        self._parsed: dict[Path, Any] = {}
        stored = read_json(self._file, _mapping)  # None when damaged: parsed afresh
        if isinstance(stored, list) and len(stored) == len(paths):
            self._parsed = dict(zip(paths, stored, strict=True))
        self._fresh = not self._parsed

    def load(self, path: Path) -> Any:
        """The parsed content of one of the files."""
        if path not in self._parsed:
            try:
                text = self.bytes[path].decode("utf-8")
            except UnicodeDecodeError:
                raise PostcheckError("not valid UTF-8 text", str(path)) from None
            self._parsed[path] = parse_yaml(text, str(path))
        return self._parsed[path]

    def save(self) -> None:
        """Keep the parses for the next run (call once every file has been loaded and checked)."""
        if not self._fresh:
            return
        try:
            write_json(self._file, [_encode(self._parsed[path]) for path in self.bytes])
        except _Unstorable:
            return
        self._fresh = False
