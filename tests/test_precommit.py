"""pre-commit, for real: the hook manifest validates, and a commit of a breaching scheduled post is refused."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml
from tests.conftest import REPO

BIN = os.path.dirname(sys.executable)
PRE_COMMIT = shutil.which("pre-commit") or os.path.join(BIN, "pre-commit")
POSTCHECK = shutil.which("postcheck") or os.path.join(BIN, "postcheck")
pytestmark = pytest.mark.skipif(
    not (shutil.which("git") and os.path.exists(PRE_COMMIT) and os.path.exists(POSTCHECK)),
    reason="needs git, pre-commit and an installed postcheck",
)


def test_manifest_is_valid():
    result = subprocess.run(
        [PRE_COMMIT, "validate-manifest", str(REPO / ".pre-commit-hooks.yaml")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def repo(tmp_path):
    """A git repository whose pre-commit config runs the hook as the manifest defines it, on this postcheck."""
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    local = {**hook, "entry": POSTCHECK, "language": "system"}
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1", "HOME": str(tmp_path)}
    work = tmp_path / "posts"
    work.mkdir()
    (work / ".pre-commit-config.yaml").write_text(
        yaml.safe_dump({"repos": [{"repo": "local", "hooks": [local]}]}), encoding="utf-8"
    )

    def git(*args):
        return subprocess.run(["git", *args], cwd=work, env=env, capture_output=True, text=True, timeout=300)

    git("init", "-q")
    git("config", "user.email", "comms@example.invalid")
    git("config", "user.name", "Corporate Comms")
    installed = subprocess.run([PRE_COMMIT, "install"], cwd=work, env=env, capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr
    git("add", ".pre-commit-config.yaml")
    assert git("commit", "-q", "-m", "config").returncode == 0
    return work, git


def test_commit_of_a_breaching_post_fails_with_the_finding(repo):
    work, git = repo
    (work / "monday.post.md").write_text(
        "---\nprofile: corporate\n---\nOnly one party backs the police: vote Labour on Thursday!\n", encoding="utf-8"
    )
    git("add", "monday.post.md")
    result = git("commit", "-m", "schedule Monday's post")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "political.voting-advice" in output and "monday.post.md:4:" in output


def test_commit_of_a_compliant_post_passes(repo):
    work, git = repo
    (work / "tuesday.post.md").write_text(
        "---\nprofile: corporate\n---\nPolling stations are open from 7am to 10pm. Call 101 if you see intimidation.\n",
        encoding="utf-8",
    )
    git("add", "tuesday.post.md")
    result = git("commit", "-m", "schedule Tuesday's post")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ordinary_yaml_scripts_and_housekeeping_files_are_not_checked_as_posts(repo):
    work, git = repo
    (work / "docker-compose.yml").write_text("services:\n  web:\n    image: nginx\n", encoding="utf-8")
    (work / "settings.json").write_text('{"theme": "dark"}\n', encoding="utf-8")
    (work / "deploy.sh").write_text("#!/bin/sh\necho 'vote Labour on Thursday'\n", encoding="utf-8")
    (work / "requirements.txt").write_text("postcheck==0.1.0\n", encoding="utf-8")
    (work / "README.md").write_text("Vote Labour on Thursday!\n", encoding="utf-8")
    (work / "friday.post.yaml").write_text(
        "- {id: f1, profile: corporate, text: 'Road closed on the A19 northbound until 6pm.'}\n", encoding="utf-8"
    )
    git("add", ".")
    result = git("commit", "-m", "tooling and a compliant queue")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_readmes_example_hook_keeps_to_post_files():
    """A `files:` in the user's config replaces the manifest's, so the README's example must keep the suffixes."""
    section = (REPO / "README.md").read_text(encoding="utf-8").split("### pre-commit", 1)[1]
    config = yaml.safe_load(section.split("```yaml", 1)[1].split("```", 1)[0])
    [hook] = config["repos"][0]["hooks"]
    files = hook.get("files", "")
    for post in ("posts/monday.post.md", "posts/tuesday.txt", "posts/queue.jsonl", "posts/friday.post.yaml"):
        assert re.search(files, post), post
    for other in ("posts/docker-compose.yml", "posts/deploy.sh", "posts/settings.json", "src/draft.txt"):
        assert not re.search(files, other), other
