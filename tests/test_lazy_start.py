"""An officer's check of a draft loads only the modules it uses; every command, output format, queue
reader and governance option imported on demand still loads when it is asked for, in a real process."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys

import pytest
from tests.conftest import REPO

POSTCHECK = shutil.which("postcheck") or os.path.join(os.path.dirname(sys.executable), "postcheck")
pytestmark = pytest.mark.skipif(not os.path.exists(POSTCHECK), reason="postcheck console script is not installed")

# Runs the console entry point, then lists on stderr the postcheck modules it imported (a check ends
# with os._exit, see cli/startup.py: the list is printed on the way).
_LOADED = """
import os, sys
from postcheck.cli import main

def loaded():
    print(*sorted(name for name in sys.modules if name.startswith("postcheck")), file=sys.stderr)

def leave(status, exit=os._exit):
    loaded()
    sys.stderr.flush()
    exit(status)

os._exit = leave
sys.argv = ["postcheck", *sys.argv[1:]]
try:
    main()
except SystemExit:
    loaded()
"""

NOT_FOR_A_DRAFT = {
    "postcheck.cli.archive",
    "postcheck.cli.describe",
    "postcheck.cli.serve",
    "postcheck.rulebook.catalogue",
    "postcheck.reporters.csv",
    "postcheck.reporters.github",
    "postcheck.reporters.json",
    "postcheck.reporters.jsonl",
    "postcheck.reporters.sarif",
    "postcheck.inputs.csvqueue",
    "postcheck.inputs.folders",
    "postcheck.inputs.jsonqueue",
    "postcheck.governance.audit",
    "postcheck.governance.baseline",
    "postcheck.governance.waivers",
    # The regex analyses, whose results are cached (`rulebook/regexmemory.py`)
    "postcheck.rulebook.literals",
    "postcheck.rulebook.shapes",
    "postcheck.rulebook.sre",
    "postcheck.rulebook.regexbound",
    "postcheck.rulebook.firstchars",
    "postcheck.rulebook.skeleton",
}


def postcheck(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([POSTCHECK, *args], capture_output=True, text=True, env=env, timeout=120, cwd=REPO)


def test_a_draft_loads_no_other_command_format_queue_reader_governance_or_cached_analysis(tmp_path):
    env = {**os.environ, "NO_COLOR": "1", "POSTCHECK_CACHE_DIR": str(tmp_path)}
    draft = "examples/breaching-corporate.txt"
    first = subprocess.run([POSTCHECK, draft], capture_output=True, text=True, env=env, timeout=120, cwd=REPO)
    assert "endorsement." in first.stdout  # the first check analyses the rule regexes, and caches what it learns
    result = subprocess.run(
        [sys.executable, "-c", _LOADED, draft],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=REPO,
    )
    loaded = set(result.stderr.splitlines()[-1].split())
    assert "postcheck.engine.linter" in loaded and result.stdout == first.stdout  # it did check the draft
    assert loaded & NOT_FOR_A_DRAFT == set()


@pytest.mark.parametrize(
    ("args", "shows"),
    [
        (["rules", "--format", "json"], '"id": "endorsement.'),
        (["config"], "configuration:"),
        (["--profile", "personal", "config"], "command line"),
        (["explain", "political.voting-advice"], "political.voting-advice"),
        (["coverage"], "3.1.5"),
        (["audit-archive", "--help"], "Usage: postcheck audit-archive"),
        (["serve", "--help"], "Usage: postcheck serve"),
    ],
)
def test_each_command_loads_when_it_is_run(args, shows):
    result = postcheck(*args)
    assert result.returncode in (0, 1), result.stderr
    assert shows in result.stdout


@pytest.fixture(scope="module")
def queues(tmp_path_factory):
    """A queue in each format that has its own reader: a folder of CSV and JSON Lines, and a JSON file
    (a folder's walk leaves .json files out)."""
    folder = tmp_path_factory.mktemp("queues")
    shutil.copy(REPO / "examples" / "queue.csv", folder / "a.csv")
    shutil.copy(REPO / "examples" / "queue.jsonl", folder / "b.jsonl")
    records = [json.loads(line) for line in (REPO / "examples" / "queue.jsonl").read_text("utf-8").splitlines()]
    whole = folder.parent / "c.json"
    whole.write_text(json.dumps([{**r, "id": "json-" + r["id"]} for r in records]), "utf-8")
    return [str(folder), str(whole)]


def _ids(output_format: str, text: str) -> list[str]:
    """The post ids a report names, read the way its consumers read it."""
    if output_format == "json":
        return [post["id"] for post in json.loads(text)["posts"]]
    if output_format == "jsonl":
        return [record["id"] for record in map(json.loads, text.splitlines()) if "summary" not in record]
    if output_format == "sarif":
        results = json.loads(text)["runs"][0]["results"]
        return [result["properties"]["postId"] for result in results]
    if output_format == "csv":
        return [row["id"] for row in csv.DictReader(io.StringIO(text))]
    return [line.split("[", 1)[1].split("]", 1)[0] for line in text.splitlines() if "[" in line]


@pytest.mark.parametrize("output_format", ["json", "jsonl", "sarif", "csv", "github"])
def test_each_format_and_queue_reader_loads_when_it_is_used(queues, output_format):
    result = postcheck("--format", output_format, *queues)
    assert result.returncode == 1, result.stderr
    ids = _ids(output_format, result.stdout)
    assert {"c2", "q2", "json-q2"} <= set(ids), result.stdout


def test_waivers_a_baseline_and_the_audit_record_load_when_they_are_asked_for(tmp_path):
    queue, baseline, audit = str(REPO / "examples" / "queue.jsonl"), tmp_path / "baseline.json", tmp_path / "audit"
    wrote = postcheck("--write-baseline", str(baseline), "--audit", str(audit), queue)
    assert wrote.returncode == 0, wrote.stderr
    assert "wrote" in wrote.stderr and "audit record" in wrote.stderr
    waivers = str(REPO / "examples" / "waivers.yaml")
    again = postcheck("--baseline", str(baseline), "--waivers", waivers, "--date", "2026-12-01", queue)
    assert again.returncode == 0, again.stderr + again.stdout
    assert "0 flagged" in again.stdout
    verified = postcheck("audit", "verify", str(audit))
    assert verified.returncode == 0 and "1 audit record checked, 0 problems" in verified.stdout
