"""SARIF 2.1.0 for code-scanning dashboards: rules with help and policy citations, results with regions.

Results are streamed into the single run as posts are checked. Suppressed
findings keep their place with a SARIF `suppressions` entry; unreadable posts
become tool execution notifications, so nothing disappears from the log.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from ..core.findings import Finding
from ..core.fingerprint import clause_fingerprint
from ..core.post import Post
from ..core.report import Tally
from ..core.version import version
from ..rulebook.loader import Rule, Rulebook
from .location import is_record, region

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _rule_descriptor(rule: Rule, rulebook: Rulebook) -> dict:
    obligations = [rulebook.policy.obligations[c] for c in rule.cites]
    citations = "\n".join(f'Policy {o.section} ({o.id}): "{o.quote}"' for o in obligations)
    return {
        "id": rule.id,
        "name": "".join(part.title() for part in rule.id.replace(".", "-").split("-")),
        "shortDescription": {"text": rule.message},
        "fullDescription": {"text": rule.why or rule.message},
        "help": {
            "text": f"{rule.suggest}\n\n{citations}",
            "markdown": f"{rule.suggest}\n\n" + citations.replace("\n", "  \n"),
        },
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {
            "category": rule.category,
            "tags": [rule.category, "policy-386"],
            "citations": [{"section": o.section, "obligation": o.id, "quote": o.quote} for o in obligations],
        },
    }


class SarifReporter:
    def __init__(self, stream: TextIO):
        self.stream = stream
        self._first = True
        self._notifications: list[dict] = []

    def start(self, rulebook: Rulebook) -> None:
        self._index = {rule.id: i for i, rule in enumerate(rulebook.rules)}
        driver = {
            "name": "postcheck",
            "version": version(),
            "informationUri": "https://pypi.org/project/postcheck/",
            "rules": [_rule_descriptor(rule, rulebook) for rule in rulebook.rules],
            "properties": {"policy": rulebook.policy.name, "rulebook": rulebook.digest},
        }
        head = {"$schema": SCHEMA, "version": "2.1.0", "runs": [{"tool": {"driver": driver}, "results": []}]}
        text = json.dumps(head)
        self.stream.write(text[: -len("]}]}")])

    def post(self, post: Post, findings: list[Finding]) -> None:
        if post.error is not None:
            self._notifications.append(self._notification(post))
        for finding in findings:
            self.stream.write(("\n" if self._first else ",\n") + json.dumps(self._result(post, finding)))
            self._first = False

    def _location(self, post: Post, finding: Finding | None = None) -> dict:
        physical: dict = {"artifactLocation": {"uri": post.source}}
        if finding is not None and (where := region(post, finding)).line:
            physical["region"] = {"startLine": where.line}
            if where.column:
                physical["region"].update(startColumn=where.column, endLine=where.end_line, endColumn=where.end_column)
            physical["region"]["snippet"] = {"text": finding.match}
        elif post.line:
            physical["region"] = {"startLine": post.line}
        return {"physicalLocation": physical}

    def _result(self, post: Post, finding: Finding) -> dict:
        result: dict[str, Any] = {
            "ruleId": finding.rule,
            "ruleIndex": self._index[finding.rule],
            "level": LEVELS[finding.severity],
            "message": {"text": f"{finding.message} Suggestion: {finding.suggest}"},
            "locations": [self._location(post, finding)],
            # Code scanning matches results across runs by these: a finding keeps its fingerprint
            # when the post around its clause is edited (the baseline's and waivers' fingerprint).
            "partialFingerprints": {"postcheck/clause/v1": clause_fingerprint(finding)},
            "properties": {
                "postId": post.id,
                "profile": finding.profile or post.profile,
                "clause": finding.clause,
                "start": finding.start,
                "end": finding.end,
                "citation": {
                    "section": finding.citation.section,
                    "obligation": finding.citation.obligation,
                    "quote": finding.citation.quote,
                },
            },
        }
        if is_record(post):
            result["properties"].update(line=finding.line, column=finding.column)
        if finding.suppressed is not None:
            result["suppressions"] = [{"kind": "inSource", "justification": finding.suppressed}]
        elif finding.waived is not None:
            waiver = finding.waived
            result["suppressions"] = [
                {
                    "kind": "external",
                    "status": "accepted",
                    "justification": f"{waiver['reason']} (approved by {waiver['approved_by']})",
                }
            ]
        return result

    def _notification(self, post: Post) -> dict:
        return {
            "level": "error",
            "message": {"text": f"cannot check {post.id}: {post.error}"},
            "locations": [self._location(post)],
        }

    def end(self, tally: Tally) -> None:
        invocation = {"executionSuccessful": tally.unreadable == 0, "toolExecutionNotifications": self._notifications}
        self.stream.write("\n], " + json.dumps({"invocations": [invocation]})[1:-1] + "}]}\n")
