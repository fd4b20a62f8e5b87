"""Uploaded queues and the reviewer's decision on each post.

An upload is read from memory and never written to disk: its file name is only
a label (cleaned of folders and odd characters), so no upload can reach a path.
With `--audit DIR`, checking a queue writes a run record, as `postcheck --audit`
does, and each decision is appended to the same chain with the post, its
findings, the hash of its text, the reviewer and the reason. The service keeps
the most recent queues in memory; older ones are dropped, not written anywhere.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import secrets
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import regex

from ..core.fingerprint import text_hash
from ..core.post import Post
from ..core.report import post_entries
from ..core.version import version
from ..governance.audit import write_record
from ..reporters import reporter_class
from .service import CheckedRun, RequestError, Service

QUEUE_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".json")
DECISIONS = ("approve", "send-back")
DOWNLOADS = {"json": "application/json", "sarif": "application/sarif+json", "csv": "text/csv; charset=utf-8"}
KEPT_QUEUES = 16
_UNSAFE_NAME = regex.compile(r"[^\w.\- ]+")


def label(name: str) -> str:
    """An uploaded file's name as a label: no folders, no control or markup characters, at most 100 characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return _UNSAFE_NAME.sub("_", base).strip(" .")[:100] or "queue"


@dataclass
class Decision:
    post: int
    decision: str
    reason: str
    reviewer: str
    decided: str
    record: str | None  # the audit record's file name

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Queue:
    id: str
    name: str
    sha256: str
    uploaded: str
    run: CheckedRun
    record: str | None  # the run's audit record, when the service keeps one
    decisions: dict[int, Decision] = field(default_factory=dict)


class QueueStore:
    """The queues uploaded to this service, newest last; beyond KEPT_QUEUES the oldest is forgotten."""

    def __init__(self, service: Service):
        self.service = service
        self._queues: OrderedDict[str, Queue] = OrderedDict()

    def get(self, queue_id: str) -> Queue:
        try:
            return self._queues[queue_id]
        except KeyError:
            raise RequestError(404, "no such queue: it was never uploaded, or newer uploads replaced it") from None

    def upload(self, data: bytes, name: str) -> Queue:
        """Check an uploaded queue (run on the checking thread)."""
        shown = label(name)
        suffix = Path(shown).suffix.lower()
        if suffix not in QUEUE_SUFFIXES:
            raise RequestError(415, f"'{shown}' is not a queue: upload a .jsonl, .csv or .json file")
        run = self.service.check(
            self.service.read(data, shown, suffix), audit=self.service.options.audit_dir is not None
        )
        record = None
        if self.service.options.audit_dir is not None:
            record = run.recorder.write_audit(self.service.options.audit_dir, run.tally).name
        queue = Queue(
            id=secrets.token_urlsafe(12),
            name=shown,
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded=_now().isoformat(),
            run=run,
            record=record,
        )
        self._queues[queue.id] = queue
        while len(self._queues) > KEPT_QUEUES:
            self._queues.popitem(last=False)
        return queue

    def view(self, queue: Queue) -> dict:
        return {
            "id": queue.id,
            "name": queue.name,
            "uploaded": queue.uploaded,
            "sha256": queue.sha256,
            "audit": self.service.options.audit_dir is not None,
            "record": queue.record,
            "report": self.service.report(queue.run),
            # The report leaves texts out; the page shows them, one per report entry (a post that did not
            # say which account it is for has an entry for each).
            "texts": [post.text for post, entry in _entries(queue.run)],
            "decisions": [queue.decisions[index].as_dict() for index in sorted(queue.decisions)],
        }

    def decide(self, queue: Queue, request: object) -> Decision:
        """Record a reviewer's decision on one post of a queue (run on the checking thread)."""
        audit_dir = self.service.options.audit_dir
        if audit_dir is None:
            raise RequestError(409, "decisions are not recorded: start postcheck serve with --audit DIR to keep them")
        entries = _entries(queue.run)
        index, decision, reason, reviewer = _decision_fields(request, len(entries))
        post, entry = entries[index]
        now = _now()
        entry["sha256"] = text_hash(post.text) if post.error is None else None
        policy = self.service.rulebook.policy
        record = {
            "kind": "review-decision",
            "postcheck": version(),
            "policy": {"title": policy.title, "number": policy.number, "version": policy.version, "date": policy.date},
            "rulebook": self.service.rulebook.digest,
            "queue": {"name": queue.name, "sha256": queue.sha256, "checked_in": queue.record},
            "post": entry,
            "decision": decision,
            "reason": reason,
            "reviewer": reviewer,
            "decided": now.isoformat(),
        }
        path = write_record(audit_dir, record, now)
        queue.decisions[index] = Decision(index, decision, reason, reviewer, now.isoformat(), path.name)
        return queue.decisions[index]

    def download(self, queue: Queue, kind: str) -> str:
        """The queue's report in one of the CLI's formats (json, sarif or csv)."""
        if kind not in DOWNLOADS:
            raise RequestError(404, f"no '{kind}' report: choose json, sarif or csv")
        out = io.StringIO()
        reporter = reporter_class(kind)(out)
        reporter.start(self.service.rulebook)
        for post, findings in queue.run.results:
            reporter.post(post, findings)
        reporter.end(queue.run.tally)
        return out.getvalue()


def _entries(run: CheckedRun) -> list[tuple[Post, dict]]:
    """Each entry of the run's report (the rows a reviewer decides on), with its post."""
    return [(post, entry) for post, findings in run.results for entry in post_entries(post, findings)]


def _decision_fields(request: object, posts: int) -> tuple[int, str, str, str]:
    if not isinstance(request, dict):
        raise RequestError(400, 'send {"post": N, "decision": "approve" or "send-back", "reason": "..."}')
    index, decision = request.get("post"), request.get("decision")
    reason, reviewer = request.get("reason", ""), request.get("reviewer", "")
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < posts:
        raise RequestError(400, f"'post' must be the number of a post in this queue, from 0 to {posts - 1}")
    if decision not in DECISIONS:
        raise RequestError(400, "'decision' must be 'approve' or 'send-back'")
    if not isinstance(reason, str) or not isinstance(reviewer, str):
        raise RequestError(400, "'reason' and 'reviewer' must be text")
    if decision == "approve" and not reason.strip():
        raise RequestError(400, "say why the post may go out: approving needs a reason")
    if len(reason) > 2000 or len(reviewer) > 200:
        raise RequestError(400, "keep the reason under 2,000 characters and the reviewer's name under 200")
    return index, decision, reason.strip(), reviewer.strip()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)
