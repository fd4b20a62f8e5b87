"""The HTTP API under /v1: checks, the rulebook, the policy, queues and decisions.

Every answer is JSON. A check answers with the project's JSON report contract
(the same objects `postcheck --format json` writes); a refusal answers
`{"error": "..."}` with its status (400 bad input, 401 no token, 403 a change
from elsewhere, 404, 409, 413 too large, 415 wrong type, 429 too many). The
OpenAPI description is at /openapi.json.
"""

from __future__ import annotations

import json
import secrets

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..core.errors import PostcheckError
from ..rulebook.catalogue import coverage_rows, policy_summary, rule_detail, rule_summary
from .guards import CSRF_COOKIE, read_body
from .queues import DOWNLOADS, QueueStore, label
from .service import RequestError, Service


def _json_body_required(request: Request) -> None:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json":
        raise RequestError(415, "send the posts as JSON, with 'Content-Type: application/json'")


def csrf_cookie(response: Response, token: str) -> None:
    response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", path="/")


class Api:
    def __init__(self, service: Service):
        self.service = service
        self.queues = QueueStore(service)

    def routes(self) -> list[Route]:
        return [
            Route("/v1/check", self.check, methods=["POST"]),
            Route("/v1/rules", self.rules, methods=["GET"]),
            Route("/v1/rules/{rule_id}", self.rule, methods=["GET"]),
            Route("/v1/policy", self.policy, methods=["GET"]),
            Route("/v1/coverage", self.coverage, methods=["GET"]),
            Route("/v1/session", self.session, methods=["GET"]),
            Route("/v1/queues", self.upload, methods=["POST"]),
            Route("/v1/queues/{queue_id}", self.queue, methods=["GET"]),
            Route("/v1/queues/{queue_id}/decisions", self.decide, methods=["POST"]),
            Route("/v1/queues/{queue_id}/report.{kind}", self.download, methods=["GET"]),
        ]

    async def check(self, request: Request) -> Response:
        _json_body_required(request)
        posts = self.service.request_posts(await read_body(request, self.service.options.max_body))
        run = await self.service.in_worker(self.service.check, posts)
        return JSONResponse(self.service.report(run))

    async def rules(self, request: Request) -> Response:
        return JSONResponse([rule_summary(rule) for rule in self.service.rulebook.rules])

    async def rule(self, request: Request) -> Response:
        try:
            rule = self.service.rulebook.rule(request.path_params["rule_id"])
        except PostcheckError as exc:
            raise RequestError(404, str(exc)) from None
        return JSONResponse(rule_detail(rule, self.service.rulebook))

    async def policy(self, request: Request) -> Response:
        return JSONResponse(policy_summary(self.service.rulebook))

    async def coverage(self, request: Request) -> Response:
        return JSONResponse(coverage_rows(self.service.rulebook))

    async def session(self, request: Request) -> Response:
        """A CSRF token for a script that records decisions without a bearer token (the pages carry their own)."""
        token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
        response = JSONResponse({"csrf": token, "header": "X-CSRF-Token", "cookie": CSRF_COOKIE})
        csrf_cookie(response, token)
        return response

    async def upload(self, request: Request) -> Response:
        name = request.query_params.get("name", "")
        if not name:
            raise RequestError(400, "name the uploaded file: POST /v1/queues?name=queue.jsonl")
        data = await read_body(request, self.service.options.max_body)
        queue = await self.service.in_worker(self.queues.upload, data, name)
        return JSONResponse(self.queues.view(queue), status_code=201)

    async def queue(self, request: Request) -> Response:
        return JSONResponse(self.queues.view(self.queues.get(request.path_params["queue_id"])))

    async def decide(self, request: Request) -> Response:
        _json_body_required(request)
        queue = self.queues.get(request.path_params["queue_id"])
        body = await read_body(request, self.service.options.max_body)
        try:
            fields = json.loads(body)
        except ValueError:  # not JSON, or not UTF-8
            raise RequestError(400, "the request body is not valid JSON") from None
        decision = await self.service.in_worker(self.queues.decide, queue, fields)
        return JSONResponse(decision.as_dict(), status_code=201)

    async def download(self, request: Request) -> Response:
        queue = self.queues.get(request.path_params["queue_id"])
        kind = request.path_params["kind"]
        content = self.queues.download(queue, kind)
        filename = label(queue.name.rsplit(".", 1)[0]).replace(" ", "_") + f".postcheck.{kind}"
        return Response(
            content,
            media_type=DOWNLOADS[kind],
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
