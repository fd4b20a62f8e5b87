"""postcheck: a policy-compliance linter for police social-media posts.

Public API: `Linter` checks posts; `load_rulebook` loads and validates rules;
`Finding` and `Post` are the values it works with.
"""

from .core import version as _version
from .core.errors import PostcheckError
from .core.findings import Citation, Finding
from .core.post import Post
from .engine.linter import Linter
from .inputs.sources import read_source
from .rulebook.loader import Rule, Rulebook, load_rulebook

__all__ = [
    "Citation",
    "Finding",
    "Linter",
    "Post",
    "PostcheckError",
    "Rule",
    "Rulebook",
    "load_rulebook",
    "read_source",
]
__version__ = _version.VERSION
