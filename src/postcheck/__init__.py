"""postcheck: a policy-compliance linter for police social-media posts.

Public API: `Linter` checks posts; `load_rulebook` loads and validates rules;
`Finding` and `Post` are the values it works with.

Names are imported on first use: Python runs this file before any submodule,
including the command line's, and importing the Linter loads spaCy, which
`postcheck --help` or a usage error must not wait for.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .core.errors import PostcheckError
    from .core.findings import Citation, Finding
    from .core.post import Post
    from .engine.linter import Linter
    from .inputs.sources import read_source
    from .rulebook.loader import Rule, Rulebook, load_rulebook

_WHERE = {
    "Citation": ".core.findings",
    "Finding": ".core.findings",
    "Linter": ".engine.linter",
    "Post": ".core.post",
    "PostcheckError": ".core.errors",
    "Rule": ".rulebook.loader",
    "Rulebook": ".rulebook.loader",
    "load_rulebook": ".rulebook.loader",
    "read_source": ".inputs.sources",
}

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


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from .core.version import version

        return version()
    if name not in _WHERE:
        raise AttributeError(f"module 'postcheck' has no attribute '{name}'")
    value = getattr(import_module(_WHERE[name], __name__), name)
    globals()[name] = value  # once imported, an ordinary attribute
    return value
