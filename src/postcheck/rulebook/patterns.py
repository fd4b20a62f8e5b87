"""Named patterns: a regex or a match expression written once in the rulebook and used by name.

A rule file may start with `patterns:`, a map from a name to a regex (a string) or to a
match expression (a mapping). A regex uses a named regex as `{pattern:NAME}`; a match
expression uses either kind as a part `pattern: NAME` (a spaCy token pattern is a list,
so a name is never mistaken for one). Names are shared by the whole rulebook, so a
pattern several categories need is written once. YAML anchors stay refused (see
`core/yamlfile.py`): names are checked as strictly as the rest of the rulebook.

Names are expanded as the rulebook loads, so matchers, pre-checks and the regex safety
check only ever see the final regex. A reference that is a whole top-level alternative
is spliced in as written, its alternatives joining the host's (each gets its own
pre-check); anywhere else it binds as one unit: wrapped in `(?:...)`, unless it is one
group already (a lookahead such as `(?!Monday|Tuesday)`), which is spliced as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import get_close_matches

import regex

from ..core.errors import PostcheckError
from ..core.yamlfile import LineDict
from .grouping import grouping, split_alternatives

NAME = regex.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_REFERENCE = regex.compile(r"\{pattern:([^{}]*)\}")
MARK = "{pattern:"


@dataclass(frozen=True)
class Definition:
    value: str | LineDict  # a regex, or a match expression
    path: str
    line: int

    @property
    def where(self) -> tuple[str, int]:
        return self.path, self.line


class NamedPatterns:
    """Every named pattern of a rulebook, checked for unknown names and loops before any rule uses one."""

    def __init__(self) -> None:
        self.definitions: dict[str, Definition] = {}
        self.used: set[str] = set()
        # A named regex expanded once, however many rules use it: expanding scans every character of the
        # pattern and of the patterns it names, and re-expanding at each use was most of the rulebook's load.
        self._expanded: dict[str, str] = {}
        self._units: dict[str, str] = {}
        self.checked: set[str] = set()  # named regexes compiled on their own, at their definition

    def add(self, mapping: object, path: str, line: int) -> None:
        """Take the `patterns:` map of one rule file."""
        if not isinstance(mapping, LineDict) or not mapping:
            raise PostcheckError(
                "'patterns' must be a mapping from a name to a regex or a match expression", path, line
            )
        for name, value in mapping.items():
            where = (path, mapping.line_of(name))
            if not isinstance(name, str) or not NAME.match(name):
                raise PostcheckError(f"pattern name '{name}' must be lower-case words joined by '-'", *where)
            if name in self.definitions:
                first = self.definitions[name]
                raise PostcheckError(f"pattern '{name}' is defined twice (first at {first.path}:{first.line})", *where)
            if not (isinstance(value, str) and value.strip()) and not isinstance(value, LineDict):
                raise PostcheckError(f"pattern '{name}' must be a regex (text) or a match expression (mapping)", *where)
            self.definitions[name] = Definition(value, *where)

    def check(self) -> None:
        """Every name a pattern uses exists, is used in its place, and no pattern reaches itself."""
        done: set[str] = set()

        def visit(name: str, trail: tuple[str, ...]) -> None:
            if name in trail:
                loop = " -> ".join((*trail[trail.index(name) :], name))
                raise PostcheckError(f"patterns use each other in a loop: {loop}", *self.definitions[name].where)
            if name in done:
                return
            definition = self.definitions[name]
            for used in _references(definition.value, definition.where, self):
                visit(used, (*trail, name))
            done.add(name)

        for name in self.definitions:
            visit(name, ())

    def lookup(self, name: str, where: tuple[str, int], *, in_regex: bool) -> Definition:
        """The definition a rule uses, checked to exist and to be in its place."""
        definition = self.find(name, where, in_regex=in_regex)
        self.used.add(name)
        return definition

    def find(self, name: str, where: tuple[str, int], *, in_regex: bool) -> Definition:
        """The definition of a name, checked to exist and to be in its place (in a regex, a regex)."""
        if name not in self.definitions:
            close = get_close_matches(name, sorted(self.definitions), n=1, cutoff=0.75)
            hint = f" (did you mean '{close[0]}'?)" if close else " (define it under 'patterns:' in a rule file)"
            raise PostcheckError(f"unknown pattern '{name}'{hint}", *where)
        definition = self.definitions[name]
        if in_regex and not isinstance(definition.value, str):
            raise PostcheckError(
                f"pattern '{name}' is a match expression (defined at {definition.path}:{definition.line}), not a"
                f" regex: use it as a part, `pattern: {name}`, not inside a regex",
                *where,
            )
        return definition

    @staticmethod
    def references(text: str) -> list[str]:
        """The names a regex uses, in order."""
        return _REFERENCE.findall(text)

    def first_check(self, name: str) -> bool:
        """True the first time a named regex is asked to be checked on its own, False after."""
        if name in self.checked:
            return False
        self.checked.add(name)
        return True

    def expand(self, text: str, where: tuple[str, int]) -> str:
        """A regex with every `{pattern:NAME}` replaced by the named regex, itself expanded."""
        if MARK not in text:
            return text
        pieces = []
        for piece in split_alternatives(text):
            whole = _REFERENCE.fullmatch(piece)
            if whole:
                pieces.append(self._regex(whole[1], where))
            else:
                pieces.append(_REFERENCE.sub(lambda ref: self._unit(ref[1], where), piece))
        expanded = "|".join(pieces)
        if MARK in expanded:  # else a mistyped reference would be searched for as literal text and never match
            raise PostcheckError("'{pattern:' must be a whole reference, {pattern:NAME}, closed by '}'", *where)
        return expanded

    def _regex(self, name: str, where: tuple[str, int]) -> str:
        definition = self.lookup(name, where, in_regex=True)
        assert isinstance(definition.value, str)
        if name not in self._expanded:
            self._expanded[name] = self.expand(definition.value, definition.where)
        return self._expanded[name]

    def _unit(self, name: str, where: tuple[str, int]) -> str:
        """The named regex expanded and bound as one unit (see `_grouped`), once per name."""
        expanded = self._regex(name, where)
        if name not in self._units:
            self._units[name] = _grouped(expanded)
        return self._units[name]

    def check_used(self) -> None:
        """Every pattern is used by a rule: a name left behind when its last use went is an error."""
        for name, definition in self.definitions.items():
            if name not in self.used:
                raise PostcheckError(f"pattern '{name}' is not used by any rule; remove it", *definition.where)


def _grouped(text: str) -> str:
    """The regex as one unit: as it is when a single group spans it, else inside `(?:...)`."""
    closing = [i for i, char, depth in grouping(text) if char == ")" and depth == 0]
    if text.startswith("(") and closing == [len(text) - 1]:
        return text
    return f"(?:{text})"


def _references(value: object, where: tuple[str, int], patterns: NamedPatterns) -> list[str]:
    """The names a pattern uses, each checked to exist and to be in its place."""
    if isinstance(value, str):
        names = patterns.references(value)
        for name in names:
            patterns.find(name, where, in_regex=True)
        return names
    found: list[str] = []
    if isinstance(value, LineDict):
        where = (where[0], value.line)
        for key, item in value.items():
            if key == "pattern" and isinstance(item, str):
                patterns.find(item, where, in_regex=False)
                found.append(item)
            elif key == "regex" or isinstance(item, (LineDict, list)):
                found += _references(item, where, patterns)
    elif isinstance(value, list):
        for item in value:
            found += _references(item, where, patterns)
    return found
