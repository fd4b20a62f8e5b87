"""Suppressions: a named rule allowed for one post, with a reason, so the audit trail is kept.

In a post file:
`<!-- postcheck: allow endorsement.recommends-business -- charity partner agreed by Corporate Comms -->`.
In a queue record: `"suppress": [{"rule": "...", "reason": "..."}]` (or `"rule -- reason"` strings).
A suppression names a rule id or a whole category. Without a reason, or naming a
rule that does not exist, it is an error; one that suppresses nothing is a warning.
Suppressed findings stay in the report, marked with their reason.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import regex

from ..core.errors import quoted
from ..core.findings import Finding
from ..core.post import Problem, Suppression

INLINE = regex.compile(r"<!--\s*postcheck:\s*allow\s+(?P<rule>[^\s>]+)\s*(?:--\s*(?P<reason>.*?))?\s*-->", regex.DOTALL)


def extract_inline(text: str, first_line: int = 1) -> tuple[str, list[Suppression]]:
    """Find inline suppressions and blank them out (keeping offsets and line breaks) so they are not checked."""
    found = []
    for match in INLINE.finditer(text):
        line = first_line + text.count("\n", 0, match.start())
        found.append(Suppression(match.group("rule"), (match.group("reason") or "").strip(), line))
    blanked = INLINE.sub(lambda m: regex.sub(r"[^\n]", " ", m.group()), text)
    return blanked, found


def from_record(value: object, line: int | None) -> tuple[list[Suppression], list[Problem]]:
    """Suppressions from a queue record's `suppress` field."""
    items = value if isinstance(value, list) else [value]
    found, problems = [], []
    for item in items:
        if isinstance(item, str):
            rule, _, reason = item.partition("--")
            found.append(Suppression(rule.strip(), reason.strip(), line))
        elif isinstance(item, dict) and isinstance(item.get("rule"), str):
            found.append(Suppression(item["rule"].strip(), str(item.get("reason") or "").strip(), line))
        else:
            problems.append(Problem("error", line, "each 'suppress' entry needs a rule and a reason"))
    return found, problems


def apply(
    findings: list[Finding],
    suppressions: list[Suppression],
    known: frozenset,
    checked: set[str],
    hint: Callable[[str], str],
) -> tuple[list[Finding], list[Problem]]:
    """Mark the findings each valid suppression covers; report bad and unused suppressions.

    `known` holds every rule id and category of the rulebook; `checked` the ids of the rules this
    run checks (a suppression of a rule the configuration switched off is not unused). `hint`
    gives a "did you mean" for a mistyped name."""
    problems: list[Problem] = []
    result = list(findings)
    for suppression in suppressions:
        if suppression.rule not in known:
            problems.append(
                Problem(
                    "error",
                    suppression.line,
                    f"suppression names unknown rule {quoted(suppression.rule)}{hint(suppression.rule)} "
                    "(see `postcheck rules`)",
                )
            )
            continue
        if not suppression.reason:
            reason = (
                f"suppression of {quoted(suppression.rule)} needs a reason: "
                "say why after '--', or in the entry's 'reason' field"
            )
            problems.append(Problem("error", suppression.line, reason))
            continue
        used = False
        for i, finding in enumerate(result):
            if finding.suppressed is None and suppression.rule in (finding.rule, finding.category):
                result[i] = dataclasses.replace(finding, suppressed=suppression.reason)
                used = True
        if not used and any(suppression.rule in (rule_id, rule_id.split(".")[0]) for rule_id in checked):
            problems.append(
                Problem(
                    "warning", suppression.line, f"suppression of '{suppression.rule}' suppresses nothing; remove it"
                )
            )
    return result, problems
