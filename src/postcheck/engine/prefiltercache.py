"""The regex pre-filter's tables (`prefilter.Tables`), kept between runs.

Working the tables out from the pre-checks of ~2,000 alternatives took 25-40 ms
of every start, an officer's check included; reading them back and building the
two automata from them takes about half that. The file is named by a hash
of all they are made from: the alternatives' sources in order, the stamp of the
code and regex engine that worked out each source's pre-checks (so that a
source names its pre-checks: `regexmemory.analysis_stamp`), and the code of the
pre-filter and of this module. It is sealed like every cache file
(`rulebook/cache.py`), and what it holds is checked before use: positions of
alternatives in the list, text where text belongs. A file that fails is ignored
and the tables are worked out again.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ..rulebook import posttext
from ..rulebook.cache import cache_dir, read_json, write_json
from ..rulebook.regexmemory import LazyPattern, analysis_stamp
from . import prefilter
from .prefilter import Prefilter, Tables, tables

_STAMP = hashlib.sha256(
    b"".join(Path(str(module.__file__)).read_bytes() for module in (prefilter, posttext)) + Path(__file__).read_bytes()
).hexdigest()[:8]


def cached_prefilter(alternatives: list[LazyPattern]) -> Prefilter:
    """The pre-filter of a list of alternatives, its tables read from the cache when they are there."""
    sources = json.dumps([pattern.source for pattern in alternatives]).encode()
    name = hashlib.sha256(f"{_STAMP}-{analysis_stamp()}\n".encode() + sources).hexdigest()[:24]
    path = cache_dir() / f"prefilter-{name}.json"
    found = _decode(read_json(path), len(alternatives))
    if found is None:
        found = tables(alternatives)
        write_json(path, _encode(found))
    return Prefilter(alternatives, found)


def _encode(found: Tables) -> dict[str, Any]:
    """The tables as JSON. Literals mostly wake the same alternatives as others do (5,950 literals, 2,025
    sets of alternatives), so each set is written once and a literal names its set by number."""
    sets = list(dict.fromkeys([*found.words.values(), *found.marked.values()]))
    number = {wakes: index for index, wakes in enumerate(sets)}
    return {
        "always": sorted(found.always),
        "checks": [
            [
                index,
                None if shapes is None else sorted(shapes),
                [[sorted(words), list(parts)] for words, parts in further],
            ]
            for index, (shapes, further) in found.checks.items()
        ],
        "sets": [sorted(wakes) for wakes in sets],
        "words": {word: number[wakes] for word, wakes in found.words.items()},
        "marked": {marked: number[wakes] for marked, wakes in found.marked.items()},
    }


def _decode(stored: Any, count: int) -> Tables | None:
    """The tables a cache file holds, or None when it holds none or not what `_encode` writes for `count`
    alternatives."""
    valid = frozenset(range(count))
    try:
        sets = [_numbers(wakes, valid) for wakes in stored["sets"]]
        checks = {
            index: (
                None if shapes is None else frozenset(_texts(shapes)),
                tuple((frozenset(_texts(whole)), tuple(_texts(parts))) for whole, parts in further),
            )
            for index, shapes, further in stored["checks"]
        }
        _numbers(list(checks), valid)
        return Tables(
            _numbers(stored["always"], valid),
            checks,
            _woken(stored["words"], sets),
            _woken(stored["marked"], sets),
        )
    except (TypeError, KeyError, ValueError, AttributeError):
        return None


def _woken(stored: Any, sets: list[frozenset[int]]) -> dict[str, frozenset[int]]:
    """Literals with the alternatives they wake, from literals with the numbers of their sets."""
    _numbers(list(stored.values()), frozenset(range(len(sets))))
    return {literal: sets[number] for literal, number in stored.items()}


def _numbers(value: Any, valid: frozenset[int]) -> frozenset[int]:
    """A list of numbers, each one of `valid`, as a set."""
    found = frozenset(value)
    if not isinstance(value, list) or not found <= valid or not all(type(each) is int for each in found):
        raise ValueError("not numbers of the list")
    return found


def _texts(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(each, str) for each in value):
        raise ValueError("not a list of texts")
    return value
