"""The command line, one of postcheck's faces: `postcheck FILE...` and its subcommands.

`main` below is the console entry point, `app` the typer application, `check` the check
command, `describe` the commands that describe rules, coverage and settings,
and `common` what they share. A face may import every layer below it, but
not another face (`postcheck.serve`, `postcheck.spark`).
"""


def main() -> None:
    """The console entry point: the collector paused before the command line's modules are imported (it
    made passes over every object they create, and found nothing to free: see `startup`), then `app.main`,
    and after a check, an exit without the interpreter's teardown (`startup.leave`)."""
    from . import startup

    startup.pause()
    from .app import main as run

    try:
        run()
    except SystemExit as done:
        startup.leave(done)
