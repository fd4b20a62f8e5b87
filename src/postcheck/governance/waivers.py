"""Waivers: decisions taken outside the text, with a reason, an approver and an optional expiry.

A `waivers.yaml` is a list of `{rule, post | fingerprint, reason, approved_by, expires?}`.
A waiver without a reason or approver, or naming an unknown rule, is an error.
An expired waiver stops applying and is reported; one that matches nothing is
reported as stale. Waived findings stay in the report, marked with the waiver.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import PostcheckError
from ..core.findings import Finding
from ..core.fingerprint import clause_fingerprint
from ..core.yamlfile import LineDict, load_yaml

_KEYS = {"rule", "post", "fingerprint", "reason", "approved_by", "expires"}


@dataclass
class Waiver:
    rule: str
    reason: str
    approved_by: str
    post: str | None = None
    fingerprint: str | None = None
    expires: dt.date | None = None
    source: str = ""
    used: int = field(default=0, compare=False)

    def record(self) -> dict:
        return {
            "rule": self.rule,
            "post": self.post,
            "fingerprint": self.fingerprint,
            "reason": self.reason,
            "approved_by": self.approved_by,
            "expires": self.expires.isoformat() if self.expires else None,
        }

    def covers(self, post_id: str, finding: Finding) -> bool:
        if self.rule not in (finding.rule, finding.category):
            return False
        return (self.post is None or self.post == post_id) and (
            self.fingerprint is None or self.fingerprint == clause_fingerprint(finding)
        )


def load_waivers(path: Path, rule_ids: set[str]) -> list[Waiver]:
    data = load_yaml(path)
    where = str(path)
    if isinstance(data, LineDict) and "waivers" in data:
        data = data["waivers"]
    if not isinstance(data, list):
        raise PostcheckError("a waivers file is a list of waivers (or a mapping with a 'waivers' list)", where, 1)
    categories = {rule_id.split(".")[0] for rule_id in rule_ids}
    waivers = []
    for item in data:
        if not isinstance(item, LineDict):
            raise PostcheckError("each waiver must be a mapping", where)
        at = (where, item.line)
        unknown = set(item) - _KEYS
        if unknown:
            raise PostcheckError(
                f"unknown key '{sorted(unknown)[0]}' in waiver (allowed: {', '.join(sorted(_KEYS))})", *at
            )
        for key in ("rule", "reason", "approved_by"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise PostcheckError(f"waiver needs '{key}'", *at)
        if item["rule"] not in rule_ids and item["rule"] not in categories:
            raise PostcheckError(f"waiver names unknown rule '{item['rule']}' (see `postcheck rules`)", *at)
        if "post" not in item and "fingerprint" not in item:
            raise PostcheckError("waiver needs a 'post' id or a 'fingerprint' to say what it covers", *at)
        expires = item.get("expires")
        if expires is not None and not isinstance(expires, dt.date):
            try:
                expires = dt.date.fromisoformat(str(expires))
            except ValueError:
                raise PostcheckError(f"'expires' must be a date like 2027-03-31, not '{expires}'", *at) from None
        waivers.append(
            Waiver(
                rule=item["rule"],
                reason=item["reason"].strip(),
                approved_by=item["approved_by"].strip(),
                post=str(item["post"]) if "post" in item else None,
                fingerprint=item.get("fingerprint"),
                expires=expires,
                source=f"{where}:{item.line}",
            )
        )
    return waivers


def apply_waivers(post_id: str, findings: list[Finding], waivers: list[Waiver], today: dt.date) -> list[Finding]:
    """Mark the findings covered by a waiver that is still in force (valid through its expiry date)."""
    result = []
    for finding in findings:
        waiver = next(
            (w for w in waivers if (w.expires is None or today <= w.expires) and w.covers(post_id, finding)), None
        )
        if waiver is not None and finding.suppressed is None:
            waiver.used += 1
            finding = dataclasses.replace(finding, waived=waiver.record())
        result.append(finding)
    return result


def waiver_report(waivers: list[Waiver], today: dt.date) -> list[dict]:
    """Each waiver with its status: applied, expired or stale."""
    rows = []
    for waiver in waivers:
        if waiver.expires is not None and today > waiver.expires:
            status = "expired"
        else:
            status = "applied" if waiver.used else "stale"
        rows.append({**waiver.record(), "status": status, "findings": waiver.used, "source": waiver.source})
    return rows
