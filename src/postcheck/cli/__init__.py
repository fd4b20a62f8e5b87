"""The command line, one of postcheck's faces: `postcheck FILE...` and its subcommands.

`app` holds the typer application and the entry point, `check` the check
command, `describe` the commands that describe rules, coverage and settings,
and `common` what they share. A face may import every layer below it, but
not another face (`postcheck.serve`, `postcheck.spark`).
"""
