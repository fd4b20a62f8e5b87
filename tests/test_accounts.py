"""Account type: a post that does not say which account it is for is checked for both, and reported for
each; a record, front matter, the configuration (the project's or the user's own) or --profile decides."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.cli_support import run
from tests.conftest import REPO

UNIFORM_SELFIE = "Last shift of the week done!\n[photo: me and my crewmate in uniform in the back of the van]"


@pytest.fixture
def draft(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "draft.txt"
    path.write_text(UNIFORM_SELFIE, encoding="utf-8")
    return path


def test_an_undeclared_uniform_selfie_does_not_pass_silently(draft):
    result = run(draft)
    assert result.exit_code == 1
    assert "duty-imagery.uniform-or-premises (only on your own account)" in result.stdout
    assert "draft.txt: not said which account it is for; fine on a force account; on your own account: 1 error" in (
        result.stdout
    )
    assert "did not say which account it is for, so it was checked for both" in result.stdout


def test_json_has_one_entry_per_account_type_each_under_the_old_contract(draft):
    report = json.loads(run("--format", "json", draft).stdout)
    corporate, personal = report["posts"]
    assert (corporate["profile"], personal["profile"]) == ("corporate", "personal")
    assert corporate["id"] == personal["id"] == str(draft)
    assert corporate["checked_for_both"] and personal["checked_for_both"]
    assert corporate["findings"] == []
    assert [f["rule"] for f in personal["findings"]] == ["duty-imagery.uniform-or-premises"]
    assert all(f["profile"] == "personal" and f["citation"]["section"].startswith("3.2") for f in personal["findings"])
    assert report["summary"]["posts"] == 1 and report["summary"]["flagged"] == 1


@pytest.mark.parametrize(
    ("how", "expected"),
    [
        (["--profile", "corporate"], "corporate"),
        (["--profile", "personal"], "personal"),
        (["--config", "project"], "personal"),
        (["--config", "user"], "personal"),
    ],
)
def test_the_command_line_or_a_configuration_decides(draft, tmp_path, monkeypatch, how, expected):
    if how == ["--config", "project"]:
        (tmp_path / ".postcheck.yaml").write_text("profile: personal\n", encoding="utf-8")
        how = []
    elif how == ["--config", "user"]:
        (tmp_path / "home" / "postcheck").mkdir(parents=True)
        (tmp_path / "home" / "postcheck" / "config.yaml").write_text("profile: personal\n", encoding="utf-8")
        monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home"))
        how = []
    report = json.loads(run("--format", "json", *how, draft).stdout)
    assert [p["profile"] for p in report["posts"]] == [expected]
    assert not report["posts"][0]["checked_for_both"]


def test_the_project_configuration_wins_over_the_users_own(draft, tmp_path, monkeypatch):
    (tmp_path / "home" / "postcheck").mkdir(parents=True)
    (tmp_path / "home" / "postcheck" / "config.yaml").write_text("profile: personal\n", encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home"))
    (tmp_path / ".postcheck.yaml").write_text("profile: corporate\n", encoding="utf-8")
    shown = {row["key"]: row for row in json.loads(run("config", "--format", "json").stdout)["settings"]}
    assert shown["profile"]["value"] == "corporate" and shown["profile"]["source"].endswith(".postcheck.yaml:1")
    (tmp_path / ".postcheck.yaml").write_text("fail_on: warning\n", encoding="utf-8")
    shown = {row["key"]: row for row in json.loads(run("config", "--format", "json").stdout)["settings"]}
    assert shown["profile"]["value"] == "personal"
    assert shown["profile"]["source"] == f"{tmp_path / 'home' / 'postcheck' / 'config.yaml'}:1"


def test_config_shows_where_the_account_type_came_from(draft):
    rows = {row["key"]: row for row in json.loads(run("config", "--format", "json").stdout)["settings"]}
    assert (rows["profile"]["value"], rows["profile"]["source"]) == ("both", "default")
    for args in (["config", "--profile", "personal"], ["--profile", "personal", "config"]):
        rows = {row["key"]: row for row in json.loads(run(*args, "--format", "json").stdout)["settings"]}
        assert (rows["profile"]["value"], rows["profile"]["source"]) == ("personal", "command line")


def test_records_and_front_matter_decide_as_before(tmp_path):
    queue = tmp_path / "queue.jsonl"
    rows = [
        {"id": "r1", "profile": "corporate", "text": UNIFORM_SELFIE},
        {"id": "r2", "profile": "personal", "text": UNIFORM_SELFIE},
        {"id": "r3", "text": UNIFORM_SELFIE},
    ]
    queue.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    post = tmp_path / "monday.md"
    post.write_text(f"---\nprofile: personal\n---\n{UNIFORM_SELFIE}\n", encoding="utf-8")
    report = json.loads(run("--format", "json", queue, post).stdout)
    entries = [(p["id"], p["profile"], p["checked_for_both"]) for p in report["posts"]]
    assert entries == [
        ("r1", "corporate", False),
        ("r2", "personal", False),
        ("r3", "corporate", True),
        ("r3", "personal", True),
        (str(post), "personal", False),
    ]
    assert report["summary"]["posts"] == 4


def test_a_queue_that_names_every_profile_reports_exactly_as_before():
    """The scorer and Corporate Comms' CI pass a profile per record: one entry per record, as ever."""
    report = json.loads(run("--format", "json", REPO / "examples" / "queue.jsonl").stdout)
    assert [(p["id"], p["profile"]) for p in report["posts"]] == [
        ("q1", "corporate"),
        ("q2", "corporate"),
        ("q3", "personal"),
        ("q4", "corporate"),
    ]
    assert all(f["profile"] == p["profile"] for p in report["posts"] for f in p["findings"])


def test_an_unreadable_undeclared_post_is_one_error_with_an_entry_per_account(tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    result = run("--format", "json", path)
    report = json.loads(result.stdout)
    assert result.exit_code == 2
    assert [p["profile"] for p in report["posts"]] == ["corporate", "personal"]
    assert report["summary"]["unreadable"] == 1 and report["summary"]["posts"] == 1


def test_profile_both_can_be_asked_for_explicitly(tmp_path):
    queue = tmp_path / "queue.jsonl"
    queue.write_text(json.dumps({"id": "x", "text": UNIFORM_SELFIE}) + "\n", encoding="utf-8")
    (tmp_path / "cfg.yaml").write_text("profile: both\n", encoding="utf-8")
    report = json.loads(run("--format", "json", "--config", tmp_path / "cfg.yaml", queue).stdout)
    assert [p["profile"] for p in report["posts"]] == ["corporate", "personal"]


def test_sarif_and_github_say_which_account_a_finding_is_for(draft):
    sarif = json.loads(run("--format", "sarif", draft).stdout)
    [result] = sarif["runs"][0]["results"]
    assert result["properties"]["profile"] == "personal"
    github = run("--format", "github", draft).stdout
    assert "(on your own account)" in github


def test_the_users_own_configuration_file(monkeypatch, tmp_path):
    from postcheck.governance.config import user_config_path

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert user_config_path() == tmp_path / "postcheck" / "config.yaml"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    assert user_config_path() == Path.home() / ".config" / "postcheck" / "config.yaml"
