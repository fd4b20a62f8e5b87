"""Safe YAML loading that remembers where each mapping and key came from.

Rule files, lexicons and queues are YAML written by people, so every error must
point at a line. The loader is PyYAML's SafeLoader (no object construction) with
two changes: mappings become `LineDict`s carrying line numbers, and aliases are
refused, which closes the "billion laughs" memory bomb.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from .errors import PostcheckError


class LineDict(dict):
    """A dict from YAML that knows its own line and the line of each key."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _LineLoader(yaml.SafeLoader):
    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                "while reading", None, "aliases (*name) are not allowed", event.start_mark
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        mapping = LineDict(super().construct_mapping(node, deep=True))
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {
            key_node.value: key_node.start_mark.line + 1
            for key_node, _ in node.value
            if isinstance(key_node, yaml.ScalarNode)
        }
        return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping)


def parse_yaml(text: str, path: str):
    """Parse YAML text safely; syntax errors become a PostcheckError with the line."""
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - _LineLoader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise PostcheckError(f"invalid YAML: {exc.problem or exc.context}", path, line) from None
    except yaml.YAMLError as exc:
        raise PostcheckError(f"invalid YAML: {exc}", path) from None


def load_yaml(path: Path):
    """Read and parse a UTF-8 YAML file."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PostcheckError("not valid UTF-8 text", str(path)) from None
    except OSError as exc:
        raise PostcheckError(f"cannot read file ({exc.strerror})", str(path)) from None
    return parse_yaml(text, str(path))
