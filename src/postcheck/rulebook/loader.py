"""Load and validate the rulebook: rule files, lexicons and the policy they cite.

A rulebook is one or more directories of YAML: `policy.yaml` (in the bundled
directory), `*.yaml` rule files holding `rules: [...]`, and `lexicons/*.yaml`
word lists. Every mistake a rule author can make is a `PostcheckError` that
names the file and line; a loaded `Rulebook` is immutable and fully checked.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from difflib import get_close_matches
from pathlib import Path

import regex

from ..core.errors import PostcheckError
from ..core.findings import SEVERITIES
from ..core.post import PROFILES
from ..core.yamlfile import LineDict
from .expressions import Expression, Leaf, RegexMemory, leaves, parse_expression
from .lexicon import Lexicon, load_lexicon
from .parsed import ParsedFiles
from .patterns import NamedPatterns
from .policy import Policy, load_policy

GUARDS = ("negated", "quoted", "question", "conditional")
CONTEXTS = ("purdah",)
_RULE_ID = regex.compile(r"^(?P<category>[a-z]+(?:-[a-z]+)*)\.[a-z0-9]+(?:-[a-z0-9]+)*$")
_REQUIRED = ("id", "severity", "cites", "message", "suggest", "match", "examples")
_OPTIONAL = ("profiles", "unless", "why", "when")


def bundled_rules_dir() -> Path:
    """The rules shipped with postcheck: inside the package when installed, else the checkout's."""
    packaged = Path(__file__).parents[1] / "rules"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[3] / "rules"


@dataclass(frozen=True)
class Example:
    text: str
    profile: str
    contexts: frozenset = frozenset()


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    severity: str
    profiles: frozenset
    cites: tuple
    message: str
    suggest: str
    why: str
    match: Expression
    unless: frozenset
    when: frozenset  # contexts the post must be in for the rule to apply (empty: always)
    flag_examples: tuple
    pass_examples: tuple
    path: str
    line: int

    @property
    def learned(self) -> bool:
        """Whether the learned second opinion decides this rule (`match: {model: CATEGORY}`)."""
        return isinstance(self.match, Leaf) and self.match.kind == "model"


@dataclass(frozen=True)
class Rulebook:
    policy: Policy
    rules: tuple
    lexicons: dict
    digest: str
    # Every rule id loaded, including rules the configuration switched off, which a suppression
    # or waiver may still name (empty: the ids of `rules`).
    loaded: frozenset = frozenset()

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise PostcheckError(f"no such rule '{rule_id}'{self.did_you_mean(rule_id)} (see `postcheck rules`)")

    @property
    def ids(self) -> set[str]:
        return {rule.id for rule in self.rules}

    @property
    def known(self) -> frozenset:
        """Every rule id and category a user may name, switched off by the configuration or not."""
        ids = self.loaded or frozenset(self.ids)
        return ids | {rule_id.split(".")[0] for rule_id in ids}

    def did_you_mean(self, name: str) -> str:
        """' (did you mean 'x'?)' when a rule id or category is close to a mistyped name, else ''."""
        close = get_close_matches(name, sorted(self.known), n=1, cutoff=0.75)
        return f" (did you mean '{close[0]}'?)" if close else ""


def _examples(value: object, where: tuple[str, int], profiles: frozenset) -> tuple[tuple, tuple]:
    if not isinstance(value, dict) or set(value) - {"flag", "pass"}:
        raise PostcheckError("examples must be a mapping with 'flag' and 'pass' lists", *where)
    default = "corporate" if "corporate" in profiles else "personal"
    result = []
    for key in ("flag", "pass"):
        items = value.get(key)
        if not isinstance(items, list) or not items:
            raise PostcheckError(f"examples need at least one '{key}' example", *where)
        parsed = []
        for item in items:
            if isinstance(item, str):
                parsed.append(Example(item, default))
            elif (
                isinstance(item, dict)
                and set(item) <= {"text", "profile", "contexts"}
                and isinstance(item.get("text"), str)
            ):
                parsed.append(Example(item["text"], item.get("profile", default), frozenset(item.get("contexts", []))))
            else:
                raise PostcheckError(f"each '{key}' example is a string or {{text, profile, contexts}}", *where)
        result.append(tuple(parsed))
    return result[0], result[1]


def _parse_rule(
    item: object, path: str, policy: Policy, lexicons: set[str], memory: RegexMemory, patterns: NamedPatterns
) -> Rule:
    if not isinstance(item, LineDict):
        raise PostcheckError("each rule must be a mapping", path)
    line = item.line
    unknown = set(item) - set(_REQUIRED) - set(_OPTIONAL)
    if unknown:
        key = sorted(unknown)[0]
        raise PostcheckError(
            f"unknown key '{key}' (allowed: {', '.join(_REQUIRED + _OPTIONAL)})", path, item.line_of(key)
        )
    missing = [k for k in _REQUIRED if k not in item]
    if missing:
        raise PostcheckError(f"rule {item.get('id', '')!s} is missing '{missing[0]}'".replace("  ", " "), path, line)
    rule_id = item["id"]

    def at(key: str) -> tuple[str, int]:
        return path, item.line_of(key)

    shape = _RULE_ID.match(rule_id) if isinstance(rule_id, str) else None
    if not shape:
        raise PostcheckError(f"rule id '{rule_id}' must look like <category>.<slug>, e.g. tone.insult", *at("id"))
    category = shape.group("category")
    if category not in policy.categories:
        raise PostcheckError(f"unknown category '{category}' (known: {', '.join(policy.categories)})", *at("id"))
    if item["severity"] not in SEVERITIES:
        raise PostcheckError(
            f"severity must be one of {', '.join(SEVERITIES)}, not '{item['severity']}'", *at("severity")
        )
    profiles = item.get("profiles", list(PROFILES))
    if not isinstance(profiles, list) or not profiles or set(profiles) - set(PROFILES):
        raise PostcheckError(f"profiles must be a list drawn from {', '.join(PROFILES)}", *at("profiles"))
    cites = item["cites"]
    if not isinstance(cites, list) or not cites:
        raise PostcheckError("cites must be a non-empty list of obligation ids", *at("cites"))
    for cite in cites:
        if cite not in policy.obligations:
            raise PostcheckError(f"cites unknown obligation '{cite}' (see rules/policy.yaml)", *at("cites"))
    unless = item.get("unless", [])
    if not isinstance(unless, list) or set(unless) - set(GUARDS):
        raise PostcheckError(f"unless must be a list drawn from {', '.join(GUARDS)}", *at("unless"))
    when = item.get("when", [])
    if not isinstance(when, list) or set(when) - set(CONTEXTS):
        raise PostcheckError(f"when must be a list drawn from {', '.join(CONTEXTS)}", *at("when"))
    for key in ("message", "suggest"):
        if not isinstance(item[key], str) or not item[key].strip():
            raise PostcheckError(f"'{key}' must be a non-empty sentence", *at(key))
    match = parse_expression(item["match"], path, item.line_of("match"), lexicons, memory, patterns)
    if any(leaf.kind == "model" for leaf in leaves(match)):
        _check_learned(match, category, item, path)
    flags, passes = _examples(item["examples"], at("examples"), frozenset(profiles))
    return Rule(
        id=rule_id,
        category=category,
        severity=item["severity"],
        profiles=frozenset(profiles),
        cites=tuple(cites),
        message=" ".join(item["message"].split()),
        suggest=" ".join(item["suggest"].split()),
        why=" ".join(str(item.get("why", "")).split()),
        match=match,
        unless=frozenset(unless),
        when=frozenset(when),
        flag_examples=flags,
        pass_examples=passes,
        path=path,
        line=line,
    )


def _check_learned(match: Expression, category: str, item: LineDict, path: str) -> None:
    """A learned rule gives a second opinion on its own category, and never an error on its own."""
    if not isinstance(match, Leaf):
        raise PostcheckError(
            "a 'model' match stands alone: write the whole match as {model: CATEGORY}", path, item.line_of("match")
        )
    if match.value != category:
        raise PostcheckError(
            f"a {category} rule can only ask the model about {category}, not '{match.value}'",
            path,
            item.line_of("match"),
        )
    if item["severity"] == "error":
        raise PostcheckError(
            "a model rule's severity must be warning or info: a learned score alone never makes an error",
            path,
            item.line_of("severity"),
        )
    for key in ("unless", "when"):
        if key in item:
            raise PostcheckError(f"a model rule takes no '{key}': it scores the whole post", path, item.line_of(key))


def load_rulebook(extra_dirs: tuple[Path, ...] = (), *, include_bundled: bool = True) -> Rulebook:
    """Load the bundled rulebook plus any extra rule directories, validating everything."""
    dirs = ([bundled_rules_dir()] if include_bundled else []) + [Path(d) for d in extra_dirs]
    policy_path = next((d / "policy.yaml" for d in dirs if (d / "policy.yaml").is_file()), None)
    if policy_path is None:
        raise PostcheckError("no policy.yaml found in the rule directories", str(dirs[0]) if dirs else None)
    lexicon_files: list[Path] = []
    rule_files: list[Path] = []
    for directory in dirs:
        if not directory.is_dir():
            raise PostcheckError("rule directory not found", str(directory))
        lexicon_files += sorted((directory / "lexicons").glob("*.yaml"))
        rule_files += [p for p in sorted(directory.glob("*.yaml")) if p.name != "policy.yaml"]
    files = ParsedFiles([*lexicon_files, *rule_files, policy_path])
    policy = load_policy(policy_path, files.load(policy_path))
    lexicons: dict[str, Lexicon] = {}
    for path in lexicon_files:
        lexicon = load_lexicon(path, files.load(path))
        if lexicon.name in lexicons:
            raise PostcheckError(f"lexicon '{lexicon.name}' is defined twice", str(path), 1)
        lexicons[lexicon.name] = lexicon
    patterns = NamedPatterns()
    for path in rule_files:
        data = files.load(path)
        if not isinstance(data, LineDict) or not data or set(data) - {"patterns", "rules"}:
            raise PostcheckError(
                "a rule file must be a mapping with 'rules' (a list) and, optionally, 'patterns'", str(path), 1
            )
        if "patterns" in data:
            patterns.add(data["patterns"], str(path), data.line_of("patterns"))
    patterns.check()
    rules: dict[str, Rule] = {}
    memory = RegexMemory()
    for path in rule_files:
        data = files.load(path)
        if not isinstance(data.get("rules", []), list):
            raise PostcheckError("'rules' must be a list of rules", str(path), data.line_of("rules"))
        for item in data.get("rules", []):
            rule = _parse_rule(item, str(path), policy, set(lexicons), memory, patterns)
            if rule.id in rules:
                first = rules[rule.id]
                raise PostcheckError(
                    f"duplicate rule id '{rule.id}' (first defined at {first.path}:{first.line})", str(path), rule.line
                )
            rules[rule.id] = rule
    patterns.check_used()
    memory.save()
    files.save()
    digest = hashlib.sha256(b"".join(files.bytes.values())).hexdigest()[:16]
    return Rulebook(policy, tuple(sorted(rules.values(), key=lambda r: r.id)), lexicons, digest)
