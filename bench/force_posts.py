"""The force-posts check: what the installed rules flag on posts that forces really published.

    python bench/force_posts.py [FILE] [--show warning] [--category C ...] [--rule R ...]

FILE is a JSONL queue of published force posts, by default `../shared/corpus/force-posts.jsonl`
beside the checkout (3,980 tweets that five UK forces published; nearly all were fine to publish,
so a finding on one is almost always a false block). Every error-level finding is listed (with
--show warning, warnings too), grouped by rule with the post id and the clause, so a rule's false
blocks are visible at a glance. The last lines count the posts with an error and with an error or
a warning, over all categories and over the categories asked for.

The posts are third-party text: this script reads them where they are and prints clauses to the
terminal; nothing is written into the project.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_FILE = REPO.parent / "shared" / "corpus" / "force-posts.jsonl"
LEVELS = {"error": ("error",), "warning": ("error", "warning")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE, help="JSONL queue of published posts")
    parser.add_argument("--show", choices=sorted(LEVELS), default="error", help="lowest severity to list")
    parser.add_argument("--category", action="append", default=[], help="list and count only these categories")
    parser.add_argument("--rule", action="append", default=[], help="list only these rules")
    args = parser.parse_args()
    if not args.file.is_file():
        print(f"force_posts: {args.file}: no such file (give the path to force-posts.jsonl)", file=sys.stderr)
        return 2

    from postcheck import Linter, PostcheckError, read_source

    try:
        checked = list(Linter().check_posts(read_source(str(args.file))))
    except PostcheckError as exc:
        print(f"force_posts: {exc}", file=sys.stderr)
        return 2
    wanted = set(args.category)
    listed: dict[str, list[tuple[str, str]]] = defaultdict(list)
    counts = {"all": {"error": 0, "warning": 0}, "asked": {"error": 0, "warning": 0}}
    unreadable = 0
    for post, findings in checked:
        if post.error is not None:
            unreadable += 1
            print(f"{post.source}:{post.line}: {post.error}", file=sys.stderr)
            continue
        active = [f for f in findings if f.active and f.severity in LEVELS["warning"]]
        asked = [f for f in active if not wanted or f.category in wanted]
        for scope, group in (("all", active), ("asked", asked)):
            for level in LEVELS:
                counts[scope][level] += any(f.severity in LEVELS[level] for f in group)
        for f in asked:
            if f.severity in LEVELS[args.show] and (not args.rule or f.rule in args.rule):
                listed[f.rule].append((post.id, f.clause))

    for rule in sorted(listed, key=lambda r: (-len(listed[r]), r)):
        print(f"{rule} ({len(listed[rule])})")
        for post_id, clause in listed[rule]:
            print(f"    {post_id}: {' '.join(clause.split())}")
    total = len(checked) - unreadable
    for scope, label in (("all", "all categories"), ("asked", ", ".join(sorted(wanted)))):
        if scope == "asked" and not wanted:
            continue
        error, either = counts[scope]["error"], counts[scope]["warning"]
        print(
            f"{label}: {error} of {total} posts with an error ({error / max(total, 1):.1%}), "
            f"{either} with an error or a warning ({either / max(total, 1):.1%})"
        )
    return 0


if __name__ == "__main__":
    os.environ.setdefault("NO_COLOR", "1")
    sys.exit(main())
