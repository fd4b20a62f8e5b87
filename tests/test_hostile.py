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
from postcheck.cli.app import app
from postcheck.core.yamlfile import parse_yaml
from postcheck.engine.matchers import REGEX_TIMEOUT_SECONDS, REGEX_WALL_SECONDS
from postcheck.inputs.sources import ReadOptions
from postcheck.rulebook.expressions import leaves

RULE_REGEXES = sorted(
    {
        (rule.id, pattern.compiled)
        for rule in load_rulebook().rules
        for leaf in leaves(rule.match)
        if leaf.kind == "regex"
        for pattern in leaf.compiled
    },
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


@pytest.mark.parametrize(
    ("rule_id", "pattern"), RULE_REGEXES, ids=[f"{r}:{i}" for i, (r, _) in enumerate(RULE_REGEXES)]
)
def test_every_rule_regex_is_fast_on_adversarial_strings(rule_id, pattern):
    for text in ADVERSARIAL:
        started = time.thread_time()
        try:
            for _ in pattern.finditer(text, timeout=REGEX_WALL_SECONDS):
                pass
        except TimeoutError:
            pytest.fail(f"{rule_id}: /{pattern.pattern}/ timed out on a {len(text)}-character adversarial string")
        assert time.thread_time() - started < REGEX_TIMEOUT_SECONDS * 4


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


SAFE_ALTERNATIVES = sorted(
    {
        (p.searched, p.safe_length)
        for r in load_rulebook().rules
        for leaf in leaves(r.match)
        for p in leaf.compiled
        if p.safe_length
    },
)


@pytest.mark.parametrize(
    ("source", "safe_length"), SAFE_ALTERNATIVES, ids=[str(i) for i in range(len(SAFE_ALTERNATIVES))]
)
def test_a_regex_searched_without_a_timeout_is_fast_up_to_its_safe_length(source, safe_length):
    import regex

    pattern = regex.compile(source, regex.IGNORECASE)
    for text in ADVERSARIAL:
        started = time.thread_time()
        for _ in pattern.finditer(text[:safe_length]):
            pass
        assert time.thread_time() - started < REGEX_TIMEOUT_SECONDS * 4, f"/{source}/ on {safe_length} characters"


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\bmuppet\b", lambda n: n > 100_000),  # no repeats: constant work from each start
        (r"\btoo\s+soft\s+on\s+crime\b", lambda n: 300 < n < 100_000),  # spaces never start a word: linear
        (r"(?-i:[a-z]+\s*[a-z]+\s*[a-z]+X)", lambda n: 0 < n < 100),  # each repeat overlaps the next: cubic
        (r"(?:a|a)+b", lambda n: n == 0),  # a repeated group: exponential, keeps the timeout
        (r"(a)\1", lambda n: n == 0),  # backreference
        (r"\s+(?=\w+\w+x)y", lambda n: n < 1_000),  # a lookahead's cost counts at every stop
    ],
)
def test_safe_length_follows_the_worst_case_of_the_pattern(pattern, expected):
    from postcheck.rulebook.regexbound import safe_length

    assert expected(safe_length(pattern)), safe_length(pattern)


def test_only_texts_beyond_the_safe_length_are_searched_with_a_timeout(rules_dir, monkeypatch):
    from tests.conftest import rule_yaml

    from postcheck import Linter
    from postcheck.rulebook import expressions

    timeouts = []

    class Recorder:
        def __init__(self, compiled):
            self.compiled = compiled

        def finditer(self, text, timeout=None):
            timeouts.append(timeout)
            return self.compiled.finditer(text, timeout=timeout)

    compiled = expressions.LazyPattern.compiled
    monkeypatch.setattr(expressions.LazyPattern, "compiled", property(lambda self: Recorder(compiled.fget(self))))
    (rules_dir / "tone.yaml").write_text(rule_yaml(r"      regex: '\bmuppet\b'"), encoding="utf-8")
    lint = Linter(load_rulebook((rules_dir,), include_bundled=False))
    [pattern] = lint.rulebook.rules[0].match.compiled
    lint.check("you muppet")
    lint.check("you muppet " + "and more " * (pattern.safe_length // 9 + 1))
    assert timeouts == [None, REGEX_TIMEOUT_SECONDS]
