"""Start-up and exit without the garbage collector's passes over what loading creates.

Importing spaCy and building the pipeline and the matchers allocate about a
million objects that live as long as the process; the collector's passes over
them found nothing to free and cost a tenth of an officer's check. The console
command pauses the collector before it imports its own modules and while it
loads, then freezes what it loaded (later passes skip it, which also helps a
long queue) and collects while it checks, less often than Python's default (see
`postcheck.engine.collector`). When a check that loaded them is over, the process ends once its
output is flushed (`leave`), without freeing those objects one by one. Code that imports postcheck as a
library keeps its collector: the Linter raises the threshold only while it checks a batch.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import NoReturn

from ..engine.collector import CHECKING_THRESHOLD  # a small module: nothing heavy loads with it

_paused = False
_checked = False  # the check has loaded the pipeline: see `leave`


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


def checking() -> None:
    """The check has loaded what it checks with: `resume`, and let `leave` end the process at once."""
    global _checked
    resume()
    _checked = True


def leave(done: SystemExit) -> NoReturn:
    """End the process as `done` says. After a check, the interpreter's teardown only freed what
    loading made, object by object (about 2% of an officer's check), and nothing is left for it to
    do: the report, the audit record and the cache files are written and closed as the check goes,
    and no other thread or process is left running. So once stdout and stderr are flushed, the
    process ends at once. Anything unusual (an exit message, output that cannot be flushed) is left
    to Python's ordinary exit, which reports it as before."""
    code = done.code
    if not _checked or not (code is None or isinstance(code, int)):
        raise done
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        raise done from None
    os._exit(code or 0)
