"""The `postcheck` command line.

`postcheck FILE...` checks posts (the default command, also `postcheck check`);
`postcheck rules`, `postcheck explain RULE_ID` and `postcheck coverage` describe
the rulebook; `postcheck config` shows the effective configuration. Exit status: 0 clean, 1 findings at or above --fail-on, 2 when
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
from .sources import Post


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
    jsonl = "jsonl"
    sarif = "sarif"
    github = "github"


class TableFormat(str, Enum):
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
        try:
            rulebook = _settings(None, [])[1]
        except PostcheckError as exc:
            typer.echo(f"postcheck {__version__}")
            _fail(str(exc))
        policy = rulebook.policy
        typer.echo(f"postcheck {__version__}; {policy.title} {policy.number} v{policy.version} ({policy.date}); rulebook {rulebook.digest}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """Check draft social-media posts against the force social-media policy (Policy 386)."""


RulesDir = typer.Option([], "--rules-dir", help="Extra directory of rule files and lexicons (repeatable).")
ConfigFile = typer.Option(None, "--config", help="Configuration file (default: nearest .postcheck.yaml or pyproject.toml).")


def _settings(config_path: Path | None, rules_dir: list[Path]):
    """The configuration, with --rules-dir added, and the configured rulebook."""
    from .config import configure, load_config
    from .rulebook import load_rulebook

    config = load_config(config_path)
    if rules_dir:
        config.override("rules_dirs", config["rules_dirs"] + [str(d) for d in rules_dir])
    rulebook = configure(load_rulebook(tuple(Path(d) for d in config["rules_dirs"])), config)
    return config, rulebook


@app.command("check")
def check(
    paths: list[str] = typer.Argument(..., help="Post files, queues (.txt .md .jsonl .json .yaml .csv) or directories; '-' reads stdin."),
    profile: Profile = typer.Option(None, "--profile", "-p", help="Account type when a post does not say [default: corporate]."),
    output_format: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
    fail_on: Severity = typer.Option(None, "--fail-on", help="Lowest severity that makes the exit status 1 [default: error]."),
    summary: bool = typer.Option(False, "--summary", help="Also print the number of findings per category (text format)."),
    keep_going: bool = typer.Option(False, "--keep-going", help="Posts that cannot be read do not make the exit status 2."),
    stdin_format: str = typer.Option("txt", "--stdin-format", help="Format of stdin: txt, md, jsonl, json, yaml or csv."),
    max_chars: int = typer.Option(None, "--max-chars", help="Longest post accepted, in characters [default: 100000]."),
    include: list[str] = typer.Option([], "--include", help="File glob to check inside directories (repeatable)."),
    exclude: list[str] = typer.Option([], "--exclude", help="File or directory glob to skip inside directories (repeatable)."),
    rules_dir: list[Path] = RulesDir,
    config_path: Path = ConfigFile,
    model: str = typer.Option(None, "--model", help="Use an installed trained spaCy pipeline instead of blank English."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Worker processes for large queues."),
    waivers_path: Path = typer.Option(None, "--waivers", help="Waivers file (rule, post or fingerprint, reason, approved_by, expires)."),
    baseline_path: Path = typer.Option(None, "--baseline", help="Report only findings that are not in this baseline."),
    write_baseline_path: Path = typer.Option(None, "--write-baseline", help="Record today's findings as the baseline."),
    audit_dir: Path = typer.Option(None, "--audit", help="Write an append-only audit record of this run into DIR."),
    on_date: str = typer.Option(None, "--date", help="Date to judge waiver expiry by, YYYY-MM-DD [default: today]."),
    trace: bool = typer.Option(False, "--trace", help="Show, per finding and near-miss, which rule parts fired (text format)."),
    redact: bool = typer.Option(False, "--redact", help="Mask the personal data that personal-data findings quote."),
    bio: str = typer.Option(None, "--bio", help="The account's bio, checked with each post (e.g. 'PC at Cleveland Police | views my own')."),
) -> None:
    """Check posts and report every clause that breaches the policy."""
    from .linter import Linter
    from .report import Tally
    from .reporters import REPORTERS
    from .sources import ReadOptions, read_sources

    from .governance import RunRecorder

    try:
        config, rulebook = _settings(config_path, rules_dir)
        for key, value in (("profile", profile and profile.value), ("fail_on", fail_on and fail_on.value),
                           ("max_chars", max_chars), ("include", include), ("exclude", exclude),
                           ("waivers", waivers_path and str(waivers_path))):
            config.override(key, value)
        recorder = RunRecorder.create(rulebook, config, on_date, baseline_path, audit_dir, redact, bio, write_baseline_path is not None)
        linter = Linter(rulebook, model=model)
    except PostcheckError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"cannot load the spaCy pipeline '{model}': {exc}")
    options = ReadOptions(
        profile=config["profile"], max_chars=config["max_chars"], stdin_format=stdin_format,
        accounts=config["accounts"], include=tuple(config["include"]), exclude=tuple(config["exclude"]),
    )
    reporter = REPORTERS[output_format.value](sys.stdout)
    if output_format is Format.text:
        reporter.summary = summary
    tally = Tally()
    reporter.start(linter.rulebook)
    posts = (recorder.context.annotate(post) for post in read_sources(paths, options))
    if jobs > 1:
        from .parallel import check_in_parallel

        results = check_in_parallel(linter.rulebook, model, posts, jobs)
    else:
        results = linter.check_posts(posts)
    for post, findings in results:
        findings = recorder.decide(post, findings, tally)
        _diagnose(post)
        tally.add(post, findings)
        reporter.post(post, findings)
        if trace and output_format is Format.text and post.error is None:
            from .trace import print_trace

            print_trace(linter, post, reporter.console)
    tally.waivers = recorder.waiver_statuses()
    for row in tally.waivers:
        if row["status"] != "applied":
            why = "expired on " + row["expires"] if row["status"] == "expired" else "matches no finding (stale)"
            typer.echo(f"postcheck: {row['source']}: warning: waiver for '{row['rule']}' {why}", err=True)
    reporter.end(tally)
    try:
        if write_baseline_path:
            count = recorder.write_baseline(write_baseline_path)
            typer.echo(f"postcheck: wrote {count} fingerprints to {write_baseline_path}", err=True)
        if audit_dir:
            typer.echo(f"postcheck: audit record {recorder.write_audit(tally)}", err=True)
    except (PostcheckError, OSError) as exc:
        _fail(str(exc))
    raise typer.Exit(tally.exit_status(config["fail_on"], keep_going))


def _diagnose(post) -> None:
    """One line on stderr for a post that could not be checked and for each problem around it."""
    if post.error is not None:
        where = f"{post.source}:{post.line}" if post.line else post.source
        typer.echo(f"postcheck: {where}: {post.error}", err=True)
    for problem in post.problems:
        where = f"{post.source}:{problem.line}" if problem.line else post.source
        typer.echo(f"postcheck: {where}: {problem.level}: {problem.message}", err=True)


audit_app = typer.Typer(help="Audit records written with --audit.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def audit_verify(directory: Path = typer.Argument(..., help="The directory given to --audit.")) -> None:
    """Recompute every audit record's hash; exit 1 if any record was altered or removed."""
    from .audit import verify

    try:
        problems = verify(directory)
    except PostcheckError as exc:
        _fail(str(exc))
    for problem in problems:
        typer.echo(f"postcheck: {problem}", err=True)
    count = len(list(directory.glob("*.json")))
    typer.echo(f"{count} audit record{'s' * (count != 1)} checked, {len(problems)} problem{'s' * (len(problems) != 1)}")
    raise typer.Exit(1 if problems else 0)


@app.command("config")
def show_config(
    output_format: TableFormat = typer.Option(TableFormat.text, "--format", "-f"),
    config_path: Path = ConfigFile,
) -> None:
    """Show the effective configuration and where each value came from."""
    from .config import load_config

    try:
        config = load_config(config_path)
    except PostcheckError as exc:
        _fail(str(exc))
    from .describe import config_table

    rows = [{"key": key, "value": config[key], "source": config.where(key)} for key in config.values]
    _show(output_format, {"file": str(config.path) if config.path else None, "settings": rows}, lambda: config_table(config.path, rows))


@app.command("rules")
def rules(
    output_format: TableFormat = typer.Option(TableFormat.text, "--format", "-f"),
    rules_dir: list[Path] = RulesDir,
    config_path: Path = ConfigFile,
) -> None:
    """List every rule: id, severity, profiles and the obligations it cites."""
    from .describe import rules_table

    rulebook = _rulebook(rules_dir, config_path)
    rows = [{"id": r.id, "category": r.category, "severity": r.severity, "profiles": sorted(r.profiles),
             "cites": list(r.cites), "message": r.message} for r in rulebook.rules]
    _show(output_format, rows, lambda: rules_table(rulebook))


@app.command("explain")
def explain(
    rule_id: str = typer.Argument(None, help="A rule id, e.g. endorsement.promotes-business."),
    text: str = typer.Option(None, "--text", help="Instead, trace how every rule decided on this post text."),
    profile: Profile = typer.Option(Profile.corporate, "--profile", "-p"),
    rules_dir: list[Path] = RulesDir,
    config_path: Path = ConfigFile,
) -> None:
    """Explain one rule (what it flags, why, the policy text, examples), or trace a post with --text."""
    from .describe import rule_explanation

    rulebook = _rulebook(rules_dir, config_path)
    if text is not None:
        from .linter import Linter
        from .trace import print_trace

        print_trace(Linter(rulebook), Post("<text>", "<text>", text, profile.value), _console())
        return
    if rule_id is None:
        _fail("name a rule id, or give --text to trace a post")
    try:
        rule = rulebook.rule(rule_id)
    except PostcheckError as exc:
        _fail(str(exc))
    _console().print(rule_explanation(rule, rulebook))


@app.command("coverage")
def coverage(
    output_format: TableFormat = typer.Option(TableFormat.text, "--format", "-f"),
    rules_dir: list[Path] = RulesDir,
    config_path: Path = ConfigFile,
) -> None:
    """Show which policy obligations have rules; exit 1 if a checkable one has none."""
    from .describe import coverage_rows, coverage_table

    rulebook = _rulebook(rules_dir, config_path)
    rows = coverage_rows(rulebook)
    _show(output_format, rows, lambda: coverage_table(rows))
    raise typer.Exit(1 if any(row["status"] == "uncovered" for row in rows) else 0)


def _rulebook(rules_dir: list[Path], config_path: Path | None):
    try:
        return _settings(config_path, rules_dir)[1]
    except PostcheckError as exc:
        _fail(str(exc))


def _show(output_format: TableFormat, data, table) -> None:
    """Print `data` as JSON, or the rich renderable that `table()` builds."""
    if output_format is TableFormat.json:
        typer.echo(json.dumps(data, indent=2))
    else:
        _console().print(table())


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
