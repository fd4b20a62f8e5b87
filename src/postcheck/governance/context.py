"""Context a reviewer would use that the words alone do not carry: dates, live cases, media, bios.

- Elections (`elections:` in configuration, each `{name, purdah_start, polling_day, area}`):
  a post whose date (`scheduled_at`, else `--date`, else today) falls in a pre-election
  period gets the `purdah` context, which switches on the rules marked `when: [purdah]`.
- Proceedings (`proceedings:` in configuration, a YAML list of cases `{case, name,
  aliases, status, charged?, ended?}`): names in active cases fill the `watchlist`
  lexicon, and findings that mention them say which case. A case with dates is live
  from `charged` until the day before `ended` (sentence, acquittal or discontinuance),
  judged on the post's date; without dates, `charged` and `trial` cases are live.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import PostcheckError
from ..core.findings import Finding
from ..core.post import Post
from ..core.yamlfile import LineDict, load_yaml
from ..inputs.attachments import describe, media_items

ACTIVE_STATUSES = ("charged", "trial")
CASE_STATUSES = ("charged", "trial", "sentenced", "concluded", "discontinued")


def as_date(value: object, where: tuple[str | None, int | None], key: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()
    except ValueError:
        raise PostcheckError(f"'{key}' must be a date like 2026-05-07, not '{value}'", *where) from None


@dataclass(frozen=True)
class Election:
    name: str
    purdah_start: dt.date
    polling_day: dt.date
    area: str = ""


def parse_elections(items: object, path: str | None, line: int | None) -> list[Election]:
    if not isinstance(items, list):
        raise PostcheckError("'elections' must be a list of {name, purdah_start, polling_day, area}", path, line)
    elections = []
    for item in items:
        where = (path, item.line if isinstance(item, LineDict) else line)
        if not isinstance(item, dict) or not {"name", "purdah_start", "polling_day"} <= set(item):
            raise PostcheckError("each election needs name, purdah_start and polling_day", *where)
        start, polling = (
            as_date(item["purdah_start"], where, "purdah_start"),
            as_date(item["polling_day"], where, "polling_day"),
        )
        if start > polling:
            raise PostcheckError(f"election '{item['name']}': purdah_start is after polling_day", *where)
        elections.append(Election(str(item["name"]), start, polling, str(item.get("area", ""))))
    return elections


@dataclass(frozen=True)
class Case:
    case: str
    names: tuple[str, ...]
    status: str
    charged: dt.date | None = None  # proceedings are active from this day...
    ended: dt.date | None = None  # ...until the day before this one (sentence, acquittal, discontinuance)

    @property
    def active(self) -> bool:
        """Possibly active on some day: the watchlist lexicon carries these names."""
        return self.status in ACTIVE_STATUSES or (self.status != "concluded" and self.ended is not None)

    def active_on(self, day: dt.date) -> bool:
        if self.charged is not None and day < self.charged:
            return False
        if self.ended is not None:
            return day < self.ended
        return self.status in ACTIVE_STATUSES


def load_proceedings(path: Path) -> list[Case]:
    data = load_yaml(path)
    if isinstance(data, LineDict) and "cases" in data:
        data = data["cases"]
    if not isinstance(data, list):
        raise PostcheckError("a proceedings file is a list of cases (or a mapping with a 'cases' list)", str(path), 1)
    cases = []
    for item in data:
        where = (str(path), item.line if isinstance(item, LineDict) else None)
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item.get("case"):
            raise PostcheckError("each case needs a 'case' reference and a 'name'", *where)
        if item.get("status") not in CASE_STATUSES:
            raise PostcheckError(f"case status must be one of {', '.join(CASE_STATUSES)}", *where)
        aliases = item.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise PostcheckError("'aliases' must be a list of names", *where)
        charged = as_date(item["charged"], where, "charged") if item.get("charged") else None
        ended = as_date(item["ended"], where, "ended") if item.get("ended") else None
        cases.append(Case(str(item["case"]), (item["name"], *aliases), item["status"], charged, ended))
    return cases


@dataclass
class Context:
    elections: list[Election]
    cases: list[Case]
    default_date: dt.date
    bios: dict = dataclasses.field(default_factory=dict)  # account -> bio text
    default_bio: str = ""
    # False for posts that arrive over the network: their media file names are words to check, never paths
    # to open on this machine (a request must not learn which files exist here).
    open_media_files: bool = True

    def post_date(self, post: Post) -> dt.date:
        scheduled = post.meta.get("scheduled_at")
        if scheduled in (None, ""):
            return self.default_date
        return as_date(scheduled, (post.source, post.line), "scheduled_at")

    def annotate(self, post: Post) -> Post:
        """Give the post its contexts (from its date), its media descriptions and its account's bio."""
        if post.error is None:
            bio = self.bios.get(str(post.meta.get("account", "")), self.default_bio)
            if bio:
                post.appendix = f"\n[bio: {bio}]"
            base = None
            if self.open_media_files:
                base = Path(post.source).parent if post.source != "<stdin>" else Path.cwd()
            for i, item in enumerate(media_items(post.meta.get("media", []))):
                description = describe(item, base)
                if description:
                    post.extras.append((f"media[{i}]", description))
        if post.error is None:
            try:
                day = self.post_date(post)  # a date that is not one is this post's error, whatever else applies
            except PostcheckError as exc:
                post.error = exc.message
                return post
            if any(e.purdah_start <= day <= e.polling_day for e in self.elections):
                post.contexts = frozenset({"purdah"})
        return post

    def watchlist_terms(self) -> list[str]:
        return [name for case in self.cases if case.active for name in case.names]

    def name_cases(self, post: Post, findings: list[Finding]) -> list[Finding]:
        """Say which case a watchlist finding is about; drop it if that case is not live on the post's date."""
        day = self.post_date(post) if post.error is None else self.default_date
        result = []
        for finding in findings:
            if finding.rule.startswith("legal-process.live-case"):
                mentioned = [
                    c
                    for c in self.cases
                    if c.active and any(n.casefold() in finding.clause.casefold() for n in c.names)
                ]
                live = [c for c in mentioned if c.active_on(day)]
                if mentioned and not live:
                    continue
                if live:
                    finding = dataclasses.replace(
                        finding, message=f"{finding.message} Case {live[0].case} ({live[0].status})."
                    )
            result.append(finding)
        return result
