"""The installed postcheck's version, for `--version`, SARIF and audit records.

Read from the package metadata when first asked for: the lookup scans the
installed distributions, which an officer's check, which prints no version,
should not wait for.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _installed_version


@cache
def version() -> str:
    try:
        return _installed_version("postcheck")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"
