/* postcheck pages: what the draft and queue pages share.
   Post text only ever reaches the page as text nodes (textContent, createTextNode), never as markup,
   so a post cannot add elements, scripts or links to the page. */
"use strict";

const postcheck = (() => {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const SEVERITY = {
    error: { label: "must change", rank: 2 },
    warning: { label: "to consider", rank: 1 },
    info: { label: "advice", rank: 0 },
  };

  class ApiError extends Error {
    constructor(message, status) {
      super(message);
      this.status = status;
    }
  }

  /* An element with attributes and children; strings become text nodes. */
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  /* ---- the API, with the CSRF token and the access token when the service asks for one ---- */
  const tokenForm = () => document.getElementById("token-form");

  function askForToken(retry) {
    const form = tokenForm();
    form.hidden = false;
    form.querySelector("input").focus();
    form.onsubmit = (event) => {
      event.preventDefault();
      sessionStorage.setItem("postcheck-token", form.querySelector("input").value.trim());
      form.hidden = true;
      retry();
    };
  }

  async function api(path, { method = "GET", json, body, raw = false } = {}) {
    const headers = { "X-CSRF-Token": csrf, Accept: "application/json" };
    const token = sessionStorage.getItem("postcheck-token");
    if (token) headers.Authorization = "Bearer " + token;
    if (json !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(json);
    } else if (body !== undefined) {
      headers["Content-Type"] = "application/octet-stream";
    }
    const response = await fetch(path, { method, headers, body, credentials: "same-origin" });
    if (response.ok) return raw ? response : response.json();
    let message = response.statusText;
    try {
      message = (await response.json()).error || message;
    } catch (_) {
      /* not JSON: keep the status text */
    }
    throw new ApiError(message, response.status);
  }

  /* ---- offsets: the report counts characters (code points); JavaScript strings count UTF-16 units ---- */
  function unitIndex(text) {
    const index = [];
    let unit = 0;
    for (const char of text) {
      index.push(unit);
      unit += char.length;
    }
    index.push(unit);
    return (offset) => index[Math.min(offset, index.length - 1)];
  }

  /* Where each finding on the text sits: its match, and the clause around it. */
  function ranges(text, findings) {
    const at = unitIndex(text);
    return findings.map((finding, number) => {
      if (finding.field !== "text") return null;
      const start = at(finding.start);
      const end = at(finding.end);
      let clause = [start, end];
      let from = 0;
      let found;
      while (finding.clause && (found = text.indexOf(finding.clause, from)) !== -1) {
        if (found <= start && found + finding.clause.length >= end) {
          clause = [found, found + finding.clause.length];
          break;
        }
        from = found + 1;
      }
      return { number, severity: finding.severity, match: [start, end], clause };
    });
  }

  /* Fill `container` with the text, each breaching clause in a <mark> coloured by its worst severity
     and the words that matched underlined. Returns nothing; `active` is the finding to emphasise. */
  function renderMarks(container, text, findings, active = -1) {
    const spots = ranges(text, findings).filter(Boolean);
    const cuts = new Set([0, text.length]);
    for (const spot of spots) for (const edge of [...spot.clause, ...spot.match]) cuts.add(edge);
    const points = [...cuts].sort((a, b) => a - b);
    const nodes = [];
    for (let i = 0; i + 1 < points.length; i++) {
      const [from, to] = [points[i], points[i + 1]];
      const piece = text.slice(from, to);
      const covering = spots.filter((s) => s.clause[0] <= from && to <= s.clause[1]);
      if (!covering.length) {
        nodes.push(document.createTextNode(piece));
        continue;
      }
      const worst = covering.reduce((a, b) => (SEVERITY[b.severity].rank > SEVERITY[a.severity].rank ? b : a));
      const hit = covering.some((s) => s.match[0] <= from && to <= s.match[1]);
      const classes = ["sev-" + worst.severity, hit ? "hit" : "", covering.some((s) => s.number === active) ? "active" : ""];
      nodes.push(el("mark", { class: classes.join(" ").trim(), "data-findings": covering.map((s) => s.number).join(" ") }, piece));
    }
    container.replaceChildren(...nodes);
  }

  function counts(findings) {
    const tally = { error: 0, warning: 0, info: 0 };
    for (const f of findings) if (!f.suppressed && !f.waived) tally[f.severity] += 1;
    return tally;
  }

  /* "2 must change, 1 to consider", or "nothing found — only wording is checked". */
  function verdict(findings) {
    const tally = counts(findings);
    const parts = [];
    if (tally.error) parts.push(`${tally.error} must change`);
    if (tally.warning) parts.push(`${tally.warning} to consider`);
    if (tally.info) parts.push(`${tally.info} ${tally.info === 1 ? "piece" : "pieces"} of advice`);
    return parts.length ? parts.join(", ") : "Nothing found — only wording is checked";
  }

  function worst(findings) {
    const tally = counts(findings);
    return tally.error ? "error" : tally.warning ? "warning" : tally.info ? "info" : null;
  }

  const FIELD_NAMES = { bio: "the account's bio" };
  function place(field) {
    if (field === "text") return null;
    const media = /^media\[(\d+)\]$/.exec(field);
    return "In " + (media ? `media description ${Number(media[1]) + 1}` : FIELD_NAMES[field] || field);
  }

  /* One list item per finding: severity, message, the clause, the suggestion and the policy quote.
     `onSelect(number)` runs when its button is used (to show the clause in the draft). */
  function renderFindings(list, findings, onSelect) {
    const items = findings.map((f, number) => {
      const label = SEVERITY[f.severity].label;
      const status = f.suppressed ? ` (allowed: ${f.suppressed.reason})` : f.waived ? ` (waived: ${f.waived.reason})` : "";
      const clause = el("blockquote", { class: "clause" });
      const at = f.clause.indexOf(f.match);
      if (f.match && at >= 0) {
        clause.append(f.clause.slice(0, at), el("strong", {}, f.match), f.clause.slice(at + f.match.length));
      } else {
        clause.append(f.clause || f.match);
      }
      const cite = f.citation;
      return el(
        "li",
        { class: `finding sev-${f.severity}`, "data-rule": f.rule },
        el(
          "button",
          { type: "button", class: "jump", "data-finding": String(number) },
          el("span", { class: "badge" }, label),
          " ",
          el("span", { class: "message" }, f.message + status)
        ),
        place(f.field) ? el("p", { class: "where" }, place(f.field)) : null,
        clause,
        el("p", { class: "suggest" }, el("strong", {}, "Suggestion: "), f.suggest),
        el(
          "p",
          { class: "cite" },
          el("strong", {}, `Policy ${cite.section}`),
          ` (${cite.obligation}): `,
          el("q", {}, cite.quote)
        ),
        el("p", { class: "rule" }, `${f.rule} · ${f.category}`)
      );
    });
    list.replaceChildren(...items);
    list.querySelectorAll("button.jump").forEach((button) => {
      button.addEventListener("click", () => onSelect(Number(button.dataset.finding)));
    });
  }

  return { api, ApiError, askForToken, el, renderMarks, renderFindings, verdict, worst, counts, unitIndex, SEVERITY };
})();
