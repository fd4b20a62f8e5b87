"""The policy map: quotes are verbatim, ids are unique, and coverage leaves no silent gap."""

from __future__ import annotations

import re

from postcheck.rulebook.catalogue import COVERED_SECTIONS, coverage_rows


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_every_quote_occurs_in_the_policy_text(rulebook):
    policy_text = _squash(rulebook.policy.text_path.read_text(encoding="utf-8"))
    missing = [o.id for o in rulebook.policy.obligations.values() if _squash(o.quote) not in policy_text]
    assert not missing, f"quotes not found verbatim in the policy: {missing}"


def test_obligation_ids_name_their_section(rulebook):
    for obligation in rulebook.policy.obligations.values():
        assert obligation.id.startswith(obligation.section + "."), obligation.id


def test_every_section_the_linter_covers_has_obligations(rulebook):
    sections = {o.section for o in rulebook.policy.obligations.values()}
    assert set(COVERED_SECTIONS) <= sections


def test_no_checkable_obligation_is_uncovered(rulebook):
    uncovered = [row["obligation"] for row in coverage_rows(rulebook) if row["status"] == "uncovered"]
    assert not uncovered, f"obligations with no rule and no reason: {uncovered}"


def test_unchecked_obligations_say_why(rulebook):
    for obligation in rulebook.policy.obligations.values():
        if not obligation.checkable:
            assert len(obligation.reason) > 20, obligation.id


def test_policy_identity(rulebook):
    assert rulebook.policy.number == "386"
    assert rulebook.policy.version == "1.1"
