"""Damaged and hostile state around the rules: the cache never changes a verdict, and a rule directory cannot
bring in a regex that stalls every post or a lexicon that stalls every start."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from tests.conftest import rule_yaml

from postcheck import Linter, PostcheckError, load_rulebook
from postcheck.rulebook.cache import cache_dir, read_json, write_json
from postcheck.rulebook.lexicon import MAX_LEXICON_TERMS

VOTING = "Vote Labour on Thursday, and recommend it to your friends."
TEXTS = [VOTING, "We love the new Ring doorbell, it's brilliant.", "Highly recommended: Greggs, loved their pies."]


@pytest.fixture(scope="module")
def filled_cache(tmp_path_factory):
    """A cache filled by a first run, and the findings that run gave on TEXTS."""
    directory = tmp_path_factory.mktemp("filled") / "cache"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("POSTCHECK_CACHE_DIR", str(directory))
        linter = Linter(load_rulebook())
    return directory, [{(f.rule, f.start, f.end) for f in linter.check(text)} for text in TEXTS]


@pytest.fixture
def own_cache(filled_cache, tmp_path, monkeypatch):
    """A copy of the filled cache for this test alone."""
    shutil.copytree(filled_cache[0], tmp_path / "cache")
    monkeypatch.setenv("POSTCHECK_CACHE_DIR", str(tmp_path / "cache"))
    return cache_dir()


def _poison(path: Path, change) -> None:
    """Rewrite a cache file's content as someone without the sealing key can: the seal (if any) kept as it was."""
    data = path.read_bytes()
    seal, _, payload = data.partition(b"\n")
    if data.startswith(b"{"):  # an unsealed file (before the seal existed)
        seal, payload = b"", data
    path.write_bytes((seal + b"\n" if seal else b"") + json.dumps(change(json.loads(payload))).encode())


def _findings() -> list[set[tuple[str, int, int]]]:
    linter = Linter(load_rulebook())
    return [{(f.rule, f.start, f.end) for f in linter.check(text)} for text in TEXTS]


def test_a_poisoned_regex_cache_cannot_hide_a_finding(own_cache, filled_cache):
    clean = filled_cache[1]
    assert "political.voting-advice" in {rule for rule, _, _ in clean[0]}

    def never_passes(data):
        for checks in data["prechecks"].values():
            checks[0] = ["\x01zzzqqq\x01"]  # a literal no post contains: every pre-check fails
        return data

    [regexes] = own_cache.glob("regexes-*.json")
    _poison(regexes, never_passes)
    assert _findings() == clean


def test_a_poisoned_lemma_cache_cannot_change_a_verdict(own_cache, filled_cache):
    [lemmas] = own_cache.glob("lemmas-*.json")
    _poison(lemmas, lambda table: dict.fromkeys(table, "zzz"))
    assert _findings() == filled_cache[1]


def test_a_cache_file_answers_only_to_its_own_name(own_cache):
    [lemmas] = own_cache.glob("lemmas-*.json")
    assert read_json(lemmas) is not None
    elsewhere = own_cache / lemmas.name.replace("lemmas-", "lemmas-0")
    elsewhere.write_bytes(lemmas.read_bytes())
    assert read_json(elsewhere) is None


def test_a_cache_without_its_key_is_not_read(own_cache, tmp_path, monkeypatch):
    from postcheck.rulebook import cache

    path = own_cache / "probe-1.json"
    write_json(path, {"a": 1})
    assert read_json(path) == {"a": 1}
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "another-user"))
    cache._key.cache_clear()
    try:
        assert read_json(path) is None
    finally:
        monkeypatch.undo()
        cache._key.cache_clear()


@pytest.mark.parametrize("pattern", [r"(a|aa)+b", r"\w*\w*\w*\w*!", r"[a-z]+[a-z]+[a-z]+[a-z]+X"])
def test_a_catastrophic_regex_in_a_rule_directory_is_refused_at_load(rules_dir, pattern, monkeypatch, tmp_path):
    monkeypatch.setenv("POSTCHECK_CACHE_DIR", str(tmp_path / "cache"))
    (rules_dir / "tone.yaml").write_text(rule_yaml(f"      regex: '{pattern}'"), encoding="utf-8")
    with pytest.raises(PostcheckError) as error:
        load_rulebook((rules_dir,), include_bundled=False)
    assert "tone.yaml:" in str(error.value) and "exponential time" in str(error.value)


def test_a_regex_with_a_sound_repeated_group_is_accepted(rules_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("POSTCHECK_CACHE_DIR", str(tmp_path / "cache"))
    (rules_dir / "tone.yaml").write_text(rule_yaml(r"      regex: '\b(?:ha)+\b'", flag="hahaha"), encoding="utf-8")
    [rule] = load_rulebook((rules_dir,), include_bundled=False).rules
    assert rule.id == "tone.sample"


def test_a_lexicon_too_large_to_load_quickly_is_refused_before_it_is_built(rules_dir):
    terms = "".join(f"  - word{i}\n" for i in range(MAX_LEXICON_TERMS + 1))
    (rules_dir / "lexicons" / "huge.yaml").write_text(f"description: many\nterms:\n{terms}", encoding="utf-8")
    with pytest.raises(PostcheckError) as error:
        load_rulebook((rules_dir,), include_bundled=False)
    assert "huge.yaml:2" in str(error.value) and "terms" in str(error.value)


def test_configuration_cannot_grow_a_lexicon_past_the_limit(tmp_path):
    from postcheck.governance.config import configure, load_config

    extra = json.dumps([f"Shop {i}" for i in range(MAX_LEXICON_TERMS)])
    settings = tmp_path / ".postcheck.yaml"
    settings.write_text(f"lexicons:\n  brands: {extra}\n", encoding="utf-8")
    with pytest.raises(PostcheckError) as error:
        configure(load_rulebook(), load_config(settings))
    assert ".postcheck.yaml:1" in str(error.value) and "lexicon 'brands'" in str(error.value)
