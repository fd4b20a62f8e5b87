"""Every rule's own examples run as tests: each flag example fires that rule, each pass example does not."""

from __future__ import annotations

import pytest

from postcheck import load_rulebook

RULES = load_rulebook().rules
FLAG_CASES = [(rule.id, ex.text, ex.profile, ex.contexts or rule.when) for rule in RULES for ex in rule.flag_examples]
PASS_CASES = [(rule.id, ex.text, ex.profile, ex.contexts or rule.when) for rule in RULES for ex in rule.pass_examples]


@pytest.fixture(scope="module")
def linter(tmp_path_factory):
    """The bundled rules, with a watchlist case so the live-proceedings rules have a name to find."""
    from postcheck import Linter
    from postcheck.governance.config import Config, configure

    proceedings = tmp_path_factory.mktemp("cases") / "proceedings.yaml"
    proceedings.write_text(
        "- {case: T20261234, name: Jordan Wells, aliases: [J Wells], status: charged}\n", encoding="utf-8"
    )
    config = Config()
    config.values["proceedings"] = str(proceedings)
    return Linter(configure(load_rulebook(), config))


@pytest.mark.parametrize(("rule_id", "text", "profile", "contexts"), FLAG_CASES)
def test_flag_example_fires_its_rule(linter, rule_id, text, profile, contexts):
    fired = {f.rule for f in linter.check(text, profile, contexts)}
    assert rule_id in fired, f"False negative against {rule_id}: {text!r} (fired: {sorted(fired)})"


@pytest.mark.parametrize(("rule_id", "text", "profile", "contexts"), PASS_CASES)
def test_pass_example_does_not_fire_its_rule(linter, rule_id, text, profile, contexts):
    fired = {f.rule for f in linter.check(text, profile, contexts)}
    assert rule_id not in fired, f"False positive against {rule_id}: {text!r}"


def test_every_rule_has_flag_and_pass_examples():
    lacking = [r.id for r in RULES if not r.flag_examples or not r.pass_examples]
    assert not lacking, f"Some rules lack examples: {', '.join(lacking)}"


def test_every_category_has_rules(rulebook):
    without = set(rulebook.policy.categories) - {rule.category for rule in rulebook.rules}
    assert not without, f"categories with no rules: {sorted(without)}"


def test_neutral_smoke_post_is_clean_for_both_profiles(linter):
    text = "Officers will be at the community centre on Tuesday morning. Come and say hello."
    assert linter.check(text, "corporate") == []
    assert linter.check(text, "personal") == []
