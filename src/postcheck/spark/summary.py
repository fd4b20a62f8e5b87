"""The audit's summary: posts, flagged posts and findings per account, per month and per category.

Every count is a sum, so each worker (a local process, a Spark partition) keeps its own
`Summary` and the driver adds them up (`Summary.from_rows`). Only active findings count, as
in the JSON report's summary: a suppressed finding stays in the findings table but is not
counted here. Category rows count flagged posts and findings; posts checked has no
meaning per category and is left empty.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ..core.findings import SEVERITY_RANK, Finding
from ..core.post import Post
from ..core.report import Tally

COUNTS = ("posts", "flagged", "unreadable", "problems", "errors", "warnings", "info")
_SEVERITY_COUNT = {"error": "errors", "warning": "warnings", "info": "info"}
_SECTIONS = ("category", "account", "month")
NO_KEY = "(none)"  # a post with no account, or no date
SHOWN = 15  # rows per section of the text table; summary.parquet has them all


class Summary:
    def __init__(self) -> None:
        self.cells: dict[tuple[str, str | None], Counter] = {}

    def _cell(self, by: str, key: str | None) -> Counter:
        return self.cells.setdefault((by, key), Counter())

    def add(self, post: Post, findings: list[Finding], account: str | None, month: str | None) -> None:
        active = [f for f in findings if f.active]
        severities = Counter(_SEVERITY_COUNT[f.severity] for f in active)
        for by, key in (("all", None), ("account", account), ("month", month)):
            cell = self._cell(by, key)
            cell["posts"] += 1
            cell["flagged"] += bool(active)
            cell["unreadable"] += post.error is not None
            cell["problems"] += sum(p.level == "error" for p in post.problems)
            cell.update(severities)
        for category in {f.category for f in active}:
            self._cell("category", category)["flagged"] += 1
        for finding in active:
            self._cell("category", finding.category)[_SEVERITY_COUNT[finding.severity]] += 1

    def rows(self) -> list[dict]:
        """One row per (by, key), in a stable order, with every count (posts empty for categories)."""
        rows = []
        for (by, key), cell in sorted(self.cells.items(), key=lambda item: (item[0][0], item[0][1] or "")):
            row: dict = {"by": by, "key": key} | {name: cell[name] for name in COUNTS}
            if by == "category":
                row["posts"] = None
            rows.append(row)
        return rows

    @classmethod
    def from_rows(cls, rows: Iterable[dict]) -> Summary:
        """Add up the rows of several summaries (each worker's, or Spark's sums per key)."""
        summary = cls()
        for row in rows:
            summary._cell(row["by"], row["key"]).update({name: row[name] or 0 for name in COUNTS})
        return summary

    @property
    def total(self) -> Counter:
        return self.cells.get(("all", None), Counter())

    def exit_status(self, fail_on: str, keep_going: bool) -> int:
        """As the check command's: 2 if a record could not be checked, else 1 for a finding at `fail_on`."""
        total = self.total
        worst = max((SEVERITY_RANK[severity] for severity, name in _SEVERITY_COUNT.items() if total[name]), default=-1)
        tally = Tally(unreadable=total["unreadable"], problems=total["problems"], worst=worst)
        return tally.exit_status(fail_on, keep_going)

    def text(self) -> str:
        """A short table for people: the totals, then each section's busiest rows."""
        total = self.total
        lines = [
            f"{total['posts']:,} posts checked, {total['flagged']:,} flagged, {total['unreadable']:,} unreadable, "
            f"{total['problems']:,} with bad suppressions; "
            f"{total['errors']:,} errors, {total['warnings']:,} warnings, {total['info']:,} info"
        ]
        for by in _SECTIONS:
            cells = [(key, cell) for (kind, key), cell in self.cells.items() if kind == by]
            if not cells:
                continue
            if by == "month":  # the most recent months, in order
                shown = sorted(cells, key=lambda kc: kc[0] or "")[-SHOWN:]
            else:  # the most flagged first
                shown = sorted(cells, key=lambda kc: (-kc[1]["flagged"], kc[0] or ""))[:SHOWN]
            width = max(len(by), *(len(key or NO_KEY) for key, _ in shown))
            lines.append("")
            lines.append(f"{by:<{width}}  {'posts':>9}  {'flagged':>9}  {'errors':>9}  {'warnings':>9}  {'info':>9}")
            for key, cell in shown:
                posts = "" if by == "category" else f"{cell['posts']:,}"
                lines.append(
                    f"{key or NO_KEY:<{width}}  {posts:>9}  {cell['flagged']:>9,}  {cell['errors']:>9,}  "
                    f"{cell['warnings']:>9,}  {cell['info']:>9,}"
                )
            if len(cells) > SHOWN:
                lines.append(f"({len(cells) - SHOWN:,} more {by} rows in summary/)")
        return "\n".join(lines) + "\n"
