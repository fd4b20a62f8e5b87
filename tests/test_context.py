"""Context-aware checks: phone numbers, redaction, pre-election periods and the live-proceedings watchlist."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from postcheck.cli.app import app

runner = CliRunner()


def report(*args, stdin=None):
    result = runner.invoke(app, ["--format", "json", *map(str, args)], input=stdin)
    return result, json.loads(result.stdout)


def rules_fired(rep, post=0):
    return {f["rule"] for f in rep["posts"][post]["findings"]}


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Speak to Dan on 07911 123456 if you saw it.", "personal-data.phone-number"),
        ("Call him on +44 7911 123456.", "personal-data.phone-number"),
        ("Advice line: 01642 301234.", "personal-data.unlisted-number"),
    ],
)
def test_phone_numbers_are_classified(text, rule):
    _, rep = report("-", stdin=text)
    assert rule in rules_fired(rep)


@pytest.mark.parametrize(
    "text",
    [
        "Call 101, or 999 in an emergency.",
        "Crimestoppers: 0800 555 111. Samaritans: 116 123.",
        "Report fraud to Action Fraud on 0300 123 2040.",
        "Quote reference 024567 or log 231 of 14 November.",
        "Please call 101 quoting crime reference 07911/123456/21.",
        "Call 101 ref 07911123456 if you saw the collision.",
        "@Sam07911123456 Hi Sam, thanks for getting in touch.",
    ],
)
def test_official_numbers_and_references_are_not_personal_data(text):
    _, rep = report("-", stdin=text)
    assert not {r for r in rules_fired(rep) if r.startswith("personal-data.")}


def test_configured_official_number_is_allowed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".postcheck.yaml").write_text("lexicons:\n  official-numbers: ['01642 301234']\n", encoding="utf-8")
    _, rep = report("-", stdin="Advice line: 01642 301234.")
    assert "personal-data.unlisted-number" not in rules_fired(rep)


def test_redact_masks_personal_data_and_keeps_offsets():
    text = "Wanted: Dean Walsh of 27 Princes Road, call 07911 123456."
    _, rep = report("--redact", "-", stdin=text)
    findings = [f for f in rep["posts"][0]["findings"] if f["category"] == "personal-data"]
    assert findings
    for finding in findings:
        assert set(finding["match"]) <= {"█", " "} and len(finding["match"]) == finding["end"] - finding["start"]
        assert "07911" not in finding["clause"] and "27 Princes" not in finding["clause"]
    assert "07911" not in json.dumps(rep)


ELECTIONS = """elections:
  - name: Police and Crime Commissioner
    purdah_start: 2027-03-25
    polling_day: 2027-05-06
    area: Cleveland
"""
PCC_POST = "The Police and Crime Commissioner visited our Hartlepool team today."


@pytest.fixture
def election_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".postcheck.yaml").write_text(ELECTIONS, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("day", "in_purdah"),
    [
        ("2027-03-24", False),
        ("2027-03-25", True),
        ("2027-05-06", True),
        ("2027-05-07", False),
    ],
)
def test_election_window_boundaries_with_date_option(election_config, day, in_purdah):
    _, rep = report("--date", day, "-", stdin=PCC_POST)
    assert ("political.purdah-mention" in rules_fired(rep)) is in_purdah


def test_scheduled_at_decides_the_window(election_config):
    queue = election_config / "q.jsonl"
    queue.write_text(
        json.dumps({"id": "in", "profile": "corporate", "text": PCC_POST, "scheduled_at": "2027-04-01T09:00:00Z"})
        + "\n"
        + json.dumps({"id": "out", "profile": "corporate", "text": PCC_POST, "scheduled_at": "2027-06-01"})
        + "\n"
        + json.dumps(
            {
                "id": "safe",
                "profile": "corporate",
                "text": "Polling stations open at 7am. Report intimidation on 101.",
                "scheduled_at": "2027-05-06",
            }
        )
        + "\n"
        + json.dumps({"id": "bad", "profile": "corporate", "text": PCC_POST, "scheduled_at": "next Tuesday"})
        + "\n",
        encoding="utf-8",
    )
    result, rep = report("--date", "2026-01-01", queue)
    assert "political.purdah-mention" in rules_fired(rep, 0)
    assert "political.purdah-mention" not in rules_fired(rep, 1)
    assert "political.purdah-mention" not in rules_fired(rep, 2)
    assert "scheduled_at" in rep["posts"][3]["error"] and result.exit_code == 2


PROCEEDINGS = """- case: T20261234
  name: Jordan Wells
  aliases: [J Wells]
  status: trial
- case: T20250007
  name: Craig Whitfield
  status: sentenced
"""


@pytest.fixture
def watchlist(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "proceedings.yaml").write_text(PROCEEDINGS, encoding="utf-8")
    (tmp_path / ".postcheck.yaml").write_text("proceedings: proceedings.yaml\n", encoding="utf-8")
    return tmp_path


def test_watchlist_mention_is_a_warning_naming_the_case(watchlist):
    result, rep = report("-", stdin="Jordan Wells will appear at Teesside Crown Court on Monday.")
    [finding] = [f for f in rep["posts"][0]["findings"] if f["rule"] == "legal-process.live-case-mention"]
    assert finding["severity"] == "warning" and "Case T20261234 (trial)" in finding["message"]
    assert result.exit_code == 0


def test_comment_on_a_watchlisted_defendant_is_an_error(watchlist):
    result, rep = report("-", stdin="J Wells is a dangerous thug and everyone knows he did it.")
    assert "legal-process.live-case-comment" in rules_fired(rep)
    assert result.exit_code == 1


def test_after_sentencing_factual_reporting_passes(watchlist):
    _, rep = report("-", stdin="Craig Whitfield, 46, was jailed for three years at Newcastle Crown Court.")
    assert not {r for r in rules_fired(rep) if r.startswith("legal-process.")}


def test_bad_proceedings_file_is_an_error(watchlist):
    (watchlist / "proceedings.yaml").write_text("- case: X1\n  name: Someone\n  status: pending\n", encoding="utf-8")
    result = runner.invoke(app, ["-"], input="Hello.")
    assert result.exit_code == 2 and "proceedings.yaml:1: case status must be one of" in result.stderr


def test_media_file_names_and_alt_text_are_checked(tmp_path):
    post = tmp_path / "post.md"
    post.write_text(
        "---\nprofile: personal\nmedia:\n  - file: selfie_custody_suite.jpg\n  - file: beach.jpg\n"
        "    alt: me in uniform in the back of the police van\n---\nGreat day!\n",
        encoding="utf-8",
    )
    _, rep = report(post)
    fields = {(f["rule"], f["field"]) for f in rep["posts"][0]["findings"]}
    assert ("duty-imagery.uniform-or-premises", "media[0]") in fields
    assert ("duty-imagery.uniform-or-premises", "media[1]") in fields


def test_gps_in_a_photo_is_reported(tmp_path):
    from PIL import Image

    image, exif = Image.new("RGB", (4, 4)), Image.Exif()
    exif[0x8825] = {1: "N", 2: (54.0, 34.0, 12.5), 3: "W", 4: (1.0, 14.0, 3.2)}
    image.save(tmp_path / "garden.jpg", exif=exif)
    Image.new("RGB", (4, 4)).save(tmp_path / "plain.jpg")
    post = tmp_path / "post.md"
    post.write_text("---\nmedia: [garden.jpg, plain.jpg, missing.jpg]\n---\nSunny afternoon.\n", encoding="utf-8")
    _, rep = report(post)
    located = [f for f in rep["posts"][0]["findings"] if f["rule"] == "personal-data.photo-location"]
    assert [f["field"] for f in located] == ["media[0]"]


def test_bio_naming_the_force_links_the_account():
    text = "Unpopular opinion: the public have no business filming us at incidents."
    _, plain = report("--profile", "personal", "-", stdin=text)
    assert "affiliation.speaks-as-officer" not in rules_fired(plain)
    _, linked = report(
        "--profile", "personal", "--bio", "Response PC at Cleveland Police | views my own", "-", stdin=text
    )
    [finding] = [f for f in linked["posts"][0]["findings"] if f["rule"] == "affiliation.speaks-as-officer"]
    assert finding["field"] == "bio" and "Response PC" in finding["match"]


@pytest.mark.parametrize(
    ("day", "live"), [("2027-01-31", False), ("2027-02-01", True), ("2027-06-30", True), ("2027-07-01", False)]
)
def test_watchlist_dates_decide_when_a_case_is_live(tmp_path, monkeypatch, day, live):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "proceedings.yaml").write_text(
        "- {case: T20270001, name: Kyle Marsh, status: sentenced, charged: 2027-02-01, ended: 2027-07-01}\n",
        encoding="utf-8",
    )
    (tmp_path / ".postcheck.yaml").write_text("proceedings: proceedings.yaml\n", encoding="utf-8")
    _, rep = report("--date", day, "-", stdin="Kyle Marsh is a thug and we have it all on CCTV.")
    fired = rules_fired(rep)
    assert ("legal-process.live-case-comment" in fired) is live
    assert ("legal-process.live-case-mention" in fired) is live
