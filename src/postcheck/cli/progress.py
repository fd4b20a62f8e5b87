"""A progress bar on stderr while a queue is checked, so a 10,000-post run shows it is moving.

Only for people: it shows when stderr is a terminal and the input is a queue
or a folder, never in CI logs, pre-commit output or a pipe. Text findings are
printed above it (rich moves `sys.stdout` while it runs); a machine format
written to the same terminal gets no bar, which would tangle with it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

QUEUES = (".jsonl", ".ndjson", ".json", ".yaml", ".yml", ".csv")
STREAMED = (".jsonl", ".ndjson")


def _is_queue(path: str) -> bool:
    return path == "-" or Path(path).is_dir() or Path(path).suffix.lower() in QUEUES


def _lines(path: str) -> int:
    count = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            count += chunk.count(b"\n")
    return count


def expected_posts(paths: list[str]) -> int | None:
    """How many posts the queue files hold, when that is cheap to know (a line per post): else None."""
    if not paths or not all(Path(p).suffix.lower() in STREAMED and Path(p).is_file() for p in paths):
        return None
    try:
        return sum(_lines(p) for p in paths)
    except OSError:
        return None


class QueueProgress:
    """A context manager that shows the bar if `active`, and does nothing otherwise."""

    def __init__(self, total: int | None, active: bool):
        self.active = active
        self._bar: Progress | None = None
        if active:
            self._bar = Progress(
                TextColumn("checking"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("posts"),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._task = self._bar.add_task("checking", total=total)

    def __enter__(self) -> QueueProgress:
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(self, kind: type | None, value: BaseException | None, traceback: TracebackType | None) -> None:
        if self._bar is not None:
            self._bar.stop()

    def advance(self) -> None:
        if self._bar is not None:
            self._bar.advance(self._task)


def progress(paths: list[str], enabled: bool, printed_above: bool) -> QueueProgress:
    """The bar for this run: shown when stderr is a terminal, the input is a queue, and the report
    either goes elsewhere or is text that can be printed above the bar."""
    active = (
        enabled
        and sys.stderr.isatty()
        and any(_is_queue(path) for path in paths)
        and (printed_above or not sys.stdout.isatty())
    )
    return QueueProgress(expected_posts(paths) if active else None, active)
