"""`postcheck serve`: load the rulebook once, listen, and say where.

The socket is bound here, before uvicorn starts, so an address already in use
or not allowed is one clear error rather than a server log. Uvicorn logs only
warnings and never the requests: a request's URL can name a queue, and the
service should not leave reviewers' work in a log.
"""

from __future__ import annotations

import socket
import sys

import uvicorn

from ..core.errors import PostcheckError
from ..governance.config import Config
from ..rulebook.loader import Rulebook
from .app import create_app
from .service import ServeOptions, Service


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, or a PostcheckError saying why not."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as exc:
        raise PostcheckError(
            f"cannot listen on {host}:{port} ({exc.strerror}): choose another --port or --host"
        ) from None
    return sock


def serve(config: Config, rulebook: Rulebook, options: ServeOptions) -> None:
    """Start the service and block until it is stopped (Ctrl+C)."""
    sock = bind(options.host, options.port)
    service = Service(config, rulebook, options)
    port = sock.getsockname()[1]
    shown = f"[{options.host}]" if ":" in options.host else options.host
    notes = [f"audit records in {options.audit_dir}" if options.audit_dir else "decisions not recorded (no --audit)"]
    if options.token:
        notes.append("API needs its token")
    print(f"postcheck: serving the reviewer's page at http://{shown}:{port}/ ({'; '.join(notes)})", file=sys.stderr)
    print("postcheck: press Ctrl+C to stop", file=sys.stderr, flush=True)
    server = uvicorn.Server(uvicorn.Config(create_app(service), log_level="warning", access_log=False, lifespan="off"))
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn shuts down cleanly on Ctrl+C, then passes the signal on
        pass
    finally:
        service.close()
        sock.close()
    print("postcheck: stopped", file=sys.stderr)
