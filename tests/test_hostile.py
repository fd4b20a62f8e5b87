"""Hostile input: adversarial strings against every rule regex, no network, fuzzed readers and loader."""
from __future__ import annotations

import json
import socket
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from postcheck import PostcheckError, load_rulebook, read_source
from postcheck.cli import app
from postcheck.expressions import leaves
from postcheck.matchers import REGEX_TIMEOUT_SECONDS
from postcheck.sources import ReadOptions
from postcheck.yamlfile import parse_yaml

RULE_REGEXES = sorted(
    {(rule.id, pattern.compiled) for rule in load_rulebook().rules for leaf in leaves(rule.match) if leaf.kind == "regex" for pattern in leaf.compiled},
    key=lambda item: (item[0], item[1].pattern),
)
ADVERSARIAL = [
    "a" * 50_000,
    "A " * 20_000,
    "#tag " * 10_000,
    "!?" * 20_000,
    ("you absolute " * 5_000) + "x",
    "1" * 30_000,
    ("Name Surname, " * 3_000) + "he's 14",
    "[" * 10_000 + "photo: " + "]" * 10_000,
    "\u200b".join("vote" * 5_000),
]


@pytest.mark.parametrize(("rule_id", "pattern"), RULE_REGEXES, ids=[f"{r}:{i}" for i, (r, _) in enumerate(RULE_REGEXES)])
def test_every_rule_regex_is_fast_on_adversarial_strings(rule_id, pattern):
    for text in ADVERSARIAL:
        started = time.perf_counter()
        try:
            for _ in pattern.finditer(text, timeout=REGEX_TIMEOUT_SECONDS * 4):
                pass
        except TimeoutError:
            pytest.fail(f"{rule_id}: /{pattern.pattern}/ timed out on a {len(text)}-character adversarial string")
        assert time.perf_counter() - started < REGEX_TIMEOUT_SECONDS * 4


def test_checking_needs_no_network(linter, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("postcheck tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    result = CliRunner().invoke(app, ["--format", "json", "-"], input="Vote Labour, you muppet!")
    assert result.exit_code == 1 and json.loads(result.stdout)["posts"][0]["findings"]


FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".txt", ".md", ".jsonl", ".json", ".yaml", ".csv"]))
def test_fuzz_source_readers_never_crash(tmp_path, data, suffix):
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    try:
        posts = list(read_source(str(path), ReadOptions(max_chars=1000)))
    except PostcheckError as error:
        assert error.message and error.path == str(path)
        return
    for post in posts:
        assert post.error is None or isinstance(post.error, str)
        assert post.error is not None or post.text.strip()


@FUZZ
@given(text=st.text(max_size=300))
def test_fuzz_yaml_loader_never_crashes(text):
    try:
        parse_yaml(text, "rules/fuzz.yaml")
    except PostcheckError as error:
        assert str(error).startswith("rules/fuzz.yaml")


@FUZZ
@given(body=st.text(alphabet=st.sampled_from(list("rules:- idseveritymatch{}[]:'\"\n #.|*&!")), max_size=200))
def test_fuzz_rulebook_loader_reports_errors_not_tracebacks(rules_dir, body):
    (rules_dir / "fuzz.yaml").write_text(body, encoding="utf-8")
    try:
        load_rulebook((rules_dir,), include_bundled=False)
    except PostcheckError as error:
        assert "fuzz.yaml" in str(error) or "policy" in str(error)
