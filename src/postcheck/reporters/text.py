"""Human-readable findings for an officer at a terminal, coloured with rich when it can.

Each finding shows `path:line:col severity rule-id message`, then the clause
with the match highlighted, the policy quote it breaches and what to do
instead. Post text is shown as plain text, never as markup, and control
characters are made visible, so a post cannot restyle or hijack the terminal.
"""

from __future__ import annotations

import os
import unicodedata
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..core.findings import Finding
from ..core.post import Post
from ..core.report import Tally
from ..rulebook.loader import Rulebook
from .location import is_record, region

_STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def visible(text: str) -> str:
    """Make control characters visible and fold line breaks, so text prints as one safe line."""
    out = []
    for char in text:
        if char in "\n\r\t":
            out.append(" ")
        elif unicodedata.category(char) in ("Cc", "Cf", "Cs") and char != "\u200d":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def location(post: Post, finding: Finding) -> str:
    """`path:line:col` in the file for single posts; `queue:line [id] line:col` for queue records."""
    where = f"{post.source}:{post.line}" if post.line else post.source
    if finding.field != "text":
        return f"{where} [{post.id}] {finding.field}" if is_record(post) else f"{where} [{finding.field}]"
    if is_record(post):
        return f"{where} [{post.id}] {finding.line}:{finding.column}"
    at = region(post, finding)
    return f"{post.source}:{at.line}:{at.column}"


class TextReporter:
    def __init__(self, stream: TextIO, summary: bool = False):
        self.summary = summary
        self.console = Console(
            file=stream,
            highlight=False,
            soft_wrap=True,
            emoji=False,
            no_color="NO_COLOR" in os.environ or None,
        )

    def start(self, rulebook: Rulebook) -> None:
        self.policy = rulebook.policy

    def post(self, post: Post, findings: list[Finding]) -> None:
        print_ = self.console.print
        for finding in findings:
            if not finding.active:
                continue
            head = Text(f"{visible(location(post, finding))} ", style="bold")
            head.append(finding.severity, style=_STYLES[finding.severity])
            head.append(f" {finding.rule} ", style="bold")
            head.append(finding.message)
            print_(head)
            print_(self._clause(finding))
            cite = finding.citation
            print_(Text(f'    policy {cite.section} ({cite.obligation}): "{cite.quote}"', style="dim"))
            print_(Text("    suggest: ", style="green") + Text(finding.suggest))

    @staticmethod
    def _clause(finding: Finding) -> Text:
        clause = finding.clause
        at = clause.find(finding.match)
        text = Text("    > ")
        if at < 0:
            return text + Text(visible(clause), style="underline")
        text.append(visible(clause[:at]))
        text.append(visible(finding.match), style="bold reverse")
        text.append(visible(clause[at + len(finding.match) :]))
        return text

    def end(self, tally: Tally) -> None:
        if tally.posts == 0:
            return
        if self.summary and tally.categories:
            table = Table(title="findings by category", title_justify="left")
            table.add_column("category")
            table.add_column("findings", justify="right")
            for category, count in sorted(tally.categories.items()):
                table.add_row(category, str(count))
            self.console.print(table)
        parts = [
            f"{_plural(tally.posts, 'post')} checked",
            f"{tally.flagged} flagged",
            _plural(tally.errors, "error"),
            _plural(tally.warnings, "warning"),
            f"{tally.info} info",
        ]
        for count, label in (
            (tally.suppressed, "suppressed"),
            (tally.waived, "waived"),
            (tally.baselined, "in the baseline"),
        ):
            if count:
                parts.append(f"{count} {label}")
        if tally.unreadable:
            parts.append(f"{tally.unreadable} could not be checked")
        self.console.print(Text(", ".join(parts), style="bold"))
