"""What the command-line tests share: typer's runner, and `run`, which invokes the app with colour off."""

from __future__ import annotations

from typer.testing import CliRunner

from postcheck.cli.app import app

runner = CliRunner()


def run(*args, stdin=None, env=None):
    """Invoke `postcheck` with these arguments (any values, made strings), as a terminal without colour would."""
    return runner.invoke(app, [str(a) for a in args], input=stdin, env=env or {"NO_COLOR": "1"})
