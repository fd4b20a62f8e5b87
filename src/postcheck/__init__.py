"""postcheck: a policy-compliance linter for police social-media posts.

Public API: `Linter` checks posts; `load_rulebook` loads and validates rules;
`Finding` and `Post` are the values it works with.
"""
from .errors import PostcheckError
from .findings import Citation, Finding
from .linter import Linter
from .rulebook import Rule, Rulebook, load_rulebook
from .sources import Post, read_source

__all__ = ["Citation", "Finding", "Linter", "Post", "PostcheckError", "Rule", "Rulebook", "load_rulebook", "read_source"]
__version__ = "0.1.0"
