"""`postcheck check FILE...` (and `postcheck FILE...`): check posts and report every clause that breaches the policy.

Exit status: 0 clean, 1 findings at or above --fail-on, 2 when something
could not be checked (usage, input or rulebook errors).
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from ..core.errors import PostcheckError
from ..core.post import Post
from .common import ConfigFile, Format, Profile, RulesDir, Severity, fail, settings


def check(
    paths: list[str] = typer.Argument(
        ..., help="Post files, queues (.txt .md .jsonl .json .yaml .csv) or directories; '-' reads stdin."
    ),
    profile: Profile = typer.Option(
        None, "--profile", "-p", help="Account type when a post does not say [default: corporate]."
    ),
    output_format: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
    fail_on: Severity = typer.Option(
        None, "--fail-on", help="Lowest severity that makes the exit status 1 [default: error]."
    ),
    summary: bool = typer.Option(
        False, "--summary", help="Also print the number of findings per category (text format)."
    ),
    keep_going: bool = typer.Option(
        False, "--keep-going", help="Posts that cannot be read do not make the exit status 2."
    ),
    stdin_format: str = typer.Option(
        "txt", "--stdin-format", help="Format of stdin: txt, md, jsonl, json, yaml or csv."
    ),
    max_chars: int = typer.Option(None, "--max-chars", help="Longest post accepted, in characters [default: 100000]."),
    include: list[str] = typer.Option([], "--include", help="File glob to check inside directories (repeatable)."),
    exclude: list[str] = typer.Option(
        [], "--exclude", help="File or directory glob to skip inside directories (repeatable)."
    ),
    rules_dir: list[Path] = RulesDir,
    config_path: Path = ConfigFile,
    model: str = typer.Option(
        None, "--model", help="Use an installed trained spaCy pipeline instead of blank English."
    ),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Worker processes for large queues."),
    waivers_path: Path = typer.Option(
        None, "--waivers", help="Waivers file (rule, post or fingerprint, reason, approved_by, expires)."
    ),
    baseline_path: Path = typer.Option(None, "--baseline", help="Report only findings that are not in this baseline."),
    write_baseline_path: Path = typer.Option(None, "--write-baseline", help="Record today's findings as the baseline."),
    audit_dir: Path = typer.Option(None, "--audit", help="Write an append-only audit record of this run into DIR."),
    on_date: str = typer.Option(None, "--date", help="Date to judge waiver expiry by, YYYY-MM-DD [default: today]."),
    trace: bool = typer.Option(
        False, "--trace", help="Show, per finding and near-miss, which rule parts fired (text format)."
    ),
    redact: bool = typer.Option(False, "--redact", help="Mask the personal data that personal-data findings quote."),
    bio: str = typer.Option(
        None, "--bio", help="The account's bio, checked with each post (e.g. 'PC at Cleveland Police | views my own')."
    ),
) -> None:
    """Check posts and report every clause that breaches the policy."""
    from ..core.report import Tally
    from ..engine.linter import Linter
    from ..governance.recorder import RunRecorder
    from ..inputs.sources import ReadOptions, read_sources
    from ..reporters import REPORTERS

    try:
        config, rulebook = settings(config_path, rules_dir)
        for key, value in (
            ("profile", profile and profile.value),
            ("fail_on", fail_on and fail_on.value),
            ("max_chars", max_chars),
            ("include", include),
            ("exclude", exclude),
            ("waivers", waivers_path and str(waivers_path)),
        ):
            config.override(key, value)
        recorder = RunRecorder.create(
            rulebook, config, on_date, baseline_path, audit_dir, redact, bio, write_baseline_path is not None
        )
        linter = Linter(rulebook, model=model)
    except PostcheckError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot load the spaCy pipeline '{model}': {exc}")
    options = ReadOptions(
        profile=config["profile"],
        max_chars=config["max_chars"],
        stdin_format=stdin_format,
        accounts=config["accounts"],
        include=tuple(config["include"]),
        exclude=tuple(config["exclude"]),
    )
    reporter = REPORTERS[output_format.value](sys.stdout)
    if output_format is Format.text:
        reporter.summary = summary
    tally = Tally()
    reporter.start(linter.rulebook)
    posts = (recorder.context.annotate(post) for post in read_sources(paths, options))
    if jobs > 1:
        from ..engine.parallel import check_in_parallel

        results = check_in_parallel(linter.rulebook, model, posts, jobs)
    else:
        results = linter.check_posts(posts)
    for post, findings in results:
        findings = recorder.decide(post, findings, tally)
        _diagnose(post)
        tally.add(post, findings)
        reporter.post(post, findings)
        if trace and output_format is Format.text and post.error is None:
            from ..engine.trace import print_trace

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
            typer.echo(f"postcheck: audit record {recorder.write_audit(audit_dir, tally)}", err=True)
    except (PostcheckError, OSError) as exc:
        fail(str(exc))
    raise typer.Exit(tally.exit_status(config["fail_on"], keep_going))


def _diagnose(post: Post) -> None:
    """One line on stderr for a post that could not be checked and for each problem around it."""
    if post.error is not None:
        where = f"{post.source}:{post.line}" if post.line else post.source
        typer.echo(f"postcheck: {where}: {post.error}", err=True)
    for problem in post.problems:
        where = f"{post.source}:{problem.line}" if problem.line else post.source
        typer.echo(f"postcheck: {where}: {problem.level}: {problem.message}", err=True)
