"""Hostile content against the engine: bounded tokenizer work, flat memory, limits that are reported, disguises.

Nothing here is timed (bench/hostile.py measures the time per post); these tests check that
each bound exists and what happens when a post reaches it.
"""

from __future__ import annotations

import json
import random
import time

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from postcheck import Linter, Post
from postcheck.cli.app import app
from postcheck.engine import guarded_tokenizer
from postcheck.engine.guarded_tokenizer import CHUNK, GuardedTokenizer
from postcheck.engine.linter import BATCH_SIZE, WARM_UP
from postcheck.rulebook.detectors import MAX_NUMBERS

BLANK = spacy.blank("en")


class Spy:
    """spaCy's tokenizer, recording every text it is given."""

    def __init__(self):
        self.inner = BLANK.tokenizer
        self.vocab = BLANK.vocab
        self.seen: list[str] = []

    def __call__(self, text):
        self.seen.append(text)
        return self.inner(text)


HOSTILE_PIECES = ["!", "😂", "'", "(", "#", "a", "1", " ", "\n", "\u0301", "\u200d", "🇬🇧", ":)", "vote "]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(HOSTILE_PIECES), st.integers(1, 300)), max_size=6))
def test_the_tokenizer_guard_gives_spacy_only_bounded_pieces_and_keeps_every_offset(runs):
    text = "".join(piece * count for piece, count in runs)
    spy = Spy()
    doc = GuardedTokenizer(spy, spy.vocab)(text)
    assert doc.text == text
    for token in doc:
        assert text[token.idx : token.idx + len(token)] == token.text
    for piece in spy.seen:
        assert not guarded_tokenizer._RUN.search(piece)
        assert max(map(len, piece.split()), default=0) <= CHUNK


SPANS = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 20)).map(lambda t: (t[0], t[0] + t[1])), max_size=12)


@settings(max_examples=150, deadline=None)
@given(SPANS, SPANS)
def test_a_findings_cues_are_the_hits_inside_its_spans_found_without_testing_every_pair(spans, hit_list):
    # Thousands of "(" gave thousands of hits and spans; testing each hit against each span took minutes.
    from postcheck.engine.cues import Cues
    from postcheck.engine.matchers import Candidates, PostHits

    hits = PostHits(None, {"k": hit_list}, Candidates(), {})  # type: ignore[arg-type]
    inside = {h for h in hit_list if any(a <= h[0] and h[1] <= b for a, b in spans)}
    expected: list[list[int]] = []  # the hits inside a span (or else the spans), overlaps merged
    for a, b in sorted(inside or spans):
        if expected and a <= expected[-1][1]:
            expected[-1][1] = max(b, expected[-1][1])
        else:
            expected.append([a, b])
    assert Cues(hits).of(("k",), spans) == [tuple(span) for span in expected]


class ReadCount(list):
    """A list that counts the passes made over it."""

    passes = 0

    def __iter__(self):
        self.passes += 1
        return super().__iter__()


def test_a_findings_spans_are_read_a_few_times_not_once_for_each_hit():
    from postcheck.engine.cues import Cues
    from postcheck.engine.matchers import Candidates, PostHits

    spans = ReadCount((i, i + 1) for i in range(0, 4000, 2))  # as thousands of "(" make them
    merged = Cues(PostHits(None, {"k": list(spans)}, Candidates(), {})).of(("k",), spans)  # type: ignore[arg-type]
    assert len(merged) == 2000 and spans.passes <= 3


def test_a_long_run_of_one_mark_becomes_one_token_per_mark_as_spacy_would_make_it():
    doc = GuardedTokenizer(BLANK.tokenizer, BLANK.vocab)("Stop" + "!" * 20_000 + " now")
    assert [t.text for t in doc][:3] == ["Stop", "!", "!"] and len(doc) == 20_002
    assert doc[-1].text == "now" and doc[-2].whitespace_ == " "


def test_the_linter_pipeline_tokenizes_through_the_guard(linter):
    assert isinstance(linter.nlp.tokenizer, GuardedTokenizer)


def test_posts_without_hostile_runs_are_tokenized_exactly_as_spacy_does():
    spy = Spy()
    text = "We're appealing for witnesses!! Call 101 quoting 2345, or visit https://cleveland.police.uk/report."
    doc = GuardedTokenizer(spy, spy.vocab)(text)
    assert spy.seen == [text] and [t.text for t in doc] == [t.text for t in spy.inner(text)]


@pytest.fixture(scope="module")
def fresh_linter(rulebook):
    """A Linter of its own: these tests count the posts it has checked."""
    return Linter(rulebook)


def test_memory_stays_flat_however_many_unique_words_a_queue_holds(fresh_linter):
    linter = fresh_linter
    strings = linter.nlp.vocab.strings

    def posts(start, count):
        return (
            Post("q", f"p{i}", f"Lovely day in Redcar #{i}x{i * 7919} @user{i}") for i in range(start, start + count)
        )

    list(linter.check_posts(posts(0, WARM_UP + BATCH_SIZE)))
    after_warm_up = len(strings)
    list(linter.check_posts(posts(WARM_UP + BATCH_SIZE, 4 * BATCH_SIZE)))
    assert len(strings) - after_warm_up < 50, "each post's unique words stayed in spaCy's string store"


def test_a_pipeline_that_has_met_many_new_words_is_built_again_and_finds_the_same(rulebook, monkeypatch):
    from postcheck.engine import linter as engine

    monkeypatch.setattr(engine, "RENEW_AFTER", 300)  # spaCy's hash tables keep a slot for every word ever met
    linter = Linter(rulebook)
    first = linter.nlp
    words = ["".join(chr(97 + (i // 26**k) % 26) for k in range(4)) for i in range(600)]  # aaaa, baaa, ...
    texts = [f"Vote Labour on Thursday #{word}" for word in words]
    before = [[f.rule for f in linter.check(text)] for text in texts]  # check() never renews: the first pipeline
    results = list(linter.check_posts(Post("q", f"p{i}", text) for i, text in enumerate(texts)))
    assert linter.nlp is not first, "the pipeline was never built again"
    assert [[f.rule for f in findings] for _, findings in results] == before
    assert all("political.voting-advice" in rules for rules in before)


def test_findings_outlive_the_memory_zone_they_were_made_in(fresh_linter):
    posts = [Post("q", f"p{i}", f"Vote Labour on Thursday #{i}zz") for i in range(BATCH_SIZE + 1)]
    results = list(fresh_linter.check_posts(posts))
    last_post, findings = results[-1]
    assert {f.rule for f in findings} >= {"political.voting-advice"}
    assert all(last_post.text[f.start : f.end] == f.match for f in findings)


def test_a_rule_pattern_that_runs_out_of_time_marks_the_post_not_fully_checked(linter, monkeypatch):
    from postcheck.rulebook import expressions

    def too_slow(self, text, timeout=None):
        if timeout is not None:
            started = time.thread_time()
            while time.thread_time() - started < timeout:  # busy for its whole allowance, as a runaway search is
                pass
            raise TimeoutError("regex timed out")
        return iter(())

    class Slow:
        finditer = too_slow

    monkeypatch.setattr(expressions.LazyPattern, "compiled", property(lambda self: Slow()))
    text = "Our drugs team will be executing warrants on the High Street at 6am tomorrow. " * 400
    [(post, _)] = linter.check_posts([Post("q.jsonl", "q1", text, line=1)])
    assert post.problems and all(p.level == "error" for p in post.problems)
    assert "not fully checked" in post.problems[0].message and "could not finish" in post.problems[0].message


def test_a_pattern_starved_by_a_busy_machine_is_searched_again_not_given_up(linter, monkeypatch):
    from postcheck.rulebook import expressions

    compiled = expressions.LazyPattern.compiled
    starved: list[str] = []

    class Starved:  # its first timed search times out at once, as when other processes had the processor
        def __init__(self, pattern):
            self.pattern = pattern

        def finditer(self, text, timeout=None):
            if timeout is not None and self.pattern.pattern not in starved:
                starved.append(self.pattern.pattern)
                raise TimeoutError("regex timed out")
            return self.pattern.finditer(text, timeout=timeout)

    text = "Our drugs team will be executing warrants on the High Street at 6am tomorrow. " * 40
    expected = {f.rule for f in linter.check(text)}
    monkeypatch.setattr(expressions.LazyPattern, "compiled", property(lambda self: Starved(compiled.fget(self))))
    [(post, findings)] = linter.check_posts([Post("q.jsonl", "q1", text, line=1)])
    assert starved, "no timed search was made"
    assert not post.problems
    assert {f.rule for f in findings} == expected


def test_a_post_past_the_time_limit_fails_the_gate_with_exit_2(linter, monkeypatch, tmp_path):
    from postcheck.engine import matchers

    monkeypatch.setattr(matchers, "REGEX_BUDGET_SECONDS", 0.0)  # as if earlier rules had used up the post's time
    queue = tmp_path / "q.jsonl"
    text = "Our drugs team will be executing warrants on the High Street at 6am tomorrow. " * 400
    queue.write_text(json.dumps({"id": "q1", "text": text}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["--format", "json", str(queue)])
    report = json.loads(result.stdout)
    assert result.exit_code == 2, result.output
    assert report["posts"][0]["problems"][0]["level"] == "error"
    assert report["summary"]["problems"] >= 1


def test_too_many_phone_numbers_are_checked_up_to_the_limit_and_reported(linter):
    rng = random.Random(4)
    numbers = " ".join(f"07{rng.randint(100, 999)} {rng.randint(100000, 999999)}" for _ in range(MAX_NUMBERS + 50))
    [(post, findings)] = linter.check_posts([Post("q", "q1", f"Ring me on {numbers}", line=1)])
    assert any(f.category == "personal-data" for f in findings)
    assert any(f"more than {MAX_NUMBERS} numbers" in p.message for p in post.problems)


def test_a_post_that_trips_a_bug_is_its_own_error_and_the_report_stays_whole(monkeypatch, tmp_path):
    from postcheck.engine.linter import Linter as EngineLinter

    findings = EngineLinter._findings

    def fragile(self, norm, *rest):
        if "TRIGGER" in norm.text:
            raise IndexError("a bug this post's content reaches")
        return findings(self, norm, *rest)

    monkeypatch.setattr(EngineLinter, "_findings", fragile)
    records = [{"id": "a", "text": "Vote Labour!"}, {"id": "b", "text": "TRIGGER"}, {"id": "c", "text": "Vote Labour!"}]
    queue = tmp_path / "q.jsonl"
    queue.write_text("".join(json.dumps({**r, "profile": "corporate"}) + "\n" for r in records), encoding="utf-8")
    result = CliRunner().invoke(app, ["--format", "json", str(queue)])
    report = json.loads(result.stdout)
    assert result.exit_code == 2 and [p["id"] for p in report["posts"]] == ["a", "b", "c"]
    assert "please report this bug" in report["posts"][1]["error"]
    assert report["posts"][0]["findings"] and report["posts"][2]["findings"]


def test_the_warm_up_posts_chunks_are_split_alone_too_and_every_post_is_tokenised_as_spacy_does(rulebook, monkeypatch):
    from postcheck.engine import linter as engine

    monkeypatch.setattr(engine, "WARM_UP", 2)
    linter = Linter(rulebook)
    inner, split = linter.nlp.tokenizer, []
    monkeypatch.setattr(linter.nlp, "tokenizer", lambda text: split.append(text) or inner(text))
    warm_up = ["We're on Acklam Road tomorrow, 6am sharp!", "Don't park on Church Lane, Yarm."]
    list(linter.check_posts(Post("q", f"w{i}", text) for i, text in enumerate(warm_up)))
    # The chunks after a contraction, which spaCy does not keep when it splits the whole post.
    assert {"Acklam", "tomorrow,", "Lane,", "Yarm."} <= set(split)
    spacy_alone = spacy.blank("en").tokenizer
    later = [*warm_up, "We're back on Acklam Road at 1am, Yarm. tomorrow, ref 4411"]
    with linter.nlp.memory_zone():
        for text in later:
            assert [(t.text, t.whitespace_) for t in linter.nlp.make_doc(text)] == [
                (t.text, t.whitespace_) for t in spacy_alone(text)
            ]
