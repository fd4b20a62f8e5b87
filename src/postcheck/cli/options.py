"""The options that change the configuration, shared by `check` and `config`.

`postcheck config --profile personal` shows what `postcheck --profile personal
draft.txt` would run with, each value with where it came from, so both
commands take these options and apply them the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from .common import Profile, Severity

if TYPE_CHECKING:
    from ..governance.config import Config

ProfileOption = typer.Option(
    None,
    "--profile",
    "-p",
    help="Account type for posts that do not say: corporate (a force account), personal (your own) "
    "or both [default: both].",
)
FailOn = typer.Option(None, "--fail-on", help="Lowest severity that makes the exit status 1 [default: error].")
Select = typer.Option(
    [],
    "--select",
    metavar="RULES",
    help="Check only these rules or categories (comma-separated or repeated), e.g. political,tone.",
)
Ignore = typer.Option(
    [], "--ignore", metavar="RULES", help="Do not check these rules or categories (comma-separated or repeated)."
)
MaxChars = typer.Option(
    None, "--max-chars", min=1, metavar="N", help="Longest post accepted, in characters [default: 100000]."
)
Include = typer.Option([], "--include", metavar="GLOB", help="File glob to check inside directories (repeatable).")
Exclude = typer.Option(
    [], "--exclude", metavar="GLOB", help="File or directory glob to skip inside directories (repeatable)."
)
NoModel = typer.Option(
    False, "--no-model", help="Rules only: switch off the learned second opinion (configuration: model: false)."
)
Waivers = typer.Option(
    None, "--waivers", metavar="FILE", help="Waivers file (rule, post or fingerprint, reason, approved_by, expires)."
)


def names(values: list[str]) -> list[str]:
    """Rule ids or categories given as `a,b` or by repeating the option."""
    return [name.strip() for value in values for name in value.split(",") if name.strip()]


def apply_options(
    config: Config,
    profile: Profile | None,
    fail_on: Severity | None,
    select: list[str],
    ignore: list[str],
    max_chars: int | None,
    include: list[str],
    exclude: list[str],
    waivers: Path | None,
    no_model: bool = False,
) -> None:
    """Let the command line win over the configuration files; `--ignore` adds to `disable`."""
    ignored, selected = names(ignore), names(select)
    for key, value in (
        ("profile", profile and profile.value),
        ("fail_on", fail_on and fail_on.value),
        ("select", selected),
        ("disable", config["disable"] + ignored if ignored else None),
        ("max_chars", max_chars),
        ("include", include),
        ("exclude", exclude),
        ("waivers", waivers and str(waivers)),
        ("model", False if no_model else None),
    ):
        config.override(key, value)
    config.named_by("select", "--select", selected)
    config.named_by("disable", "--ignore", ignored)
