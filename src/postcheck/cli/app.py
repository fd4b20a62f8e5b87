"""The `postcheck` command line: the typer application and its entry point.

`postcheck FILE...` checks posts (the default command, also `postcheck check`);
`postcheck rules`, `postcheck explain RULE_ID` and `postcheck coverage` describe
the rulebook; `postcheck config` shows the effective configuration;
`postcheck audit verify DIR` checks the audit records; `postcheck serve` starts
the reviewer's page and the HTTP API. Exit status: 0 clean,
1 findings at or above --fail-on, 2 when something could not be checked
(usage, input or rulebook errors).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup

from ..core.errors import PostcheckError
from ..core.version import VERSION
from . import check, describe, serve
from .common import fail, settings


class _DefaultCheck(TyperGroup):
    """Route `postcheck draft.txt` and `postcheck --format json q.jsonl` to the check command."""

    # `ctx` is the Context of typer's click: its own vendored copy in recent versions, click itself before.
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["check", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_DefaultCheck,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Check draft social-media posts against the force social-media policy (Policy 386).",
    no_args_is_help=True,
)


def _version(value: bool) -> None:
    if value:
        try:
            rulebook = settings(None, [])[1]
        except PostcheckError as exc:
            typer.echo(f"postcheck {VERSION}")
            fail(str(exc))
        policy = rulebook.policy
        policy_name = f"{policy.title} {policy.number} v{policy.version} ({policy.date})"
        typer.echo(f"postcheck {VERSION}; {policy_name}; rulebook {rulebook.digest}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Check draft social-media posts against the force social-media policy (Policy 386)."""


audit_app = typer.Typer(help="Audit records written with --audit.", no_args_is_help=True)


@audit_app.command("verify")
def audit_verify(directory: Path = typer.Argument(..., help="The directory given to --audit.")) -> None:
    """Recompute every audit record's hash; exit 1 if any record was altered or removed."""
    from ..governance.audit import verify

    try:
        problems = verify(directory)
    except PostcheckError as exc:
        fail(str(exc))
    for problem in problems:
        typer.echo(f"postcheck: {problem}", err=True)
    count = len(list(directory.glob("*.json")))
    typer.echo(f"{count} audit record{'s' * (count != 1)} checked, {len(problems)} problem{'s' * (len(problems) != 1)}")
    raise typer.Exit(1 if problems else 0)


# In the order `postcheck --help` lists them.
app.command("check")(check.check)
app.add_typer(audit_app, name="audit")
app.command("config")(describe.show_config)
app.command("rules")(describe.rules)
app.command("explain")(describe.explain)
app.command("coverage")(describe.coverage)
app.command("serve")(serve.serve)


def main() -> None:
    """Console entry point: user errors are one line and exit 2; bugs say they are bugs."""
    try:
        app(prog_name="postcheck")
    except KeyboardInterrupt:
        typer.echo("postcheck: interrupted", err=True)
        sys.exit(2)
    except Exception as exc:  # a bug in postcheck, not in the user's input
        if os.environ.get("POSTCHECK_DEBUG"):
            raise
        typer.echo(
            f"postcheck: internal error ({type(exc).__name__}: {exc}); this is a bug, please report it", err=True
        )
        sys.exit(2)
