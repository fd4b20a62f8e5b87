"""The user's cache directory, and a small sealed JSON store in it for work worth keeping between runs.

A pre-commit hook starts postcheck once per commit, so start-up is paid often.
Five results are kept: the part of the lemma table a rulebook can use
(`pipeline.py`), what is learnt from each rule regex: that it is sound, its
alternatives, pre-checks and safe length (`regexmemory.py`), the rule files as
parsed (`parsed.py`), the token sequences of phrase and lexicon terms
(`engine/phrases.py`), and the regex pre-filter's tables
(`engine/prefiltercache.py`). A wrong entry in any could change a verdict (a
pre-check that never passes hides a finding), so a cache file is never trusted
for what it says:

- it is named by a hash of everything that produced it, so an edited rule or a
  new engine version looks for another file;
- it is sealed with an HMAC-SHA256 over its name and content, under a key kept
  outside the cache directory (`$XDG_STATE_HOME/postcheck/cache-key`, readable
  by the user only), so a cache directory that is shared, restored from a CI
  cache or written by someone else cannot vouch for itself;
- its readers check the shape of what it holds.

A file that fails any of these is ignored and rebuilt, and without a key there
is no cache: it only ever saves time.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

KEEP = 8  # files of one kind kept, newest first: each rulebook or engine version writes its own
_KEY_BYTES = 32
_LARGEST = 64 * 1024 * 1024  # no cache file postcheck writes is near this; a larger one is not read


def cache_dir() -> Path:
    base = os.environ.get("POSTCHECK_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache", "postcheck"
    )
    return Path(base)


def key_path() -> Path:
    state = os.environ.get("XDG_STATE_HOME") or os.path.join(Path.home(), ".local", "state")
    return Path(state) / "postcheck" / "cache-key"


@cache
def _key() -> bytes | None:
    """This user's sealing key, made on first use; None when it can be neither read nor made."""
    path = key_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(secrets.token_bytes(_KEY_BYTES))
    except FileExistsError:
        pass
    except OSError:
        return None
    try:
        key = path.read_bytes()
    except OSError:
        return None
    return key if len(key) == _KEY_BYTES else None


def _seal(key: bytes, path: Path, payload: bytes) -> str:
    return hmac.new(key, path.name.encode() + b"\n" + payload, hashlib.sha256).hexdigest()


def read_json(path: Path, object_hook: Callable[[dict], Any] | None = None) -> Any:
    """The cached value, or None when there is none, or it is unreadable, too large or not sealed by this user.
    `object_hook` makes each JSON object into what it stands for, raising ValueError for one that is not."""
    key = _key()
    try:
        if key is None or path.stat().st_size > _LARGEST:
            return None
        seal, _, payload = path.read_bytes().partition(b"\n")
        if not hmac.compare_digest(seal, _seal(key, path, payload).encode()):
            return None
        return json.loads(payload, object_hook=object_hook)
    except (OSError, ValueError):
        return None


def write_json(path: Path, value: Any) -> None:
    """Write a sealed cache file atomically, and drop the oldest of its kind (the name up to the first '-')."""
    key = _key()
    if key is None:
        return
    payload = json.dumps(value).encode()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(_seal(key, path, payload).encode() + b"\n" + payload)
        partial.replace(path)
        kind = path.name.split("-", 1)[0]
        siblings = sorted(path.parent.glob(f"{kind}-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in siblings[KEEP:]:
            old.unlink()
    except OSError:
        pass
