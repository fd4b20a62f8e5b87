"""GitHub Actions workflow commands: one `::error file=…,line=…,col=…,title=…::message` line per finding.

Values are escaped as the runner expects (%, CR and LF everywhere; also `:` and
`,` in properties), so post text can never end a command early or start a new
one in the CI log; other control characters (a terminal's escape sequences) are
shown escaped, as in the text output.
"""

from __future__ import annotations

from typing import TextIO

from ..core.findings import Finding
from ..core.post import ACCOUNT_NAMES, BOTH, Post
from ..core.report import Tally, plural
from ..rulebook.loader import Rulebook
from .location import is_record, region
from .underline import visible

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(value: str) -> str:
    return visible(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **properties: object) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items() if value is not None)
    return f"::{kind} {props}::{escape_data(message)}" if props else f"::{kind}::{escape_data(message)}"


class GithubReporter:
    def __init__(self, stream: TextIO):
        self.stream = stream

    def start(self, rulebook: Rulebook) -> None:
        self.policy = rulebook.policy

    def post(self, post: Post, findings: list[Finding]) -> None:
        if post.error is not None:
            self.stream.write(
                command(
                    "error",
                    f"cannot check {post.id}: {post.error}",
                    file=post.source,
                    line=post.line,
                    title="postcheck",
                )
                + "\n"
            )
        for finding in findings:
            if not finding.active:
                continue
            where = region(post, finding)
            label = f" [{post.id}]" if is_record(post) else ""
            if post.profile == BOTH:
                label += f" (on {ACCOUNT_NAMES[finding.profile]})"
            message = (
                f'{finding.message}{label} Match: "{finding.match}". Suggestion: {finding.suggest} '
                f'Policy {finding.citation.section}: "{finding.citation.quote}"'
            )
            self.stream.write(
                command(
                    COMMANDS[finding.severity],
                    message,
                    file=post.source,
                    line=where.line,
                    col=where.column,
                    endLine=where.end_line,
                    endColumn=where.end_column,
                    title=finding.rule,
                )
                + "\n"
            )

    def end(self, tally: Tally) -> None:
        checked = plural(tally.posts - tally.unreadable, "post")
        counts = f"{checked} checked, {tally.flagged} flagged, {plural(tally.errors, 'error')}, "
        unreadable = f", {tally.unreadable} could not be checked" if tally.unreadable else ""
        self.stream.write(
            command("notice", f"postcheck: {counts}{plural(tally.warnings, 'warning')}{unreadable}") + "\n"
        )
