"""The reviewer's pages in a real browser: Playwright driving Debian's Chromium against the app on loopback.

Each test saves a screenshot under test-artifacts/serve/ (git-ignored), to be looked at. The browser is
the system's (`/usr/bin/chromium`, installed by `.ci/run` with apt-get); nothing is downloaded. Without
it the tests skip, except where POSTCHECK_REQUIRE_BROWSER is set (CI), where they fail.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from tests.conftest import REPO
from tests.serve_support import live_server, served_linter

from postcheck.governance.audit_verify import verify

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = REPO / "test-artifacts" / "serve"
EXAMPLES = REPO / "examples"
BREACH = "Great morning at the Redcar fun day! Pop into Greggs on the high street, best pies in town.\n" + (
    "Only one party has promised more officers for Teesside, so vote Conservative on 2 May!"
)
HOSTILE = (
    '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2"> '
    '<a href="javascript:window.pwned = 3">prizes</a> Pop into Greggs, best pies in town.'
)
CONTRAST = (Path(__file__).parent / "contrast.js").read_text(encoding="utf-8")


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def _playwright():
    reason = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = "playwright is not installed (pip install -e '.[dev]')"
    if reason is None and not CHROMIUM.exists():
        reason = "Debian's chromium is not installed (apt-get install -y chromium)"
    if reason is not None:
        if os.environ.get("POSTCHECK_REQUIRE_BROWSER"):
            pytest.fail(f"{reason}; POSTCHECK_REQUIRE_BROWSER is set, so the browser tests must run")
        pytest.skip(reason)
    return sync_playwright


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with live_server(audit_dir=tmp_path_factory.mktemp("audit")) as live:
        yield live


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    sync_playwright = _playwright()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(CHROMIUM),
            args=FLAGS,
            headless=True,
            viewport={"width": 1200, "height": 900},
            accept_downloads=True,
        )
        yield context
        context.close()


@pytest.fixture
def page(browser, server):
    page = browser.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.on("console", lambda message: message.type == "error" and problems.append(f"console: {message.text}"))
    yield page
    page.close()
    assert problems == []


def findings_for(text: str, profile: str) -> list:
    return served_linter().check(text, profile)


def verdict_for(findings: list) -> str:
    """The verdict line the page must show, from its wording rule: must change, to consider, advice."""
    counts = {level: sum(f.severity == level for f in findings) for level in ("error", "warning", "info")}
    parts = [f"{counts['error']} must change"] if counts["error"] else []
    parts += [f"{counts['warning']} to consider"] if counts["warning"] else []
    if counts["info"]:
        parts.append(f"{counts['info']} piece{'s' * (counts['info'] != 1)} of advice")
    return ", ".join(parts) or "Nothing found — only wording is checked"


def marked(page, container: str) -> dict[int, str]:
    """For each finding number, the text the page underlines as its match inside `container`."""
    pieces = page.eval_on_selector_all(
        f"{container} mark.hit", "marks => marks.map(m => [m.dataset.findings, m.textContent])"
    )
    result: dict[int, str] = {}
    for numbers, text in pieces:
        for number in map(int, numbers.split()):
            result[number] = result.get(number, "") + text
    return result


def wait_for_verdict(page, expected: str) -> None:
    # expect() polls from Playwright's own isolated script world: the page's CSP forbids the eval that
    # wait_for_function would need in the page's world.
    expect(page.locator("#verdict")).to_have_text(expected)


def test_typing_a_breaching_draft_highlights_each_clause_and_cites_the_policy(page, server):
    expected = findings_for(BREACH, "corporate")
    assert expected, "the sample draft must breach the policy"
    page.goto(server.url + "/")
    page.locator("#draft").press_sequentially(BREACH, delay=2)
    wait_for_verdict(page, verdict_for(expected))
    cards = page.locator("#findings li.finding")
    assert cards.count() == len(expected)
    for i, finding in enumerate(expected):
        card = cards.nth(i)
        assert finding.message in card.locator(".message").inner_text()
        assert card.locator(".clause").inner_text() == finding.clause
        assert f"Policy {finding.citation.section}" in card.locator(".cite").inner_text()
        assert finding.citation.quote in card.locator(".cite q").inner_text()
        assert finding.suggest in card.locator(".suggest").inner_text()
    underlined = marked(page, "#highlights")
    for number, finding in enumerate(expected):
        assert finding.match in underlined[number] or underlined[number] in finding.match
    page.screenshot(path=str(ARTIFACTS / "draft.png"), full_page=True)


def test_switching_the_account_type_checks_the_draft_again(page, server):
    text = (EXAMPLES / "breaching-personal.txt").read_text(encoding="utf-8").strip()
    corporate, personal = findings_for(text, "corporate"), findings_for(text, "personal")
    assert verdict_for(corporate) != verdict_for(personal)
    page.goto(server.url + "/")
    page.fill("#draft", text)
    wait_for_verdict(page, verdict_for(corporate))
    page.focus("input[value=corporate]")
    page.keyboard.press("ArrowRight")  # radio buttons change with the arrow keys
    assert page.is_checked("input[value=personal]")
    wait_for_verdict(page, verdict_for(personal))
    rules = page.eval_on_selector_all("#findings li", "items => items.map(i => i.dataset.rule)")
    assert rules == [f.rule for f in personal]
    page.screenshot(path=str(ARTIFACTS / "draft-personal.png"), full_page=True)


def test_a_compliant_draft_says_only_wording_is_checked(page, server):
    text = "Road closed on the A19 northbound after a collision this morning. Please avoid the area."
    assert findings_for(text, "corporate") == []
    page.goto(server.url + "/")
    page.fill("#draft", text)
    wait_for_verdict(page, "Nothing found — only wording is checked")
    assert page.locator("#highlights mark").count() == 0


def test_the_keyboard_reaches_a_finding_and_selects_its_words_in_the_draft(page, server):
    # Emoji take two UTF-16 units in the page but one character in the report: the offsets must agree.
    text = "🎉🚓 " + BREACH
    expected = findings_for(text, "corporate")
    page.goto(server.url + "/")
    page.fill("#draft", text)
    wait_for_verdict(page, verdict_for(expected))
    page.focus("#draft")
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('jump')"):
            break
    assert page.evaluate("document.activeElement.dataset.finding") == "0"
    page.keyboard.press("Enter")
    selected = page.evaluate("(d => d.value.slice(d.selectionStart, d.selectionEnd))(document.getElementById('draft'))")
    assert selected == expected[0].match
    assert page.locator("#highlights mark.active").count() >= 1
    assert marked(page, "#highlights")[0] in expected[0].clause


def test_with_an_access_token_the_page_asks_for_it_once(browser, tmp_path):
    token = "a-token-for-the-browser-test"
    with live_server(token=token) as guarded:
        page = browser.new_page()
        try:
            page.goto(guarded.url + "/")
            page.fill("#draft", BREACH)
            expect(page.locator("#token-form")).to_be_visible()
            expect(page.locator("#verdict")).to_contain_text("access token")
            page.fill("#token", token)
            page.keyboard.press("Enter")
            wait_for_verdict(page, verdict_for(findings_for(BREACH, "corporate")))
            expect(page.locator("#token-form")).to_be_hidden()
            page.reload()
            page.fill("#draft", "Road closed on the A19 northbound after a collision this morning.")
            wait_for_verdict(page, verdict_for(findings_for(page.input_value("#draft"), "corporate")))
            expect(page.locator("#token-form")).to_be_hidden()
        finally:
            page.close()


def test_hostile_text_in_a_draft_stays_text(page, server):
    expected = findings_for(HOSTILE, "corporate")
    assert expected, "the hostile draft must also breach the policy, so its text reaches the findings"
    page.goto(server.url + "/")
    page.fill("#draft", HOSTILE)
    wait_for_verdict(page, verdict_for(expected))
    assert page.evaluate("window.pwned") is None
    for area in ("#highlights", "#findings"):
        assert page.locator(f"{area} script, {area} img, {area} a").count() == 0
    assert page.input_value("#draft") == HOSTILE
    assert page.locator("#highlights").text_content() == HOSTILE + "\n"
    assert page.eval_on_selector_all(".clause", "cs => cs.map(c => c.textContent)") == [f.clause for f in expected]
    page.screenshot(path=str(ARTIFACTS / "draft-hostile.png"), full_page=True)


def upload(page, name: str, data: bytes) -> None:
    page.set_input_files("#queue-file", files=[{"name": name, "mimeType": "application/octet-stream", "buffer": data}])
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector("#posts tbody tr")


def test_hostile_ids_texts_and_file_names_in_a_queue_stay_text(page, server):
    records = [
        {"id": '<img src=x onerror="window.pwned = 4">', "profile": "corporate", "text": HOSTILE},
        {
            "id": "javascript:window.pwned = 5",
            "profile": "corporate",
            "text": "<b onmouseover='window.pwned = 6'>hello</b>",
        },
    ]
    queue = "\n".join(json.dumps(r) for r in records).encode()
    page.goto(server.url + "/queue")
    upload(page, '<svg onload="window.pwned = 7">.jsonl', queue)
    ids = page.eval_on_selector_all("#posts tbody tr td:nth-child(2) button", "bs => bs.map(b => b.textContent)")
    assert sorted(ids) == sorted(r["id"] for r in records)
    page.click("#posts tbody tr >> nth=0 >> button")
    page.hover("#detail-text")
    assert page.evaluate("window.pwned") is None
    assert page.locator("main img, main svg, main b, #posts a, #detail a").count() == 0
    assert "<svg" not in page.inner_text("#summary") and "svg" in page.inner_text("#summary")
    page.screenshot(path=str(ARTIFACTS / "queue-hostile.png"), full_page=True)


def test_a_queue_is_uploaded_filtered_sorted_opened_and_decided(page, server):
    report = server.service.report(
        server.service.check(server.service.read((EXAMPLES / "queue.jsonl").read_bytes(), "queue.jsonl", ".jsonl"))
    )
    posts = report["posts"]
    page.goto(server.url + "/queue")
    upload(page, "queue.jsonl", (EXAMPLES / "queue.jsonl").read_bytes())
    assert page.locator("#posts tbody tr").count() == len(posts)

    page.select_option("#filter-severity", "error")
    flagged = [p["id"] for p in posts if any(f["severity"] == "error" for f in p["findings"])]
    shown = page.eval_on_selector_all("#posts tbody tr td:nth-child(2)", "cells => cells.map(c => c.textContent)")
    assert shown == flagged
    page.select_option("#filter-severity", "")
    category = posts[1]["findings"][0]["category"]
    page.select_option("#filter-category", category)
    with_category = [p["id"] for p in posts if any(f["category"] == category for f in p["findings"])]
    assert page.locator("#posts tbody tr").count() == len(with_category)
    page.select_option("#filter-category", "")

    page.click("th[data-key=severity] button")
    assert page.get_attribute("th[data-key=severity]", "aria-sort") == "ascending"
    first = page.inner_text("#posts tbody tr >> nth=0 >> td:nth-child(4)")
    assert first == "must change"

    target = posts[1]
    page.click(f"#posts tbody button[aria-label='Open post {target['id']}']")
    assert page.evaluate("document.activeElement.id") == "detail-heading"
    assert page.locator("#detail-text mark.hit").count() >= 1
    assert page.locator("#detail-findings li").count() == len(target["findings"])
    page.check("#decision-form input[value=approve]")
    page.fill("#reason", "Agreed with Corporate Comms, ref CC-114")
    page.fill("#reviewer", "Sgt Example")
    page.click("#decision-form button[type=submit]")
    expect(page.locator("#decision-status")).to_contain_text("Recorded")
    page.screenshot(path=str(ARTIFACTS / "queue.png"), full_page=True)

    audit = server.service.options.audit_dir
    record_name = page.inner_text("#decision-status").rsplit(" ", 1)[-1].rstrip(".")
    record = json.loads((audit / record_name).read_text(encoding="utf-8"))
    assert (record["decision"], record["post"]["id"], record["reviewer"]) == ("approve", target["id"], "Sgt Example")
    assert record["reason"] == "Agreed with Corporate Comms, ref CC-114"
    assert verify(audit) == []
    assert "approved" in page.inner_text(f"#posts tbody tr:has(button[aria-label='Open post {target['id']}'])")

    with page.expect_download() as download:
        page.click("[data-download=csv]")
    content = Path(download.value.path()).read_text(encoding="utf-8")
    assert content.startswith("source,id,profile,line,error,rule")
    assert download.value.suggested_filename == "queue.postcheck.csv"


def test_the_pages_fit_a_phone_screen(page, server):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server.url + "/")
    page.fill("#draft", BREACH)
    page.wait_for_selector("#findings li.finding")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(ARTIFACTS / "draft-phone.png"), full_page=True)
    page.goto(server.url + "/queue")
    upload(page, "queue.jsonl", (EXAMPLES / "queue.jsonl").read_bytes())
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(ARTIFACTS / "queue-phone.png"), full_page=True)


def test_text_meets_wcag_aa_contrast_on_both_pages(page, server):
    page.goto(server.url + "/")
    page.fill("#draft", BREACH)
    page.wait_for_selector("#findings li.finding")
    assert page.evaluate(CONTRAST) == []
    page.goto(server.url + "/queue")
    upload(page, "queue.jsonl", (EXAMPLES / "queue.jsonl").read_bytes())
    page.click("#posts tbody tr >> nth=1 >> button")
    assert page.evaluate(CONTRAST) == []
