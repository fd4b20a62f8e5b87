"""Reporters write a run's results in one output format.

Each reporter is told about the run once (`start`), about each post as it is
checked (`post`), and about the tally at the end (`end`), so a queue of any
length is written as it streams. Reporters may import the rulebook and the
core, nothing else: they render what the engine found and governance decided.
"""

from __future__ import annotations

from .csv import CsvReporter
from .github import GithubReporter
from .json import JsonReporter
from .jsonl import JsonLinesReporter
from .sarif import SarifReporter
from .text import TextReporter

REPORTERS = {
    "text": TextReporter,
    "json": JsonReporter,
    "jsonl": JsonLinesReporter,
    "sarif": SarifReporter,
    "github": GithubReporter,
    "csv": CsvReporter,
}

__all__ = ["REPORTERS"]
