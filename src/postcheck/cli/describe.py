"""`postcheck rules`, `explain`, `coverage` and `config`: the rulebook and settings described to people.

Everything here is generated from the YAML, so the documentation a user reads
cannot drift from the rules that run.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.console import Group
from rich.table import Table
from rich.text import Text

from ..core.errors import PostcheckError
from ..core.post import Post
from ..rulebook.catalogue import coverage_rows, rule_summary
from ..rulebook.loader import Rule, Rulebook
from .common import (
    ConfigFile,
    Profile,
    RulesDir,
    Severity,
    TableFormat,
    console,
    fail,
    rulebook_or_fail,
    settings,
    show,
)
from .options import Exclude, FailOn, Ignore, Include, MaxChars, ProfileOption, Select, Waivers, apply_options


def rules_table(rulebook: Rulebook) -> Table:
    table = Table(title=f"{len(rulebook.rules)} rules · {rulebook.policy.name}", title_justify="left")
    table.add_column("rule", no_wrap=True)
    for column in ("severity", "profiles", "cites", "message"):
        table.add_column(column, overflow="fold")
    for rule in rulebook.rules:
        table.add_row(rule.id, rule.severity, ", ".join(sorted(rule.profiles)), ", ".join(rule.cites), rule.message)
    return table


def rule_explanation(rule: Rule, rulebook: Rulebook) -> Group:
    lines = [
        Text(rule.id, style="bold"),
        Text(f"{rule.severity} · {rule.category} · profiles: {', '.join(sorted(rule.profiles))}"),
        Text(""),
        Text(rule.message),
    ]
    if rule.why:
        lines += [Text(""), Text("Why: ", style="bold") + Text(rule.why)]
    lines += [Text(""), Text("Suggest: ", style="bold") + Text(rule.suggest), Text(""), Text("Policy:", style="bold")]
    for cite in rule.cites:
        obligation = rulebook.policy.obligations[cite]
        lines.append(Text(f'  {obligation.section} {obligation.title} ({cite}): "{obligation.quote}"'))
    for label, examples in (("Flags:", rule.flag_examples), ("Passes:", rule.pass_examples)):
        lines += [Text(""), Text(label, style="bold")]
        lines += [Text(f"  [{example.profile}] {example.text}") for example in examples]
    return Group(*lines)


def coverage_table(rows: list[dict]) -> Table:
    covered = sum(row["status"] == "covered" for row in rows)
    table = Table(title=f"policy coverage: {covered} of {len(rows)} obligations have rules", title_justify="left")
    table.add_column("obligation", no_wrap=True)
    for column in ("title", "status", "rules / reason"):
        table.add_column(column, overflow="fold")
    styles = {"covered": "green", "not checkable": "yellow", "uncovered": "bold red"}
    for row in rows:
        detail = ", ".join(row["rules"]) if row["rules"] else row["reason"]
        table.add_row(row["obligation"], row["title"], Text(row["status"], style=styles[row["status"]]), detail)
    return table


def config_table(path: Path | None, user_path: Path | None, rows: list[dict]) -> Table:
    files = [str(path)] if path else []
    if user_path:
        files.append(f"your own {user_path}")
    title = " over ".join(files) or "none found, built-in defaults"
    table = Table(title=f"configuration: {title}", title_justify="left")
    for column in ("setting", "value", "from"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(row["key"], json.dumps(row["value"]), row["source"])
    return table


def show_config(
    output_format: TableFormat = typer.Option(TableFormat.text, "--format", "-f"),
    config_path: Path = ConfigFile,
    rules_dir: list[Path] = RulesDir,
    profile: Profile = ProfileOption,
    fail_on: Severity = FailOn,
    select: list[str] = Select,
    ignore: list[str] = Ignore,
    max_chars: int = MaxChars,
    include: list[str] = Include,
    exclude: list[str] = Exclude,
    waivers: Path = Waivers,
) -> None:
    """Show the effective configuration and where each value came from (a file and line, the
    command line, or the default); give a check's options to see what that check would use."""
    try:
        config = settings(
            config_path,
            rules_dir,
            lambda config: apply_options(
                config, profile, fail_on, select, ignore, max_chars, include, exclude, waivers
            ),
        )[0]
    except PostcheckError as exc:
        fail(str(exc))
    rows = [{"key": key, "value": config[key], "source": config.where(key)} for key in config.values]
    show(
        output_format,
        {
            "file": str(config.path) if config.path else None,
            "user_file": str(config.user_path) if config.user_path else None,
            "settings": rows,
        },
        lambda: config_table(config.path, config.user_path, rows),
    )


def rules(
    output_format: TableFormat = typer.Option(TableFormat.text, "--format", "-f"),
    rules_dir: list[Path] = RulesDir,
    config_path: Path = ConfigFile,
) -> None:
    """List every rule: id, severity, profiles and the obligations it cites (one line per rule
    when piped, for grep)."""
    rulebook = rulebook_or_fail(rules_dir, config_path)
    if output_format is TableFormat.text and not sys.stdout.isatty():
        for rule in rulebook.rules:
            profiles = ",".join(sorted(rule.profiles))
            typer.echo(f"{rule.id}\t{rule.severity}\t{profiles}\t{','.join(rule.cites)}\t{rule.message}")
        return
    rows = [rule_summary(r) for r in rulebook.rules]
    show(output_format, rows, lambda: rules_table(rulebook))


def explain(
    rule_id: str = typer.Argument(None, help="A rule id, e.g. endorsement.promotes-business."),
    text: str = typer.Option(None, "--text", "-t", help="Instead, trace how every rule decided on this post text."),
    trace: bool = typer.Option(False, "--trace", help="Trace the --text post (what --text always does)."),
    profile: Profile = typer.Option(
        Profile.both, "--profile", "-p", help="Account type to trace the post for [default: both]."
    ),
    rules_dir: list[Path] = RulesDir,
    config_path: Path = ConfigFile,
) -> None:
    """Explain one rule (what it flags, why, the policy text, examples), or trace a post with --text."""
    if trace and text is None:
        fail('--trace traces a post: give its text with --text "..." (or use `postcheck --trace FILE`)')
    rulebook = rulebook_or_fail(rules_dir, config_path)
    if text is not None:
        from ..engine.linter import Linter
        from ..engine.trace import print_trace

        print_trace(Linter(rulebook), Post("<text>", "<text>", text, profile.value), console())
        return
    if rule_id is None:
        fail("name a rule id, or give --text to trace a post")
    try:
        rule = rulebook.rule(rule_id)
    except PostcheckError as exc:
        fail(str(exc))
    console().print(rule_explanation(rule, rulebook))


def coverage(
    output_format: TableFormat = typer.Option(TableFormat.text, "--format", "-f"),
    rules_dir: list[Path] = RulesDir,
    config_path: Path = ConfigFile,
) -> None:
    """Show which policy obligations have rules; exit 1 if a checkable one has none."""
    rulebook = rulebook_or_fail(rules_dir, config_path)
    rows = coverage_rows(rulebook)
    show(output_format, rows, lambda: coverage_table(rows))
    raise typer.Exit(1 if any(row["status"] == "uncovered" for row in rows) else 0)
