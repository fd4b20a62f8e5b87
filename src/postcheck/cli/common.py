"""What the commands share: the option types, settings, errors and output."""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from rich.console import Console, RenderableType

from ..core.errors import PostcheckError
from ..reporters.underline import visible

if TYPE_CHECKING:  # imported when a command needs them, to keep `--help` quick
    from ..governance.config import Config
    from ..rulebook.loader import Rulebook


class Profile(str, Enum):
    corporate = "corporate"
    personal = "personal"
    both = "both"


class Format(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    sarif = "sarif"
    github = "github"
    csv = "csv"


class StdinFormat(str, Enum):
    txt = "txt"
    md = "md"
    jsonl = "jsonl"
    json = "json"
    yaml = "yaml"
    csv = "csv"


class TableFormat(str, Enum):
    text = "text"
    json = "json"


class Severity(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


RulesDir = typer.Option(
    [], "--rules-dir", metavar="DIR", help="Extra directory of rule files and lexicons (repeatable)."
)
ConfigFile = typer.Option(
    None, "--config", metavar="FILE", help="Configuration file (default: nearest .postcheck.yaml or pyproject.toml)."
)


def say(message: str) -> None:
    """One line on stderr. Messages quote paths, ids and values from the input, so control characters are
    shown escaped and line breaks folded: nothing in a record can start a CI workflow command (`::error`,
    which GitHub Actions reads from stderr too) or reach the terminal as an escape sequence."""
    typer.echo(f"postcheck: {visible(message)}", err=True)


def fail(message: str) -> NoReturn:
    say(f"error: {message}")
    raise typer.Exit(2)


def settings(
    config_path: Path | None, rules_dir: list[Path], adjust: Callable[[Config], None] | None = None
) -> tuple[Config, Rulebook]:
    """The configuration, with --rules-dir added and `adjust`'s command-line options applied, and
    the configured rulebook."""
    from ..governance.config import configure, load_config
    from ..rulebook.loader import load_rulebook

    config = load_config(config_path)
    if rules_dir:
        config.override("rules_dirs", config["rules_dirs"] + [str(d) for d in rules_dir])
    if adjust is not None:
        adjust(config)
    rulebook = configure(load_rulebook(tuple(Path(d) for d in config["rules_dirs"])), config)
    return config, rulebook


def rulebook_or_fail(rules_dir: list[Path], config_path: Path | None) -> Rulebook:
    try:
        return settings(config_path, rules_dir)[1]
    except PostcheckError as exc:
        fail(str(exc))


def show(output_format: TableFormat, data: Any, table: Callable[[], RenderableType]) -> None:
    """Print `data` as JSON, or the rich renderable that `table()` builds."""
    if output_format is TableFormat.json:
        typer.echo(json.dumps(data, indent=2))
    else:
        console().print(table())


def console() -> Console:
    from ..reporters.text import make_console

    return make_console(None)
