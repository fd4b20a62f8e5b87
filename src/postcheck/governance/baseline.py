"""Baselines: adopt postcheck on an existing archive and fail only on new problems.

`--write-baseline FILE` records the fingerprints of today's findings;
`--baseline FILE` then leaves out any finding whose fingerprint is recorded.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..core.errors import PostcheckError
from ..core.findings import Finding
from ..core.fingerprint import clause_fingerprint

BASELINE_VERSION = 1


_REWRITE = "write it again with --write-baseline"


def load_baseline(path: Path) -> set[str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PostcheckError("baseline file not found", str(path)) from None
    except OSError as exc:
        raise PostcheckError(f"cannot read the baseline ({exc.strerror})", str(path)) from None
    except UnicodeDecodeError:
        raise PostcheckError(f"the baseline is not text, so not a postcheck baseline: {_REWRITE}", str(path)) from None
    except json.JSONDecodeError as exc:
        raise PostcheckError(
            f"the baseline is not valid JSON at column {exc.colno} (cut short, or edited by hand?): {_REWRITE}",
            str(path),
            exc.lineno,
        ) from None
    if (
        not isinstance(data, dict)
        or data.get("version") != BASELINE_VERSION
        or not isinstance(data.get("fingerprints"), list)
    ):
        raise PostcheckError(
            f"not a postcheck baseline (expected version {BASELINE_VERSION} with 'fingerprints')", str(path)
        )
    return {
        entry["fingerprint"] for entry in data["fingerprints"] if isinstance(entry, dict) and "fingerprint" in entry
    }


def write_baseline(path: Path, entries: list[tuple[str, Finding]]) -> int:
    """Write the fingerprints of (post id, finding) pairs; returns how many were written."""
    rows = sorted({(clause_fingerprint(f), f.rule, post_id) for post_id, f in entries})
    data = {
        "version": BASELINE_VERSION,
        "fingerprints": [{"fingerprint": fp, "rule": rule, "post": post} for fp, rule, post in rows],
    }
    try:
        path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    except OSError as exc:
        raise PostcheckError(f"cannot write the baseline ({exc.strerror})", str(path)) from None
    return len(rows)


def check_writable(path: Path) -> None:
    """Refuse a baseline that could not be written before any post is checked, not after the run."""
    if not path.parent.is_dir():
        raise PostcheckError(f"cannot write the baseline: there is no folder {path.parent}", str(path))
    if path.is_dir():
        raise PostcheckError("cannot write the baseline: this is a folder, not a file", str(path))
