"""Accuracy regression: category precision and recall on labelled posts must not slip.

`tests/corpus/paraphrase.yaml` ships with the project, and so does
`tests/corpus/train-dev.yaml`: the development part of the shared train.yaml
(240 posts by other authors, texts unchanged; the other 120 are a blind
validation part that nobody reads or tunes to). The shared development corpus is
scored too when it sits beside the checkout (as in CI), and skipped when it does
not, since an installed postcheck stands alone.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from tests.conftest import REPO

from postcheck import Post

CORPORA = {
    "paraphrase": (REPO / "tests" / "corpus" / "paraphrase.yaml", 0.95, 0.93, 0.03),
    "train-dev": (REPO / "tests" / "corpus" / "train-dev.yaml", 0.95, 0.95, 0.03),
    "development": (REPO.parent / "shared" / "corpus" / "dev.yaml", 0.95, 0.95, 0.03),
}
# Every category's recall on text by other authors, a little under what it is today (0.85 to 1.00 with
# 7 to 20 breaches each): one more miss in a category still passes, a family lost does not.
CATEGORY_RECALL_FLOOR = {"train-dev": 0.8}


def score(linter, items) -> tuple[float, float, float, Counter, Counter, Counter]:
    posts = [Post("corpus", item["id"], item["text"], item["profile"]) for item in items]
    tp, fp, fn = Counter(), Counter(), Counter()
    clean = clean_flagged = 0
    for item, (_, findings) in zip(items, linter.check_posts(posts), strict=True):
        got = {f.category for f in findings if f.severity != "info"}
        expected = set(item["expect"] or [])
        tp.update(got & expected)
        fp.update(got - expected)
        fn.update(expected - got)
        if not expected:
            clean += 1
            clean_flagged += bool(got)
    t, f, n = sum(tp.values()), sum(fp.values()), sum(fn.values())
    return t / (t + f), t / (t + n), clean_flagged / clean, tp, fp, fn


@pytest.mark.parametrize("name", sorted(CORPORA))
def test_corpus_scores_hold(linter, name):
    path, min_p, min_r, max_clean = CORPORA[name]
    if not Path(path).exists():
        pytest.skip(f"{path} is not present")
    items = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    precision, recall, clean_rate, tp, fp, fn = score(linter, items)
    detail = f"P={precision:.3f} R={recall:.3f} clean-flagged={clean_rate:.1%} fp={dict(fp)} fn={dict(fn)}"
    assert precision >= min_p and recall >= min_r and clean_rate <= max_clean, detail
    floor = CATEGORY_RECALL_FLOOR.get(name, 0.0)
    weak = {c: round(tp[c] / (tp[c] + fn[c]), 2) for c in tp | fn if tp[c] / (tp[c] + fn[c]) < floor}
    assert not weak, f"categories below recall {floor}: {weak}"


def test_cached_lemma_table_gives_the_same_findings(tmp_path, monkeypatch, rulebook):
    from postcheck import Linter

    monkeypatch.setenv("POSTCHECK_CACHE_DIR", str(tmp_path))
    first = Linter(rulebook)  # full table; writes the reduced one
    assert list(tmp_path.glob("lemmas-*.json"))
    second = Linter(rulebook)  # reads the reduced table
    items = yaml.safe_load(CORPORA["paraphrase"][0].read_text(encoding="utf-8"))
    for item in items:
        assert first.check(item["text"], item["profile"]) == second.check(item["text"], item["profile"]), item["id"]


def test_remembered_regexes_give_the_same_rulebook(tmp_path, monkeypatch):
    from postcheck import load_rulebook
    from postcheck.rulebook.expressions import leaves

    def prechecks(rulebook):
        return [
            (p.source, p.literals, p.shapes, p.further, p.safe_length)
            for r in rulebook.rules
            for leaf in leaves(r.match)
            for p in leaf.compiled
        ]

    monkeypatch.setenv("POSTCHECK_CACHE_DIR", str(tmp_path))
    fresh = load_rulebook()
    [memory] = tmp_path.glob("regexes-*.json")
    remembered = load_rulebook()
    assert prechecks(remembered) == prechecks(fresh)
    memory.write_text('{"compiles": 3, "prechecks": [', encoding="utf-8")  # damaged: analysed afresh
    assert prechecks(load_rulebook()) == prechecks(fresh)


def test_a_remembered_regex_is_still_checked_for_nested_quantifiers(tmp_path, monkeypatch, rules_dir):
    from tests.conftest import rule_yaml

    from postcheck import PostcheckError, load_rulebook

    monkeypatch.setenv("POSTCHECK_CACHE_DIR", str(tmp_path))
    (rules_dir / "tone.yaml").write_text(rule_yaml("      regex: '(a+)+b'"), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(PostcheckError, match="nests unbounded quantifiers"):
            load_rulebook((rules_dir,), include_bundled=False)


def test_the_cache_keeps_only_the_newest_files_of_each_kind(tmp_path):
    import os

    from postcheck.rulebook.cache import KEEP, write_json

    for n in range(KEEP + 3):
        write_json(tmp_path / f"lemmas-{n}.json", {})
        os.utime(tmp_path / f"lemmas-{n}.json", (n, n))
    write_json(tmp_path / "regexes-a.json", {})
    assert sorted(p.name for p in tmp_path.glob("lemmas-*.json")) == sorted(
        f"lemmas-{n}.json" for n in range(3, KEEP + 3)
    )
    assert (tmp_path / "regexes-a.json").exists()


def test_a_pipeline_with_batching_components_gives_the_same_findings(linter, rulebook):
    """Components with a `pipe` method (a trained model's) go through `nlp.pipe`; the default
    pipeline's plain functions are called directly. Both routes must agree."""
    from postcheck import Linter, Post
    from postcheck.engine.pipeline import build_pipeline

    nlp = build_pipeline()
    nlp.add_pipe("sentencizer", first=True)  # a component with `pipe`
    batched = Linter(rulebook, nlp)
    items = yaml.safe_load(CORPORA["paraphrase"][0].read_text(encoding="utf-8"))[:120]
    posts = [Post("t", item["id"], item["text"], item["profile"]) for item in items]
    assert [f for _, f in batched.check_posts(posts)] == [f for _, f in linter.check_posts(posts)]
