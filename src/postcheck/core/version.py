"""The installed postcheck's version, for reports and audit records."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    VERSION = version("postcheck")
except PackageNotFoundError:  # running from a source tree that was never installed
    VERSION = "0+unknown"
