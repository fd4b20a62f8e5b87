"""The HTTP API of `postcheck serve`, through an HTTP client: the same report as the command line, queues, decisions."""

from __future__ import annotations

import csv
import io
import json

import jsonschema
import pytest
from tests.conftest import REPO
from tests.serve_support import csrf, make_client
from typer.testing import CliRunner

from postcheck.cli.app import app
from postcheck.governance.audit_verify import verify
from postcheck.governance.config import load_config

EXAMPLES = REPO / "examples"
SARIF_SCHEMA = json.loads((REPO / "tests" / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
BREACH = "Pop into Greggs on the high street, best pies in town. Only one party will fix this, so vote Conservative!"
runner = CliRunner()


def cli_json(*args: str, stdin: str | None = None):
    return json.loads(runner.invoke(app, ["--format", "json", *args], input=stdin).stdout)


@pytest.fixture(scope="module")
def client():
    return make_client()


def test_one_post_gives_the_report_the_command_line_gives(client):
    response = client.post("/v1/check", json={"text": BREACH, "profile": "corporate"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    report = response.json()
    expected = cli_json("--profile", "corporate", "-", stdin=BREACH)
    assert {k: v for k, v in report.items() if k != "posts"} == {k: v for k, v in expected.items() if k != "posts"}
    [post] = report["posts"]
    assert post["findings"] == expected["posts"][0]["findings"]
    assert post["findings"], "the sample must breach the policy"
    for finding in post["findings"]:
        assert BREACH[finding["start"] : finding["end"]] == finding["match"]
        assert finding["citation"]["quote"]


def test_a_list_and_a_posts_mapping_are_both_accepted_and_keep_their_order(client):
    posts = [
        {"id": "a", "profile": "corporate", "text": BREACH},
        {"id": "b", "profile": "corporate", "text": "Road closed on the A19 this morning."},
    ]
    as_list = client.post("/v1/check", json=posts).json()
    as_mapping = client.post("/v1/check", json={"posts": posts}).json()
    assert [p["id"] for p in as_list["posts"]] == ["a", "b"]
    assert as_list == as_mapping
    assert as_list["summary"]["posts"] == 2


def test_a_bad_record_is_that_posts_error_and_the_others_are_still_checked(client):
    report = client.post(
        "/v1/check",
        json=[
            {"id": "no-text", "profile": "corporate"},
            {"id": "odd", "text": "hi", "profile": "sergeant"},
            {"text": BREACH, "profile": "corporate"},
        ],
    ).json()
    errors = [p["error"] for p in report["posts"]]
    assert errors[0] == "record has no 'text' field"
    assert "unknown profile 'sergeant'" in errors[1]
    assert errors[2] is None and report["posts"][2]["findings"]
    assert report["summary"]["unreadable"] == 2


def test_the_account_type_changes_the_rules_that_apply(client):
    text = (EXAMPLES / "breaching-personal.txt").read_text(encoding="utf-8")
    for profile in ("corporate", "personal"):
        served = client.post("/v1/check", json={"text": text, "profile": profile}).json()["posts"][0]
        expected = cli_json("--profile", profile, "-", stdin=text)["posts"][0]
        assert served["profile"] == profile
        assert served["findings"] == expected["findings"]
    corporate, personal = (
        {f["rule"] for f in client.post("/v1/check", json={"text": text, "profile": p}).json()["posts"][0]["findings"]}
        for p in ("corporate", "personal")
    )
    assert corporate != personal


def test_media_descriptions_are_checked_and_file_names_are_never_opened(monkeypatch):
    def opened(path):
        raise AssertionError(f"the service opened {path}")

    monkeypatch.setattr("postcheck.inputs.attachments.has_gps", opened)
    client = make_client()
    text = "Great day at the station open day."
    media = [{"alt": "selfie of me in uniform in the back of the van"}, {"file": str(EXAMPLES / "queue.jsonl")}]
    served = client.post("/v1/check", json={"text": text, "profile": "personal", "media": media}).json()
    fields = {f["field"] for f in served["posts"][0]["findings"]}
    assert "media[0]" in fields


def test_a_scheduled_time_inside_a_pre_election_period_switches_on_the_purdah_rule(tmp_path):
    config_path = tmp_path / ".postcheck.yaml"
    config_path.write_text(
        "elections:\n  - {name: PCC, purdah_start: 2027-03-25, polling_day: 2027-05-06, area: Cleveland}\n",
        encoding="utf-8",
    )
    client = make_client(load_config(config_path))
    text = "The Police and Crime Commissioner election is coming up: here is what the candidates say about crime."
    inside = client.post("/v1/check", json={"text": text, "scheduled_at": "2027-04-20T09:00"}).json()
    outside = client.post("/v1/check", json={"text": text, "scheduled_at": "2027-06-20T09:00"}).json()
    rules_inside = {f["rule"] for f in inside["posts"][0]["findings"]}
    rules_outside = {f["rule"] for f in outside["posts"][0]["findings"]}
    assert "political.purdah-mention" in rules_inside - rules_outside


def test_a_body_that_is_not_posts_is_refused_with_a_clear_message(client):
    response = client.post("/v1/check", content=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["error"]
    assert client.post("/v1/check", json=42).status_code == 400
    wrong_type = client.post("/v1/check", content=b"text=hi", headers={"Content-Type": "text/plain"})
    assert wrong_type.status_code == 415


def test_rules_policy_and_coverage_are_what_the_command_line_prints(client):
    assert client.get("/v1/rules").json() == json.loads(runner.invoke(app, ["rules", "--format", "json"]).stdout)
    assert client.get("/v1/coverage").json() == json.loads(runner.invoke(app, ["coverage", "--format", "json"]).stdout)
    policy = client.get("/v1/policy").json()
    assert policy["number"] == "386" and policy["obligations"]
    rule = client.get("/v1/rules/political.voting-advice").json()
    assert rule["id"] == "political.voting-advice"
    assert rule["citations"][0]["quote"] and rule["examples"]["flag"]
    missing = client.get("/v1/rules/political.<b>nope")
    assert missing.status_code == 404
    assert "no such rule" in missing.json()["error"]


def upload(client, path, name=None, headers=None):
    headers = headers if headers is not None else csrf(client)
    return client.post(f"/v1/queues?name={name or path.name}", content=path.read_bytes(), headers=headers)


def test_an_uploaded_queue_is_checked_like_the_command_line_checks_the_file(client):
    for name in ("queue.jsonl", "queue.csv"):
        response = upload(client, EXAMPLES / name)
        assert response.status_code == 201
        queue = response.json()
        expected = cli_json(str(EXAMPLES / name))
        assert [p["findings"] for p in queue["report"]["posts"]] == [p["findings"] for p in expected["posts"]]
        assert queue["report"]["summary"] == expected["summary"]
        assert queue["name"] == name and queue["audit"] is False
        assert client.get(f"/v1/queues/{queue['id']}").json() == queue


def test_a_bad_line_in_a_queue_is_reported_and_the_rest_still_checked(client, tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        '{"id": "ok", "profile": "corporate", "text": "Road closed on the A19."}\n{"id": broken\n', encoding="utf-8"
    )
    posts = upload(client, path).json()["report"]["posts"]
    assert posts[0]["error"] is None
    assert posts[1]["error"].startswith("invalid JSON") and posts[1]["line"] == 2


def test_a_file_that_is_not_a_queue_is_refused_naming_it(client, tmp_path):
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert upload(client, binary).json() == {"error": "photo.csv: looks like a binary file, not text"}
    csv_without_text = tmp_path / "posts.csv"
    csv_without_text.write_text("id,body\n1,hello\n", encoding="utf-8")
    assert (
        upload(client, csv_without_text).json()["error"] == "posts.csv:1: CSV needs a header row with a 'text' column"
    )
    assert upload(client, EXAMPLES / "breaching-corporate.txt").status_code == 415
    assert client.post("/v1/queues", content=b"", headers=csrf(client)).status_code == 400
    assert client.get("/v1/queues/unknown").status_code == 404


def test_decisions_need_an_audit_directory(client):
    queue = upload(client, EXAMPLES / "queue.jsonl").json()
    response = client.post(
        f"/v1/queues/{queue['id']}/decisions", json={"post": 0, "decision": "send-back"}, headers=csrf(client)
    )
    assert response.status_code == 409
    assert "--audit" in response.json()["error"]


def test_a_decision_is_appended_to_the_audit_record(tmp_path):
    audit = tmp_path / "audit"
    client = make_client(audit_dir=audit)
    queue = upload(client, EXAMPLES / "queue.jsonl").json()
    assert queue["record"] and (audit / queue["record"]).is_file()
    decide = f"/v1/queues/{queue['id']}/decisions"
    headers = csrf(client)
    refused = client.post(decide, json={"post": 1, "decision": "approve", "reason": " "}, headers=headers)
    assert refused.status_code == 400 and "reason" in refused.json()["error"]
    assert (
        client.post(decide, json={"post": 99, "decision": "approve", "reason": "x"}, headers=headers).status_code == 400
    )
    assert client.post(decide, json={"post": 0, "decision": "publish"}, headers=headers).status_code == 400
    decision = client.post(
        decide,
        json={"post": 1, "decision": "approve", "reason": "Agreed with Corporate Comms", "reviewer": "Sgt Example"},
        headers=headers,
    )
    assert decision.status_code == 201
    record = json.loads((audit / decision.json()["record"]).read_text(encoding="utf-8"))
    assert record["kind"] == "review-decision"
    assert (record["decision"], record["reason"], record["reviewer"]) == (
        "approve",
        "Agreed with Corporate Comms",
        "Sgt Example",
    )
    assert record["post"]["id"] == queue["report"]["posts"][1]["id"] and record["post"]["sha256"]
    assert record["queue"]["checked_in"] == queue["record"]
    assert verify(audit) == []
    assert client.get(f"/v1/queues/{queue['id']}").json()["decisions"] == [decision.json()]


def test_reports_download_in_json_sarif_and_csv(client):
    queue = upload(client, EXAMPLES / "queue.jsonl").json()
    base = f"/v1/queues/{queue['id']}/report"
    as_json = client.get(base + ".json")
    assert as_json.json()["summary"] == queue["report"]["summary"]
    assert "attachment" in as_json.headers["content-disposition"]
    sarif = client.get(base + ".sarif").json()
    jsonschema.validate(sarif, SARIF_SCHEMA)
    assert len(sarif["runs"][0]["results"]) == queue["report"]["summary"]["errors"]
    rows = list(csv.DictReader(io.StringIO(client.get(base + ".csv").text)))
    assert {row["id"] for row in rows} == {p["id"] for p in queue["report"]["posts"]}
    assert sum(bool(row["rule"]) for row in rows) == sum(len(p["findings"]) for p in queue["report"]["posts"])
    assert client.get(base + ".xml").status_code == 404


def test_only_the_newest_queues_are_kept(client, monkeypatch):
    monkeypatch.setattr("postcheck.serve.queues.KEPT_QUEUES", 2)
    first, *_ = (upload(client, EXAMPLES / "queue.jsonl").json()["id"] for _ in range(3))
    assert client.get(f"/v1/queues/{first}").status_code == 404


def test_a_post_checked_for_both_accounts_is_a_row_for_each_and_a_decision_is_on_one(tmp_path):
    audit = tmp_path / "audit"
    client = make_client(audit_dir=audit)
    path = tmp_path / "undeclared.jsonl"
    path.write_text(
        json.dumps({"id": "u", "text": BREACH})
        + "\n"
        + json.dumps({"id": "d", "profile": "personal", "text": "Hi."})
        + "\n",
        encoding="utf-8",
    )
    queue = upload(client, path).json()
    entries = [(p["id"], p["profile"]) for p in queue["report"]["posts"]]
    assert entries == [("u", "corporate"), ("u", "personal"), ("d", "personal")]
    assert queue["texts"] == [BREACH, BREACH, "Hi."]
    decide = f"/v1/queues/{queue['id']}/decisions"
    decision = client.post(decide, json={"post": 2, "decision": "approve", "reason": "fine"}, headers=csrf(client))
    assert decision.status_code == 201
    record = json.loads((audit / decision.json()["record"]).read_text(encoding="utf-8"))
    assert (record["post"]["id"], record["post"]["profile"]) == ("d", "personal")
