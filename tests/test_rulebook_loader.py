"""The rulebook loader rejects every malformed rule with `file:line: message`."""

from __future__ import annotations

import pytest
from tests.conftest import rule_yaml

from postcheck import PostcheckError, load_rulebook

GOOD_MATCH = "      phrase: [hello]"


def load(rules_dir, text: str, name: str = "tone.yaml"):
    (rules_dir / name).write_text(text, encoding="utf-8")
    return load_rulebook((rules_dir,), include_bundled=False)


def expect_error(rules_dir, text: str, fragment: str, line: int | None = None):
    with pytest.raises(PostcheckError) as caught:
        load(rules_dir, text)
    error = caught.value
    assert fragment in error.message
    assert error.path and error.path.endswith("tone.yaml")
    if line is not None:
        assert error.line == line, str(error)
    assert str(error).startswith(f"{error.path}:")
    return error


def test_a_valid_rule_loads(rules_dir):
    rulebook = load(rules_dir, rule_yaml(GOOD_MATCH))
    assert [r.id for r in rulebook.rules] == ["tone.sample"]
    assert rulebook.digest


def test_unknown_key(rules_dir):
    expect_error(rules_dir, rule_yaml(GOOD_MATCH, extra="    colour: red\n"), "unknown key 'colour'", line=7)


def test_missing_field(rules_dir):
    text = rule_yaml(GOOD_MATCH).replace("    suggest: Sample suggestion.\n", "")
    expect_error(rules_dir, text, "missing 'suggest'", line=2)


def test_duplicate_id(rules_dir):
    one = rule_yaml(GOOD_MATCH)
    two = one.replace("rules:\n", "")
    error = expect_error(rules_dir, one + two, "duplicate rule id 'tone.sample'")
    assert "first defined at" in error.message


@pytest.mark.parametrize("bad_id", ["tone", "Tone.Sample", "tone.sample_rule", "tone.", ".sample"])
def test_id_shape(rules_dir, bad_id):
    expect_error(rules_dir, rule_yaml(GOOD_MATCH, rule_id=bad_id), "<category>.<slug>", line=2)


def test_unknown_category(rules_dir):
    expect_error(rules_dir, rule_yaml(GOOD_MATCH, rule_id="gossip.sample"), "unknown category 'gossip'")


def test_unknown_obligation(rules_dir):
    text = rule_yaml(GOOD_MATCH).replace("[3.1.5.professional-tone]", "[3.9.nothing]")
    expect_error(rules_dir, text, "cites unknown obligation '3.9.nothing'", line=4)


def test_bad_severity(rules_dir):
    expect_error(
        rules_dir,
        rule_yaml(GOOD_MATCH).replace("severity: error", "severity: fatal"),
        "severity must be one of",
        line=3,
    )


def test_bad_profile(rules_dir):
    expect_error(rules_dir, rule_yaml(GOOD_MATCH, extra="    profiles: [everyone]\n"), "profiles must be", line=7)


def test_regex_that_does_not_compile(rules_dir):
    expect_error(rules_dir, rule_yaml("      regex: '(unclosed'"), "regex does not compile", line=8)


def test_regex_with_nested_unbounded_quantifiers(rules_dir):
    expect_error(rules_dir, rule_yaml("      regex: '(a+)+b'"), "nests unbounded quantifiers")


def test_unknown_lexicon(rules_dir):
    expect_error(rules_dir, rule_yaml("      lexicon: nowhere"), "unknown lexicon 'nowhere'")


def test_unknown_matcher_kind(rules_dir):
    expect_error(rules_dir, rule_yaml("      telepathy: [x]"), "needs exactly one of")


def test_not_outside_all(rules_dir):
    expect_error(rules_dir, rule_yaml("      not: {phrase: [x]}"), "'not' can only be a part of an 'all' list")


def test_bad_scope(rules_dir):
    expect_error(rules_dir, rule_yaml("      all: [{phrase: [x]}]\n      scope: paragraph"), "scope must be one of")


def test_invalid_token_pattern_is_reported_when_compiled(rules_dir):
    from postcheck import Linter

    rulebook = load(rules_dir, rule_yaml("      pattern: [{FLAVOUR: sweet}]"))
    with pytest.raises(PostcheckError) as caught:
        Linter(rulebook)
    assert "invalid token pattern" in caught.value.message
    assert caught.value.path.endswith("tone.yaml")


def test_missing_examples(rules_dir):
    text = rule_yaml(GOOD_MATCH).replace('      pass: ["y"]\n', "")
    expect_error(rules_dir, text, "at least one 'pass' example")


def test_yaml_syntax_error_names_the_line(rules_dir):
    expect_error(rules_dir, "rules:\n  - id: tone.x\n    severity: [unclosed\n", "invalid YAML", line=None)


def test_yaml_aliases_are_refused(rules_dir):
    text = "rules:\n  - &a {id: tone.x}\n  - *a\n"
    expect_error(rules_dir, text, "aliases")


def test_rule_file_must_hold_a_rules_list(rules_dir):
    expect_error(rules_dir, "- just a list\n", "a mapping with 'rules'", line=1)


def test_bad_lexicon(rules_dir):
    (rules_dir / "lexicons" / "words.yaml").write_text("terms: [ok, 3]\n", encoding="utf-8")
    with pytest.raises(PostcheckError) as caught:
        load(rules_dir, rule_yaml(GOOD_MATCH))
    assert "list of strings" in caught.value.message
    assert caught.value.path.endswith("words.yaml")


def test_extra_rule_directory_adds_rules_to_the_bundled_ones(tmp_path):
    extra = tmp_path / "force-rules"
    extra.mkdir()
    (extra / "local.yaml").write_text(rule_yaml(GOOD_MATCH, rule_id="tone.local-sample"), encoding="utf-8")
    rulebook = load_rulebook((extra,))
    assert "tone.local-sample" in rulebook.ids
    assert len(rulebook.rules) > 1


def test_unknown_rule_id_lookup_is_a_clear_error(rulebook):
    with pytest.raises(PostcheckError, match=r"no such rule 'tone.nope'"):
        rulebook.rule("tone.nope")
