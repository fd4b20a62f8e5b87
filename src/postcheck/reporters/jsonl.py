"""JSON Lines: one post per line, written as soon as it is checked (the same post objects as the
JSON report), then one closing line with the run's summary.

The closing line is the only one with a `summary` key (and no `findings`), so a consumer that
reads post lines can tell it apart, and one that reads the last line knows the run finished.
"""

from __future__ import annotations

import json
from typing import TextIO

from ..core.findings import Finding
from ..core.post import Post
from ..core.report import REPORT_VERSION, Tally, post_entries
from ..rulebook.loader import Rulebook


class JsonLinesReporter:
    def __init__(self, stream: TextIO):
        self.stream = stream

    def start(self, rulebook: Rulebook) -> None:
        self.digest = rulebook.digest

    def post(self, post: Post, findings: list[Finding]) -> None:
        for entry in post_entries(post, findings):
            self.stream.write(json.dumps(entry) + "\n")

    def end(self, tally: Tally) -> None:
        closing = {"version": REPORT_VERSION, "rulebook": self.digest, "summary": tally.as_dict()}
        self.stream.write(json.dumps(closing | {"waivers": tally.waivers}) + "\n")
        self.stream.flush()
