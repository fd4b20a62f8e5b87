"""What start-up keeps between runs and skips: parsed rule files, term tokens, the collector's passes.
None of it may change a verdict: each cache is checked against what it replaces."""

from __future__ import annotations

import gc
import json
import os
import shutil
import subprocess
import sys
import time
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.matcher import PhraseMatcher
from tests.conftest import REPO, rule_yaml

from postcheck import Linter, Post, PostcheckError, load_rulebook
from postcheck.core import yamlfile
from postcheck.engine import prefilter, prefiltercache
from postcheck.engine.collector import CHECKING_THRESHOLD
from postcheck.engine.normalize import normalize
from postcheck.engine.phrases import PhraseIndex
from postcheck.engine.tokens import PostTokens
from postcheck.rulebook import cache, parsed

WORDS = ["Greggs", "greggs", "best", "pies", "in", "town", "vote", "Labour", "can't", "nicked", "🚔", "#ad", "-", "."]


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("POSTCHECK_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _phrase_matcher_spans(nlp, terms, text, attr):
    matcher = PhraseMatcher(nlp.vocab, attr=attr)
    annotate = nlp.get_pipe("postcheck_annotator")
    docs = [nlp.make_doc(normalize(term).text) for term in terms]
    matcher.add("k", [annotate(doc) for doc in docs] if attr == "LEMMA" else docs)
    doc = nlp(text)
    return sorted((start, end) for _, start, end in matcher(doc))


@settings(max_examples=60, deadline=None)
@given(
    terms=st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join), min_size=1, max_size=6),
    words=st.lists(st.sampled_from(WORDS), max_size=25),
    attr=st.sampled_from(["LOWER", "LEMMA", "ORTH"]),
)
def test_the_phrase_index_finds_what_spacys_phrase_matcher_finds(linter, terms, words, attr):
    text = " ".join(words)
    nlp = linter.nlp
    annotate = nlp.get_pipe("postcheck_annotator")
    sequences = []
    for term in terms:
        doc = annotate(nlp.make_doc(normalize(term).text))
        values = {"LOWER": [t.lower_ for t in doc], "LEMMA": [t.lemma_ for t in doc], "ORTH": [t.text for t in doc]}
        sequences.append(tuple(values[attr]))
    index = PhraseIndex()
    index.add("k", sequences)
    found: dict[str, list[tuple[int, int]]] = defaultdict(list)
    tokens = PostTokens(nlp(text), text)
    index.find(tokens.values(attr), found)
    assert sorted(found["k"]) == _phrase_matcher_spans(nlp, terms, text, attr)


@pytest.fixture
def small_rules(rules_dir):
    """The policy and one rule: what the rule-file cache keeps, without the cost of the whole rulebook."""
    (rules_dir / "tone.yaml").write_text(rule_yaml("      phrase: [you muppet]\n"), encoding="utf-8")
    return (rules_dir,)


def test_parsed_rule_files_are_kept_and_used(own_cache, monkeypatch, small_rules):
    first = load_rulebook(small_rules, include_bundled=False)
    assert list(own_cache.glob("rulebook-*.json"))

    def no_parsing(text, path):
        raise AssertionError(f"{path} was parsed again")

    monkeypatch.setattr(parsed, "parse_yaml", no_parsing)
    again = load_rulebook(small_rules, include_bundled=False)
    assert again == first
    assert [r.line for r in again.rules] == [r.line for r in first.rules]


def test_an_edited_rule_file_is_parsed_afresh(own_cache, small_rules):
    load_rulebook(small_rules, include_bundled=False)
    tone = small_rules[0] / "tone.yaml"
    tone.write_text(tone.read_text(encoding="utf-8").replace("severity: error", "severity: fatal", 1), "utf-8")
    with pytest.raises(PostcheckError, match="severity"):
        load_rulebook(small_rules, include_bundled=False)


def test_a_damaged_cache_is_rebuilt(own_cache, small_rules):
    first = load_rulebook(small_rules, include_bundled=False)
    damaged = list(own_cache.glob("rulebook-*.json"))
    assert damaged
    for path in damaged:
        path.write_text('[{"line": "x"}]', encoding="utf-8")
    assert load_rulebook(small_rules, include_bundled=False) == first


def test_a_sealed_cache_that_holds_no_mappings_is_parsed_afresh(own_cache, small_rules):
    """A cache file sealed by this user but not what this code writes (a stored mapping whose lines are
    not numbers or not a pair, one stored mapping too few) is not used."""
    first = load_rulebook(small_rules, include_bundled=False)
    [stored] = own_cache.glob("rulebook-*.json")
    count = len(cache.read_json(stored))
    for lines, stored_count in ((["x", {}], count), (5, count), ([1, {}], count - 1)):
        damaged = [{"rules": [], "\0": lines}] * stored_count
        cache.write_json(stored, damaged)
        assert load_rulebook(small_rules, include_bundled=False) == first


@pytest.mark.parametrize("text", ["when: 2026-05-01\n", '"\\0": 1\n'])
def test_a_value_json_cannot_hold_leaves_the_run_uncached(text):
    data = yamlfile.parse_yaml(text, "x.yaml")
    with pytest.raises(parsed._Unstorable):
        parsed._encode(data)


def test_term_tokens_are_kept_and_give_the_same_findings(own_cache, rulebook):
    text = "Vote Labour on Thursday! We love Greggs, best pies in town. Another pensioner scammed 😂"
    fresh = Linter(rulebook)
    assert list(own_cache.glob("phrases-*.json"))
    cached = Linter(rulebook)

    def no_tokenising(*args):
        raise AssertionError("terms were tokenised again")

    assert cached.matchers._sequences._known  # read back from the cache
    cached.matchers._sequences._tokenise = no_tokenising
    assert cached.check(text, "both") == fresh.check(text, "both")


PREFILTER_TEXTS = [
    "Vote Labour on Thursday! We love Greggs, best pies in town. Another pensioner scammed 😂",
    "Briefing at 5am, then we're putting the door in at 12 Church Lane. Watch this space 👀 #OpNightjar",
    "Missing: Daniel, 14, from Yarm, last seen on the A19 at 6pm. Call 999 quoting log 12345.",
]


def test_the_prefilter_tables_are_kept_and_let_the_same_alternatives_through(own_cache, rulebook, monkeypatch):
    fresh = Linter(rulebook).matchers
    assert list(own_cache.glob("prefilter-*.json"))

    def no_working_out(alternatives):
        raise AssertionError("the pre-filter's tables were worked out again")

    monkeypatch.setattr(prefiltercache, "tables", no_working_out)
    cached = Linter(rulebook).matchers
    for text in PREFILTER_TEXTS:
        assert cached._prefilter.passing(text) == fresh._prefilter.passing(text)
    worked_out = prefilter.tables(fresh._alternatives)
    stored = json.loads(json.dumps(prefiltercache._encode(worked_out)))
    assert prefiltercache._decode(stored, len(fresh._alternatives)) == worked_out


@pytest.mark.parametrize(
    "damage",
    [
        lambda stored: {**stored, "sets": [[10**6]] * len(stored["sets"])},  # a position past the alternatives
        lambda stored: {**stored, "sets": [["0"]] * len(stored["sets"])},
        lambda stored: {**stored, "words": dict.fromkeys(stored["words"], len(stored["sets"]))},  # no such set
        lambda stored: {**stored, "checks": [[0, [1], []]]},
        lambda stored: {key: value for key, value in stored.items() if key != "marked"},
    ],
)
def test_a_sealed_prefilter_cache_that_holds_other_tables_is_worked_out_again(own_cache, rulebook, damage):
    """A cache file sealed by this user but not what this code writes for these alternatives is not used."""
    fresh = Linter(rulebook).matchers
    [stored] = own_cache.glob("prefilter-*.json")
    cache.write_json(stored, damage(cache.read_json(stored)))
    again = Linter(rulebook).matchers
    for text in PREFILTER_TEXTS:
        assert again._prefilter.passing(text) == fresh._prefilter.passing(text)


POSTCHECK = shutil.which("postcheck") or os.path.join(os.path.dirname(sys.executable), "postcheck")


@pytest.mark.parametrize("args", [["examples/compliant-corporate.txt"], ["rules", "--format", "json"]])
def test_the_command_pauses_the_collector_only_while_it_loads(args):
    code = (
        "import gc, sys\n"
        "from postcheck.cli.app import main\n"
        "sys.argv = ['postcheck', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(gc.isenabled(), gc.get_freeze_count() > 0, gc.get_threshold()[0] > 700, file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=REPO)
    assert result.stderr.split()[-3:] == ["True", "True", "True"], result.stderr


def test_the_console_entry_point_pauses_the_collector_before_importing_the_command_line():
    """The command line's modules, typer and rich create objects that live as long as the process; a
    collector pass while they are imported only walks them."""
    code = (
        "import gc, sys\n"
        "import postcheck.cli\n"
        "during = []\n"
        "imported = lambda: hasattr(sys.modules.get('postcheck.cli.app'), 'main')\n"
        "gc.callbacks.append(lambda phase, info: during.append(imported()))\n"
        "sys.argv = ['postcheck', '--version']\n"
        "try:\n    postcheck.cli.main()\nexcept SystemExit:\n    pass\n"
        "print(all(during), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.stderr.split()[-1:] == ["True"], result.stderr


# Runs the console entry point with an exit hook that says whether the interpreter's teardown ran.
_ENDING = """
import atexit, sys
from postcheck.cli import main
atexit.register(lambda: print("torn down", file=sys.stderr))
sys.argv = ["postcheck", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize(
    ("args", "status", "torn_down"),
    [
        (["--format", "json", "examples/queue.jsonl"], 1, False),
        (["--format", "json", "examples/queue.jsonl", "no-such-queue.jsonl"], 2, False),
        (["--format", "json", "--exit-zero", "examples/queue.jsonl"], 0, False),
        (["rules", "--format", "json"], 0, True),
    ],
)
def test_a_check_ends_once_its_report_is_flushed_without_the_teardown(args, status, torn_down):
    """Tearing the interpreter down after a check only freed, one by one, the objects loading made;
    the report must still be whole and the exit status the check's. Other commands exit as usual."""
    result = subprocess.run([sys.executable, "-c", _ENDING, *args], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == status, result.stderr
    assert json.loads(result.stdout)
    assert ("torn down" in result.stderr) is torn_down


def test_a_library_user_keeps_the_collector_running():
    code = "import gc, postcheck; postcheck.Linter().check('Vote Labour'); print(gc.isenabled())"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert json.loads(result.stdout.strip().lower()) is True


def test_compiling_a_rule_regex_on_first_use_is_not_counted_as_the_posts_time(linter, monkeypatch):
    """On a busy machine a draft's first check compiles dozens of patterns; that must not use up the
    post's time for searching and leave it 'not fully checked' (exit 2 under pre-commit)."""
    from postcheck.rulebook import expressions

    compiled = expressions.LazyPattern.compiled

    def slow_to_compile(self):
        time.sleep(0.02)
        return compiled.fget(self)

    monkeypatch.setattr(expressions.LazyPattern, "compiled", property(slow_to_compile))
    text = " ".join(
        [
            "UPDATE: Officers from our Redcar team arrested two men on Linthorpe Road last night after reports",
            "of a burglary. Anyone with information can call 101 quoting log 82604 or message @ClevelandPolice.",
            "Thanks to everyone who came forward, and to Mrs Jones of Acklam Road for the footage. #Redcar",
        ]
        * 3
    )
    [(post, findings)] = linter.check_posts([Post("q.jsonl", "q1", text, line=1)])
    assert post.problems == []
    assert findings


@pytest.mark.parametrize(("caller", "while_checking"), [(700, CHECKING_THRESHOLD), (0, 0), (10**6, 10**6)])
def test_a_library_user_gets_their_collector_threshold_back_after_a_check(linter, monkeypatch, caller, while_checking):
    """The Linter collects less often only while it checks, and the caller's thresholds come back after;
    a caller who switched automatic collection off (0), or collects less often still, is left alone."""
    seen = []
    run = linter.matchers.run
    monkeypatch.setattr(linter.matchers, "run", lambda tokens: seen.append(gc.get_threshold()) or run(tokens))
    before = gc.get_threshold()
    gc.set_threshold(caller, *before[1:])
    try:
        linter.check("Vote Labour on Thursday!")
        after = gc.get_threshold()
    finally:
        gc.set_threshold(*before)
    assert after == (caller, *before[1:])
    assert seen == [(while_checking, *before[1:])]
