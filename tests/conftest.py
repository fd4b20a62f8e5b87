"""Shared fixtures: the bundled rulebook and one Linter for the whole session (building it costs ~1 s)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from postcheck import Linter, load_rulebook
from postcheck.rulebook.loader import bundled_rules_dir

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def rulebook():
    return load_rulebook()


@pytest.fixture(scope="session")
def linter(rulebook):
    return Linter(rulebook)


@pytest.fixture(scope="session")
def nlp():
    """The default pipeline, for tests that build their own small linters or read clauses."""
    from postcheck.engine.pipeline import build_pipeline

    return build_pipeline()


@pytest.fixture
def rules_dir(tmp_path):
    """An empty rule directory holding only the policy, for loader and matcher tests."""
    directory = tmp_path / "rules"
    directory.mkdir()
    for name in ("policy.yaml", "social-media-policy.txt"):
        shutil.copy(bundled_rules_dir() / name, directory / name)
    (directory / "lexicons").mkdir()
    return directory


def rule_yaml(match: str, *, rule_id: str = "tone.sample", extra: str = "", flag: str = "x", passes: str = "y") -> str:
    """A one-rule file around a `match:` block (given as indented YAML)."""
    return f"""rules:
  - id: {rule_id}
    severity: error
    cites: [3.1.5.professional-tone]
    message: Sample message.
    suggest: Sample suggestion.
{extra}    match:
{match}
    examples:
      flag: ["{flag}"]
      pass: ["{passes}"]
"""


os.environ.setdefault("POSTCHECK_CACHE_DIR", tempfile.mkdtemp(prefix="postcheck-cache-"))
# The user's own configuration (~/.config/postcheck) must not change what the tests see.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="postcheck-user-config-")
