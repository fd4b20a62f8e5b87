"""CSV queues, read row by row so that no row can end the read or swallow the rows after it.

The header must name a `text` column, and no column twice. Rows are parsed strictly
(Python's csv module) from lines read one at a time, so memory stays flat. A row
that cannot be parsed, is over the size limit, or runs over several lines to a
field count the header does not have (a stray quote opening a field that swallows
the rows below it) is reported at its first line, and reading starts again on the
line after it: one bad row costs one post, never the rest of the file.
"""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Iterable, Iterator

from ..core.errors import PostcheckError
from ..core.post import Post
from .lines import Line
from .records import ReadOptions, not_empty, record_post

_CR_ONLY = (
    "its lines end in a carriage return alone (an old Mac export), so no row can be told apart; "
    "save it again as CSV with ordinary line ends"
)


class _Unreadable(Exception):
    def __init__(self, line: Line):
        super().__init__(line.problem)
        self.line = line


class _TooLong(Exception):
    pass


class _Feed:
    """The lines for the csv reader: those put back after a bad row first, then the file's. It keeps the
    lines of the row being read (`taken`) and refuses to let one row grow past `limit` characters."""

    def __init__(self, lines: Iterable[Line], limit: int):
        self._lines = iter(lines)
        self._back: deque[Line] = deque()
        self._limit = limit
        self.taken: list[Line] = []
        self._size = 0

    def start_row(self) -> None:
        self.taken, self._size = [], 0

    def put_back(self, lines: list[Line]) -> None:
        self._back.extendleft(reversed(lines))

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        line = self._back.popleft() if self._back else next(self._lines)
        if line.text is None:
            raise _Unreadable(line)
        self.taken.append(line)
        self._size += len(line.text)
        if self._size > self._limit:
            raise _TooLong
        return line.text


def csv_queue(lines: Iterable[Line], source: str, options: ReadOptions) -> Iterator[Post]:
    feed = _Feed(lines, options.max_line_bytes)
    csv.field_size_limit(max(csv.field_size_limit(), options.max_line_bytes))  # our own limit is the row's size
    header = _header(feed, source)
    yield from not_empty(_rows(feed, header, source, options), source)


def _header(feed: _Feed, source: str) -> list[str]:
    try:
        header = next(csv.reader(feed, strict=True))
    except (StopIteration, csv.Error, _Unreadable, _TooLong):
        header = []
    if "text" not in header:
        top = feed.taken[0].text if feed.taken else None
        if top and "\r" in top.rstrip("\r\n"):  # read as one line: the file would be one bad header
            raise PostcheckError(_CR_ONLY, source, 1)
        raise PostcheckError("CSV needs a header row with a 'text' column", source, 1)
    seen: dict[str, int] = {}  # name -> its column; a header may have any number of columns
    for i, name in enumerate(header, start=1):
        first = seen.setdefault(name, i)
        if first != i:
            raise PostcheckError(
                f"the header names '{name}' twice (columns {first} and {i}); which one is meant cannot be known",
                source,
                feed.taken[0].number,
            )
    return header


def _rows(feed: _Feed, header: list[str], source: str, options: ReadOptions) -> Iterator[Post]:
    while True:
        feed.start_row()
        try:
            row = next(csv.reader(feed, strict=True))
        except StopIteration:
            return
        except _Unreadable as unreadable:
            line = unreadable.line
            if feed.taken:
                feed.put_back([line])
                yield from _bad_row(feed, source, f"the row runs into line {line.number}, which cannot be read")
            else:
                yield Post(source, f"{source}:{line.number}", line=line.number, error=line.problem)
            continue
        except _TooLong:
            yield from _bad_row(feed, source, f"the row is over {options.max_line_bytes:,} characters")
            continue
        except csv.Error as exc:
            yield from _bad_row(feed, source, _OPEN_QUOTE if len(feed.taken) > 1 else f"unreadable CSV: {exc}")
            continue
        if not row:
            continue  # a blank line
        if len(feed.taken) > 1 and len(row) != len(header):
            yield from _bad_row(feed, source, _OPEN_QUOTE)
            continue
        number = feed.taken[0].number
        if len(row) > len(header):
            yield Post(source, f"{source}:{number}", line=number, error="row has more fields than the header")
            continue
        fields = {name: value for name, value in zip(header, row, strict=False) if value != ""}
        yield record_post(fields | {"text": fields.get("text", "")}, source, number, options)


_OPEN_QUOTE = "a quote opened on this line runs on into the lines after it"


def _bad_row(feed: _Feed, source: str, reason: str) -> Iterator[Post]:
    """The row that starts at the first line taken is bad: report it there, and read on from the next line."""
    first, *rest = feed.taken
    feed.put_back(rest)
    yield Post(source, f"{source}:{first.number}", line=first.number, error=f"{reason}; the row was not read")
