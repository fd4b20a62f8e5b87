"""Audit records: an append-only, tamper-evident log of what was checked and decided.

`--audit DIR` writes one JSON record per run: the postcheck version, the policy
and rulebook in force, the configuration, a SHA-256 of each post's text with its
findings, the waivers applied. `postcheck serve` adds a record per reviewer
decision. In DIR:

    <time>-<hash>.json          a record, named by when it was added and its hash
    .lock                       held while a record is added: writers never fork the chain
    .run-<time>-<pid>.jsonl     a run's posts, written as they are checked

Writing, for any part of postcheck (the whole API):

- `write_record(directory, record, now) -> Path` adds one record whole;
- `RunLog.open(directory, header)`, `log.add(post_entry)`, `log.close(fields,
  incomplete=None) -> Path` write a run's record as it goes, so memory stays flat
  and a run stopped part-way (interrupted, output closed) leaves a closed record
  with `"status": "incomplete"` and the reason. A run killed outright leaves its
  `.run-*.jsonl`; the next record added closes it first, marked incomplete.

Each record carries `previous`, the hash of the record before it (null when there
is none or it is damaged), `previous_sha256`, the SHA-256 of that file's bytes
whatever they are (so a damaged record neither blocks the log nor can be mended
unnoticed), and `hash`, the SHA-256 of its own canonical JSON without the hash.
`audit_verify.py` checks the chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from ..core.errors import PostcheckError

NAME_HASH_LENGTH = 16
_TIME = "%Y%m%dT%H%M%S%fZ"
_SPOOL = ".run-*.jsonl"

if sys.platform == "win32":  # pragma: no cover - the lock on Windows
    import msvcrt

    def _lock(handle: IO[bytes], wait: bool = True) -> None:
        msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK if wait else msvcrt.LK_NBLCK, 1)

else:
    import fcntl

    def _lock(handle: IO[bytes], wait: bool = True) -> None:
        fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))


def canonical(record: dict) -> bytes:
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def record_hash(record: dict) -> str:
    return hashlib.sha256(canonical(record)).hexdigest()


def records(directory: Path) -> list[Path]:
    """The records of a log, oldest first (their names begin with the time they were added); the
    log's own working files begin with a dot."""
    return sorted(p for p in directory.glob("*.json") if p.is_file() and not p.name.startswith("."))


def write_record(directory: Path, record: dict, now: dt.datetime) -> Path:
    """Add one record to the log, chained to the newest; never replaces an existing file."""
    with _chain(directory) as link:
        return _commit(directory, now, _pieces({**record, **link}, None))


class RunLog:
    """A run's record, written as the run goes: the header first, then each post's entry."""

    def __init__(self, directory: Path, spool: Path, handle: IO[bytes]):
        self.directory, self.spool, self._handle = directory, spool, handle

    @classmethod
    def open(cls, directory: Path, header: dict, now: dt.datetime) -> RunLog:
        _make(directory)
        name = f"run-{now.strftime(_TIME)}-{os.getpid()}.jsonl"
        spool, starting = directory / f".{name}", directory / f".starting-{name}"
        try:
            handle = starting.open("xb")
            _lock(handle)  # held while the run lives: a spool whose lock is free belongs to a run that died
            handle.write(canonical(header) + b"\n")
            handle.flush()
            starting.rename(spool)  # only now can another writer see it, locked
        except OSError as exc:
            raise PostcheckError(f"cannot write the audit record ({exc.strerror})", str(spool)) from None
        return cls(directory, spool, handle)

    def add(self, entry: dict) -> None:
        try:
            self._handle.write(canonical(entry) + b"\n")
            self._handle.flush()  # a run killed outright keeps every post it reported
        except OSError as exc:
            raise PostcheckError(f"cannot write the audit record ({exc.strerror})", str(self.spool)) from None

    def close(self, fields: dict, now: dt.datetime, incomplete: str | None = None) -> Path:
        """Close the run's record: complete, or marked incomplete with the reason."""
        status = {"status": "incomplete" if incomplete else "complete", "incomplete": incomplete}
        with _chain(self.directory) as link:
            path = _seal(self.directory, self.spool, {**fields, **status, **link}, now)
        self._handle.close()
        return path


@contextmanager
def _chain(directory: Path) -> Iterator[dict]:
    """Hold the log's lock; yield the link to its newest record, after closing runs that died."""
    _make(directory)
    try:
        lock = (directory / ".lock").open("ab")
    except OSError as exc:
        raise PostcheckError(f"cannot lock the audit directory ({exc.strerror})", str(directory)) from None
    with lock:
        _lock(lock)
        for spool in sorted(directory.glob(_SPOOL)):
            _close_dead_run(directory, spool)
        yield _link(directory)


def _make(directory: Path) -> None:
    if directory.exists() and not directory.is_dir():
        raise PostcheckError("cannot keep the audit record here: this is a file, not a folder", str(directory))
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PostcheckError(f"cannot create the audit directory ({exc.strerror})", str(directory)) from None


def _link(directory: Path) -> dict:
    existing = records(directory)
    if not existing:
        return {"previous": None, "previous_sha256": None}
    raw = existing[-1].read_bytes()
    try:
        stated = json.loads(raw).get("hash")
    except (ValueError, AttributeError):  # damaged: not JSON, or not a record
        stated = None
    return {"previous": stated if isinstance(stated, str) else None, "previous_sha256": hashlib.sha256(raw).hexdigest()}


def _close_dead_run(directory: Path, spool: Path) -> None:
    with spool.open("rb") as handle:
        try:
            _lock(handle, wait=False)
        except OSError:
            return  # its run is still going
        reason = "the run stopped before it finished (killed, or the machine went down)"
        _seal(directory, spool, {**_link(directory), "status": "incomplete", "incomplete": reason}, None)


def _seal(directory: Path, spool: Path, fields: dict, now: dt.datetime | None) -> Path:
    with spool.open("rb") as handle:
        try:
            header = json.loads(handle.readline())
        except ValueError:
            header = {}
        path = _commit(directory, now, _pieces({**header, **fields}, _entries(handle)))
    spool.unlink()
    return path


def _entries(handle: IO[bytes]) -> Iterator[bytes]:
    """A spool's post entries; a last line cut off by a kill is left out (it was never complete)."""
    for line in handle:
        if line.endswith(b"\n"):
            yield line[:-1]


def _pieces(fields: dict, posts: Iterator[bytes] | None) -> Iterator[bytes]:
    """The canonical JSON of a record, in pieces: its fields in key order, `posts` streamed from a spool."""
    keys = sorted({*fields, "posts"} if posts is not None else fields)
    yield b"{"
    for i, key in enumerate(keys):
        yield (b"," if i else b"") + json.dumps(key).encode("ascii") + b":"
        if key == "posts" and posts is not None:
            yield b"["
            for j, entry in enumerate(posts):
                yield (b"," if j else b"") + entry
            yield b"]"
        else:
            yield canonical({"v": fields[key]})[5:-1]
    yield b"}"


def _commit(directory: Path, now: dt.datetime | None, pieces: Iterator[bytes]) -> Path:
    """Write a record from its canonical pieces, adding its hash, under a name no other record has."""
    temporary = directory / f".writing-{os.getpid()}-{id(pieces)}"
    digest = hashlib.sha256()
    try:
        with temporary.open("xb") as out:
            last = b""
            for piece in pieces:
                digest.update(piece)
                out.write(last)
                last = piece
            out.write(last[:-1] + b',"hash":"' + digest.hexdigest().encode("ascii") + b'"}\n')
            out.flush()
            os.fsync(out.fileno())
        path = directory / f"{_time(directory, now)}-{digest.hexdigest()[:NAME_HASH_LENGTH]}.json"
        if path.exists():
            raise PostcheckError("an audit record with this name already exists; refusing to replace it", str(path))
        os.replace(temporary, path)
    except OSError as exc:
        raise PostcheckError(f"cannot write the audit record ({exc.strerror})", str(directory)) from None
    finally:
        temporary.unlink(missing_ok=True)
    return path


def _time(directory: Path, now: dt.datetime | None) -> str:
    """The new record's time: now, but always after the newest record's, so names keep the chain's order."""
    stamp = (now or dt.datetime.now(dt.timezone.utc)).strftime(_TIME)
    existing = records(directory)
    newest = existing[-1].name.split("-", 1)[0] if existing else ""
    if stamp <= newest:
        try:
            stamp = (dt.datetime.strptime(newest, _TIME) + dt.timedelta(microseconds=1)).strftime(_TIME)
        except ValueError:  # a file named otherwise: sort after it
            stamp = newest + "1"
    return stamp


def record_hash_of(path: Path) -> str | None:
    """The hash a record states: read from its last bytes, where this module writes it, else from all of it."""
    with path.open("rb") as handle:
        handle.seek(max(0, path.stat().st_size - 100))
        found = _STATED.search(handle.read())
    if found:
        return found.group(1).decode("ascii")
    record = parse(path.read_bytes())
    return str(record.get("hash")) if record is not None else None


_STATED = re.compile(rb'"hash":"([0-9a-f]{64})"\}\s*$')


def parse(raw: bytes) -> dict[str, Any] | None:
    """A record's content, or None when it is not a JSON object (damaged)."""
    try:
        record = json.loads(raw)
    except ValueError:
        return None
    return record if isinstance(record, dict) else None
