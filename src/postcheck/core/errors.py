"""User-facing errors: one exception type that always knows where the problem is.

Everything a user can get wrong (a rule file, a queue record, a missing file)
raises `PostcheckError`; the CLI prints it as one line and exits 2. Anything
else escaping is a bug in postcheck, not in the user's input.
"""

from __future__ import annotations


class PostcheckError(Exception):
    """A problem in the user's input, reported as `path:line: message`."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = self.path or ""
        if self.path and self.line:
            where = f"{self.path}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


def quoted(value: object, limit: int = 60) -> str:
    """A value from the input as a message quotes it: in single quotes, cut to `limit` characters, so a
    hostile record cannot fill the terminal or a CI log with one message."""
    text = str(value)
    return "'" + (text if len(text) <= limit else text[: limit - 1] + "…") + "'"
