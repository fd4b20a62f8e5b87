"""Named patterns in the rulebook: written once under `patterns:`, used by name, expanded as the rulebook loads."""

from __future__ import annotations

import pytest
from tests.cli_support import run
from tests.conftest import REPO, rule_yaml

from postcheck import Linter, PostcheckError, load_rulebook
from postcheck.rulebook.expressions import Leaf, leaves


def load(rules_dir, patterns: str, match: str, **kwargs):
    (rules_dir / "tone.yaml").write_text(f"patterns:\n{patterns}" + rule_yaml(match, **kwargs), encoding="utf-8")
    return load_rulebook((rules_dir,), include_bundled=False)


def error_of(rules_dir, patterns: str, match: str) -> PostcheckError:
    with pytest.raises(PostcheckError) as caught:
        load(rules_dir, patterns, match)
    assert caught.value.path.endswith("tone.yaml")
    assert str(caught.value).startswith(f"{caught.value.path}:{caught.value.line}: ")
    return caught.value


def regexes(rulebook) -> list[str]:
    return [text for leaf in leaves(rulebook.rules[0].match) if leaf.kind == "regex" for text in leaf.value]


def test_a_named_regex_is_spliced_into_the_regex_that_uses_it(rules_dir):
    patterns = "  day: '\\bmonday\\b|\\btuesday\\b'\n  soon: '{pattern:day}|\\btomorrow\\b'\n"
    rulebook = load(rules_dir, patterns, "      regex: '\\bwarrant\\b\\s+{pattern:day}|{pattern:soon}'")
    # A whole alternative is spliced as written; inside a longer alternative it is grouped.
    assert regexes(rulebook) == [
        "\\bwarrant\\b\\s+(?:\\bmonday\\b|\\btuesday\\b)|\\bmonday\\b|\\btuesday\\b|\\btomorrow\\b"
    ]
    linter = Linter(rulebook)
    assert [f.match for f in linter.check("Warrant tuesday?")] == ["Warrant tuesday"]


def test_a_named_group_is_spliced_as_written_where_it_binds_as_one_unit_already(rules_dir):
    patterns = "  not-monday: '(?!monday\\b)'\n  pair: '(?:a)(?:b)'\n"
    rulebook = load(rules_dir, patterns, "      regex: '\\b{pattern:not-monday}\\w+day\\b|x{pattern:pair}'")
    assert regexes(rulebook) == ["\\b(?!monday\\b)\\w+day\\b|x(?:(?:a)(?:b))"]


def test_a_named_pattern_as_a_part_is_the_same_leaf_as_writing_it_out(rules_dir):
    patterns = "  place:\n    any:\n      - phrase: [high street]\n      - regex: '\\bthe\\s+park\\b'\n"
    named = load(rules_dir, patterns, "      all:\n        - phrase: [fight]\n        - context: {pattern: place}")
    written = rule_yaml(
        "      all:\n        - phrase: [fight]\n        - context:\n            any:\n"
        "              - phrase: [high street]\n              - regex: '\\bthe\\s+park\\b'"
    )
    (rules_dir / "tone.yaml").write_text(written, encoding="utf-8")
    assert named.rules[0].match == load_rulebook((rules_dir,), include_bundled=False).rules[0].match


def test_a_named_regex_as_a_part_is_a_regex_leaf(rules_dir):
    rulebook = load(rules_dir, "  soon: '\\btomorrow\\b'\n", "      pattern: soon")
    assert rulebook.rules[0].match == Leaf("regex", ["\\btomorrow\\b"], 'regex:["\\\\btomorrow\\\\b"]')


def test_patterns_are_shared_across_rule_files(rules_dir):
    (rules_dir / "patterns.yaml").write_text("patterns:\n  soon: '\\btomorrow\\b'\n", encoding="utf-8")
    (rules_dir / "tone.yaml").write_text(rule_yaml("      regex: '{pattern:soon}'"), encoding="utf-8")
    assert regexes(load_rulebook((rules_dir,), include_bundled=False)) == ["\\btomorrow\\b"]


def test_an_unknown_name_is_an_error_at_its_line(rules_dir):
    error = error_of(rules_dir, "  soon: '\\btomorrow\\b'\n", "      regex: '{pattern:son}'")
    assert error.message == "unknown pattern 'son' (did you mean 'soon'?)"
    assert error.line == 10


def test_a_reference_left_open_is_an_error_not_literal_text(rules_dir):
    error = error_of(rules_dir, "  soon: '\\btomorrow\\b'\n", "      regex: '\\bnow\\b|{pattern:soon'")
    assert error.message == "'{pattern:' must be a whole reference, {pattern:NAME}, closed by '}'"
    assert error.line == 10


def test_an_unknown_name_inside_a_pattern_names_the_pattern_line(rules_dir):
    error = error_of(rules_dir, "  soon: '\\btomorrow\\b'\n  later: '{pattern:never}'\n", "      pattern: later")
    assert "unknown pattern 'never'" in error.message
    assert error.line == 3


def test_patterns_that_use_each_other_in_a_loop_are_an_error(rules_dir):
    patterns = "  a: '\\bx\\b|{pattern:b}'\n  b: 'y{pattern:c}'\n  c: '{pattern:a}'\n"
    error = error_of(rules_dir, patterns, "      regex: '{pattern:a}'")
    assert error.message == "patterns use each other in a loop: a -> b -> c -> a"
    assert error.line == 2


def test_a_pattern_that_uses_itself_is_a_loop(rules_dir):
    error = error_of(rules_dir, "  a:\n    any: [{phrase: [x]}, {pattern: a}]\n", "      pattern: a")
    assert error.message == "patterns use each other in a loop: a -> a"


def test_a_match_expression_cannot_be_used_inside_a_regex(rules_dir):
    error = error_of(rules_dir, "  place:\n    any: [{phrase: [high street]}]\n", "      regex: 'in {pattern:place}'")
    assert "pattern 'place' is a match expression" in error.message
    assert "`pattern: place`" in error.message
    assert error.line == 11


def test_names_belong_in_regexes_not_in_phrases(rules_dir):
    error = error_of(rules_dir, "  soon: '\\btomorrow\\b'\n", "      phrase: ['{pattern:soon}']")
    assert error.message == "named patterns are used in regexes, not in a 'phrase' list"


def test_patterns_inside_a_rule_are_an_unknown_key(rules_dir):
    with pytest.raises(PostcheckError, match="unknown key 'patterns'"):
        load(rules_dir, "  soon: '\\btomorrow\\b'\n", "      pattern: soon", extra="    patterns: {x: 'y'}\n")


@pytest.mark.parametrize(
    ("patterns", "fragment", "line"),
    [
        ("  Soon: '\\btomorrow\\b'\n", "pattern name 'Soon' must be lower-case words joined by '-'", 2),
        ("  soon: ''\n", "pattern 'soon' must be a regex (text) or a match expression (mapping)", 2),
        ("  soon: [x]\n", "pattern 'soon' must be a regex (text) or a match expression (mapping)", 2),
        ("  soon: '\\btomorrow\\b'\n  idle: '\\bnever\\b'\n", "pattern 'idle' is not used by any rule; remove it", 3),
        ("  soon: '(unclosed'\n", "regex does not compile", 2),
    ],
)
def test_bad_definitions_are_errors_at_their_line(rules_dir, patterns, fragment, line):
    error = error_of(rules_dir, patterns, "      pattern: soon")
    assert fragment in error.message
    assert error.line == line


@pytest.mark.parametrize(
    ("definition", "fragment"),
    [
        ("'(unclosed'", "regex does not compile"),
        ("'(?:\\w+\\s?)+x'", "regex nests unbounded quantifiers"),
    ],
)
def test_a_bad_named_regex_inside_a_regex_is_an_error_at_its_definition(rules_dir, definition, fragment):
    # Reported at the rule, the error would point at a regex its author never wrote (the expansion).
    patterns = f"  soon: '\\btomorrow\\b'\n  broken: {definition}\n"
    error = error_of(rules_dir, patterns, "      regex: '\\bwarrant\\b\\s+{pattern:broken}|{pattern:soon}'")
    assert fragment in error.message
    assert error.line == 3


def test_a_bad_named_regex_used_through_another_is_an_error_at_its_own_line(rules_dir):
    patterns = "  broken: '[unclosed'\n  outer: '\\bsoon\\b\\s+{pattern:broken}'\n"
    error = error_of(rules_dir, patterns, "      regex: '\\bwarrant\\b\\s+{pattern:outer}'")
    assert "regex does not compile" in error.message
    assert error.line == 2


def test_a_name_defined_in_two_files_is_an_error(rules_dir):
    (rules_dir / "patterns.yaml").write_text("patterns:\n  soon: '\\bsoon\\b'\n", encoding="utf-8")
    error = error_of(rules_dir, "  soon: '\\btomorrow\\b'\n", "      pattern: soon")
    assert error.message.startswith("pattern 'soon' is defined twice (first at ")


def test_a_loop_through_the_command_line_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "local.yaml").write_text("patterns:\n  a: '{pattern:a}'\n", encoding="utf-8")
    result = run("--rules-dir", str(tmp_path), str(REPO / "examples" / "compliant-corporate.txt"))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"postcheck: error: {tmp_path / 'local.yaml'}:2: patterns use each other in a loop: a -> a"
    ]


def test_the_bundled_rulebook_has_no_name_left_unexpanded(rulebook):
    texts = [
        text for rule in rulebook.rules for leaf in leaves(rule.match) if leaf.kind == "regex" for text in leaf.value
    ]
    assert texts and not [text for text in texts if "{pattern:" in text]


@pytest.mark.parametrize(
    ("regex_text", "expanded"),
    [
        ("x{pattern:one}", "x(?:(?:a)|(?:b))"),  # two groups side by side are not one unit
        ("x{pattern:class}", "x([^])]+)"),  # a ")" or "]" first in a class does not close anything
    ],
)
def test_a_named_regex_binds_as_one_unit_whatever_its_groups_hold(rules_dir, regex_text, expanded):
    patterns = "  one: '(?:a)|(?:b)'\n  class: '([^])]+)'\n"
    rulebook = load(rules_dir, patterns, f"      regex: '{regex_text}|{{pattern:one}}|{{pattern:class}}'")
    assert regexes(rulebook)[0].split("|(?:a)|")[0] == expanded
