"""The user's cache directory, and a small JSON store in it for work worth keeping between runs.

A pre-commit hook starts postcheck once per commit, so start-up is paid often.
Two results are kept: the part of the lemma table a rulebook can use
(`pipeline.py`), and what is learnt from each rule regex — that it compiles,
and its pre-checks (`literals.py`). Files are named by a hash of everything
that could change their content, written atomically, and a cache that cannot
be read or written is simply rebuilt or skipped: it only ever saves time.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def cache_dir() -> Path:
    base = os.environ.get("POSTCHECK_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache", "postcheck"
    )
    return Path(base)


def read_json(path: Path) -> Any:
    """The cached value, or None when there is none or it is unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


KEEP = 8  # files of one kind kept, newest first: each rulebook or engine version writes its own


def write_json(path: Path, value: Any) -> None:
    """Write a cache file atomically, and drop the oldest of its kind (the name up to the first '-')."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(value), encoding="utf-8")
        partial.replace(path)
        kind = path.name.split("-", 1)[0]
        siblings = sorted(path.parent.glob(f"{kind}-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in siblings[KEEP:]:
            old.unlink()
    except OSError:
        pass
