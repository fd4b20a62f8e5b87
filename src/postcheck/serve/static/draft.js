/* The draft page: check the draft as the officer types (debounced), highlight each breaching clause
   behind the text box, and list the findings with their suggestion and policy quote. */
"use strict";

(() => {
  const { api, renderMarks, renderFindings, verdict, worst, unitIndex } = postcheck;
  const form = document.getElementById("draft-form");
  const draft = document.getElementById("draft");
  const media = document.getElementById("media");
  const highlights = document.getElementById("highlights");
  const verdictLine = document.getElementById("verdict");
  const list = document.getElementById("findings");
  const count = document.getElementById("count");
  const WAIT_MS = 300;
  let timer = null;
  let latest = 0;
  let checked = { text: "", findings: [] }; // the last answer, for the text it was about
  let active = -1;

  function request() {
    const item = { id: "draft", text: draft.value, profile: form.elements.profile.value };
    const scheduled = document.getElementById("scheduled").value;
    const described = media.value.split("\n").map((line) => line.trim()).filter(Boolean);
    if (scheduled) item.scheduled_at = scheduled;
    if (described.length) item.media = described.map((alt) => ({ alt }));
    return item;
  }

  /* The last answer's findings that still fit the text being typed: those before the first edit. */
  function stillValid() {
    const [before, now] = [checked.text, draft.value];
    if (before === now) return checked.findings;
    let same = 0;
    while (same < before.length && same < now.length && before[same] === now[same]) same++;
    const at = unitIndex(before);
    return checked.findings.map((f) => (f.field === "text" && at(f.end) <= same ? f : { ...f, field: "stale" }));
  }

  function paint() {
    renderMarks(highlights, draft.value, stillValid(), active);
    // A textarea gives a trailing newline a line of its own; a div only does when something follows it.
    highlights.append("\n");
    syncScroll();
  }

  function syncScroll() {
    highlights.style.transform = `translateY(${-draft.scrollTop}px)`;
  }

  function show(text, report) {
    const result = report.posts[0];
    checked = { text, findings: result.findings };
    active = -1;
    paint();
    const level = worst(result.findings);
    verdictLine.className = "verdict" + (result.error ? " problem" : level ? ` sev-${level}` : " clean");
    verdictLine.textContent = result.error ? `Cannot check this draft: ${result.error}` : verdict(result.findings);
    renderFindings(list, result.findings, select);
  }

  /* Show a finding in the draft: emphasise its clause and select the words that matched. */
  function select(number) {
    active = number;
    paint();
    const finding = checked.findings[number];
    if (finding.field === "text" && draft.value === checked.text) {
      const at = unitIndex(checked.text);
      draft.focus();
      draft.setSelectionRange(at(finding.start), at(finding.end));
      syncScroll();
    }
  }

  async function check() {
    const ticket = ++latest;
    const text = draft.value;
    if (!text.trim()) {
      checked = { text, findings: [] };
      paint();
      list.replaceChildren();
      verdictLine.className = "verdict";
      verdictLine.textContent = "Start typing to check your draft.";
      return;
    }
    verdictLine.classList.add("busy");
    try {
      const report = await api("/v1/check", { method: "POST", json: request() });
      if (ticket === latest) show(text, report);
    } catch (error) {
      if (ticket !== latest) return;
      if (error.status === 401) postcheck.askForToken(check);
      verdictLine.className = "verdict problem";
      verdictLine.textContent = `Cannot check the draft: ${error.message}`;
    }
  }

  function changed() {
    count.textContent = `${[...draft.value].length} characters`;
    active = -1;
    paint();
    clearTimeout(timer);
    timer = setTimeout(check, WAIT_MS);
  }

  draft.addEventListener("input", changed);
  draft.addEventListener("scroll", syncScroll);
  media.addEventListener("input", changed);
  form.addEventListener("change", (event) => {
    if (event.target !== draft && event.target !== media) changed();
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  if (draft.value) changed();
})();
