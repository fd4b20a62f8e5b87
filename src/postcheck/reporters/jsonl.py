"""JSON Lines: one post per line, written as soon as it is checked (same post objects as the JSON report)."""

from __future__ import annotations

import json
from typing import TextIO

from ..core.findings import Finding
from ..core.post import Post
from ..core.report import Tally, post_dict
from ..rulebook.loader import Rulebook


class JsonLinesReporter:
    def __init__(self, stream: TextIO):
        self.stream = stream

    def start(self, rulebook: Rulebook) -> None:
        self.digest = rulebook.digest

    def post(self, post: Post, findings: list[Finding]) -> None:
        self.stream.write(json.dumps(post_dict(post, findings)) + "\n")

    def end(self, tally: Tally) -> None:
        self.stream.flush()
