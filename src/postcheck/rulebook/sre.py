"""The standard library's regex parser, which the analyses of rule regexes read.

`literals`, `shapes` and `regexbound` each walk the parse tree of a pattern:
a list of (opcode, argument) items, where what the argument holds depends on
the opcode. The parser is private, so each analysis treats anything it cannot
read as "nothing known", which only ever costs speed, never a match.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from .grouping import characters

if sys.version_info >= (3, 11):
    import re._constants as constants
    import re._parser as parser
else:  # pragma: no cover - Python 3.10
    import sre_constants as constants
    import sre_parse as parser

__all__ = ["IGNORECASE", "Item", "case_sensitive_inside", "constants", "parse", "reads_otherwise"]

Item = tuple[Any, Any]  # (opcode, argument)

IGNORECASE = 2  # re.IGNORECASE in a SUBPATTERN's flags
_VERSION_FLAG = re.compile(r"\(\?[a-zA-Z-]*V")  # the `regex` module's (?V1), alone or among other flags


def parse(pattern: str) -> list[Item]:
    """The items of a pattern; raises on syntax the stdlib parser does not know (regex-module extensions)."""
    return list(parser.parse(pattern).data)


def case_sensitive_inside(group: Any, sensitive: bool) -> bool:
    """Whether a parsed group `(?i:...)` / `(?-i:...)` matches case-sensitively, given the context."""
    _, add_flags, del_flags, _ = group
    return False if add_flags & IGNORECASE else True if del_flags & IGNORECASE else sensitive


def reads_otherwise(pattern: str) -> bool:
    """Whether the `regex` module may read the pattern otherwise than the stdlib parser (and the scanners of
    `skeleton.py`) do: a `[` inside a character class (a POSIX class such as `[[:alpha:]]`, a nested set) or
    version 1 syntax. A class that only opens with a colon, as `[:.]`, reads alike in both: refusing every
    "[:" cost the name patterns their guards."""
    return _VERSION_FLAG.search(pattern) is not None or any(
        in_class and char == "[" for _, char, in_class in characters(pattern)
    )
