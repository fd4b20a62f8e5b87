"""Start-up without the garbage collector's passes over what loading creates.

Importing spaCy and building the pipeline and the matchers allocate about a
million objects that live as long as the process; the collector's passes over
them found nothing to free and cost a tenth of an officer's check. The console
command pauses the collector before it imports its own modules and while it
loads, then freezes what it loaded (later passes skip it, which also helps a
long queue) and collects while it checks, less often than Python's default (see
`CHECKING_THRESHOLD`). Code that imports postcheck as a library is not affected.
"""

from __future__ import annotations

import gc

# Python collects its youngest generation every 700 allocations. Checking a queue makes short-lived objects by
# the thousand, nearly all freed as they go, and those passes (and the older generations' that they set off)
# were a twentieth of the command's processor time on 5,000 long posts; at this threshold they are nothing,
# and peak memory on 100,000 posts is the same.
CHECKING_THRESHOLD = 50_000

_paused = False


def pause() -> None:
    """Pause the collector until `resume` (the console command calls this first)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Loading is over: keep what it made out of later passes, and collect again, the youngest objects
    every CHECKING_THRESHOLD allocations."""
    global _paused
    if _paused:
        gc.freeze()
        gc.set_threshold(CHECKING_THRESHOLD, *gc.get_threshold()[1:])
        gc.enable()
        _paused = False
