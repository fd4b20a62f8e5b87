"""The shipped weights of the learned second opinion: small, trained on the corpora in the repository,
quiet on everyday posts, and the same answer every time.

Retraining takes minutes, too long for the suite, so the weights record the inputs they were
trained on (name, file and SHA-256); a test checks that the corpora this project wrote itself
are the ones in the repository. What the model flags is checked by the learned rules' own
examples (tests/test_rule_examples.py), in words no training corpus holds.
"""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest
from tests.conftest import REPO
from tests.test_learned import processed

from postcheck.engine import learned
from postcheck.engine.learned import FEATURES_VERSION, LearnedModel

EVERYDAY = [
    ("corporate", "Officers will be at the community centre on Tuesday morning. Come and say hello."),
    ("corporate", "We are appealing for witnesses to a collision on the A171 on Friday evening. Call 101."),
    ("corporate", "Well done to everyone who took part in the charity fun run for the hospice on Sunday."),
    ("personal", "Lovely walk on the beach with the dog this morning, freezing but worth it."),
    ("personal", "Proud of my daughter for passing her driving test first time today."),
    ("corporate", "hi\n"),  # a file's last line break once read as a sign of inviting crime reports
    ("corporate", "Hi all.\n\nHave a good weekend.\n"),
]


@pytest.fixture(scope="module")
def shipped():
    with np.load(learned.WEIGHTS_FILE, allow_pickle=False) as data:
        return {key: data[key] for key in data.files}


def test_the_weights_are_small_and_stored_as_half_floats(shipped):
    assert learned.WEIGHTS_FILE.stat().st_size < 2_500_000
    assert shipped["values"].dtype == np.float16
    assert str(shipped["features"]) == FEATURES_VERSION


def test_every_learned_rule_has_a_finite_threshold(linter, shipped):
    categories = [str(c) for c in shipped["categories"]]
    asked = {rule.category for rule in linter.rulebook.rules if rule.learned}
    assert asked, "the shipped rulebook asks the model about no category"
    for category in asked:
        assert np.isfinite(shipped["thresholds"][categories.index(category)]), category


def test_the_weights_were_trained_on_the_corpora_in_the_repository(shipped):
    inputs = json.loads(str(shipped["inputs"]))
    ours = [each for each in inputs if each["name"].startswith("gen-")]
    assert ours, "the weights name none of training/corpus/gen-*.yaml among their inputs"
    assert {each["file"] for each in ours} == {path.name for path in (REPO / "training" / "corpus").glob("gen-*.yaml")}
    for each in ours:
        digest = hashlib.sha256((REPO / "training" / "corpus" / each["file"]).read_bytes()).hexdigest()
        assert digest == each["sha256"], f"{each['file']} changed since the weights were trained: retrain"


@pytest.mark.parametrize(("profile", "text"), EVERYDAY)
def test_everyday_posts_reach_no_threshold(linter, profile, text):
    model = linter.learned
    margins = model.scores(model.evidence(*processed(linter, [text]))[0], profile)
    scores = dict(zip(model.categories, margins, strict=True))
    asked = {rule.category for rule in linter.rulebook.rules if rule.learned and profile in rule.profiles}
    assert asked, f"no learned rule binds {profile} accounts"
    assert max(scores[category] for category in asked) < 0, scores


def test_loading_twice_gives_the_same_scores(linter):
    docs, lexicons = processed(linter, [text for _, text in EVERYDAY])
    assert np.array_equal(LearnedModel().evidence(docs, lexicons), LearnedModel().evidence(docs, lexicons))
