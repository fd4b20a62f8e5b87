"""The loader refuses a learned rule written wrongly, with the file and line."""

from __future__ import annotations

import pytest
from tests.conftest import rule_yaml

from postcheck import PostcheckError, load_rulebook


@pytest.mark.parametrize(
    ("match", "extra", "fragment"),
    [
        ("      all: [{model: tone}, {phrase: [hello]}]", "", "stands alone"),
        ("      model: political", "", "can only ask the model about tone"),
        ("      model: tone", "    unless: [negated]\n", "takes no 'unless'"),
        ("      model: [tone]", "", "needs the name of the category"),
    ],
)
def test_the_loader_refuses_a_learned_rule_written_wrongly(rules_dir, match, extra, fragment):
    (rules_dir / "tone.yaml").write_text(
        rule_yaml(match, extra=extra).replace("severity: error", "severity: warning"), encoding="utf-8"
    )
    with pytest.raises(PostcheckError, match=fragment):
        load_rulebook((rules_dir,), include_bundled=False)


def test_the_loader_refuses_a_learned_rule_that_is_an_error(rules_dir):
    (rules_dir / "tone.yaml").write_text(rule_yaml("      model: tone"), encoding="utf-8")
    with pytest.raises(PostcheckError, match="severity must be warning or info") as caught:
        load_rulebook((rules_dir,), include_bundled=False)
    assert caught.value.line == 3
