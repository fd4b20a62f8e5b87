"""Checking an audit log: every record intact, every link in place, the pinned head still there.

`postcheck audit verify DIR [--head HASH]` recomputes each record's hash and
follows the chain from the oldest: a record whose content does not match its
hash was altered; one that does not link to the record before it (by that
record's hash, and by the SHA-256 of its bytes when it says so) means a record
was removed, reordered or altered before it. A damaged record (not JSON, cut
off by a full disk) is a problem reported here and never stops the gate from
adding records after it. Deleting or rewriting the newest record leaves nothing
after it to notice, so each run prints the log's head hash: keep it outside DIR
(a CI log, a ticket) and pass it to `--head`, which reports it missing if the
records up to it were removed or rewritten. Runs that stopped part-way are noted,
not counted as problems: their records say what they checked.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import PostcheckError
from .audit import NAME_HASH_LENGTH, parse, record_hash, records

MIN_HEAD = 12  # hex digits of a pinned head: enough to name one record


@dataclass
class Verification:
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    head: str | None = None  # the newest record's hash


def verify_log(directory: Path, head: str | None = None) -> Verification:
    if not directory.is_dir():
        raise PostcheckError("audit directory not found", str(directory))
    if head is not None and (len(head) < MIN_HEAD or any(c not in "0123456789abcdef" for c in head.lower())):
        raise PostcheckError(f"--head must be at least {MIN_HEAD} hexadecimal digits of a record's hash")
    result = Verification()
    previous: str | None = None
    previous_bytes: str | None = None
    hashes: list[str] = []
    for path in records(directory):
        result.checked += 1
        raw = path.read_bytes()
        record = parse(raw)
        stated = None
        if record is None:
            result.problems.append(
                f"{path}: damaged: not a JSON record (cut off, or overwritten); the records after it still link to it"
            )
        else:
            stated = record.pop("hash", None)
            if stated != record_hash(record) or not path.stem.endswith(str(stated)[:NAME_HASH_LENGTH]):
                result.problems.append(f"{path}: content does not match its hash: the record was altered")
            elif not _links(record, previous, previous_bytes):
                result.problems.append(
                    f"{path}: does not follow the record before it: a record was removed, reordered or altered"
                )
            if record.get("status") == "incomplete":
                result.notes.append(f"{path}: the run did not finish: {record.get('incomplete')}")
            hashes.append(str(stated))
        previous = stated if isinstance(stated, str) else None
        previous_bytes = hashlib.sha256(raw).hexdigest()
    result.head = previous
    for spool in sorted(directory.glob(".run-*.jsonl")):
        result.notes.append(f"{spool}: a run is going on, or stopped without closing its record (the next closes it)")
    if head is not None and not any(h.startswith(head.lower()) for h in hashes):
        result.problems.append(
            f"the pinned head {head} is not among the records: the newest records were removed or rewritten"
        )
    return result


def _links(record: dict, previous: str | None, previous_bytes: str | None) -> bool:
    """Whether a record links to the one before it: by its hash (null after a damaged record), and by the
    SHA-256 of its bytes (records written before that link existed have only the first)."""
    if "previous_sha256" in record and record["previous_sha256"] != previous_bytes:
        return False
    return record.get("previous") == previous


def verify(directory: Path) -> list[str]:
    """Problems found in the records of `directory` (an empty list means every record is intact)."""
    return verify_log(directory).problems
