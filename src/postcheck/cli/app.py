"""The `postcheck` command line: the typer application and its entry point.

`postcheck FILE...` checks posts (the default command, also `postcheck check`);
`postcheck rules`, `postcheck explain RULE_ID` and `postcheck coverage` describe
the rulebook; `postcheck config` shows the effective configuration;
`postcheck audit verify DIR` checks the audit records; `postcheck serve` starts
the reviewer's page and the HTTP API; `postcheck audit-archive` audits a whole
archive into Parquet tables. Exit status: 0 clean,
1 findings at or above --fail-on, 2 when something could not be checked
(usage, input or rulebook errors).
"""

from __future__ import annotations

import os
import sys
from difflib import get_close_matches
from importlib import import_module
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from ..core.errors import PostcheckError
from ..core.version import version
from . import check, startup
from .common import fail, say, settings

DEFAULT = "check"
_GROUP_OPTIONS = ("--help", "-h", "--version")
# The other commands, in the order `postcheck --help` lists them after the check: each is imported only
# when it runs or the help lists it, so that a check of a draft loads none of them.
_LAZY = {
    "audit-archive": (".archive", "audit_archive"),
    "config": (".describe", "show_config"),
    "rules": (".describe", "rules"),
    "explain": (".describe", "explain"),
    "coverage": (".describe", "coverage"),
    "serve": (".serve", "serve"),
}


def _options(command: Any) -> dict[str, bool]:
    """Each option name of a command (`--profile`, `-p`), and whether it takes a value."""
    return {
        name: not (getattr(param, "is_flag", False) or getattr(param, "count", False))
        for param in command.params
        if getattr(param, "param_type_name", "") == "option"
        for name in (*param.opts, *param.secondary_opts)
    }


class _Command(TyperCommand):
    """A command whose unknown options get a suggestion that resembles them (click compares the
    dashes too, which made `--ignor` suggest `--bio`)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        known = {name: value for name, value in _options(self).items() if name.startswith("--")} | {"--help": False}
        skip = False
        for arg in args:
            if arg == "--":
                break
            if skip or not arg.startswith("--"):
                skip = False
                continue
            name = arg.split("=", 1)[0]
            if name not in known:
                words = {option[2:]: option for option in known}
                close = get_close_matches(name[2:], list(words), n=1, cutoff=0.6)
                hint = f" (did you mean {words[close[0]]}?)" if close else ""
                ctx.fail(f"No such option: {name}{hint}")
            skip = known[name] and "=" not in arg
        return super().parse_args(ctx, args)


class _DefaultCheck(TyperGroup):
    """`postcheck draft.txt`, `postcheck --format json q.jsonl` and `postcheck --text "..."` run the
    check; options before a command name go with that command (`postcheck --profile personal
    config`); `postcheck --help` shows the check's options too."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, self._route(args))

    def list_commands(self, ctx: Any) -> list[str]:
        return [*self.commands, *(name for name in _LAZY if name not in self.commands)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in _LAZY and cmd_name not in self.commands:
            module, function = _LAZY[cmd_name]
            one = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)
            one.command(cmd_name, cls=_Command)(getattr(import_module(module, __package__), function))
            self.commands[cmd_name] = typer.main.get_command(one)
        return super().get_command(ctx, cmd_name)

    def _route(self, args: list[str]) -> list[str]:
        if not args or args[0] in _GROUP_OPTIONS:
            startup.resume()
            return args
        takes_value = _options(self.commands[DEFAULT])
        index = 0
        while index < len(args):
            arg = args[index]
            if arg == "--":
                break
            if arg.startswith("-") and arg != "-":
                index += 2 if takes_value.get(arg, False) else 1
                continue
            if arg in self.commands or arg in _LAZY:
                startup.resume()  # only the check loads the pipeline
                return [arg, *args[:index], *args[index + 1 :]]
            break
        return [DEFAULT, *args]

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self.format_usage(ctx, formatter)
        self.format_help_text(ctx, formatter)
        default = self.commands[DEFAULT]
        sub = default.make_context(ctx.info_name, [], parent=ctx, resilient_parsing=True)
        options = [(param, sub) for param in default.get_params(sub) if param.name != "help"]
        rows = [
            row
            for param, context in [*options, *((param, ctx) for param in self.get_params(ctx))]
            if getattr(param, "param_type_name", "") == "option" and (row := param.get_help_record(context))
        ]
        with formatter.section("Options (postcheck [OPTIONS] FILE...)"):
            formatter.write_dl(rows)
        self.format_commands(ctx, formatter)

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        formatter.write_usage(ctx.command_path, "[OPTIONS] FILE... | --text TEXT | COMMAND [ARGS]...")


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
            typer.echo(f"postcheck {version()}")
            fail(str(exc))
        policy = rulebook.policy
        policy_name = f"{policy.title} {policy.number} v{policy.version} ({policy.date})"
        typer.echo(f"postcheck {version()}; {policy_name}; rulebook {rulebook.digest}")
        raise typer.Exit()


@app.callback()
def _main(
    show_version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Check draft social-media posts against the force social-media policy (Policy 386)."""


audit_app = typer.Typer(help="Audit records written with --audit.", no_args_is_help=True)


@audit_app.command("verify", cls=_Command)
def audit_verify(
    directory: Path = typer.Argument(..., help="The directory given to --audit."),
    head: str = typer.Option(
        None, "--head", help="A head hash printed by an earlier run: report it if it was removed or rewritten."
    ),
) -> None:
    """Recompute every audit record's hash and follow the chain; exit 1 if any record was altered or removed."""
    from ..governance.audit_verify import verify_log

    try:
        result = verify_log(directory, head)
    except PostcheckError as exc:
        fail(str(exc))
    for problem in result.problems:
        say(problem)
    for note in result.notes:
        say(f"note: {note}")
    count, problems = result.checked, len(result.problems)
    summary = f"{count} audit record{'s' * (count != 1)} checked, {problems} problem{'s' * (problems != 1)}"
    typer.echo(summary + (f"; head {result.head}" if result.head else ""))
    raise typer.Exit(1 if problems else 0)


# In the order `postcheck --help` lists them, the commands in _LAZY last.
app.command(DEFAULT, cls=_Command)(check.check)
app.add_typer(audit_app, name="audit")


def main() -> None:
    """Console entry point: user errors are one line and exit 2; bugs say they are bugs."""
    startup.pause()
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
