"""The rulebook described as data: each rule, the policy and its coverage.

`postcheck rules`, `postcheck coverage` and the web API's `/v1/rules`,
`/v1/policy` and `/v1/coverage` all read these, so the table an officer prints
and the JSON a page fetches cannot disagree.
"""

from __future__ import annotations

from .loader import Rule, Rulebook

COVERED_SECTIONS = ("3.1.5", "3.1.6", "3.2", "3.2.1", "3.3")


def rule_summary(rule: Rule) -> dict:
    """One rule as `postcheck rules --format json` lists it."""
    return {
        "id": rule.id,
        "category": rule.category,
        "severity": rule.severity,
        "profiles": sorted(rule.profiles),
        "cites": list(rule.cites),
        "message": rule.message,
    }


def rule_detail(rule: Rule, rulebook: Rulebook) -> dict:
    """One rule with what `postcheck explain RULE_ID` shows: why, the suggestion, the policy quotes, examples."""
    obligations = [rulebook.policy.obligations[cite] for cite in rule.cites]
    return {
        **rule_summary(rule),
        "suggest": rule.suggest,
        "why": rule.why,
        "citations": [
            {"section": o.section, "obligation": o.id, "title": o.title, "quote": o.quote} for o in obligations
        ],
        "examples": {
            "flag": [{"text": e.text, "profile": e.profile} for e in rule.flag_examples],
            "pass": [{"text": e.text, "profile": e.profile} for e in rule.pass_examples],
        },
    }


def policy_summary(rulebook: Rulebook) -> dict:
    """The policy the rules cite: its name, finding categories and every obligation with its quote."""
    policy = rulebook.policy
    return {
        "title": policy.title,
        "number": policy.number,
        "version": policy.version,
        "date": policy.date,
        "rulebook": rulebook.digest,
        "categories": dict(policy.categories),
        "obligations": [
            {
                "id": o.id,
                "section": o.section,
                "title": o.title,
                "quote": o.quote,
                "checkable": o.checkable,
                "reason": o.reason,
            }
            for o in policy.obligations.values()
        ],
    }


def coverage_rows(rulebook: Rulebook) -> list[dict]:
    """One row per obligation of the covered sections, with the rules citing it."""
    citing: dict[str, list[str]] = {}
    for rule in rulebook.rules:
        for cite in rule.cites:
            citing.setdefault(cite, []).append(rule.id)
    rows = []
    for obligation in rulebook.policy.obligations.values():
        if obligation.section not in COVERED_SECTIONS:
            continue
        rules = citing.get(obligation.id, [])
        status = "covered" if rules else ("not checkable" if not obligation.checkable else "uncovered")
        rows.append(
            {
                "obligation": obligation.id,
                "section": obligation.section,
                "title": obligation.title,
                "status": status,
                "rules": rules,
                "reason": obligation.reason,
            }
        )
    return rows
