"""What a run decides about its findings beyond the rules: waivers, baseline, and the audit record.

`RunRecorder` is built once per run from the options. For each post it names
the live case a watchlist finding is about, redacts personal data on request,
marks findings accepted by a waiver, leaves out findings recorded in the
baseline, and remembers what the audit record and a new baseline need.
The waiver, baseline and audit modules are imported only by a run that uses
them: an officer's check of a draft needs none of them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import PostcheckError
from ..core.findings import Finding
from ..core.fingerprint import clause_fingerprint, text_hash
from ..core.post import Post
from ..core.report import Tally, post_entries
from ..core.version import version
from ..rulebook.loader import Rulebook
from .config import Config
from .context import Context

if TYPE_CHECKING:
    from .audit import RunLog
    from .waivers import Waiver

REDACTED_CATEGORIES = {"personal-data"}


def _mask(text: str) -> str:
    return "".join(" " if c.isspace() else "█" for c in text)


def redact_findings(text: str, findings: list[Finding]) -> list[Finding]:
    """Mask every piece of personal data the post's findings quote (in matches and clauses alike),
    so a CI log does not copy what it warns about. Offsets are unchanged."""
    if not any(f.category in REDACTED_CATEGORIES for f in findings):
        return findings
    masked = text
    for f in findings:
        if f.category in REDACTED_CATEGORIES and f.field == "text":
            masked = masked[: f.start] + _mask(masked[f.start : f.end]) + masked[f.end :]
    result = []
    for finding in findings:
        if finding.field != "text":  # a bio or media description: mask what the finding quotes
            if finding.category in REDACTED_CATEGORIES:
                mask = _mask(finding.match)
                marks = tuple(dataclasses.replace(m, match=_mask(m.match)) for m in finding.marks)
                clause = finding.clause.replace(finding.match, mask)
                finding = dataclasses.replace(finding, match=mask, clause=clause, marks=marks)
            result.append(finding)
            continue
        at = text.find(finding.clause)
        clause = masked[at : at + len(finding.clause)] if at >= 0 else finding.clause
        marks = tuple(dataclasses.replace(m, match=masked[m.start : m.end]) for m in finding.marks)
        result.append(
            dataclasses.replace(finding, match=masked[finding.start : finding.end], clause=clause, marks=marks)
        )
    return result


@dataclass
class RunRecorder:
    rulebook: Rulebook
    config: Config
    today: dt.date
    context: Context
    waivers: list[Waiver] = field(default_factory=list)
    baseline: set[str] = field(default_factory=set)
    audit_dir: Path | None = None  # set: write each post to the run's audit record as it is decided
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    audit_log: RunLog | None = None
    seen: list[tuple[str, Finding]] = field(default_factory=list)
    redact: bool = False
    keep_fingerprints: bool = False

    @classmethod
    def create(
        cls,
        rulebook: Rulebook,
        config: Config,
        on_date: str | None,
        baseline: Path | None,
        audit_dir: Path | None,
        redact: bool = False,
        bio: str | None = None,
        write_baseline: Path | None = None,
    ) -> RunRecorder:
        try:
            today = dt.date.fromisoformat(on_date) if on_date else dt.date.today()
        except ValueError:
            raise PostcheckError(f"--date must look like 2026-12-31, not '{on_date}'") from None
        waivers: list[Waiver] = []
        if config["waivers"]:
            from .waivers import load_waivers

            waivers = load_waivers(Path(config["waivers"]), rulebook.ids)
        baselined: set[str] = set()
        if baseline:
            from .baseline import load_baseline

            baselined = load_baseline(baseline)
        if write_baseline is not None:
            from .baseline import check_writable

            check_writable(write_baseline)
        return cls(
            rulebook,
            config,
            today,
            Context(config.elections(), config.cases(), today, config["bios"], bio or ""),
            waivers,
            baselined,
            audit_dir=audit_dir,
            redact=redact,
            keep_fingerprints=write_baseline is not None,
        )

    def decide(self, post: Post, findings: list[Finding], tally: Tally) -> list[Finding]:
        """Name live cases, apply waivers and the baseline, redact personal data, and remember the result."""
        if self.context.cases:
            findings = self.context.name_cases(post, findings)
        if self.redact:
            findings = redact_findings(post.text, findings)
        if self.waivers:
            from .waivers import apply_waivers

            findings = apply_waivers(post.id, findings, self.waivers, self.today)
        if self.baseline:
            kept = [f for f in findings if clause_fingerprint(f) not in self.baseline]
            tally.baselined += len(findings) - len(kept)
            findings = kept
        if self.keep_fingerprints:  # only when a baseline is to be written: a long queue must not grow memory
            self.seen.extend((post.id, f) for f in findings if f.active)
        if self.audit_dir is not None:
            for entry in post_entries(post, findings):
                entry["sha256"] = text_hash(post.text) if post.error is None else None
                self._run_log(self.audit_dir).add(entry)
        return findings

    def _run_log(self, directory: Path) -> RunLog:
        if self.audit_log is None:
            from .audit import RunLog

            policy = self.rulebook.policy
            cited = {"title": policy.title, "number": policy.number, "version": policy.version, "date": policy.date}
            header = {
                "postcheck": version(),
                "policy": cited,
                "rulebook": self.rulebook.digest,
                "configuration": {key: self.config[key] for key in self.config.values},
                "configuration_file": str(self.config.path) if self.config.path else None,
                "started": self.started.isoformat(),
                "judged_on": self.today.isoformat(),
            }
            self.audit_log = RunLog.open(directory, header, self.started)
        return self.audit_log

    def waiver_statuses(self) -> list[dict]:
        if not self.waivers:
            return []
        from .waivers import waiver_report

        return waiver_report(self.waivers, self.today)

    def write_baseline(self, path: Path) -> int:
        from .baseline import write_baseline

        return write_baseline(path, self.seen)

    def write_audit(self, directory: Path, tally: Tally, incomplete: str | None = None) -> Path:
        """Close the run's audit record: complete, or marked incomplete with the reason the run stopped."""
        fields = {"waivers": tally.waivers, "summary": tally.as_dict()}
        return self._run_log(directory).close(fields, dt.datetime.now(dt.timezone.utc), incomplete)
