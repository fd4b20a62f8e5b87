"""The `match:` expression of a rule: leaf matchers joined by all / any / not.

A leaf is one of the matcher kinds (`phrase`, `lemma`, `pattern`, `regex`,
`lexicon`, `detector`; and `model`, the learned second opinion on a category, which
stands only as a rule's whole `match:`). `all` needs every positive part inside one scope unit (clause,
sentence or post), optionally within `near` of the first part (`near: 8` tokens, or
`near: 1 sentence` across a post), and none of its `not` parts in that unit (or, for a
`not` with its own `near: N`, within N tokens of the first part); `any`
needs one part. A `context` part of an `all` must hold like the others, but the
finding does not point at it: it marks the parts that carry the breach (the raid's
address and time, not the "Big day tomorrow!" that sets it up). Parsing validates
the structure and reports errors at the YAML line where they occur.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast

import regex

from ..core.errors import PostcheckError
from ..core.yamlfile import LineDict
from .patterns import MARK, NamedPatterns
from .regexmemory import Catastrophic, LazyPattern, NestedQuantifier, RegexMemory

LEAF_KINDS = ("phrase", "lemma", "pattern", "regex", "lexicon", "detector", "model")
EXPRESSION_KINDS = (*LEAF_KINDS, "all", "any", "not", "context")
SCOPES = ("clause", "sentence", "post")
NEAR_UNITS = ("token", "sentence")
_NEAR = regex.compile(r"^(\d+)\s+(token|sentence)s?$")


Gate = tuple[frozenset, ...]


@dataclass(frozen=True)
class Leaf:
    kind: str
    # By kind: a name (lexicon, detector), a list of strings (phrase, lemma, regex) or of token patterns.
    value: Any
    key: str  # equal leaves share a key, so each is matched once per post
    # For regex leaves: each top-level alternative, compiled once.
    compiled: tuple = field(default=(), compare=False, repr=False)
    # A cheap necessary condition for an expression to hold on a post: each set of leaf keys
    # must contain one leaf that fired (or, for a lazy leaf, may still fire).
    gate: Gate = field(init=False, compare=False, repr=False)
    lazy: bool = field(init=False, compare=False, repr=False)  # matched only when a rule asks: regexes, token patterns

    def __post_init__(self):
        object.__setattr__(self, "gate", (frozenset([self.key]),))
        object.__setattr__(self, "lazy", self.kind in ("regex", "pattern"))


@dataclass(frozen=True)
class AllOf:
    parts: tuple  # the parts that carry the breach: a finding points at them
    excluded: tuple = ()
    scope: str = "sentence"
    near: int | None = None
    context: tuple = ()  # parts that must hold too, but that a finding does not point at
    near_unit: str = "token"  # what `near` counts: tokens, or sentences (with scope post)
    # For each `not` part, None (it blocks its whole unit) or the tokens around the first part it blocks within.
    excluded_near: tuple = ()
    gate: Gate = field(init=False, compare=False, repr=False)
    lazy: bool = field(init=False, compare=False, repr=False)
    # Indices into `required` in the order to evaluate them: parts without regexes first, so
    # that a part that does not hold stops the evaluation before any regex runs.
    order: tuple = field(init=False, compare=False, repr=False)

    def __post_init__(self):
        required = self.required
        object.__setattr__(self, "gate", tuple(clause for part in required for clause in part.gate))
        object.__setattr__(self, "lazy", any(part.lazy for part in required))
        object.__setattr__(self, "order", tuple(sorted(range(len(required)), key=lambda i: required[i].lazy)))

    @property
    def required(self) -> tuple:
        """Every part that must hold: those that carry the breach, then the context."""
        return self.parts + self.context


@dataclass(frozen=True)
class AnyOf:
    parts: tuple = field(default_factory=tuple)
    gate: Gate = field(init=False, compare=False, repr=False)
    lazy: bool = field(init=False, compare=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "gate", (frozenset(leaf.key for part in self.parts for leaf in leaves(part)),))
        object.__setattr__(self, "lazy", any(part.lazy for part in self.parts))


Expression = Leaf | AllOf | AnyOf


def leaf_key(kind: str, value: object) -> str:
    if kind == "lexicon":
        return f"lexicon:{value}"
    return f"{kind}:{json.dumps(value, sort_keys=True, ensure_ascii=False)}"


def _strings(value: object, kind: str, where: tuple[str, int]) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise PostcheckError(f"'{kind}' needs a non-empty string or list of strings", *where)
    return value


def _compile_regex(pattern: str, where: tuple[str, int], memory: RegexMemory) -> list[LazyPattern]:
    """Validate a rule regex (the whole pattern compiles) and split it into alternatives
    that compile when first used."""
    try:
        return [memory.alternative(piece) for piece in memory.pieces(pattern)]
    except NestedQuantifier:
        raise PostcheckError("regex nests unbounded quantifiers, which can take exponential time", *where) from None
    except regex.error as exc:
        raise PostcheckError(f"regex does not compile: {exc}", *where) from None
    except Catastrophic as exc:
        raise PostcheckError(
            f"regex can take exponential time (stopped on the text {exc}): a repeated part can match the same"
            " text in several ways; write it so each character can be matched only one way",
            *where,
        ) from None


def _check_named(text: str, where: tuple[str, int], memory: RegexMemory, patterns: NamedPatterns) -> None:
    """Each named regex a regex uses must compile and be safe on its own, checked once, at its definition's line:
    checked only inside the expanded regex, its error would point at text the rule's author never wrote."""
    for name in patterns.references(text):
        definition = patterns.find(name, where, in_regex=True)
        if patterns.first_check(name):
            value = cast(str, definition.value)  # find(in_regex=True) refuses a match expression
            _check_named(value, definition.where, memory, patterns)
            _compile_regex(patterns.expand(value, definition.where), definition.where, memory)


def _near(value: object, where: tuple[str, int], no_sentences: str | None) -> tuple[int | None, str]:
    """`near: 8` or `8 tokens`, or `1 sentence` unless `no_sentences` says why it cannot be."""
    if value is None:
        return None, "token"
    plain = isinstance(value, int) and not isinstance(value, bool)
    found = _NEAR.match(f"{value} tokens" if plain else str(value).strip())
    if found is None:
        raise PostcheckError("near must be a whole number of tokens, or 'N sentences' such as '1 sentence'", *where)
    if found[2] == "sentence" and no_sentences:
        raise PostcheckError(no_sentences, *where)
    return int(found[1]), found[2]


def parse_expression(
    node: object,
    path: str,
    line: int,
    lexicons: set[str],
    memory: RegexMemory,
    patterns: NamedPatterns,
    *,
    inside_all: bool = False,
) -> Expression:
    """Validate and build an expression from its YAML mapping, named patterns expanded."""
    if isinstance(node, LineDict):
        line = node.line
    where = (path, line)
    if not isinstance(node, dict) or not node:
        raise PostcheckError("a match expression must be a mapping such as {phrase: [...]}", *where)
    kinds = [k for k in node if k in EXPRESSION_KINDS]
    if len(kinds) != 1:
        raise PostcheckError(
            f"a match expression needs exactly one of {', '.join(EXPRESSION_KINDS)}; got {sorted(node)}",
            *where,
        )
    kind = kinds[0]
    extra = set(node) - {kind} - ({"scope", "near"} if kind == "all" else {"near"} if kind == "not" else set())
    if extra:
        raise PostcheckError(f"unknown key '{sorted(extra)[0]}' in '{kind}' expression", *where)
    value = node[kind]
    if kind in ("not", "context"):
        if not inside_all:
            raise PostcheckError(f"'{kind}' can only be a part of an 'all' list", *where)
        return parse_expression(value, path, line, lexicons, memory, patterns)
    if kind in ("all", "any"):
        if not isinstance(value, list) or not value:
            raise PostcheckError(f"'{kind}' needs a non-empty list of expressions", *where)
        groups: dict[str, list[Expression]] = {"parts": [], "not": [], "context": []}
        excluded_near: list[int | None] = []
        for item in value:
            parsed = parse_expression(item, path, line, lexicons, memory, patterns, inside_all=kind == "all")
            wrapper = next((k for k in ("not", "context") if isinstance(item, dict) and k in item), "parts")
            groups[wrapper].append(parsed)
            if wrapper == "not":
                excluded_near.append(_near(item.get("near"), where, "a 'not' part's near is a number of tokens")[0])
        parts = groups["parts"]
        if kind == "any":
            return AnyOf(tuple(parts))
        if not parts:
            raise PostcheckError("'all' needs at least one part that is neither 'not' nor 'context'", *where)
        scope = node.get("scope", "sentence")
        if scope not in SCOPES:
            raise PostcheckError(f"scope must be one of {', '.join(SCOPES)}, not '{scope}'", *where)
        near, unit = _near(node.get("near"), where, None if scope == "post" else "near in sentences needs scope: post")
        return AllOf(
            tuple(parts), tuple(groups["not"]), scope, near, tuple(groups["context"]), unit, tuple(excluded_near)
        )
    if kind == "pattern" and isinstance(value, str):
        return _named(value, where, lexicons, memory, patterns)
    if kind in ("phrase", "lemma"):
        value = _strings(value, kind, where)
        if any(MARK in text for text in value):
            raise PostcheckError(f"named patterns are used in regexes, not in a '{kind}' list", *where)
    elif kind == "regex":
        value = _strings(value, kind, where)
        for text in value:
            _check_named(text, where, memory, patterns)
        value = [patterns.expand(text, where) for text in value]
        compiled = tuple(entry for pattern in value for entry in _compile_regex(pattern, where, memory))
        return Leaf(kind, value, leaf_key(kind, value), compiled)
    elif kind == "lexicon":
        value = _strings(value, kind, where)
        unknown = [name for name in value if name not in lexicons]
        if unknown:
            raise PostcheckError(f"unknown lexicon '{unknown[0]}' (known: {', '.join(sorted(lexicons))})", *where)
        if len(value) > 1:
            return AnyOf(tuple(Leaf("lexicon", name, leaf_key("lexicon", name)) for name in value))
        value = value[0]
    elif kind == "detector":
        from .detectors import DETECTORS

        if not isinstance(value, str) or value not in DETECTORS:
            raise PostcheckError(f"unknown detector '{value}' (known: {', '.join(sorted(DETECTORS))})", *where)
    elif kind == "model":
        if not isinstance(value, str) or not value.strip():
            raise PostcheckError("'model' needs the name of the category it scores, e.g. {model: tone}", *where)
    elif kind == "pattern":
        if isinstance(value, list) and value and all(isinstance(t, dict) for t in value):
            value = [value]
        if not isinstance(value, list) or not value or not all(isinstance(p, list) and p for p in value):
            raise PostcheckError(
                "'pattern' needs a spaCy token pattern (a list of token dicts) or a list of them", *where
            )
    return Leaf(kind, value, leaf_key(kind, value))


def _named(
    name: str, where: tuple[str, int], lexicons: set[str], memory: RegexMemory, patterns: NamedPatterns
) -> Expression:
    """`pattern: NAME`: the named regex as a regex leaf, or the named match expression."""
    definition = patterns.lookup(name, where, in_regex=False)
    if isinstance(definition.value, str):
        node = LineDict(regex=definition.value)
        node.line, node.key_lines = definition.line, {}
        return parse_expression(node, definition.path, definition.line, lexicons, memory, patterns)
    return parse_expression(definition.value, definition.path, definition.line, lexicons, memory, patterns)


def leaves(expr: Expression) -> Iterator[Leaf]:
    """Every leaf of an expression, including those under `not`."""
    if isinstance(expr, Leaf):
        yield expr
        return
    for part in expr.parts + (expr.context + expr.excluded if isinstance(expr, AllOf) else ()):
        yield from leaves(part)
