"""The work-saving steps before and around rule regex searches change nothing a search finds:
first-character guards (`rulebook/firstchars.py`) and literals looked for with their word boundaries
(`engine/prefilter.py`)."""

from __future__ import annotations

import re

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.test_properties import ALTERNATIVES

from postcheck.engine.prefilter import Prefilter
from postcheck.rulebook.firstchars import first_char_guard
from postcheck.rulebook.grouping import characters, split_alternatives
from postcheck.rulebook.literals import prechecks
from postcheck.rulebook.posttext import shape
from postcheck.rulebook.regexmemory import LazyPattern
from postcheck.rulebook.skeleton import skeleton_guard
from postcheck.rulebook.sre import reads_otherwise


@pytest.mark.parametrize(
    ("source", "guard"),
    [
        # A lookbehind or a negative lookahead first: what a match can begin with, case as the pattern says.
        (r"(?<!\bPC\s)(?-i:\b[A-Z][a-z]+)", "(?-i:(?=[ABCDEFGHIJKLMNOPQRSTUVWXYZ]))"),
        (r"(?!\bthe\b)\b#\w+", r"(?-i:(?=[\#]))"),
        (r"(?<!-)\bdoors?\s+in", r"(?-i:(?=[\w]))"),  # case-folded letters reach past ASCII: any word character
        # Patterns that already fail fast, may match the empty string or start with any symbol: none.
        (r"\bcharged\b", ""),
        (r"(?-i:\b(?=[A-Z])(?!Monday)[A-Z]\w+)", ""),
        (r"(?<!x)a*", ""),
        (r"(?<!x).", ""),
        (r"(?<!x)[[:alpha:]]", ""),
        # A class read otherwise by the two parsers anywhere in the pattern (a POSIX class inside a set): none;
        # a class that only opens with a colon reads alike, and leaves the guard.
        (r"(?<!x)a[b[:digit:]]", ""),
        (r"(?<!x)(?-i:\b[A-Z][a-z]+)(?!\s*[:.]\d)", "(?-i:(?=[ABCDEFGHIJKLMNOPQRSTUVWXYZ]))"),
        (r"(?<!x)(?-i:\b[A-Z][a-z]+)(?!\s*[^]:.]\d)", "(?-i:(?=[ABCDEFGHIJKLMNOPQRSTUVWXYZ]))"),
    ],
)
def test_a_guard_names_the_characters_a_match_can_begin_with(source, guard):
    assert first_char_guard(source) == guard


GUARDED = [(source, pattern) for source, (_, pattern) in ALTERNATIVES if pattern.guard]


def test_the_rulebook_has_guarded_alternatives():
    assert GUARDED


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_guarded_alternative_finds_what_it_finds_unguarded(data):
    source, pattern = data.draw(st.sampled_from(GUARDED))
    match = data.draw(st.from_regex(re.compile(source, re.IGNORECASE)))
    text = data.draw(st.text(max_size=20)) + match + data.draw(st.text(max_size=20))
    unguarded = regex.compile(source, regex.IGNORECASE)
    assert [m.span() for m in pattern.compiled.finditer(text)] == [m.span() for m in unguarded.finditer(text)]


_NOT_NAMES = r"(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)"


@pytest.mark.parametrize(
    ("source", "guard"),
    [
        # Mostly lookarounds: the skeleton is the pattern without them.
        (rf"(?-i:\b(?=[A-Z]){_NOT_NAMES}[A-Z][a-z]+)", r"(?=(?:(?-i:\b[A-Z][a-z]+)))"),
        (rf"(?<!\bPC\s){_NOT_NAMES}[(?=!]\w+", r"(?=(?:[(?=!]\w+))"),  # a class holds no lookaround
        # Lookarounds a small part of the pattern: none.
        (r"\bcharged\s+with\s+(?:burglary|robbery|assault|theft)\b(?!\s+of)", ""),
        # Where taking a lookaround out could undo more than it: none.
        (rf"(\w){_NOT_NAMES}\1", ""),  # a backreference
        (rf"(?>[A-Z]){_NOT_NAMES}", ""),  # an atomic group
        (rf"[A-Z]++{_NOT_NAMES}", ""),  # a possessive quantifier
        (rf"[A-Z]{_NOT_NAMES}?", ""),  # a quantified lookaround
        (rf"(?x)[A-Z]{_NOT_NAMES}", ""),  # verbose mode
    ],
)
def test_a_skeleton_guard_is_the_pattern_without_its_lookarounds(source, guard):
    assert skeleton_guard(source) == guard


SKELETONS = [(source, pattern) for source, pattern in GUARDED if "(?=(?:" in pattern.guard]


def test_the_name_patterns_have_skeleton_guards():
    assert any("Monday|Tuesday" in source for source, _ in SKELETONS)


def test_a_skeleton_guard_changes_no_match_on_the_rules_examples():
    from postcheck import load_rulebook

    texts = [each.text for rule in load_rulebook().rules for each in (*rule.flag_examples, *rule.pass_examples)]
    for source, pattern in SKELETONS:
        unguarded = regex.compile(source, regex.IGNORECASE)
        for text in texts:
            assert [m.span() for m in pattern.compiled.finditer(text)] == [m.span() for m in unguarded.finditer(text)]


# The words the name patterns turn on (listed non-names, names, ranks, streets, schools, links), to build posts from:
# generating from the patterns themselves filters out nearly every text their lookarounds refuse.
_PIECES = [
    *("Monday", "Police", "The", "Road", "Street", "St", "Primary", "School", "PC", "Sgt", "Mr", "Dr"),
    *("Jade", "Walker", "Aisha", "Khan", "Greggs", "of", "from", "at", "who lives on", "works at", "aged", "our"),
    *("12", "14b", "15", "year 6", ",", ".", "(", ")", "'s", "-", "\n", "@", "#", " ", " ", " "),
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_skeleton_guarded_alternative_finds_what_it_finds_unguarded(data):
    source, pattern = data.draw(st.sampled_from(SKELETONS))
    text = "".join(data.draw(st.lists(st.sampled_from(_PIECES), max_size=40)))
    unguarded = regex.compile(source, regex.IGNORECASE)
    assert [m.span() for m in pattern.compiled.finditer(text)] == [m.span() for m in unguarded.finditer(text)]


@pytest.mark.parametrize(
    ("source", "text", "passes"),
    [
        (r"\bhe\s+said", "the said", False),  # "he" inside "the" has no boundary before it
        (r"\bhe\s+said", "He said", True),
        (r"said\s+he\b", "said hence", False),
        (r"said\s+he\b", "said he.", True),
        (r"\be-mail\s+us", "re-mail us", False),  # the literal's own boundaries, with one before it
        (r"\be-mail\s+us", "E-mail us", True),
        (r"\bhe\s+said", "\x01he said", True),  # the boundary mark in a post is still a non-word character
        (r"\bhe\s+said", "t\x01he said", True),
        (r"\bhé\s+said", "thé said", False),  # word characters outside ASCII
        (r"\bhé\s+said", "-hé said", True),
        # A literal that needs no boundary is found inside words and across their boundaries too.
        (r"burgl\w*", "Reburglarised", True),
        (r"n's\s+car", "John's car", True),
        (r"n's\s+car", "Johns car", False),
    ],
)
def test_a_literal_counts_only_with_the_word_boundaries_it_needs(source, text, passes):
    pattern = LazyPattern(source, *prechecks(source))
    assert (0 in Prefilter([pattern]).passing(text)) is passes
    assert bool(regex.search(source, text, regex.IGNORECASE)) is passes


@pytest.mark.parametrize(
    ("source", "literals"),
    [
        # A literal run goes on through spaces and through choices of fixed strings.
        (r"(?:from|off)\s+the\b", {"from the\x01", "off the\x01"}),
        (r"\bthank(?:'|\u2019)s\b", {"\x01thank's\x01", "\x01thank\u2019s\x01"}),
        (r"\bbest\s+in\s+town\b", {"\x01best in town\x01"}),
        # It stops at anything else, and a run that ends in spaces ends at a word boundary.
        (r"\bonly\s+(?:one|\d+)\s+cars?", {"\x01only\x01"}),
    ],
)
def test_literals_run_through_spaces_and_choices_of_fixed_strings(source, literals):
    assert prechecks(source)[0] == literals


@pytest.mark.parametrize(
    ("text", "passes"),
    [
        ("Back from the gym", True),
        ("Back FROM\n\t the gym", True),  # any run of spaces, as `\s+` matches it
        ("from\u00a0the gym", True),
        ("off to the gym", False),  # "off" and "the" are both there, but not one after the other
        ("fromthe gym", False),
    ],
)
def test_a_literal_with_spaces_is_found_wherever_spaces_separate_its_words(text, passes):
    source = r"\b(?:from|off)\s+the\s+gym\b"
    pattern = LazyPattern(source, *prechecks(source))
    assert (0 in Prefilter([pattern]).passing(text)) is passes
    assert bool(regex.search(source, text, regex.IGNORECASE)) is passes


@pytest.mark.parametrize(
    ("pattern", "pieces"),
    [
        (r"\bone\b|two|(?:three|four)", [r"\bone\b", "two", "(?:three|four)"]),
        (r"[|]a|b", ["[|]a", "b"]),
        (r"[]|]a|b", ["[]|]a", "b"]),
        (r"[^]|]a|b", ["[^]|]a", "b"]),  # a "]" first after "^" is a member too
        (r"a\|b|c", [r"a\|b", "c"]),
        (r"(?i)a|b", ["(?i)a|b"]),  # a global flag keeps the pattern whole
    ],
)
def test_alternatives_split_only_at_the_top_level(pattern, pieces):
    assert split_alternatives(pattern) == pieces


_SHAPE_CHARS = "Aa0 -'!?@#(),.%:/"


@settings(max_examples=200, deadline=None)
@given(
    shapes=st.lists(
        st.frozensets(st.text(_SHAPE_CHARS, min_size=2, max_size=4), min_size=1, max_size=4), min_size=1, max_size=6
    ),
    text=st.text("aB1 -'!?@#(),.%:/\u00e9\u0663😂", max_size=40),
)
def test_an_alternative_passes_its_shape_check_when_the_post_s_shape_holds_one_of_its_shapes(shapes, text):
    alternatives = [LazyPattern(f"x{i}", None, required) for i, required in enumerate(shapes)]
    expected = {i for i, required in enumerate(shapes) if any(each in shape(text) for each in required)}
    assert Prefilter(alternatives).passing(text) == expected


@pytest.mark.parametrize(
    ("pattern", "inside"),
    [
        (r"a[b(]c", "b(]"),
        (r"[]x]|y", "x]"),  # a "]" first in a class is a member (passed over), not its end
        (r"[^]x]", "x]"),
        (r"\[a]", ""),  # escaped: no class
        (r"[a\]b]", "ab]"),
        (r"[[:alpha:]]", "[:alpha:]"),  # what reads_otherwise refuses: a "[" inside a class
    ],
)
def test_the_characters_inside_classes_are_told_from_the_rest(pattern, inside):
    assert "".join(char for _, char, in_class in characters(pattern) if in_class) == inside
    assert reads_otherwise(pattern) is ("[" in inside)
