"""Configuration: `.postcheck.yaml` or `[tool.postcheck]` in `pyproject.toml`, found in the nearest parent directory.

Settings and their precedence, highest first: command-line options, the
project's configuration file, the user's own (`~/.config/postcheck/config.yaml`,
where an officer says once which account they post from), built-in defaults.
`postcheck config` shows each effective value and where it came from. Unknown
keys and bad values are errors that name the file and line.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from ..core.errors import PostcheckError
from ..core.findings import SEVERITIES
from ..core.post import BOTH, PROFILES
from ..core.yamlfile import LineDict, load_yaml
from ..inputs.records import DEFAULT_EXCLUDE, DEFAULT_INCLUDE, DEFAULT_MAX_CHARS
from ..rulebook.lexicon import MAX_LEXICON_TERMS, Lexicon, too_many_terms
from ..rulebook.loader import Rulebook

CONFIG_FILES = (".postcheck.yaml", ".postcheck.yml", "pyproject.toml")


def user_config_path() -> Path:
    """The user's own configuration file (it need not exist)."""
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "postcheck" / "config.yaml"


def _profile(value):
    return value if value in PROFILES else None


def _default_profile(value):
    return value if value in (*PROFILES, BOTH) else None


def _severity(value):
    return value if value in SEVERITIES else None


def _positive_int(value):
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _strings(value):
    return list(value) if isinstance(value, list) and all(isinstance(v, str) for v in value) else None


def _mapping_of(check):
    def validate(value):
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and check(v) is not None for k, v in value.items()
        ):
            return None
        return {k: check(v) for k, v in value.items()}

    return validate


# key: (validator returning the clean value or None, what a valid value looks like, default)
SCHEMA = {
    # Unless a post, its account or a setting says which account it is for, it is checked for both.
    "profile": (_default_profile, "corporate, personal or both", BOTH),
    "fail_on": (_severity, "error, warning or info", "error"),
    "accounts": (_mapping_of(_profile), 'a mapping of account to profile, e.g. {"@ClevelandPolice": corporate}', {}),
    "select": (_strings, "a list of rule ids or categories (only these are checked)", []),
    "disable": (_strings, "a list of rule ids or categories", []),
    "severity": (_mapping_of(_severity), "a mapping of rule id to error, warning or info", {}),
    "rules_dirs": (_strings, "a list of directories", []),
    "lexicons": (_mapping_of(_strings), "a mapping of lexicon name to extra terms", {}),
    "max_chars": (_positive_int, "a whole number above 0", DEFAULT_MAX_CHARS),
    "include": (_strings, "a list of file globs", list(DEFAULT_INCLUDE)),
    "exclude": (_strings, "a list of file or directory globs", list(DEFAULT_EXCLUDE)),
    "waivers": (lambda v: v if isinstance(v, str) else None, "the path of a waivers file", None),
    "proceedings": (lambda v: v if isinstance(v, str) else None, "the path of a proceedings (live cases) file", None),
    "elections": (
        lambda v: v if isinstance(v, list) else None,
        "a list of {name, purdah_start, polling_day, area}",
        [],
    ),
    "model": (lambda v: v if isinstance(v, bool) else None, "true or false (the learned second opinion)", True),
    "bios": (_mapping_of(lambda v: v if isinstance(v, str) else None), "a mapping of account to its bio text", {}),
}


@dataclass
class Config:
    values: dict = field(default_factory=lambda: {key: default for key, (_, _, default) in SCHEMA.items()})
    origins: dict = field(default_factory=lambda: dict.fromkeys(SCHEMA, "default"))
    path: Path | None = None  # the project's file
    user_path: Path | None = None  # the user's own file, when there is one
    lines: dict = field(default_factory=dict)
    files: dict = field(default_factory=dict)  # key -> the file that gave its value
    options: dict = field(default_factory=dict)  # key -> {name: the command-line option that gave it}
    _cases: list | None = None

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def where(self, key: str) -> str:
        return self.origins[key]

    def override(self, key: str, value: Any) -> None:
        """A command-line option wins over the file."""
        if value is not None and value != [] and value != ():
            self.values[key] = value
            self.origins[key] = "command line"

    def named_by(self, key: str, option: str, names: list[str]) -> None:
        """Remember that `option` (as the user typed it, `--ignore`) gave these names of `key`'s list, so
        that an unknown one is reported against the option rather than against a file."""
        self.options.setdefault(key, {}).update(dict.fromkeys(names, option))

    def error(self, key: str, message: str) -> PostcheckError:
        return PostcheckError(message, self.files.get(key), self.lines.get(key))

    def cases(self) -> list:
        """The live-proceedings watchlist named by `proceedings`, read once."""
        if self._cases is None:
            from .context import load_proceedings

            self._cases = load_proceedings(Path(self["proceedings"])) if self["proceedings"] else []
        return self._cases

    def elections(self) -> list:
        from .context import parse_elections

        return parse_elections(self["elections"], self.files.get("elections"), self.lines.get("elections"))


def discover(start: Path) -> Path | None:
    """The nearest configuration file at or above `start`."""
    start = start.resolve()
    for directory in (start, *start.parents):
        for name in CONFIG_FILES:
            candidate = directory / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_tool_section(candidate)):
                return candidate
    return None


def _has_tool_section(path: Path) -> bool:
    try:
        return re.search(r"^\[tool\.postcheck\]", path.read_text(encoding="utf-8"), re.MULTILINE) is not None
    except (OSError, UnicodeDecodeError):
        return False


def _read(path: Path) -> tuple[dict, dict]:
    """The settings mapping and the line of each key."""
    if path.name != "pyproject.toml":
        data = load_yaml(path) or LineDict()
        if not isinstance(data, LineDict):
            raise PostcheckError("configuration must be a YAML mapping", str(path), 1)
        return dict(data), {key: data.line_of(key) for key in data}
    if sys.version_info >= (3, 11):  # imported only for a pyproject.toml: it was a hundredth of start-up
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text).get("tool", {}).get("postcheck", {})
    except tomllib.TOMLDecodeError as exc:
        raise PostcheckError(f"invalid TOML: {exc}", str(path)) from None
    section = re.search(r"^\[tool\.postcheck\]", text, re.MULTILINE)
    offset = text.count("\n", 0, section.start()) + 1 if section else 1
    lines = {}
    for key in data:
        found = re.search(rf"^\s*{re.escape(key)}\s*=", text[section.start() if section else 0 :], re.MULTILINE)
        lines[key] = (
            offset + text[section.start() if section else 0 :][: found.start()].count("\n") if found else offset
        )
    return data, lines


def load_config(path: Path | None = None, start: Path | None = None) -> Config:
    """The configuration from `path`, or from the nearest file above `start` (default: the working
    directory), over the user's own configuration file when there is one."""
    config = Config()
    user = user_config_path()
    if user.is_file():
        _apply(config, user)
        config.user_path = user
    path = path or discover(start or Path.cwd())
    if path is None:
        return config
    if not path.is_file():
        raise PostcheckError("configuration file not found", str(path))
    _apply(config, path)
    config.path = path
    return config


def _apply(config: Config, path: Path) -> None:
    """Set every value the file at `path` gives, remembering the file and line it came from."""
    data, lines = _read(path)
    for key, raw in data.items():
        normal = key.replace("-", "_")
        if normal not in SCHEMA:
            close = get_close_matches(normal, list(SCHEMA), n=1, cutoff=0.75)
            hint = f" (did you mean '{close[0]}'?)" if close else f" (known: {', '.join(SCHEMA)})"
            raise PostcheckError(f"unknown configuration key '{key}'{hint}", str(path), lines.get(key))
        validate, expected, _ = SCHEMA[normal]
        value = validate(raw)
        if value is None:
            raise PostcheckError(f"'{key}' must be {expected}", str(path), lines.get(key))
        if normal == "rules_dirs":
            value = [str((path.parent / d).resolve()) for d in value]
        if normal in ("waivers", "proceedings"):
            value = str((path.parent / value).resolve())
        config.values[normal] = value
        config.origins[normal] = f"{path}:{lines.get(key, 1)}"
        config.lines[normal] = lines.get(key)
        config.files[normal] = str(path)


def _unknown(config: Config, key: str, verb: str, name: str, rulebook: Rulebook) -> PostcheckError:
    """The error for a rule id nobody knows, naming the option that gave it (`--ignore`) or its file and line."""
    hint = rulebook.did_you_mean(name)
    option = config.options.get(key, {}).get(name)
    if option is not None:
        return PostcheckError(f"{option}: cannot {option[2:]} unknown rule '{name}'{hint} (see `postcheck rules`)")
    return config.error(key, f"cannot {verb} unknown rule '{name}'{hint} (see `postcheck rules`)")


def configure(rulebook: Rulebook, config: Config) -> Rulebook:
    """The rulebook as configured: only the selected rules, less those disabled, re-levelled, lexicons extended."""
    ids = rulebook.ids
    for key, verb in (("select", "select"), ("disable", "disable")):
        for name in config[key]:
            if name not in rulebook.known:
                raise _unknown(config, key, verb, name, rulebook)
    learned = {rule.id for rule in rulebook.rules if rule.learned}
    for name, level in config["severity"].items():
        if name not in ids:
            raise _unknown(config, "severity", "re-level", name, rulebook)
        if name in learned and level == "error":
            raise config.error("severity", f"cannot make '{name}' an error: a learned opinion is a warning at most")
    for name in config["lexicons"]:
        if name not in rulebook.lexicons:
            raise config.error(
                "lexicons", f"cannot extend unknown lexicon '{name}' (known: {', '.join(sorted(rulebook.lexicons))})"
            )
    selected, disabled = set(config["select"]), set(config["disable"]) | (set() if config["model"] else learned)
    rules = tuple(
        dataclasses.replace(rule, severity=config["severity"].get(rule.id, rule.severity))
        for rule in rulebook.rules
        if (not selected or rule.id in selected or rule.category in selected)
        and rule.id not in disabled
        and rule.category not in disabled
    )
    lexicons = dict(rulebook.lexicons)
    extra = {name: list(terms) for name, terms in config["lexicons"].items()}
    watchlist = [name for case in config.cases() if case.active for name in case.names]
    if watchlist and "watchlist" in lexicons:
        extra.setdefault("watchlist", []).extend(watchlist)
    for name, terms in extra.items():
        lexicon: Lexicon = lexicons[name]
        lexicons[name] = dataclasses.replace(lexicon, terms=lexicon.terms + tuple(terms))
        if len(lexicons[name].terms) > MAX_LEXICON_TERMS:
            key = "lexicons" if name in config["lexicons"] else "proceedings"
            raise config.error(key, f"lexicon '{name}' would have {too_many_terms(len(lexicons[name].terms))}")
    changes = {key: config[key] for key in ("select", "disable", "severity", "lexicons")} | {"watchlist": watchlist}
    if not config["model"]:
        changes["model"] = False
    digest = hashlib.sha256((rulebook.digest + json.dumps(changes, sort_keys=True)).encode()).hexdigest()[:16]
    loaded = rulebook.loaded or frozenset(ids)
    return dataclasses.replace(rulebook, rules=rules, lexicons=lexicons, digest=digest, loaded=loaded)
