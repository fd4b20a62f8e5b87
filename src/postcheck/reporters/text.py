"""Human-readable findings for an officer at a terminal, coloured with rich when it can.

Each finding shows `path:line:col severity rule-id message`, then the clause
with carets under the words that breach, the policy quote it breaches and what
to do instead. A queue's findings are grouped under a line naming their post.
A post that did not say which account it is for was checked for both, and says
how it fares on each. Output is plain (no colour, bold or reverse video) when
piped or when `NO_COLOR` is set.
"""

from __future__ import annotations

import os
from collections import Counter
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..core.findings import Finding
from ..core.post import ACCOUNT_NAMES, BOTH, PROFILES, Post
from ..core.report import Tally, plural
from ..rulebook.loader import Rulebook
from .location import is_record, region
from .underline import marks_in_clause, underline, visible

_STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def make_console(stream: TextIO | None) -> Console:
    """A console that never reads post text as markup, and is plain when `NO_COLOR` is set.
    `stream=None` writes to whatever `sys.stdout` is at the time (a progress display moves it)."""
    plain: dict = {"color_system": None} if os.environ.get("NO_COLOR") else {}
    return Console(file=stream, highlight=False, soft_wrap=True, emoji=False, **plain)


def location(post: Post, finding: Finding) -> str:
    """`path:line:col` in the file for single posts; `line:col` within the post for queue records,
    which are grouped under their post."""
    if finding.field != "text":
        return finding.field if is_record(post) else f"{post.source} [{finding.field}]"
    if is_record(post):
        return f"{finding.line}:{finding.column}"
    at = region(post, finding)
    return f"{post.source}:{at.line}:{at.column}"


def counts(findings: list[Finding]) -> str:
    """`1 error, 2 warnings`: the active findings by severity."""
    found = [f.severity for f in findings]
    parts = [plural(found.count(s), s) for s in ("error", "warning") if found.count(s)]
    return ", ".join(parts + ([f"{found.count('info')} info"] if "info" in found else []))


def verdict(findings: list[Finding]) -> str:
    """How a post checked for both kinds of account fares on each: `fine on your own account; on a
    force account: 1 error`."""
    fine = [ACCOUNT_NAMES[p] for p in PROFILES if not any(f.profile == p for f in findings)]
    flagged = [
        f"on {ACCOUNT_NAMES[p]}: {counts(mine)}" for p in PROFILES if (mine := [f for f in findings if f.profile == p])
    ]
    return "; ".join(([f"fine on {' or '.join(fine)}"] if fine else []) + flagged)


class TextReporter:
    def __init__(self, stream: TextIO | None, summary: bool = False):
        self.summary = summary
        self.statistics = False  # a count per rule instead of each finding
        self.quiet = False  # findings only: no summary line
        self.console = make_console(stream)
        self.undeclared = 0  # posts checked for both kinds of account

    def start(self, rulebook: Rulebook) -> None:
        self.policy = rulebook.policy

    def post(self, post: Post, findings: list[Finding]) -> None:
        active = [f for f in findings if f.active]
        self.undeclared += post.profile == BOTH and post.error is None
        if not active or self.statistics:
            return
        where = f"{post.source}:{post.line}" if post.line else post.source
        if post.profile == BOTH:
            label = f"{where} [{post.id}]" if is_record(post) else post.source
            self.console.print(Text(f"{visible(label)}: not said which account it is for; {verdict(active)}"))
        elif is_record(post):
            account = ACCOUNT_NAMES[post.profile]
            self.console.print(Text(f"{visible(where)} [{visible(post.id)}] on {account}: {counts(active)}"))
        indent = "  " if is_record(post) else ""
        for group in _merged(active):
            self._finding(post, group, indent, both=post.profile == BOTH)

    def _finding(self, post: Post, group: list[Finding], indent: str, both: bool) -> None:
        """One finding, or the same finding for each kind of account, with a citation for each."""
        print_ = self.console.print
        finding = group[0]
        head = Text(f"{indent}{visible(location(post, finding))} ", style="bold")
        head.append(finding.severity, style=_STYLES[finding.severity])
        head.append(f" {finding.rule} ", style="bold")
        if both and len(group) == 1:
            head.append(f"(only on {ACCOUNT_NAMES[finding.profile]}) ")
        head.append(finding.message)
        print_(head)
        shown, carets = underline(finding.clause, marks_in_clause(post, finding), "bold reverse")
        print_(Text(f"{indent}    > ") + shown)
        if carets:
            print_(Text(f"{indent}      {carets}", style=_STYLES[finding.severity]))
        for each in group:
            cite = each.citation
            account = f" on {ACCOUNT_NAMES[each.profile]}" if len(group) > 1 else ""
            print_(Text(f'{indent}    policy {cite.section} ({cite.obligation}){account}: "{cite.quote}"', style="dim"))
        print_(Text(f"{indent}    suggest: ", style="green") + Text(finding.suggest))

    def end(self, tally: Tally) -> None:
        if tally.posts == 0:
            return
        if self.statistics and tally.rules:
            self._table("findings by rule", "rule", tally.rules)
        if self.summary and tally.categories:
            self._table("findings by category", "category", tally.categories)
        if self.quiet:
            return
        parts = [
            f"{plural(tally.posts - tally.unreadable, 'post')} checked",
            f"{tally.flagged} flagged",
            plural(tally.errors, "error"),
            plural(tally.warnings, "warning"),
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
        if self.undeclared:
            which = "it is for, so it was" if self.undeclared == 1 else "they are for, so each was"
            self.console.print(
                Text(
                    f"{plural(self.undeclared, 'post')} did not say which account {which} checked for both. "
                    "Say which with --profile corporate|personal, `profile:` in the post or queue record, "
                    "or `profile:` in your configuration."
                )
            )

    def _table(self, title: str, column: str, counter: Counter) -> None:
        table = Table(title=title, title_justify="left")
        table.add_column(column)
        table.add_column("findings", justify="right")
        for name, count in sorted(counter.items(), key=lambda item: (-item[1], item[0])):
            table.add_row(name, str(count))
        self.console.print(table)


def _merged(findings: list[Finding]) -> list[list[Finding]]:
    """Each finding once, with its twin for the other kind of account: a rule that binds both
    reports the same words for each, and an officer needs to read them once."""
    merged: dict[tuple, list[Finding]] = {}
    for finding in findings:
        merged.setdefault((finding.rule, finding.field, finding.start, finding.end), []).append(finding)
    return sorted(merged.values(), key=lambda group: (group[0].field != "text", group[0].sort_key()))
