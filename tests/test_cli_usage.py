"""The command line as a new user meets it: help, routing, suggestions, drafts on the command line, and
errors that come before anything slow loads."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from tests.cli_support import run
from tests.conftest import REPO


def test_help_shows_the_checks_options_and_the_commands():
    out = run("--help").stdout
    for option in ("--profile", "--format", "--fail-on", "--select", "--ignore", "--text", "--trace", "--version"):
        assert option in out
    assert "Commands:" in out and "explain" in out


@pytest.mark.parametrize("command", ["config", "rules", "coverage"])
def test_options_before_a_command_go_with_the_command(command):
    result = run("--format", "json", command)
    assert result.exit_code in (0, 1), result.output
    json.loads(result.stdout)


def test_profile_before_config_is_not_read_as_a_file():
    result = run("--profile", "personal", "config")
    assert result.exit_code == 0 and "no such file" not in result.output


def test_a_draft_given_on_the_command_line():
    result = run("--text", "Only one party backs the police, so vote Labour on Thursday!", "--profile", "corporate")
    assert result.exit_code == 1
    assert "<text>:1:" in result.stdout and "political.voting-advice" in result.stdout
    assert run("--text", "Road closed on the A19 until 6pm.", "--profile", "corporate").exit_code == 0


def test_nothing_to_check_is_a_usage_error():
    result = run("--profile", "personal")
    assert result.exit_code == 2 and "--text" in result.stderr


def test_explain_text_with_trace_as_the_readme_pairs_them():
    result = run("explain", "--text", "We do not endorse Greggs, best pies in town", "--trace")
    assert result.exit_code == 0, result.output
    assert "trace endorsement.promotes-business: fired" in result.stdout


@pytest.mark.parametrize(
    ("args", "suggestion"),
    [
        (["--ignor", "tone", "x.txt"], "did you mean --ignore?"),
        (["--fromat", "json", "x.txt"], "did you mean --format?"),
        (["--proflie", "personal", "x.txt"], "did you mean --profile?"),
    ],
)
def test_a_mistyped_option_gets_the_option_it_resembles(args, suggestion):
    result = run(*args)
    assert result.exit_code == 2 and suggestion in result.output
    assert "--bio" not in result.output


def test_an_option_value_that_looks_like_an_option_is_not_judged_as_one():
    result = run("--text", "--not-an-option is fine here", "--profile", "corporate")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (["explain", "endorsement.promote-business"], "did you mean 'endorsement.promotes-business'?"),
        (["--select", "politcal", "--text", "x"], "did you mean 'political'?"),
        (["--ignore", "tone.shoutng", "--text", "x"], "did you mean 'tone.shouting'?"),
    ],
)
def test_an_unknown_rule_id_gets_a_did_you_mean(args, hint):
    result = run(*args)
    assert result.exit_code == 2 and hint in result.stderr


@pytest.mark.parametrize("option", ["--ignore", "--select"])
def test_an_unknown_rule_is_reported_against_the_option_the_user_typed(option):
    result = run(option, "nosuch.rule", "--text", "x")
    assert result.exit_code == 2
    assert result.stderr == (
        f"postcheck: error: {option}: cannot {option[2:]} unknown rule 'nosuch.rule' (see `postcheck rules`)\n"
    )


def test_an_unknown_rule_in_the_file_is_reported_at_its_line_whatever_the_command_line_adds(tmp_path):
    config = tmp_path / ".postcheck.yaml"
    config.write_text("profile: corporate\ndisable: [tone.shoutng]\n", encoding="utf-8")
    result = run("--config", config, "--ignore", "political", "--text", "x")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"postcheck: error: {config}:2: cannot disable unknown rule 'tone.shoutng'")
    assert "--ignore" not in result.stderr and "did you mean 'tone.shouting'?" in result.stderr


def test_a_mistyped_suppression_gets_a_did_you_mean(tmp_path):
    post = tmp_path / "post.md"
    post.write_text("Hello Redcar.\n<!-- postcheck: allow endorsment -- agreed, ref CC-1 -->\n", encoding="utf-8")
    result = run(post)
    assert result.exit_code == 2 and "did you mean 'endorsement'?" in result.stderr


def test_rules_piped_is_one_line_per_rule():
    result = run("rules")
    rows = json.loads(run("rules", "--format", "json").stdout)
    lines = result.stdout.splitlines()
    assert len(lines) == len(rows)
    assert [line.split("\t")[0] for line in lines] == [row["id"] for row in rows]


def _python(code: str, *argv: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, env=env, timeout=120)


# Runs the command line in a fresh interpreter and says afterwards whether spaCy was imported.
_RUN_AND_REPORT = """
import sys
from postcheck.cli.app import main
sys.argv = ["postcheck", *sys.argv[1:]]
try:
    main()
except SystemExit as exit:
    print("exit", exit.code, "spacy", "spacy" in sys.modules, file=sys.stderr)
"""


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["--fromat", "json", "draft.txt"],
        ["--profile", "nobody", "draft.txt"],
        ["no-such-draft.txt"],
        ["--select", "politcal", "--text", "x"],
        ["--date", "tomorrow", "--text", "x"],
    ],
)
def test_usage_errors_and_missing_files_come_before_spacy_loads(argv):
    result = _python(_RUN_AND_REPORT, *argv)
    assert "spacy False" in result.stderr, result.stderr
    if argv != ["--help"]:
        assert "exit 2" in result.stderr
    if argv == ["no-such-draft.txt"]:
        assert "postcheck: no-such-draft.txt: no such file" in result.stderr


def test_importing_postcheck_does_not_load_the_linter():
    result = _python("import sys, postcheck; print('spacy' in sys.modules, postcheck.Post.__name__)")
    assert result.stdout.split() == ["False", "Post"]


def test_the_readmes_error_line_for_a_queue_is_what_postcheck_prints(tmp_path, monkeypatch):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = [line for line in readme.splitlines() if line.startswith("postcheck: queue.jsonl:2: ")]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "queue.jsonl").write_text('{"id": "q1", "text": "Hi."}\n{\'id\': \'q2\'}\n', encoding="utf-8")
    assert shown and shown[0] in run("--profile", "corporate", "queue.jsonl").stderr.splitlines()
