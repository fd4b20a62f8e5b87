"""The policy map: the obligations of the social-media policy that findings cite.

`rules/policy.yaml` names the policy (title, number, version) and lists each
obligation once with a short verbatim quote, plus the finding categories.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.errors import PostcheckError
from ..core.yamlfile import LineDict


@dataclass(frozen=True)
class Obligation:
    id: str
    section: str
    title: str
    quote: str
    checkable: bool = True
    reason: str = ""


@dataclass(frozen=True)
class Policy:
    title: str
    number: str
    version: str
    date: str
    text_path: Path
    categories: dict[str, str]
    obligations: dict[str, Obligation]

    @property
    def name(self) -> str:
        return f"{self.title} {self.number} v{self.version}"


_OBLIGATION_KEYS = {"id", "section", "title", "quote", "checkable", "reason"}


def load_policy(path: Path, data: object) -> Policy:
    """The policy map from `policy.yaml`'s parsed content."""
    where = str(path)
    if not isinstance(data, LineDict) or not {"policy", "categories", "obligations"} <= data.keys():
        raise PostcheckError("policy file needs 'policy', 'categories' and 'obligations'", where, 1)
    head = data["policy"]
    obligations: dict[str, Obligation] = {}
    for item in data["obligations"]:
        if not isinstance(item, LineDict):
            raise PostcheckError("each obligation must be a mapping", where)
        unknown = item.keys() - _OBLIGATION_KEYS
        missing = {"id", "section", "title", "quote"} - item.keys()
        if unknown or missing:
            problem = f"unknown key '{sorted(unknown)[0]}'" if unknown else f"missing '{sorted(missing)[0]}'"
            raise PostcheckError(f"obligation: {problem}", where, item.line)
        if item["id"] in obligations:
            raise PostcheckError(f"duplicate obligation id '{item['id']}'", where, item.line)
        if item.get("checkable", True) is False and not item.get("reason"):
            raise PostcheckError(f"obligation '{item['id']}' is not checkable but gives no reason", where, item.line)
        obligations[item["id"]] = Obligation(
            id=item["id"],
            section=str(item["section"]),
            title=item["title"],
            quote=" ".join(item["quote"].split()),
            checkable=item.get("checkable", True),
            reason=item.get("reason", ""),
        )
    return Policy(
        title=head["title"],
        number=str(head["number"]),
        version=str(head["version"]),
        date=str(head["date"]),
        text_path=path.parent / head["text"],
        categories=dict(data["categories"]),
        obligations=obligations,
    )
