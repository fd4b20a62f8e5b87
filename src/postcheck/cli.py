"""The `postcheck` command line.

`postcheck FILE...` checks posts (the default command, also `postcheck check`);
`postcheck rules`, `postcheck explain RULE_ID` and `postcheck coverage` describe
the rulebook. Exit status: 0 clean, 1 findings at or above --fail-on, 2 when
something could not be checked (usage, input or rulebook errors).
"""
from __future__ import annotations

import json
import os
import sys
from enum import Enum
from pathlib import Path

import click
import typer
from typer.core import TyperGroup

from . import __version__
from .errors import PostcheckError
from .sources import DEFAULT_MAX_CHARS, Post, read_source


class _DefaultCheck(TyperGroup):
    """Route `postcheck draft.txt` and `postcheck --format json q.jsonl` to the check command."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["check", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_DefaultCheck, add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None,
    help="Check draft social-media posts against the force social-media policy (Policy 386).",
    no_args_is_help=True,
)


class Profile(str, Enum):
    corporate = "corporate"
    personal = "personal"


class Format(str, Enum):
    text = "text"
    json = "json"


class Severity(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


def _fail(message: str) -> None:
    typer.echo(f"postcheck: error: {message}", err=True)
    raise typer.Exit(2)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"postcheck {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """Check draft social-media posts against the force social-media policy (Policy 386)."""


RulesDir = typer.Option([], "--rules-dir", help="Extra directory of rule files and lexicons (repeatable).")


def _linter(rules_dir: list[Path], model: str | None = None):
    from .linter import Linter
    from .pipeline import build_pipeline
    from .rulebook import load_rulebook

    return Linter(load_rulebook(tuple(rules_dir)), build_pipeline(model))


def _read_all(paths: list[str], profile: str, max_chars: int, stdin_format: str):
    """Every post of every path, in order; a file that cannot be read becomes one post with an error."""
    for path in paths:
        try:
            yield from read_source(path, profile, max_chars, stdin_format)
        except PostcheckError as exc:
            yield Post(source=exc.path or path, id=exc.path or path, profile=profile, line=exc.line, error=exc.message)


@app.command("check")
def check(
    paths: list[str] = typer.Argument(..., help="Post files or queues (.txt .md .jsonl .json .yaml .csv); '-' reads stdin."),
    profile: Profile = typer.Option(Profile.corporate, "--profile", "-p", help="Account type, unless a record says otherwise."),
    output_format: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
    fail_on: Severity = typer.Option(Severity.error, "--fail-on", help="Lowest severity that makes the exit status 1."),
    keep_going: bool = typer.Option(False, "--keep-going", help="Posts that cannot be read do not make the exit status 2."),
    stdin_format: str = typer.Option("txt", "--stdin-format", help="Format of stdin: txt, md, jsonl, json, yaml or csv."),
    max_chars: int = typer.Option(DEFAULT_MAX_CHARS, "--max-chars", help="Longest post accepted, in characters."),
    rules_dir: list[Path] = RulesDir,
    model: str = typer.Option(None, "--model", help="Use an installed trained spaCy pipeline instead of blank English."),
) -> None:
    """Check posts and report every clause that breaches the policy."""
    from .reporters import REPORTERS
    from .report import Tally

    try:
        linter = _linter(rules_dir, model)
    except PostcheckError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"cannot load the spaCy pipeline '{model}': {exc}")
    reporter = REPORTERS[output_format.value](sys.stdout)
    tally = Tally()
    reporter.start(linter.rulebook)
    for post, findings in linter.check_posts(_read_all(paths, profile.value, max_chars, stdin_format)):
        if post.error is not None:
            where = f"{post.source}:{post.line}" if post.line else post.source
            typer.echo(f"postcheck: {where}: {post.error}", err=True)
        tally.add(post, findings)
        reporter.post(post, findings)
    reporter.end(tally)
    raise typer.Exit(tally.exit_status(fail_on.value, keep_going))


@app.command("rules")
def rules(
    output_format: Format = typer.Option(Format.text, "--format", "-f"),
    rules_dir: list[Path] = RulesDir,
) -> None:
    """List every rule: id, severity, profiles and the obligations it cites."""
    from .describe import rules_table

    rulebook = _rulebook(rules_dir)
    if output_format is Format.json:
        typer.echo(json.dumps([{"id": r.id, "category": r.category, "severity": r.severity, "profiles": sorted(r.profiles),
                                "cites": list(r.cites), "message": r.message} for r in rulebook.rules], indent=2))
    else:
        _console().print(rules_table(rulebook))


@app.command("explain")
def explain(rule_id: str = typer.Argument(..., help="A rule id, e.g. endorsement.recommends-business."), rules_dir: list[Path] = RulesDir) -> None:
    """Explain one rule: what it flags, why, the policy text and its examples."""
    from .describe import rule_explanation

    rulebook = _rulebook(rules_dir)
    try:
        rule = rulebook.rule(rule_id)
    except PostcheckError as exc:
        _fail(str(exc))
    _console().print(rule_explanation(rule, rulebook))


@app.command("coverage")
def coverage(
    output_format: Format = typer.Option(Format.text, "--format", "-f"),
    rules_dir: list[Path] = RulesDir,
) -> None:
    """Show which policy obligations have rules; exit 1 if a checkable one has none."""
    from .describe import coverage_rows, coverage_table

    rulebook = _rulebook(rules_dir)
    rows = coverage_rows(rulebook)
    if output_format is Format.json:
        typer.echo(json.dumps(rows, indent=2))
    else:
        _console().print(coverage_table(rows))
    raise typer.Exit(1 if any(row["status"] == "uncovered" for row in rows) else 0)


def _rulebook(rules_dir: list[Path]):
    from .rulebook import load_rulebook

    try:
        return load_rulebook(tuple(rules_dir))
    except PostcheckError as exc:
        _fail(str(exc))


def _console():
    from rich.console import Console

    return Console(highlight=False, emoji=False, soft_wrap=True, no_color="NO_COLOR" in os.environ or None)


def main() -> None:
    """Console entry point: user errors are one line and exit 2; bugs say they are bugs."""
    try:
        app(prog_name="postcheck")
    except KeyboardInterrupt:
        typer.echo("postcheck: interrupted", err=True)
        sys.exit(2)
    except Exception as exc:  # a bug in postcheck, not in the user's input
        if os.environ.get("POSTCHECK_DEBUG"):
            raise
        typer.echo(f"postcheck: internal error ({type(exc).__name__}: {exc}); this is a bug, please report it", err=True)
        sys.exit(2)
