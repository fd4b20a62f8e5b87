"""The JSON report: the contract CI pipelines read (see README, "JSON report").

Posts are written as they are checked and the summary last, so the report of
a 100,000-post queue never sits whole in memory. Output is ASCII JSON: post text
may hold lone surrogates or control characters, and escaping keeps every
consumer's decoder and terminal safe.
"""

from __future__ import annotations

import json
from typing import TextIO

from ..core.findings import Finding
from ..core.post import Post
from ..core.report import REPORT_VERSION, Tally, post_entries
from ..rulebook.loader import Rulebook


def report_head(rulebook: Rulebook) -> dict:
    """What the report says before its posts: the contract version, the rulebook and the policy."""
    policy = rulebook.policy
    return {
        "version": REPORT_VERSION,
        "rulebook": rulebook.digest,
        "policy": {"title": policy.title, "number": policy.number, "version": policy.version},
    }


class JsonReporter:
    def __init__(self, stream: TextIO):
        self.stream = stream
        self._first = True

    def start(self, rulebook: Rulebook) -> None:
        self.stream.write(json.dumps(report_head(rulebook))[:-1] + ', "posts": [')

    def post(self, post: Post, findings: list[Finding]) -> None:
        for entry in post_entries(post, findings):
            self.stream.write(("\n" if self._first else ",\n") + json.dumps(entry))
            self._first = False

    def end(self, tally: Tally) -> None:
        self.stream.write(
            '\n], "summary": ' + json.dumps(tally.as_dict()) + ', "waivers": ' + json.dumps(tally.waivers) + "}\n"
        )


def report_dict(rulebook: Rulebook, posts: list[dict], tally: Tally) -> dict:
    """The whole report as one value, for a caller that holds every post already (the web API)."""
    return {**report_head(rulebook), "posts": posts, "summary": tally.as_dict(), "waivers": tally.waivers}
