"""`postcheck serve`: start the reviewer's page and the HTTP API on this machine.

The web face lives in `postcheck.serve` and needs the `serve` extra; this
command reads the options and the rulebook the same way `postcheck FILE` does
and hands them over, or says in one line what to install.
"""

from __future__ import annotations

from pathlib import Path

import typer

from ..core.errors import PostcheckError
from .common import ConfigFile, RulesDir, fail, settings

_EXTRA_MODULES = ("starlette", "uvicorn")


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (only this machine by default)."),
    port: int = typer.Option(8686, "--port", min=0, max=65535, help="Port to listen on (0: any free port)."),
    audit_dir: Path = typer.Option(
        None, "--audit", help="Append each checked queue and each reviewer's decision to the audit record in DIR."
    ),
    token_file: Path = typer.Option(
        None, "--token-file", help="File holding an access token that every API request must send as a bearer token."
    ),
    rate_limit: int = typer.Option(
        600, "--rate-limit", min=0, help="Requests a minute from one address (0: no limit)."
    ),
    max_body_mb: float = typer.Option(10, "--max-body-mb", min=0.001, help="Largest request or upload, in MB."),
    allow_host: list[str] = typer.Option(
        [], "--allow-host", help="A host name the service may be reached by, besides IP addresses and localhost."
    ),
    rules_dir: list[Path] = RulesDir,
    config_path: Path = ConfigFile,
) -> None:
    """Serve the reviewer's page (a draft checked as you type, queue review) and the HTTP API."""
    try:
        from ..serve.server import serve as run_server
        from ..serve.service import ServeOptions
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in _EXTRA_MODULES:
            raise
        fail("the web page needs the serve extra: pip install 'postcheck[serve]'")
    try:
        token = _read_token(token_file) if token_file else None
        config, rulebook = settings(config_path, rules_dir)
        options = ServeOptions(
            host=host,
            port=port,
            audit_dir=audit_dir,
            token=token,
            rate_limit=rate_limit,
            max_body=int(max_body_mb * 1024 * 1024),
            allowed_hosts=tuple(allow_host),
        )
        run_server(config, rulebook, options)
    except PostcheckError as exc:
        fail(str(exc))


def _read_token(path: Path) -> str:
    try:
        token = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise PostcheckError(
            f"cannot read the token file ({getattr(exc, 'strerror', None) or exc})", str(path)
        ) from None
    if len(token) < 16 or any(c.isspace() for c in token):
        raise PostcheckError("the token must be one word of at least 16 characters", str(path), 1)
    return token
