"""The OpenAPI description of `postcheck serve`, tested against the app with requests generated from it.

Schemathesis reads /openapi.json and, for every operation, sends requests built from its
schemas (valid and edge-case bodies, paths and parameters); every answer must have a documented
status, content type and shape, and none may be a server error.
"""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed: pip install -e '.[dev]'")

from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis import checks  # noqa: E402
from tests.serve_support import BASE, make_service  # noqa: E402

from postcheck.serve.app import create_app  # noqa: E402

APP = create_app(make_service(allowed_hosts=("testserver",)))  # the name Starlette's test client sends
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_its_description_says(case):
    case.call_and_validate(base_url=BASE, checks=CHECKS)


def test_the_description_names_every_route_of_the_api():
    documented = {operation.path for operation in (result.ok() for result in schema.get_all_operations())}
    routes = {route.path for route in APP.routes if route.path.startswith("/v1/")}
    assert documented == routes
