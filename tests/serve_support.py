"""What the tests of `postcheck serve` share: apps on a shared linter, and a real server on loopback.

Building a linter costs about a second, so every app here reuses one, built from the rulebook as the
default configuration gives it (as `postcheck serve` and `postcheck FILE` load it).
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

pytest.importorskip("starlette", reason="the serve extra is not installed: pip install -e '.[dev]'")

import uvicorn
from starlette.testclient import TestClient

from postcheck.engine.linter import Linter
from postcheck.governance.config import Config, configure
from postcheck.rulebook.loader import load_rulebook
from postcheck.serve.app import create_app
from postcheck.serve.server import bind
from postcheck.serve.service import ServeOptions, Service

BASE = "http://127.0.0.1:8686"


@functools.cache
def served_linter() -> Linter:
    return Linter(configure(load_rulebook(), Config()))


def make_service(config: Config | None = None, **options: object) -> Service:
    """A service with no rate limit unless asked (tests send requests quickly)."""
    options.setdefault("rate_limit", 0)
    linter = served_linter()
    return Service(config or Config(), linter.rulebook, ServeOptions(**options), linter=linter)


def make_client(config: Config | None = None, **options: object) -> TestClient:
    return TestClient(create_app(make_service(config, **options)), base_url=BASE)


def csrf(client: TestClient) -> dict[str, str]:
    """Open the draft page as a browser would and return the header that proves a change comes from it."""
    client.get("/")
    return {"X-CSRF-Token": client.cookies["postcheck_csrf"]}


@dataclass
class LiveServer:
    url: str
    service: Service


@contextmanager
def live_server(**options: object) -> Iterator[LiveServer]:
    """A real uvicorn server on a free loopback port, in a thread, for the browser tests."""
    service = make_service(**options)
    sock = bind("127.0.0.1", 0)
    server = uvicorn.Server(uvicorn.Config(create_app(service), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(f"http://127.0.0.1:{sock.getsockname()[1]}", service)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        service.close()
