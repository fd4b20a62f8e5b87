"""Audit records: an append-only, tamper-evident log of what was checked and decided.

`--audit DIR` writes one JSON record per run, named by its time and the hash
of its content, holding the postcheck version, the policy and rulebook in
force, the configuration, a SHA-256 of each post's text with its findings,
and the waivers applied. Each record also carries the hash of the record
before it, so `postcheck audit verify DIR` finds both altered and removed records.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from ..core.errors import PostcheckError

_NAME_HASH_LENGTH = 16


def canonical(record: dict) -> bytes:
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def record_hash(record: dict) -> str:
    return hashlib.sha256(canonical(record)).hexdigest()


def _records(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.json") if p.is_file())


def write_record(directory: Path, record: dict, now: dt.datetime) -> Path:
    """Write a new record that chains to the latest one; never overwrites an existing file."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PostcheckError(f"cannot create the audit directory ({exc.strerror})", str(directory)) from None
    existing = _records(directory)
    record = {
        **record,
        "previous": json.loads(existing[-1].read_text(encoding="utf-8")).get("hash") if existing else None,
    }
    digest = record_hash(record)
    record["hash"] = digest
    path = directory / f"{now.strftime('%Y%m%dT%H%M%S%fZ')}-{digest[:_NAME_HASH_LENGTH]}.json"
    try:
        with path.open("x", encoding="utf-8") as handle:  # "x": an existing record is never replaced
            handle.write(json.dumps(record, sort_keys=True, indent=1) + "\n")
    except FileExistsError:
        raise PostcheckError(
            "an audit record with this name already exists; refusing to overwrite it", str(path)
        ) from None
    return path


def verify(directory: Path) -> list[str]:
    """Problems found in the records of `directory` (an empty list means every record is intact)."""
    if not directory.is_dir():
        raise PostcheckError("audit directory not found", str(directory))
    problems, previous = [], None
    for path in _records(directory):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError):
            problems.append(f"{path}: not valid JSON: the record was altered or damaged")
            previous = None
            continue
        stated = record.pop("hash", None)
        actual = record_hash(record)
        if stated != actual or not path.stem.endswith(actual[:_NAME_HASH_LENGTH]):
            problems.append(f"{path}: content does not match its hash: the record was altered")
        elif record.get("previous") != previous:
            problems.append(f"{path}: does not follow the record before it: a record was removed or reordered")
        previous = stated
    return problems
