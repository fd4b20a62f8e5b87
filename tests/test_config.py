"""Configuration discovery, precedence, validation with file:line, and its effect on the rules."""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from postcheck import PostcheckError
from postcheck.cli.app import app
from postcheck.governance.config import configure, discover, load_config

runner = CliRunner()


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "posts" / "deep").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "posts" / "deep")
    return tmp_path


def test_nearest_file_wins_and_yaml_beats_pyproject(project):
    (project / "pyproject.toml").write_text("[tool.postcheck]\nprofile = 'personal'\n", encoding="utf-8")
    assert discover(project / "posts" / "deep") == project / "pyproject.toml"
    (project / "posts" / ".postcheck.yaml").write_text("fail_on: warning\n", encoding="utf-8")
    assert discover(project / "posts" / "deep") == project / "posts" / ".postcheck.yaml"


def test_pyproject_without_a_postcheck_section_is_ignored(project):
    (project / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    assert discover(project) is None


def test_values_and_where_they_came_from(project):
    (project / ".postcheck.yaml").write_text(
        "profile: personal\naccounts:\n  '@ClevelandPolice': corporate\n", encoding="utf-8"
    )
    config = load_config()
    assert config["profile"] == "personal"
    assert config.where("profile").endswith(".postcheck.yaml:1")
    assert config.where("accounts").endswith(".postcheck.yaml:2")
    assert config.where("fail_on") == "default"
    config.override("profile", "corporate")
    assert config.where("profile") == "command line"


def test_pyproject_lines(project):
    (project / "pyproject.toml").write_text(
        "[project]\nname='x'\n\n[tool.postcheck]\nprofile = 'personal'\ncolour = 'red'\n", encoding="utf-8"
    )
    with pytest.raises(PostcheckError) as caught:
        load_config()
    assert caught.value.line == 6 and "unknown configuration key 'colour'" in caught.value.message


@pytest.mark.parametrize(
    ("body", "fragment", "line"),
    [
        ("profile: personal\nshouting: loud\n", "unknown configuration key 'shouting'", 2),
        ("profle: personal\n", "unknown configuration key 'profle' (did you mean 'profile'?)", 1),
        ("fail-onn: warning\n", "unknown configuration key 'fail-onn' (did you mean 'fail_on'?)", 1),
        ("fail_on: fatal\n", "'fail_on' must be error, warning or info", 1),
        ("accounts:\n  '@x': robot\n", "'accounts' must be", 1),
        ("max_chars: -5\n", "'max_chars' must be a whole number", 1),
    ],
)
def test_bad_settings_name_file_and_line(project, body, fragment, line):
    (project / ".postcheck.yaml").write_text(body, encoding="utf-8")
    with pytest.raises(PostcheckError) as caught:
        load_config()
    assert fragment in caught.value.message and caught.value.line == line
    assert caught.value.path.endswith(".postcheck.yaml")


def test_disable_relevel_and_extend_lexicons(project, rulebook):
    (project / ".postcheck.yaml").write_text(
        "disable: [writing, tone.shouting]\nseverity:\n  tone.sarcasm: info\nlexicons:\n  brands: [Teesside Tyres]\n",
        encoding="utf-8",
    )
    configured = configure(rulebook, load_config())
    ids = configured.ids
    assert "tone.shouting" not in ids and not any(i.startswith("writing.") for i in ids)
    assert configured.rule("tone.sarcasm").severity == "info"
    assert "Teesside Tyres" in configured.lexicons["brands"].terms
    assert configured.digest != rulebook.digest


def test_unknown_rule_in_configuration(project, rulebook):
    (project / ".postcheck.yaml").write_text("profile: corporate\ndisable: [tone.nope]\n", encoding="utf-8")
    with pytest.raises(PostcheckError) as caught:
        configure(rulebook, load_config())
    assert "unknown rule 'tone.nope'" in caught.value.message and caught.value.line == 2


def test_cli_uses_configuration_and_command_line_wins(project):
    (project / ".postcheck.yaml").write_text(
        "profile: personal\nfail_on: warning\naccounts:\n  '@ClevelandPolice': corporate\n", encoding="utf-8"
    )
    queue = project / "posts" / "q.jsonl"
    queue.write_text(
        json.dumps(
            {"id": "a", "account": "@ClevelandPolice", "text": "Loving this deal, use the code SAVE10 for money off!"}
        )
        + "\n"
        + json.dumps({"id": "b", "text": "STOP PARKING ON THE ZIGZAGS OUTSIDE THE SCHOOL GATES"})
        + "\n",
        encoding="utf-8",
    )
    report = json.loads(runner.invoke(app, ["--format", "json", str(queue)]).stdout)
    assert [p["profile"] for p in report["posts"]] == ["corporate", "personal"]
    assert runner.invoke(app, [str(queue)]).exit_code == 1
    assert runner.invoke(
        app, ["--profile", "personal", "--fail-on", "error", str(project / "posts" / "q.jsonl")]
    ).exit_code in (0, 1)


def test_config_command_shows_sources(project):
    (project / ".postcheck.yaml").write_text("profile: personal\n", encoding="utf-8")
    shown = json.loads(runner.invoke(app, ["config", "--format", "json"]).stdout)
    settings = {row["key"]: row for row in shown["settings"]}
    assert settings["profile"]["value"] == "personal" and settings["profile"]["source"].endswith(":1")
    assert settings["fail_on"]["source"] == "default"
    text = runner.invoke(app, ["config"], env={"NO_COLOR": "1"}).stdout
    assert "profile" in text and os.path.basename(shown["file"]) in text


def test_config_command_names_your_own_file_when_it_gave_the_values(project, tmp_path, monkeypatch):
    own = tmp_path / "home" / "postcheck" / "config.yaml"
    own.parent.mkdir(parents=True)
    own.write_text("profile: personal\n", encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home"))
    shown = json.loads(runner.invoke(app, ["config", "--format", "json"]).stdout)
    assert shown["file"] is None and shown["user_file"] == str(own)
    text = runner.invoke(app, ["config"], env={"NO_COLOR": "1", "COLUMNS": "300"}).stdout
    assert text.splitlines()[0] == f"configuration: your own {own}"
    (project / ".postcheck.yaml").write_text("fail_on: warning\n", encoding="utf-8")
    text = runner.invoke(app, ["config"], env={"NO_COLOR": "1", "COLUMNS": "300"}).stdout
    assert text.splitlines()[0] == f"configuration: {project / '.postcheck.yaml'} over your own {own}"


def test_broken_configuration_is_exit_2(project):
    (project / ".postcheck.yaml").write_text("profile: [\n", encoding="utf-8")
    result = runner.invoke(app, ["config"])
    assert result.exit_code == 2 and ".postcheck.yaml" in result.stderr


def test_shipped_example_configuration_is_valid(rulebook):
    from tests.conftest import REPO

    config = load_config(REPO / "examples" / "postcheck.yaml")
    assert config["accounts"]["@pc_jones"] == "personal"
    assert [c.case for c in config.cases()] == ["T20261234", "T20250007"]
    assert config.elections()[0].polling_day.isoformat() == "2027-05-06"
    config.values["rules_dirs"] = []  # the example names a force's own folder, which is not shipped
    configured = configure(rulebook, config)
    assert configured.rule("tone.shouting").severity == "error"
