"""Start-up without the garbage collector's passes over what loading creates.

Importing spaCy and building the pipeline and the matchers allocate about a
million objects that live as long as the process; the collector's passes over
them found nothing to free and cost a tenth of an officer's check. The console
command pauses the collector before it imports its own modules and while it
loads, then freezes what it loaded (later passes skip it, which also helps a
long queue) and collects while it checks, less often than Python's default (see
`postcheck.engine.collector`). Code that imports postcheck as a library keeps its collector: the Linter
raises the threshold only while it checks a batch.
"""

from __future__ import annotations

import gc

from ..engine.collector import CHECKING_THRESHOLD  # a small module: nothing heavy loads with it

_paused = False


def pause() -> None:
    """Pause the collector until `resume` (the console command calls this first)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Loading is over: keep what it made out of later passes, and collect again, the youngest objects
    every CHECKING_THRESHOLD allocations (see `postcheck.engine.collector`)."""
    global _paused
    if _paused:
        gc.freeze()
        gc.set_threshold(CHECKING_THRESHOLD, *gc.get_threshold()[1:])
        gc.enable()
        _paused = False
