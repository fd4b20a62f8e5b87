"""One archive audit, whatever the engine: posts through the linter with the run's context, into rows.

Each worker of either engine (the local engine's main process, each Spark partition) runs
`audited` and a `Collector`, so both engines turn the same post into the same rows; the
engines differ only in how posts reach the linter and where the rows go.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ..core.findings import Finding
from ..core.post import Post
from ..core.report import post_dict
from ..governance.context import Context
from ..inputs.sources import ReadOptions
from ..rulebook.loader import Rulebook
from .summary import Summary
from .tables import account_of, error_rows, finding_rows, month_of

Check = Callable[[Iterable[Post]], Iterator[tuple[Post, list[Finding]]]]


@dataclass(frozen=True)
class AuditSettings:
    """What every worker needs: the configured rulebook, the reviewer's context and how to read records."""

    rulebook: Rulebook
    context: Context
    options: ReadOptions


def audited(context: Context, posts: Iterable[Post], check: Check) -> Iterator[tuple[Post, list[Finding]]]:
    """Each post with its findings, as the check command decides them: the context annotates each post
    first (its date, media and bio), `check` finds (a Linter's `check_posts`, or worker processes running
    it), and a finding about a live case names the case."""
    for post, findings in check(context.annotate(post) for post in posts):
        if context.cases:
            findings = context.name_cases(post, findings)
        yield post, findings


class Collector:
    """The finding and error rows of checked posts, until drained, and the running summary."""

    def __init__(self, digest: str):
        self.digest = digest
        self.findings: list[dict] = []
        self.errors: list[dict] = []
        self.summary = Summary()

    def add(self, post: Post, findings: list[Finding]) -> None:
        account, month = account_of(post), month_of(post)
        report_post = post_dict(post, findings)
        self.findings.extend(finding_rows(report_post, self.digest, account, month))
        self.errors.extend(error_rows(report_post))
        self.summary.add(post, findings, account, month)

    def drain(self) -> tuple[list[dict], list[dict]]:
        rows = self.findings, self.errors
        self.findings, self.errors = [], []
        return rows
