"""The training script's choice of thresholds (training itself takes minutes; the shipped weights
have their own tests in test_learned_weights.py)."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from tests.conftest import REPO

pytest.importorskip("sklearn", reason="training needs the dev extra")
sys.path.insert(0, str(REPO / "training"))
import thresholds as training


def test_each_category_keeps_its_own_precision_target():
    # Ten posts, best margin first: the first five are breaches, then two misses, then three breaches.
    margins = np.arange(10, 0, -1, dtype=float)
    truth = np.array([1, 1, 1, 1, 1, 0, 0, 1, 1, 1], dtype=bool)
    margins, labels = np.column_stack([margins, margins]), np.column_stack([truth, truth])
    applies = np.ones_like(labels)
    chosen = training.thresholds(margins, labels, applies, np.array([0.95, 0.80]))
    assert chosen.tolist() == [5.5, 0.5]  # 5 of 5 flagged at 0.95; 8 of 10 at 0.80


def test_a_category_without_enough_held_out_hits_gets_no_threshold():
    margins = np.array([[3.0], [2.0], [1.0]])
    labels = np.array([[True], [True], [False]])
    chosen = training.thresholds(margins, labels, np.ones_like(labels), np.array([0.5]))
    assert chosen.tolist() == [np.inf]


def test_the_targets_name_learned_categories_and_lower_none_below_090(rulebook):
    learned = {rule.category for rule in rulebook.rules if rule.learned}
    assert set(training.TARGETS) <= learned
    assert all(0.90 <= target < 1 for target in training.TARGETS.values())


def test_fitting_in_worker_processes_gives_what_fitting_alone_does():
    import train_model

    rng = np.random.default_rng(0)
    features = [rng.integers(0, 64, 12) for _ in range(60)]
    labels = rng.random((60, 2)) < 0.4
    corpus = train_model.Corpus(features, labels, np.ones_like(labels), 64)
    groups = np.arange(60) % 3
    margins, (weights, bias) = train_model.fit_all(corpus, groups)
    for group in range(3):
        rows = groups == group
        assert np.array_equal(margins[rows], corpus.score(*corpus.fit(~rows), rows))
    alone = corpus.fit(np.ones(60, dtype=bool))
    assert np.array_equal(weights, alone[0]) and np.array_equal(bias, alone[1])
