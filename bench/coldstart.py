"""Cold-start timing for `bench/run.py`: the CLI on one draft against `python -c "import spacy; spacy.blank('en')"`.

`cold_start` alternates the two (so both see the same moments of a shared machine) and returns
the medians of their wall-clock and CPU seconds. `installed_copy` lays postcheck out as a pip
install has it, for the comparison run.py prints beside the target's: with PYTHONDONTWRITEBYTECODE
set, as on the team's machine, an editable install keeps no bytecode for postcheck's own modules,
so each start compiles them from source, where spaCy's modules, installed by pip, were compiled once.
"""
from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BARE = [sys.executable, "-c", "import spacy; spacy.blank('en')"]


def timed_run(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall-clock seconds and CPU seconds (user + system) of one run of a command. CPU time counts
    only the command's own work, so it varies less than the wall clock on a shared machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, capture_output=True, check=False, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def cold_start(command: list[str], runs: int, env: dict[str, str] | None = None) -> tuple[float, float, float, float]:
    """Medians of `runs` cold starts of the command and of bare spaCy, alternating: wall-clock seconds
    of each, then CPU seconds of each."""
    timed_run(command, env)  # a first run fills the cache, as any earlier check would have
    mine, bare = [], []
    for _ in range(runs):
        mine.append(timed_run(command, env))
        bare.append(timed_run(BARE))
    wall, bare_wall = (statistics.median(run[0] for run in each) for each in (mine, bare))
    cpu, bare_cpu = (statistics.median(run[1] for run in each) for each in (mine, bare))
    return wall, bare_wall, cpu, bare_cpu


def installed_copy(tmp: Path) -> dict[str, str] | None:
    """An environment in which postcheck runs from a copy laid out as a pip install has it (its modules
    compiled, its rules inside the package), or None when the postcheck under test has bytecode already."""
    import compileall
    import importlib.util

    from postcheck.rulebook.loader import bundled_rules_dir

    spec = importlib.util.find_spec("postcheck")
    package = Path(str(spec.origin if spec else "")).parent
    if Path(importlib.util.cache_from_source(str(package / "__init__.py"))).exists():
        return None
    copy = tmp / "postcheck"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    if not (copy / "rules").is_dir():
        shutil.copytree(bundled_rules_dir(), copy / "rules")
    compileall.compile_dir(copy, quiet=1)
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp), os.environ.get("PYTHONPATH")]))}
