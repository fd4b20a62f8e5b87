"""Safe YAML loading that remembers where each mapping and key came from.

Rule files, lexicons and queues are YAML written by people, so every error must
point at a line. The loader is PyYAML's safe loader (libyaml's C parser when
installed, for start-up speed) with two changes: mappings become `LineDict`s
carrying line numbers, and aliases are refused (a node reached a second time
is an alias), which closes the "billion laughs" memory bomb.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import PostcheckError

try:  # libyaml's C parser, for start-up speed
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]  # the same loader, in Python


class LineDict(dict):
    """A dict from YAML that knows its own line and the line of each key."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _LineLoader(_SafeLoader):
    def construct_object(self, node, deep=False):
        if node in self.constructed_objects or node in self.recursive_objects:
            raise yaml.MarkedYAMLError("while reading", None, "aliases (*name) are not allowed", node.start_mark)
        return super().construct_object(node, deep=deep)

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


def parse_yaml(text: str, path: str) -> Any:
    """Parse YAML text safely; syntax errors become a PostcheckError with the line."""
    try:
        return yaml.load(text, Loader=_LineLoader)  # a safe loader: SafeLoader's constructors, aliases refused
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise PostcheckError(f"invalid YAML: {exc.problem or exc.context}", path, line) from None
    except yaml.YAMLError as exc:
        raise PostcheckError(f"invalid YAML: {exc}", path) from None


def load_yaml(path: Path) -> Any:
    """Read and parse a UTF-8 YAML file."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PostcheckError("not valid UTF-8 text", str(path)) from None
    except OSError as exc:
        raise PostcheckError(f"cannot read file ({exc.strerror})", str(path)) from None
    return parse_yaml(text, str(path))
