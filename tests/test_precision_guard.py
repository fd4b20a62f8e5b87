"""Precision guard: everyday posts written to come close to a breach must stay unflagged.

`training/corpus/gen-ha.yaml` and `gen-hb.yaml` hold 600 posts, four in five of them compliant
near-misses on officers' own and force accounts (a declared side business, thanks to a local
shop, an appeal that names a support service, polling-station times). A new rule or lexicon
entry that flags everyday posts raises the share of them flagged, and this test fails before the
officers who would see those false alarms do. The ceilings sit just above the share measured when
they were last set; lower them when precision improves, never raise them to let a rule through.
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
