"""Fewer passes of Python's garbage collector while the Linter checks a batch of posts.

Checking makes short-lived objects by the thousand (spans, lists and dicts for
every post), nearly all freed as they go. At Python's default threshold the
collector passes over the youngest generation every 700 allocations, and those
passes set off passes over the older generations, which hold the rulebook's
hundred thousand long-lived objects: in a program that checks posts through the
library they were a sixth of the processor time on long posts, and freed
nothing a later pass would not. While a batch is checked the youngest
generation is collected every `CHECKING_THRESHOLD` allocations instead, then the
caller's threshold comes back. (The console command keeps this threshold for
its whole run: see `postcheck.cli.startup`.)
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Peak memory on 100,000 posts is the same at this threshold as at Python's 700.
CHECKING_THRESHOLD = 50_000


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect the youngest generation every CHECKING_THRESHOLD allocations (or the caller's higher
    threshold) until the block ends, then restore the caller's thresholds. A caller who switched automatic
    collection off (threshold 0) keeps it off."""
    thresholds = gc.get_threshold()
    if thresholds[0] == 0 or thresholds[0] >= CHECKING_THRESHOLD:
        yield
        return
    gc.set_threshold(CHECKING_THRESHOLD, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
