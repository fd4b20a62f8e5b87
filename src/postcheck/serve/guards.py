"""What every request passes before it reaches a page or the API, and the headers every answer carries.

- Host: the service answers only to an IP address, `localhost` or a name given
  with `--allow-host`, so a web page elsewhere cannot reach it by pointing its
  own domain name at this machine (DNS rebinding).
- Rate: at most `--rate-limit` requests a minute from one address (bursts up to
  that many), else 429 with `Retry-After`.
- Size: a body declared larger than `--max-body` is refused with 413 before it is
  read; `read_body` stops one that grows past it while streaming.
- Token: with `--token-file`, every `/v1/` request needs `Authorization: Bearer TOKEN`.
- CSRF: a state change (any POST but `/v1/check`, which only reads) that is not
  bearer-authenticated must send the `X-CSRF-Token` header equal to its
  `postcheck_csrf` cookie (SameSite=Strict), which only this service's pages can read.
- Headers: a Content-Security-Policy that allows scripts and styles from this
  service only, and no inline code, so text that slips into the page as markup still
  cannot run; no sniffing, framing or referrer.
"""

from __future__ import annotations

import hmac
import ipaddress
import math
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse

from .service import RequestError, ServeOptions

CSRF_COOKIE = "postcheck_csrf"
CSRF_HEADER = "x-csrf-token"
READ_ONLY_POSTS = ("/v1/check",)
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        b"form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
_MAX_CLIENTS = 10_000  # addresses tracked by the rate limit before idle ones are forgotten

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class RateLimit:
    """A token bucket per client address: `per_minute` requests a minute, bursts of up to as many."""

    def __init__(self, per_minute: int):
        self.capacity = float(per_minute)
        self.refill = per_minute / 60.0
        self._buckets: dict[str, tuple[float, float]] = {}

    def wait(self, client: str, now: float) -> float:
        """Seconds until `client` may send again; 0 takes one token and lets the request through."""
        tokens, last = self._buckets.get(client, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - last) * self.refill)
        if tokens < 1:
            self._buckets[client] = (tokens, now)
            return (1 - tokens) / self.refill
        if len(self._buckets) >= _MAX_CLIENTS:  # forget clients idle for a minute: their buckets are full again
            self._buckets = {key: value for key, value in self._buckets.items() if now - value[1] < 60}
        self._buckets[client] = (tokens - 1, now)
        return 0.0


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _host_name(value: str) -> str:
    if value.startswith("["):
        return value.split("]", 1)[0] + "]"
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def same_secret(given: str | None, expected: str | None) -> bool:
    return bool(given) and bool(expected) and hmac.compare_digest(str(given), str(expected))


class Guard:
    """ASGI middleware applying the checks above, in that order, before the app sees a request."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]], options: ServeOptions):
        self.app = app
        self.options = options
        self.names = {"localhost", *(name.lower() for name in options.allowed_hosts)}
        self.rate = RateLimit(options.rate_limit) if options.rate_limit > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        try:
            self._check(scope, Headers(scope=scope))
        except RequestError as refused:
            response = JSONResponse({"error": refused.message}, refused.status, headers=refused.headers)
            await response(scope, receive, secured)
            return
        await self.app(scope, receive, secured)

    def _check(self, scope: Scope, headers: Headers) -> None:
        host = _host_name(headers.get("host", "")).lower()
        if not (_is_ip(host) or host in self.names):
            raise RequestError(400, f"this service does not answer to '{host}': start it with --allow-host {host}")
        if self.rate is not None:
            client = scope["client"][0] if scope.get("client") else "unknown"
            wait = self.rate.wait(client, time.monotonic())
            if wait:
                raise RequestError(
                    429,
                    f"too many requests: at most {self.options.rate_limit} a minute; try again in {math.ceil(wait)} s",
                    {"Retry-After": str(math.ceil(wait))},
                )
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.options.max_body:
            raise RequestError(413, too_large(self.options.max_body))
        path, method = scope["path"], scope["method"]
        authorization = headers.get("authorization", "")
        bearer = authorization[7:] if authorization.lower().startswith("bearer ") else None
        signed_in = self.options.token is not None and same_secret(bearer, self.options.token)
        if self.options.token is not None and path.startswith("/v1/") and not signed_in:
            raise RequestError(
                401,
                "this service needs its access token: send 'Authorization: Bearer TOKEN'",
                {"WWW-Authenticate": "Bearer"},
            )
        # A valid bearer token is not sent by a browser on its own, so it cannot be forged across sites.
        if method not in ("GET", "HEAD", "OPTIONS") and path not in READ_ONLY_POSTS and not signed_in:
            cookie = Request(scope).cookies.get(CSRF_COOKIE)
            if headers.get("sec-fetch-site") == "cross-site" or not same_secret(headers.get(CSRF_HEADER), cookie):
                raise RequestError(403, "refused: this change did not come from postcheck's own page (reload the page)")


def too_large(limit: int) -> str:
    return f"the request is larger than this service accepts ({limit:,} bytes): send less, or split the queue"


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it grows past `limit` bytes."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise RequestError(413, too_large(limit))
        chunks.append(chunk)
    return b"".join(chunks)
