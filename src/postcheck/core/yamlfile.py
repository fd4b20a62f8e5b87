"""Safe YAML loading that remembers where each mapping and key came from.

Rule files, lexicons and queues are YAML written by people, so every error must
point at a line. The loader is PyYAML's safe loader (libyaml's C parser when
installed, for start-up speed) with these changes:

- mappings become `LineDict`s carrying line numbers;
- aliases are refused (a node reached a second time is an alias), which closes
  the "billion laughs" memory bomb;
- a key given twice in one mapping is an error, as the first value would be lost
  silently; a queue asks instead for each record to carry its `duplicates`, so
  that only that record fails;
- a value that is not what it looks like stays text rather than ending the read:
  an impossible date (2026-02-30) for the reader of that field to report, a number
  too long to convert (over 4,300 digits) as a `LongNumber`;
- nesting too deep to build is an error, not a crash.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from .errors import PostcheckError


class LongNumber(str):
    """A number too long to convert (Python refuses over 4,300 digits), kept as its digits; a field that
    wants text or a number can tell it apart. JSON queues use it too."""


class LineDict(dict):
    """A dict from YAML that knows its own line, the line of each key, and any key given twice in it
    or in a mapping inside it (`duplicates`: (key, line) pairs)."""

    line: int = 0
    key_lines: dict
    duplicates: tuple = ()

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


@cache
def _line_loader() -> Any:
    """The loader class, made on first use: an officer's check of a draft, with the rule files' parses
    cached, reads no YAML, and importing PyYAML was a hundredth of its start-up."""
    import yaml

    try:  # libyaml's C parser, for start-up speed
        from yaml import CSafeLoader as SafeLoader
    except ImportError:  # pragma: no cover - PyYAML built without libyaml
        from yaml import SafeLoader  # type: ignore[assignment]  # the same loader, in Python

    class LineLoader(SafeLoader):
        def construct_object(self, node, deep=False):
            if node in self.constructed_objects or node in self.recursive_objects:
                raise yaml.MarkedYAMLError("while reading", None, "aliases (*name) are not allowed", node.start_mark)
            return super().construct_object(node, deep=deep)

        def construct_mapping(self, node, deep=False):
            mapping = LineDict(super().construct_mapping(node, deep=True))
            mapping.line = node.start_mark.line + 1
            keys = [(k.value, k.start_mark.line + 1) for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
            mapping.key_lines = dict(reversed(keys))  # a key given twice: the line of its first use
            seen: set = set()
            twice = []
            for key, line in keys:
                if key in seen:
                    twice.append((key, line))
                seen.add(key)
            inner = [pair for value in mapping.values() for pair in _duplicates_in(value)]
            mapping.duplicates = (*twice, *inner)
            return mapping

        def construct_yaml_int(self, node):
            digits = self.construct_scalar(node)
            try:
                return super().construct_yaml_int(node)
            except ValueError:
                return LongNumber(digits)

        def construct_yaml_timestamp(self, node):
            try:
                return super().construct_yaml_timestamp(node)
            except (ValueError, OverflowError):
                return self.construct_scalar(node)

    LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, LineLoader.construct_mapping)
    LineLoader.add_constructor("tag:yaml.org,2002:int", LineLoader.construct_yaml_int)
    LineLoader.add_constructor("tag:yaml.org,2002:timestamp", LineLoader.construct_yaml_timestamp)
    return LineLoader


def _duplicates_in(value: object) -> tuple:
    if isinstance(value, LineDict):
        return value.duplicates
    if isinstance(value, list):
        return tuple(pair for item in value if isinstance(item, LineDict) for pair in item.duplicates)
    return ()


def parse_yaml(text: str, path: str, *, records: bool = False) -> Any:
    """Parse YAML text safely; problems become a PostcheckError with the line. A key given twice is
    one, unless `records` (a queue), where each record's `duplicates` says so instead."""
    import yaml

    loader = _line_loader()(text)
    try:
        data = loader.get_single_data()  # a safe loader: SafeLoader's constructors, aliases refused
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise PostcheckError(f"invalid YAML: {exc.problem or exc.context}", path, line) from None
    except yaml.YAMLError as exc:
        raise PostcheckError(f"invalid YAML: {exc}", path) from None
    except RecursionError:
        raise PostcheckError("invalid YAML: nested too deeply to read", path) from None
    finally:
        loader.dispose()
    duplicates = _duplicates_in(data) if not records else ()
    if duplicates:
        key, line = duplicates[0]
        raise PostcheckError(f"'{key}' is given twice in one mapping; say it once", path, line)
    return data


def load_yaml(path: Path) -> Any:
    """Read and parse a UTF-8 YAML file."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PostcheckError("not valid UTF-8 text", str(path)) from None
    except OSError as exc:
        raise PostcheckError(f"cannot read file ({exc.strerror})", str(path)) from None
    return parse_yaml(text, str(path))
