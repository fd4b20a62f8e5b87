"""Reporters write a run's results in one output format.

Each reporter is told about the run once (`start`), about each post as it is
checked (`post`), and about the tally at the end (`end`), so a queue of any
length is written as it streams. Reporters may import the rulebook and the
core, nothing else: they render what the engine found and governance decided.

A run writes one format, so `reporter_class` imports only that format's module:
an officer's check of a draft loads no JSON, SARIF, GitHub or CSV writer.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# Each format: the module that writes it, and its reporter class.
_REPORTERS = {
    "text": (".text", "TextReporter"),
    "json": (".json", "JsonReporter"),
    "jsonl": (".jsonl", "JsonLinesReporter"),
    "sarif": (".sarif", "SarifReporter"),
    "github": (".github", "GithubReporter"),
    "csv": (".csv", "CsvReporter"),
}


def reporter_class(kind: str) -> Any:
    """The reporter class of one output format (`text`, `json`, `jsonl`, `sarif`, `github` or `csv`)."""
    module, name = _REPORTERS[kind]
    return getattr(import_module(module, __name__), name)


__all__ = ["reporter_class"]
