"""`postcheck audit-archive INPUT OUTPUT`: audit a posting history or a whole archive into Parquet tables.

For vetting and professional-standards reviews of an account's history, and for audits of
every post of a force. Exit status as for a check: 0 clean, 1 findings at or above
--fail-on, 2 when a record could not be checked (its reason is in OUTPUT/errors) or the
audit could not run.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path

import typer

from ..core.errors import PostcheckError
from .common import ConfigFile, Profile, RulesDir, Severity, fail, settings


class Engine(str, Enum):
    local = "local"
    spark = "spark"


def audit_archive(
    source: Path = typer.Argument(
        ..., metavar="INPUT", help="A .jsonl, .csv or .parquet file, or a directory of them."
    ),
    output: Path = typer.Argument(
        ..., metavar="OUTPUT", help="A new directory for findings/, errors/, summary/ and summary.txt."
    ),
    engine: Engine = typer.Option(Engine.local, "--engine", help="local: the cores of this machine; spark: Spark."),
    master: str = typer.Option(None, "--master", help="Spark master URL, e.g. local[4] or spark://host:7077."),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="Processes for the local engine [default: every core]."),
    profile: Profile = typer.Option(
        None, "--profile", "-p", help="Account type when a record does not say [default: corporate]."
    ),
    fail_on: Severity = typer.Option(
        None, "--fail-on", help="Lowest severity that makes the exit status 1 [default: error]."
    ),
    keep_going: bool = typer.Option(
        False, "--keep-going", help="Records that cannot be checked do not make the exit status 2."
    ),
    max_chars: int = typer.Option(None, "--max-chars", help="Longest post accepted, in characters [default: 100000]."),
    rules_dir: list[Path] = RulesDir,
    config_path: Path = ConfigFile,
) -> None:
    """Check every post of an archive (JSONL, CSV or Parquet) and write findings, errors and a summary as Parquet."""
    from ..governance.context import Context
    from ..inputs.sources import ReadOptions
    from ..spark.archive import audit_archive as run
    from ..spark.audit import AuditSettings

    try:
        config, rulebook = settings(config_path, rules_dir)
        for key, value in (("profile", profile and profile.value), ("fail_on", fail_on and fail_on.value)):
            config.override(key, value)
        config.override("max_chars", max_chars)
        context = Context(config.elections(), config.cases(), dt.date.today(), config["bios"])
        options = ReadOptions(profile=config["profile"], max_chars=config["max_chars"], accounts=config["accounts"])
        summary = run(source, output, AuditSettings(rulebook, context, options), engine.value, master, jobs)
    except PostcheckError as exc:
        fail(str(exc))
    typer.echo(summary.text(), nl=False)
    unreadable, problems = summary.total["unreadable"], summary.total["problems"]
    if unreadable or problems:
        typer.echo(
            f"postcheck: {unreadable:,} records could not be checked and {problems:,} had bad suppressions; "
            f"the reasons are in {output / 'errors'}",
            err=True,
        )
    raise typer.Exit(summary.exit_status(config["fail_on"], keep_going))
