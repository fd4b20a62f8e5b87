"""postcheck: a policy-compliance linter for police social-media posts.

Public API: `Linter` checks posts; `load_rulebook` loads and validates rules;
`Finding` and `Post` are the values it works with.
"""
from importlib.metadata import PackageNotFoundError, version

from .errors import PostcheckError
from .findings import Citation, Finding
from .linter import Linter
from .rulebook import Rule, Rulebook, load_rulebook
from .sources import Post, read_source

__all__ = ["Citation", "Finding", "Linter", "Post", "PostcheckError", "Rule", "Rulebook", "load_rulebook", "read_source"]
try:
    __version__ = version("postcheck")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
