"""The web application: the reviewer's pages, their static files, the API and its OpenAPI description.

`create_app(service)` wires them behind the guards. Pages and assets ship
inside the package (`serve/static/`) and are served from here: the page loads
nothing from any other address, so it works on a machine with no network.
"""

from __future__ import annotations

import json
import secrets
from importlib import resources
from typing import Any

import yaml
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..core.version import version
from .api import Api, csrf_cookie
from .guards import CSRF_COOKIE, Guard
from .service import RequestError, Service

STATIC = resources.files(__package__) / "static"
# path: (content, title, script); each page is its content inside page.html
PAGES = {"/": ("draft.html", "Check a draft post", "draft.js"), "/queue": ("queue.html", "Review a queue", "queue.js")}
_TOKEN_SLOT = "{{csrf}}"


def page_markup(path: str) -> str:
    """A page's HTML with its content, title and script in the layout, and its link marked as the current page."""
    content, title, script = PAGES[path]
    layout = (STATIC / "page.html").read_text(encoding="utf-8")
    return (
        layout.replace("{{title}}", title)
        .replace("{{script}}", script)
        .replace("{{main}}", (STATIC / content).read_text(encoding="utf-8"))
        .replace(f'<a href="{path}">', f'<a href="{path}" aria-current="page">')
    )


def openapi_document() -> dict:
    """The OpenAPI description shipped beside this module, with this version of postcheck."""
    document = yaml.safe_load((resources.files(__package__) / "openapi.yaml").read_text(encoding="utf-8"))
    document["info"]["version"] = version()
    return document


def _page(template: str) -> Any:
    async def page(request: Request) -> Response:
        # The CSRF token is a random value tied to this browser by a SameSite cookie; the page carries it in
        # a meta tag, which a page on another site can neither read nor guess.
        token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
        response = HTMLResponse(template.replace(_TOKEN_SLOT, token), headers={"Cache-Control": "no-store"})
        csrf_cookie(response, token)
        return response

    return page


async def _refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestError)
    return JSONResponse({"error": exc.message}, exc.status, headers=exc.headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    messages = {404: "no such page or API route (see /openapi.json)", 405: "that method is not allowed here"}
    return JSONResponse({"error": messages.get(exc.status_code, exc.detail)}, exc.status_code, headers=exc.headers)


def create_app(service: Service) -> Starlette:
    api = Api(service)
    document = json.dumps(openapi_document())
    pages = [Route(path, _page(page_markup(path)), methods=["GET"]) for path in PAGES]

    async def openapi(request: Request) -> Response:
        return Response(document, media_type="application/json")

    return Starlette(
        routes=[
            *pages,
            Route("/openapi.json", openapi, methods=["GET"]),
            *api.routes(),
            Mount("/static", StaticFiles(directory=str(STATIC)), name="static"),
        ],
        middleware=[Middleware(Guard, options=service.options)],
        exception_handlers={RequestError: _refused, HTTPException: _http_error},
    )
