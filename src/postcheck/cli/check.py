"""`postcheck check FILE...` (and `postcheck FILE...`, `postcheck --text "..."`): check posts and
report every clause that breaches the policy.

Everything that can be wrong with the command line, the configuration or the
files is reported before the spaCy pipeline loads: the pipeline is built only
when the first post that can be checked arrives. Exit status: 0 clean, 1
findings at or above --fail-on, 2 when something could not be checked (usage,
input or rulebook errors).
"""

from __future__ import annotations

import io
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ..core.errors import PostcheckError
from ..core.findings import Finding
from ..core.post import Post
from ..core.report import Tally
from . import startup
from .common import ConfigFile, Format, Profile, RulesDir, Severity, StdinFormat, fail, say, settings
from .options import (
    Exclude,
    FailOn,
    Ignore,
    Include,
    MaxChars,
    NoModel,
    ProfileOption,
    Select,
    Waivers,
    apply_options,
)
from .progress import progress

if TYPE_CHECKING:
    from ..engine.linter import Linter

TEXT_SOURCE = "<text>"


def check(
    paths: list[str] = typer.Argument(
        None,
        metavar="FILE...",
        help="Post files, queues (.txt .md .jsonl .json .yaml .csv) or directories; '-' reads stdin.",
    ),
    text: str = typer.Option(None, "--text", "-t", metavar="TEXT", help="Check this draft, given on the command line."),
    profile: Profile = ProfileOption,
    output_format: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
    fail_on: Severity = FailOn,
    select: list[str] = Select,
    ignore: list[str] = Ignore,
    summary: bool = typer.Option(False, "--summary", help="Also print the number of findings per category (text)."),
    statistics: bool = typer.Option(
        False, "--statistics", help="Print the number of findings per rule instead of each finding (text)."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print the findings only: no summary, no progress."),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="Exit 0 even when findings reach --fail-on."),
    keep_going: bool = typer.Option(
        False, "--keep-going", help="Posts that cannot be read do not make the exit status 2."
    ),
    stdin_format: StdinFormat = typer.Option(StdinFormat.txt, "--stdin-format", help="Format of stdin."),
    max_chars: int = MaxChars,
    include: list[str] = Include,
    exclude: list[str] = Exclude,
    rules_dir: list[Path] = RulesDir,
    config_path: Path = ConfigFile,
    model: str = typer.Option(
        None, "--model", metavar="NAME", help="Use an installed trained spaCy pipeline instead of blank English."
    ),
    no_model: bool = NoModel,
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, metavar="N", help="Worker processes for large queues."),
    waivers_path: Path = Waivers,
    baseline_path: Path = typer.Option(
        None, "--baseline", metavar="FILE", help="Report only findings that are not in this baseline."
    ),
    write_baseline_path: Path = typer.Option(
        None,
        "--write-baseline",
        metavar="FILE",
        help="Record today's findings as the baseline (exit 0 unless a post is unreadable).",
    ),
    audit_dir: Path = typer.Option(
        None, "--audit", metavar="DIR", help="Write an append-only audit record of this run into DIR."
    ),
    on_date: str = typer.Option(
        None, "--date", metavar="DATE", help="Date to judge waiver expiry by, YYYY-MM-DD [default: today]."
    ),
    trace: bool = typer.Option(
        False, "--trace", help="Show, per finding and near-miss, which rule parts fired and why not (text format)."
    ),
    redact: bool = typer.Option(False, "--redact", help="Mask the personal data that personal-data findings quote."),
    bio: str = typer.Option(
        None,
        "--bio",
        metavar="TEXT",
        help="The account's bio, checked with each post (e.g. 'PC at Cleveland Police | views my own').",
    ),
) -> None:
    """Check posts and report every clause that breaches the policy."""
    from ..governance.recorder import RunRecorder
    from ..inputs.sources import ReadOptions, read_sources, text_post
    from ..reporters import reporter_class

    if not paths and text is None:
        fail("give a post to check: a file, a folder, '-' for stdin, or --text \"...\" (see `postcheck --help`)")
    try:
        config, rulebook = settings(
            config_path,
            rules_dir,
            lambda config: apply_options(
                config, profile, fail_on, select, ignore, max_chars, include, exclude, waivers_path, no_model
            ),
        )
        recorder = RunRecorder.create(
            rulebook, config, on_date, baseline_path, audit_dir, redact, bio, write_baseline_path
        )
    except PostcheckError as exc:
        fail(str(exc))
    options = ReadOptions(
        profile=config["profile"],
        max_chars=config["max_chars"],
        stdin_format=stdin_format.value,
        accounts=config["accounts"],
        include=tuple(config["include"]),
        exclude=tuple(config["exclude"]),
    )
    text_mode = output_format is Format.text
    live = progress(paths or [], enabled=not quiet, printed_above=text_mode)
    reporter = reporter_class(output_format.value)(None if text_mode and live.active else sys.stdout)
    if text_mode:
        reporter.summary, reporter.statistics, reporter.quiet = summary, statistics, quiet
    tally = Tally()
    with _stopping(tally) as stop:
        reporter.start(rulebook)
        posts = read_sources(paths or [], options)
        if text is not None:
            posts = chain([text_post(text, TEXT_SOURCE, options)], posts)
        linters: list[Linter] = []

        def linter() -> Linter:
            if not linters:
                from ..engine.linter import Linter

                try:
                    linters.append(Linter(rulebook, model=model))
                except OSError as exc:
                    fail(f"cannot load the spaCy pipeline '{model}': {exc}")
                startup.checking()
            return linters[0]

        def check_rest(rest: Iterator[Post]) -> Iterator[tuple[Post, list[Finding]]]:
            if jobs > 1:
                from ..engine.parallel import check_in_parallel

                startup.resume()  # each worker loads its own pipeline
                return check_in_parallel(rulebook, model, rest, jobs)
            return linter().check_posts(rest)

        annotated = (recorder.context.annotate(post) for post in posts)
        with live:
            for post, findings in _checked(annotated, check_rest):
                findings = recorder.decide(post, findings, tally)
                _diagnose(post)
                tally.add(post, findings)
                reporter.post(post, findings)
                live.advance()
                stop.between_posts()
                if trace and text_mode and post.error is None:
                    from ..engine.trace import print_trace

                    print_trace(linter(), post, reporter.console)
        tally.waivers = recorder.waiver_statuses()
        for row in tally.waivers:
            if row["status"] != "applied":
                why = "expired on " + row["expires"] if row["status"] == "expired" else "matches no finding (stale)"
                say(f"{row['source']}: warning: waiver for '{row['rule']}' {why}")
        reporter.end(tally)
        sys.stdout.flush()  # a closed pipe shows here, while the run can still say so
    try:
        if write_baseline_path and stop.reason is None:
            count = recorder.write_baseline(write_baseline_path)
            say(f"wrote {count} fingerprints to {write_baseline_path}")
        if audit_dir:
            from ..governance.audit import record_hash_of

            record = recorder.write_audit(audit_dir, tally, stop.reason)
            say(f"audit record {record}; head {record_hash_of(record)}")
    except (PostcheckError, OSError) as exc:
        fail(str(exc))
    if stop.reason is not None:
        fail(stop.reason)
    status = tally.exit_status(config["fail_on"], keep_going)
    # The findings just written to a baseline are accepted, and so is everything with --exit-zero.
    raise typer.Exit(0 if status == 1 and (exit_zero or write_baseline_path) else status)


def _checked(
    posts: Iterable[Post], check_rest: Callable[[Iterator[Post]], Iterator[tuple[Post, list[Finding]]]]
) -> Iterator[tuple[Post, list[Finding]]]:
    """Each post with its findings. Posts that cannot be read are reported as they come; the
    pipeline is built only for the first post that can be checked, so a run whose every file is
    missing ends at once."""
    posts = iter(posts)
    for post in posts:
        if post.error is not None:
            yield post, []
            continue
        yield from check_rest(chain([post], posts))
        return


class _Stop:
    reason: str | None = None
    requested = False

    def request(self, number: int, frame: object) -> None:
        """A signal: stop once the post being checked is reported; a second one stops at once."""
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    def between_posts(self) -> None:
        if self.requested:
            raise KeyboardInterrupt


@contextmanager
def _stopping(tally: Tally) -> Iterator[_Stop]:
    """Stop the run cleanly when it is told to (Ctrl-C, SIGTERM, SIGHUP) or its output is closed (`| head`),
    keeping the reason: the audit record is then closed as incomplete, and the exit status is 2, since not
    every post was checked and reported. A signal takes effect between posts, so that the audit record
    holds exactly the posts the report does."""
    stop = _Stop()
    signals = [s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None]
    previous = {s: signal.signal(s, stop.request) for s in signals} if _main_thread() else {}
    try:
        yield stop
    except KeyboardInterrupt:
        stop.reason = f"interrupted after {tally.posts} posts; the rest were not checked"
    except BrokenPipeError:
        _discard_stdout()
        stop.reason = f"the output was closed after {tally.posts} posts; the report is incomplete"
    except PostcheckError as exc:  # the audit record cannot be written: the gate cannot keep its record
        stop.reason = str(exc)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _discard_stdout() -> None:
    """Point stdout at the null device, so that nothing more, not even the flush at exit, fails on the pipe."""
    with suppress(OSError, ValueError, io.UnsupportedOperation):  # not a real file (tests): nothing to point
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _diagnose(post: Post) -> None:
    """One line on stderr for a post that could not be checked and for each problem around it; a record
    without a line number (in a .json queue) is named by its id."""
    record = f" [{post.id}]" if post.id != post.source else ""
    if post.error is not None:
        where = f"{post.source}:{post.line}" if post.line else f"{post.source}{record}"
        say(f"{where}: {post.error}")
    for problem in post.problems:
        where = f"{post.source}:{problem.line}" if problem.line else f"{post.source}{record}"
        say(f"{where}: {problem.level}: {problem.message}")
