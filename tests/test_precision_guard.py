"""Precision guards: everyday posts, and posts written to come close to a breach, must stay unflagged.

`training/corpus/gen-ha.yaml` and `gen-hb.yaml` hold 600 posts, four in five of them compliant
near-misses on officers' own and force accounts (a declared side business, thanks to a local
shop, an appeal that names a support service, polling-station times). A new rule or lexicon
entry that flags everyday posts raises the share of them flagged, and this test fails before the
officers who would see those false alarms do.

`tests/corpus/everyday.yaml` holds 370 everyday compliant posts a reviewer wrote in the voices
officers and force accounts really use, outside the team's own near-miss habits. None may get an
error beyond the false alarms listed below, which may only shrink, and few may get a warning.

The ceilings sit just above the figures measured when they were last set; lower them when
precision improves, never raise them to let a rule through.
"""

from __future__ import annotations

import pytest
import yaml
from tests.conftest import REPO

from postcheck import Post

NEAR_MISS_SETS = ("gen-ha.yaml", "gen-hb.yaml")
# Measured 2026-12-01 on main ef8993b: of the 475 compliant posts, rules alone flagged 18 (3.8%); after the
# precision work of that night (debt4), 11 (2.3%), and the learned second opinion adds none (2.3%). A ceiling
# of 2.6% lets one more through, not two.
CEILING = {"rules alone": 0.026, "with the model": 0.026}


@pytest.fixture(scope="module")
def compliant_flags(linter, rulebook) -> dict[str, list[str]]:
    """For each way of checking, the ids of compliant near-misses it flags (a warning or an error)."""
    learned = {rule.id for rule in rulebook.rules if rule.learned}
    items = [
        item
        for name in NEAR_MISS_SETS
        for item in yaml.safe_load((REPO / "training" / "corpus" / name).read_text(encoding="utf-8"))
    ]
    posts = [Post("near-miss", item["id"], item["text"], item["profile"]) for item in items]
    flagged: dict[str, list[str]] = {"rules alone": [], "with the model": [], "compliant": []}
    for item, (_, findings) in zip(items, linter.check_posts(posts), strict=True):
        if item["expect"]:
            continue
        flagged["compliant"].append(item["id"])
        rules = {f.rule for f in findings if f.severity != "info"}
        if rules - learned:
            flagged["rules alone"].append(item["id"])
        if rules:
            flagged["with the model"].append(item["id"])
    return flagged


@pytest.mark.parametrize("way", sorted(CEILING))
def test_compliant_near_misses_stay_unflagged(compliant_flags, way):
    compliant = len(compliant_flags["compliant"])
    assert compliant > 400, "the near-miss sets lost their compliant posts"
    share = len(compliant_flags[way]) / compliant
    assert share <= CEILING[way], (
        f"{way}: {len(compliant_flags[way])} of {compliant} compliant near-misses flagged ({share:.1%}),"
        f" above the ceiling {CEILING[way]:.1%}: {compliant_flags[way]}"
    )


EVERYDAY = REPO / "tests" / "corpus" / "everyday.yaml"
# Errors the everyday posts still got on main 64d5343 (2026-12-01 01:28 UTC), each a false alarm of the rule
# named: fix the rule and take its post off this list. A post not on it that gets an error fails the test.
KNOWN_ERRORS: dict[str, str] = {
    "c122": "tone.insult",
    "d033": "operational.surveillance",
    "d041": "police-information.leak",
    "d042": "police-information.unannounced",
    "g009": "operational.surveillance",
}
# Posts with a warning but no error on main 64d5343: 0 of 370 (0.0%); the ceiling lets two through.
WARNING_CEILING = 0.006


@pytest.fixture(scope="module")
def everyday_findings(linter) -> dict[str, list]:
    items = yaml.safe_load(EVERYDAY.read_text(encoding="utf-8"))
    posts = [Post("everyday", item["id"], item["text"], item["profile"]) for item in items]
    return {post.id: findings for post, findings in linter.check_posts(posts)}


def test_everyday_posts_get_no_new_error(everyday_findings):
    assert len(everyday_findings) == 370
    errors = {
        post_id: sorted({f.rule for f in findings if f.severity == "error"})
        for post_id, findings in everyday_findings.items()
        if any(f.severity == "error" for f in findings)
    }
    new = {post_id: rules for post_id, rules in errors.items() if post_id not in KNOWN_ERRORS}
    assert not new, f"errors on everyday compliant posts (tests/corpus/everyday.yaml): {new}"


def test_everyday_posts_rarely_get_a_warning(everyday_findings):
    warned = [
        post_id
        for post_id, findings in everyday_findings.items()
        if {f.severity for f in findings} & {"warning", "error"} == {"warning"}
    ]
    share = len(warned) / len(everyday_findings)
    assert share <= WARNING_CEILING, (
        f"{len(warned)} of {len(everyday_findings)} everyday posts warned ({share:.1%}),"
        f" above {WARNING_CEILING:.1%}: {warned}"
    )
