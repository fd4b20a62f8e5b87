"""Train the learned second opinion (`postcheck.engine.learned`) from named, labelled corpora.

    python training/train_model.py [--shared ../shared] [--out FILE] [--precision 0.95] [--every-category]

The inputs, each a source of its own (all are required; ../shared is the default shared folder):

    dev         ../shared/corpus/dev.yaml             the shared development corpus
    paraphrase  tests/corpus/paraphrase.yaml          the paraphrase regression set
    train-dev   tests/corpus/train-dev.yaml           the development part of train.yaml
    gen-*       training/corpus/gen-*.yaml            posts our team wrote for training
    force-0..5  ../shared/corpus/force-posts.jsonl    real force tweets, read as compliant (never copied
                                                      here); six shares chosen by a hash of the id

The model is one logistic regression per category (scikit-learn's liblinear, a
development extra) over hashed feature counts, and a linear scorer at run time.
Only the categories of `rules/learned.yaml` are trained (`--every-category`
scores every category, over the kinds of account its rules bind, to show which
would earn a learned rule, and writes nothing). Each category's
threshold is chosen by cross-validation across sources: the labelled sources are
dealt into six groups, each with a share of the force posts; each group in turn
is held out, the model is trained on the rest and scores it; over all held-out
scores, the threshold is the lowest at which the category's precision is still
at least its target: `--precision` (0.95), or the category's own in TARGETS,
where cross-validation showed a lower target finds more breaches without
flagging more compliant posts (the targets are recorded in the weights).
Scores are printed per category and per source, beside
what the rules (without the model) find on the same posts.

Training is deterministic: running it again on the same inputs writes the same weights (the
seven fits, six held out and one on everything, run WORKERS at a time in forked processes, each
giving what it gives alone).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import sys
import zlib
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from scipy import sparse
from sklearn.linear_model import LogisticRegression

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from thresholds import TARGETS, thresholds  # noqa: E402

from postcheck.engine.learned import (  # noqa: E402
    FEATURES_VERSION,
    WEIGHTS_FILE,
    lexicon_hits,
    lexicon_keys,
    post_features,
    word_ids,
)

BITS = 16
C = 1.0  # the logistic regressions' inverse regularisation strength
GROUPS = 6  # cross-validation folds: whole labelled sources, and a sixth of the force posts, held out at once
WORKERS = 2  # processes fitting at once (the machine's cores)


@dataclass(frozen=True)
class Sample:
    source: str  # the held-out unit in cross-validation
    id: str
    profile: str
    text: str
    labels: frozenset


def inputs(shared: Path) -> list[tuple[str, Path]]:
    """The named inputs, in order. The shared corpora are required: weights trained without them
    would differ from the shipped ones with nothing to say so."""
    named = [
        ("dev", shared / "corpus" / "dev.yaml"),
        ("paraphrase", REPO / "tests" / "corpus" / "paraphrase.yaml"),
        ("train-dev", REPO / "tests" / "corpus" / "train-dev.yaml"),
    ]
    named += [(path.stem, path) for path in sorted((REPO / "training" / "corpus").glob("gen-*.yaml"))]
    named.append(("force", shared / "corpus" / "force-posts.jsonl"))
    missing = [str(path) for _, path in named if not path.exists()]
    if missing:
        raise SystemExit(f"train_model: missing input {', '.join(missing)}; give the shared folder with --shared DIR")
    return named


def read_samples(named: list[tuple[str, Path]]) -> list[Sample]:
    samples = []
    for name, path in named:
        if path.suffix == ".jsonl":
            for line in path.read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                share = f"force-{zlib.crc32(record['id'].encode()) % GROUPS}"
                samples.append(Sample(share, record["id"], "corporate", record["text"], frozenset()))
            continue
        for item in yaml.safe_load(path.read_text(encoding="utf-8")):
            labels = frozenset(item.get("expect") or ())
            samples.append(Sample(name, str(item["id"]), item["profile"], item["text"], labels))
    return samples


def rules_only():
    """postcheck's Linter over the rulebook without its learned rules (which would load the weights
    being replaced): its pipeline and matchers give the features, its findings what the rules flag."""
    import dataclasses

    from postcheck.engine.linter import Linter
    from postcheck.rulebook.loader import load_rulebook

    rulebook = load_rulebook()
    return Linter(dataclasses.replace(rulebook, rules=tuple(r for r in rulebook.rules if not r.learned)))


def featurize(samples: list[Sample], mask: int) -> list[np.ndarray]:
    """Each post's hashed features, read from the tokens of postcheck's own pipeline and the lexicon
    hits of its matchers, as the linter reads them at run time."""
    from postcheck.engine.normalize import normalize
    from postcheck.engine.tokens import PostTokens

    linter = rules_only()
    keys = lexicon_keys(linter.rulebook)
    features = []
    for sample in samples:
        text = normalize(sample.text).text
        tokens = PostTokens(linter.nlp(text), text)
        words = [tokens.doc.vocab.strings[lower] for lower in word_ids(tokens.doc).tolist()]
        lexicons = lexicon_hits(linter.matchers.run(tokens), keys)
        features.append(np.array(post_features(words, sample.profile, mask, lexicons), dtype=np.int64))
    return features


class Corpus:
    """Every post's features as one sparse matrix of counts (posts x hashed features), which is what
    the scorer adds up at run time: each occurrence of a feature adds its weight once."""

    def __init__(self, features: list[np.ndarray], labels: np.ndarray, applies: np.ndarray, size: int):
        self.size, self.labels, self.applies = size, labels, applies  # labels, applies: posts x categories
        posts = np.repeat(np.arange(len(features)), [len(f) for f in features])
        values = np.ones(len(posts))
        self.counts = sparse.csr_matrix((values, (posts, np.concatenate(features))), shape=(len(features), size))
        self.counts.sum_duplicates()

    def fit(self, train: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """One logistic regression per category (features x categories, and biases) on the posts in
        `train` of the kinds of account the category's rules bind."""
        weights = np.zeros((self.size, self.labels.shape[1]))
        bias = np.zeros(self.labels.shape[1])
        for k in range(self.labels.shape[1]):
            chosen = train & self.applies[:, k]
            model = LogisticRegression(C=C, solver="liblinear", dual=True, max_iter=1000, random_state=0)
            model.fit(self.counts[chosen], self.labels[chosen, k])
            weights[:, k], bias[k] = model.coef_[0], model.intercept_[0]
        return weights, bias

    def score(self, weights: np.ndarray, bias: np.ndarray, posts: np.ndarray) -> np.ndarray:
        """Margins (posts x categories) of the posts in `posts`."""
        return self.counts[posts] @ weights + bias


_FITTING: list[Corpus] = []  # the corpus the worker processes fit on: inherited when they fork, never pickled


def _fit(train: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return _FITTING[0].fit(train)


def fit_all(corpus: Corpus, groups: np.ndarray) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Held-out margins of every post (each group of sources scored by a model trained on the others)
    and the model trained on every post. The fits are independent, so WORKERS processes share them;
    each gives what it would alone."""
    held_out = [groups == group for group in sorted(set(groups))]
    _FITTING[:] = [corpus]
    with ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context("fork")) as pool:
        *models, whole = pool.map(_fit, [~rows for rows in held_out] + [np.ones(len(groups), dtype=bool)])
    margins = np.zeros(corpus.labels.shape)
    for rows, (weights, bias) in zip(held_out, models, strict=True):
        margins[rows] = corpus.score(weights, bias, rows)
    return margins, whole


def rule_flags(samples: list[Sample], categories: list[str]) -> np.ndarray:
    """What the rules alone flag (warnings and errors) on each post: posts x categories."""
    from postcheck.core.post import Post

    linter = rules_only()
    posts = (Post("training", s.id, s.text, s.profile) for s in samples)
    flags = np.zeros((len(samples), len(categories)), dtype=bool)
    for row, (_, findings) in enumerate(linter.check_posts(posts)):
        for finding in findings:
            if finding.severity != "info" and finding.category in categories:
                flags[row, categories.index(finding.category)] = True
    return flags


def save(path: Path, result: dict[str, Any]) -> None:
    """The weights, biases, thresholds, precision targets and inputs of a training run, as the linter loads them."""
    categories, weights, named = result["categories"], result["weights"], result["named"]
    targets = dict(zip(categories, result["precision"].tolist(), strict=True))
    rows = np.flatnonzero(np.any(weights != 0, axis=1)).astype(np.uint32)
    described = [
        {"name": name, "file": file.name, "sha256": hashlib.sha256(file.read_bytes()).hexdigest()}
        for name, file in named
    ]
    with path.open("wb") as handle:  # not compressed: loading is then a read, and start-up counts
        np.savez(
            handle,
            features=np.array(FEATURES_VERSION),
            bits=np.array(BITS),
            categories=np.array(categories),
            rows=rows,
            values=weights[rows].astype(np.float16),
            bias=result["bias"].astype(np.float32),
            thresholds=result["thresholds"].astype(np.float32),
            targets=np.array(json.dumps(targets)),
            inputs=np.array(json.dumps(described)),
        )


def train(shared: Path, precision: float, every: bool = False) -> dict[str, Any]:
    """Everything training produces and reports, from the named inputs; with `every`, for every
    category, each over the kinds of account its rules bind, not only those a learned rule asks about."""
    from postcheck.rulebook.loader import load_rulebook

    rulebook = load_rulebook()
    profiles = {rule.category: rule.profiles for rule in rulebook.rules if rule.learned}
    if every:
        for rule in rulebook.rules:
            if not any(r.learned and r.category == rule.category for r in rulebook.rules):
                profiles[rule.category] = profiles.get(rule.category, frozenset()) | rule.profiles
    categories = sorted(profiles)
    named = inputs(shared)
    samples = read_samples(named)
    labels = np.array([[c in s.labels for c in categories] for s in samples])
    applies = np.array([[s.profile in profiles.get(c, (s.profile,)) for c in categories] for s in samples])
    corpus = Corpus(featurize(samples, (1 << BITS) - 1), labels, applies, 1 << BITS)
    folds = np.array([s.source for s in samples])
    labelled = [name for name in dict.fromkeys(folds) if not name.startswith("force-")]
    groups = np.array([int(f[6:]) if f.startswith("force-") else labelled.index(f) % GROUPS for f in folds])
    held_out, (weights, bias) = fit_all(corpus, groups)
    targets = np.array([TARGETS.get(c, precision) for c in categories])
    policy = sorted(rulebook.policy.categories)
    flags = rule_flags(samples, policy)  # what the rules alone flag, in every category
    limits = thresholds(held_out, labels, applies, targets)
    return {
        "categories": categories,
        "samples": samples,
        "named": named,
        "labels": labels,
        "compliant": np.array([not s.labels for s in samples]),
        "flagged": flags.any(axis=1),  # a post some rule flagged, in any category
        "rules": flags[:, [policy.index(c) for c in categories]],
        "applies": applies,
        "folds": folds,
        "precision": targets,
        "hits": (held_out >= limits) & applies,
        "weights": weights,
        "bias": bias,
        "thresholds": limits,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="the shared folder (../shared)")
    parser.add_argument("--out", type=Path, default=WEIGHTS_FILE, help="where to write the weights")
    parser.add_argument(
        "--precision", type=float, default=0.95, help="held-out precision a threshold keeps, but for TARGETS"
    )
    parser.add_argument(
        "--every-category", action="store_true", help="score every category, not only learned rules'; write nothing"
    )
    args = parser.parse_args()
    result = train(args.shared, args.precision, args.every_category)
    if not args.every_category:
        save(args.out, result)
    counts = {name: int((result["folds"] == name).sum()) for name in dict.fromkeys(result["folds"])}
    print(f"inputs: {', '.join(f'{name} {count}' for name, count in counts.items())} ({len(result['samples'])} posts)")
    if not args.every_category:
        print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")
    print()
    from scores import category_table, force_line, source_table

    rules = result["rules"]
    print("\n".join([*category_table(result, rules), "", *source_table(result, rules), "", force_line(result, rules)]))


if __name__ == "__main__":
    main()
