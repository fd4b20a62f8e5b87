/* The queue page: upload a queue, filter and sort its posts, open one to see its highlights,
   record a decision on it (kept in the audit record), and download the report. */
"use strict";

(() => {
  const { api, el, renderMarks, renderFindings, verdict, worst, SEVERITY } = postcheck;
  const $ = (id) => document.getElementById(id);
  const RANK = { error: 0, warning: 1, info: 2, clean: 3, unreadable: 4 };
  const LABELS = { clean: "nothing found", unreadable: "could not be read" };
  const DECISIONS = { approve: "approved", "send-back": "sent back" };
  let queue = null;
  let rows = [];
  let sort = { key: "index", direction: 1 };
  let opened = -1;

  function rowOf(post, text, index) {
    const level = post.error ? "unreadable" : worst(post.findings) || "clean";
    const categories = [...new Set(post.findings.filter((f) => !f.suppressed && !f.waived).map((f) => f.category))].sort();
    return { index, post, text, id: post.id, profile: post.profile, severity: level, categories, decision: null };
  }

  function load(data) {
    queue = data;
    rows = data.report.posts.map((post, index) => rowOf(post, data.texts[index], index));
    for (const decision of data.decisions) rows[decision.post].decision = decision;
    const categories = [...new Set(rows.flatMap((row) => row.categories))].sort();
    $("filter-category").replaceChildren(el("option", { value: "" }, "all"), ...categories.map((c) => el("option", { value: c }, c)));
    const s = data.report.summary;
    $("summary").textContent =
      `${data.name}: ${s.posts} posts, ${s.flagged} flagged; ${s.errors} findings must change, ${s.warnings} to consider` +
      (s.unreadable ? `, ${s.unreadable} could not be read` : "") +
      (data.audit ? ". Decisions are added to the audit record." : ". Decisions are not recorded: the service was started without --audit.");
    $("queue").hidden = false;
    $("detail").hidden = true;
    opened = -1;
    draw();
  }

  function visible() {
    const category = $("filter-category").value;
    const severity = $("filter-severity").value;
    const profile = $("filter-profile").value;
    const words = $("filter-text").value.trim().toLowerCase();
    return rows.filter(
      (row) =>
        (!category || row.categories.includes(category)) &&
        (!severity || row.severity === severity) &&
        (!profile || row.profile === profile) &&
        (!words || row.id.toLowerCase().includes(words) || row.text.toLowerCase().includes(words))
    );
  }

  function compare(a, b) {
    const key = sort.key;
    const value = (row) =>
      key === "severity" ? RANK[row.severity] : key === "categories" ? row.categories.join(",") :
      key === "decision" ? (row.decision ? row.decision.decision : "~") : row[key];
    const [x, y] = [value(a), value(b)];
    const order = typeof x === "number" ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
    return (order || a.index - b.index) * sort.direction;
  }

  function draw() {
    const shown = visible().sort(compare);
    $("shown").textContent = `Showing ${shown.length} of ${rows.length} posts.`;
    const body = $("posts").tBodies[0];
    body.replaceChildren(
      ...shown.map((row) => {
        const label = LABELS[row.severity] || SEVERITY[row.severity].label;
        const decision = row.decision ? DECISIONS[row.decision.decision] : "pending";
        const open = el("button", { type: "button", class: "secondary", "aria-label": `Open post ${row.id}` }, row.id);
        open.addEventListener("click", () => show(row.index));
        return el(
          "tr",
          { class: row.index === opened ? "selected" : null },
          el("td", {}, String(row.index + 1)),
          el("td", {}, open),
          el("td", {}, row.profile),
          el("td", {}, el("span", { class: `pill ${row.severity in SEVERITY ? "sev-" + row.severity : row.severity}` }, label)),
          el("td", {}, row.categories.join(", ")),
          el("td", {}, decision),
          el("td", { class: "text" }, row.post.error ? row.post.error : truncate(row.text))
        );
      })
    );
    for (const th of $("posts").tHead.rows[0].cells) {
      if (!th.dataset.key) continue;
      if (th.dataset.key === sort.key) th.setAttribute("aria-sort", sort.direction > 0 ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
    }
  }

  function truncate(text) {
    const chars = [...text];
    return chars.length > 140 ? chars.slice(0, 140).join("") + "…" : text;
  }

  function describe(row) {
    const post = row.post;
    $("detail-meta").textContent =
      `${post.profile === "personal" ? "Officer's own account" : "Force account"} · ${post.source}` +
      (post.line ? `, line ${post.line}` : "") + ` · decision: ${row.decision ? DECISIONS[row.decision.decision] : "pending"}`;
  }

  function show(index) {
    opened = index;
    const row = rows[index];
    const post = row.post;
    $("detail").hidden = false;
    $("detail-heading").textContent = `Post ${post.id}`;
    describe(row);
    const verdictLine = $("detail-verdict");
    verdictLine.className = "verdict" + (post.error ? " problem" : row.severity === "clean" ? " clean" : ` sev-${row.severity}`);
    verdictLine.textContent = post.error ? `Could not be checked: ${post.error}` : verdict(post.findings);
    const paint = (active = -1) => renderMarks($("detail-text"), row.text, post.findings, active);
    paint();
    renderFindings($("detail-findings"), post.findings, paint);
    const form = $("decision-form");
    for (const control of form.elements) control.disabled = !queue.audit;
    $("decision-status").className = "status";
    $("decision-status").textContent = queue.audit ? "" : "Decisions are not recorded: start postcheck serve with --audit DIR.";
    draw();
    $("detail-heading").focus();
  }

  async function decide(event) {
    event.preventDefault();
    const status = $("decision-status");
    const choice = $("decision-form").elements.decision.value;
    try {
      const decision = await api(`/v1/queues/${encodeURIComponent(queue.id)}/decisions`, {
        method: "POST",
        json: { post: opened, decision: choice, reason: $("reason").value, reviewer: $("reviewer").value },
      });
      rows[opened].decision = decision;
      describe(rows[opened]);
      status.className = "status";
      status.textContent = `Recorded: ${DECISIONS[decision.decision]}, in audit record ${decision.record}.`;
      $("reason").value = "";
      draw();
    } catch (error) {
      if (error.status === 401) postcheck.askForToken(() => decide(event));
      status.className = "status problem";
      status.textContent = `Not recorded: ${error.message}`;
    }
  }

  async function upload(event) {
    event.preventDefault();
    const file = $("queue-file").files[0];
    const status = $("upload-status");
    if (!file) {
      status.className = "status problem";
      status.textContent = "Choose a queue file first.";
      return;
    }
    status.className = "status";
    status.textContent = `Checking ${file.name}…`;
    try {
      load(await api(`/v1/queues?name=${encodeURIComponent(file.name)}`, { method: "POST", body: file }));
      status.textContent = `Checked ${queue.name}.`;
    } catch (error) {
      if (error.status === 401) postcheck.askForToken(() => upload(event));
      status.className = "status problem";
      status.textContent = `Could not check ${file.name}: ${error.message}`;
    }
  }

  async function download(kind) {
    try {
      const response = await api(`/v1/queues/${encodeURIComponent(queue.id)}/report.${kind}`, { raw: true });
      const link = el("a", {
        href: URL.createObjectURL(await response.blob()),
        download: `${queue.name.replace(/\.[^.]*$/, "")}.postcheck.${kind}`,
      });
      document.body.append(link);
      link.click();
      link.remove();
    } catch (error) {
      $("upload-status").className = "status problem";
      $("upload-status").textContent = `Could not download the report: ${error.message}`;
    }
  }

  $("upload-form").addEventListener("submit", upload);
  $("decision-form").addEventListener("submit", decide);
  for (const id of ["filter-category", "filter-severity", "filter-profile", "filter-text"]) {
    $(id).addEventListener("input", draw);
  }
  for (const th of $("posts").tHead.rows[0].cells) {
    if (!th.dataset.key) continue;
    th.querySelector("button").addEventListener("click", () => {
      sort = { key: th.dataset.key, direction: sort.key === th.dataset.key ? -sort.direction : 1 };
      draw();
    });
  }
  document.querySelectorAll("[data-download]").forEach((button) => {
    button.addEventListener("click", () => download(button.dataset.download));
  });
})();
