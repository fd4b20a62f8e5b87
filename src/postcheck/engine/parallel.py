"""Check a large queue with several worker processes (`--jobs N`), keeping input order.

Each worker builds its own pipeline and matchers once, then checks batches of
posts; results come back in the order the posts were read, so reports are the
same as with one process. Worth it only for large queues: each worker pays the
start-up cost of a Linter.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from itertools import islice

from ..core.findings import Finding
from ..core.post import Post
from ..rulebook.loader import Rulebook
from .linter import Linter

BATCH = 512
_worker: Linter  # each worker process's own, built once by `_start`


def _start(rulebook: Rulebook, model: str | None) -> None:
    global _worker
    _worker = Linter(rulebook, model=model)


def _check(batch: list[Post]) -> list[tuple[Post, list[Finding]]]:
    return list(_worker.check_posts(batch))


def _batches(posts: Iterable[Post]) -> Iterator[list[Post]]:
    posts = iter(posts)
    while batch := list(islice(posts, BATCH)):
        yield batch


def check_in_parallel(
    rulebook: Rulebook, model: str | None, posts: Iterable[Post], jobs: int
) -> Iterator[tuple[Post, list[Finding]]]:
    context = multiprocessing.get_context("spawn")  # a clean interpreter per worker, same on every platform
    with context.Pool(jobs, initializer=_start, initargs=(rulebook, model)) as pool:
        for results in pool.imap(_check, _batches(posts), chunksize=1):
            yield from results
