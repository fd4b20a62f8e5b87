"""The guards of `postcheck serve`: CSRF, the bearer token, rate and size limits, host names, headers, uploads."""

from __future__ import annotations

import html.parser
import os
from pathlib import Path

import pytest
from tests.conftest import REPO
from tests.serve_support import TestClient, csrf, make_client

from postcheck.serve.app import STATIC
from postcheck.serve.guards import RateLimit
from postcheck.serve.queues import label

QUEUE = (REPO / "examples" / "queue.jsonl").read_bytes()
TOKEN = "s3cret-token-for-the-tests"


def upload(client, headers, name="queue.jsonl"):
    return client.post(f"/v1/queues?name={name}", content=QUEUE, headers=headers)


def test_a_change_without_the_pages_csrf_token_is_refused():
    client = make_client()
    refused = upload(client, {})
    assert refused.status_code == 403
    assert "did not come from postcheck's own page" in refused.json()["error"]
    headers = csrf(client)
    assert upload(client, {"X-CSRF-Token": "guessed"}).status_code == 403
    assert upload(client, {**headers, "Sec-Fetch-Site": "cross-site"}).status_code == 403
    queue = upload(client, headers)
    assert queue.status_code == 201
    decide = f"/v1/queues/{queue.json()['id']}/decisions"
    assert client.post(decide, json={"post": 0, "decision": "send-back"}).status_code == 403


def test_the_csrf_cookie_is_same_site_and_hidden_from_scripts():
    cookie = make_client().get("/").headers["set-cookie"].lower()
    assert "samesite=strict" in cookie and "httponly" in cookie


def test_a_check_changes_nothing_and_needs_no_csrf_token():
    assert make_client().post("/v1/check", json={"text": "Road closed on the A19."}).status_code == 200


def test_with_a_token_every_api_request_needs_it_and_then_needs_no_csrf_token():
    client = make_client(token=TOKEN)
    missing = client.post("/v1/check", json={"text": "hello"})
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    assert "access token" in missing.json()["error"]
    assert client.get("/v1/rules", headers={"Authorization": "Bearer wrong-token-wrong-token"}).status_code == 401
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    assert client.get("/v1/rules", headers=bearer).status_code == 200
    assert upload(client, bearer).status_code == 201
    assert client.get("/").status_code == 200  # the page itself holds no data: it asks for the token


def test_without_a_token_a_made_up_bearer_does_not_skip_the_csrf_check():
    assert upload(make_client(), {"Authorization": "Bearer anything-at-all-1234"}).status_code == 403


def test_too_many_requests_are_answered_429_with_when_to_retry():
    client = make_client(rate_limit=3)
    statuses = [client.get("/v1/policy").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/v1/policy")
    assert int(refused.headers["retry-after"]) >= 1
    assert "too many requests" in refused.json()["error"]


def test_the_rate_limit_refills_with_time():
    limit = RateLimit(per_minute=60)
    assert [limit.wait("a", 0.0) for _ in range(60)] == [0.0] * 60
    assert limit.wait("a", 0.0) == pytest.approx(1.0)
    assert limit.wait("b", 0.0) == 0.0  # another address has its own allowance
    assert limit.wait("a", 1.0) == 0.0


def test_a_body_over_the_limit_is_answered_413_before_or_while_it_is_read():
    client = make_client(max_body=1000)
    declared = client.post("/v1/check", json={"text": "x" * 2000})
    assert declared.status_code == 413
    assert "larger than this service accepts (1,000 bytes)" in declared.json()["error"]

    def chunks():
        yield b'{"text": "'
        for _ in range(30):
            yield b"y" * 100
        yield b'"}'

    streamed = client.post("/v1/check", content=chunks(), headers={"Content-Type": "application/json"})
    assert streamed.status_code == 413


def test_too_many_posts_in_one_request_are_answered_413():
    response = make_client(max_posts=3).post("/v1/check", json=[{"text": "hi"}] * 4)
    assert response.status_code == 413
    assert "at most 3" in response.json()["error"]


def test_only_ip_addresses_localhost_and_allowed_names_are_answered():
    service_app = make_client(allowed_hosts=("reviews.cleveland.police.uk",)).app
    for host, status in (
        ("evil.example:8686", 400),
        ("127.0.0.1:8686", 200),
        ("[::1]:8686", 200),
        ("localhost:8686", 200),
        ("reviews.cleveland.police.uk", 200),
    ):
        client = TestClient(service_app, base_url=f"http://{host}")
        assert client.get("/v1/policy").status_code == status, host
    rebound = TestClient(service_app, base_url="http://evil.example").get("/v1/policy")
    assert "--allow-host evil.example" in rebound.json()["error"]


def test_every_answer_carries_a_strict_content_security_policy():
    client = make_client()
    for path in ("/", "/queue", "/v1/policy", "/static/draft.js", "/nowhere"):
        headers = client.get(path).headers
        policy = headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"


class _Markup(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.inline_scripts, self.handlers, self.remote, self.scripts = 0, [], [], []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        self.handlers += [name for name, _ in attrs if name.startswith("on")]
        if tag == "script":
            self.scripts.append(values.get("src"))
            self.inline_scripts += not values.get("src")
        for key in ("src", "href"):
            if values.get(key, "").startswith(("http:", "https:", "//")):
                self.remote.append(values[key])


@pytest.mark.parametrize("page", ["/", "/queue"])
def test_pages_have_no_inline_code_and_load_nothing_from_elsewhere(page):
    markup = _Markup()
    markup.feed(make_client().get(page).text)
    assert (markup.inline_scripts, markup.handlers, markup.remote) == (0, [], [])
    assert markup.scripts == ["/static/common.js", "/static/draft.js" if page == "/" else "/static/queue.js"]


def test_scripts_never_write_markup():
    for script in Path(str(STATIC)).glob("*.js"):
        code = script.read_text(encoding="utf-8")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
            assert sink not in code, f"{script.name} uses {sink}"


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../etc/passwd.jsonl", "passwd.jsonl"),
        ("..\\..\\Windows\\queue.csv", "queue.csv"),
        ('<img src=x onerror="alert(1)">.jsonl', "_img src_x onerror_alert_1_.jsonl"),
        ("/abs/path/.jsonl", "jsonl"),
        ("", "queue"),
    ],
)
def test_an_uploaded_files_name_is_only_a_label(name, shown):
    assert label(name) == shown


def test_uploads_touch_no_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = set(os.listdir(os.environ.get("TMPDIR", "/tmp")))
    client = make_client()
    queue = upload(client, csrf(client), name="../../../tmp/pwned<script>.jsonl")
    assert queue.status_code == 201
    assert queue.json()["name"] == "pwned_script_.jsonl"
    assert list(tmp_path.iterdir()) == []
    assert not [n for n in set(os.listdir(os.environ.get("TMPDIR", "/tmp"))) - before if "pwned" in n]


def test_each_service_keeps_its_own_queues():
    first, second = make_client(), make_client()
    queue = upload(first, csrf(first)).json()["id"]
    assert first.get(f"/v1/queues/{queue}").status_code == 200
    assert second.get(f"/v1/queues/{queue}").status_code == 404
