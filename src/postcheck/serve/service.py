"""The service behind the page and the API: the rulebook and the linter, loaded once, and how posts are checked.

A served post goes through what `postcheck FILE` puts it through: its context
(elections, bios, media descriptions), the linter, suppressions and the
configured waivers. The linter is not built for threads, so every check and
every audit write runs on one worker thread; the event loop stays free to
answer other requests, refuse oversized ones and serve the page meanwhile.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from ..core.errors import PostcheckError
from ..core.findings import Finding
from ..core.post import Post
from ..core.report import Tally, post_entries
from ..engine.linter import Linter
from ..governance.config import Config
from ..governance.context import Context
from ..governance.recorder import RunRecorder
from ..governance.waivers import Waiver, load_waivers
from ..inputs.sources import ReadOptions, read_bytes
from ..reporters.json import report_dict
from ..rulebook.loader import Rulebook

T = TypeVar("T")


@dataclass(frozen=True)
class ServeOptions:
    """How the service listens and what it accepts (`postcheck serve --help` describes each)."""

    host: str = "127.0.0.1"
    port: int = 8686
    audit_dir: Path | None = None
    token: str | None = None
    rate_limit: int = 600  # requests per minute from one client address; 0 turns the limit off
    max_body: int = 10 * 1024 * 1024  # bytes in one request body (a draft, a list of posts, an upload)
    max_posts: int = 1000  # posts in one /v1/check request; larger queues are uploaded
    allowed_hosts: tuple[str, ...] = ()  # names this service answers to besides its address and localhost


@dataclass
class CheckedRun:
    """Posts as checked, in order, with what the run decided about them."""

    results: list[tuple[Post, list[Finding]]]
    tally: Tally
    recorder: RunRecorder = field(repr=False)


class RequestError(Exception):
    """A request the service refuses, with the HTTP status and a message written for the person who sent it."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers  # e.g. Retry-After with a 429


class Service:
    def __init__(self, config: Config, rulebook: Rulebook, options: ServeOptions, linter: Linter | None = None):
        self.config = config
        self.options = options
        self.linter = linter or Linter(rulebook)
        self.rulebook = self.linter.rulebook
        self.waivers: list[Waiver] = load_waivers(Path(config["waivers"]), rulebook.ids) if config["waivers"] else []
        self.read_options = ReadOptions(
            profile=config["profile"], max_chars=config["max_chars"], accounts=config["accounts"]
        )
        config.cases()  # read the watchlist now: a broken one stops the start, not a request
        config.elections()
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="postcheck-check")

    async def in_worker(self, function: Callable[..., T], *args: Any) -> T:
        """Run `function` on the checking thread and wait for it without blocking the event loop."""
        return await asyncio.get_running_loop().run_in_executor(self._worker, partial(function, *args))

    def close(self) -> None:
        self._worker.shutdown(wait=True)

    def _recorder(self, audit: bool) -> RunRecorder:
        today = dt.date.today()  # a service runs for days: election windows and waiver expiry follow the calendar
        context = Context(
            self.config.elections(), self.config.cases(), today, self.config["bios"], open_media_files=False
        )
        audit_dir = self.options.audit_dir if audit else None
        fresh = [dataclasses.replace(waiver, used=0) for waiver in self.waivers]  # each run counts its own uses
        return RunRecorder(self.rulebook, self.config, today, context, fresh, audit_dir=audit_dir)

    def check(self, posts: list[Post], audit: bool = False) -> CheckedRun:
        recorder = self._recorder(audit)
        tally = Tally()
        results = []
        for post, findings in self.linter.check_posts(recorder.context.annotate(post) for post in posts):
            findings = recorder.decide(post, findings, tally)
            tally.add(post, findings)
            results.append((post, findings))
        tally.waivers = recorder.waiver_statuses()
        return CheckedRun(results, tally, recorder)

    def report(self, run: CheckedRun) -> dict:
        """The JSON report contract for a run, as `postcheck --format json` writes it."""
        entries = [entry for post, findings in run.results for entry in post_entries(post, findings)]
        return report_dict(self.rulebook, entries, run.tally)

    def request_posts(self, body: bytes) -> list[Post]:
        """The posts of a /v1/check body: one post object, a list of them, or {"posts": [...]}.

        A record that is not a valid post (no text, an unknown profile) becomes a
        post with an error in the report, as a bad line of a queue does; only a body
        that is not JSON or not shaped like posts at all is refused.
        """
        try:
            value = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise RequestError(400, f"the request body is not valid JSON ({exc})") from None
        single = isinstance(value, dict) and "posts" not in value
        items = [value] if single else value.get("posts") if isinstance(value, dict) else value
        if not isinstance(items, list):
            raise RequestError(400, 'send one post {"text": ...}, a list of posts, or {"posts": [...]}')
        if len(items) > self.options.max_posts:
            raise RequestError(
                413,
                f"{len(items):,} posts in one request; at most {self.options.max_posts:,}: "
                "send them in batches, or upload the queue on the queue page",
            )
        return self.read(b"[" + body + b"]" if single else body, "request", ".json")

    def read(self, data: bytes, source: str, suffix: str) -> list[Post]:
        """Posts from bytes held in memory, read as a file with that suffix would be; `source` only names them."""
        try:
            return list(read_bytes(data, source, suffix, self.read_options))
        except PostcheckError as exc:
            raise RequestError(400, str(exc)) from None
