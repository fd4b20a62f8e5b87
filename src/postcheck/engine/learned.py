"""The learned second opinion: a hashed n-gram linear model that scores each category on a post.

Features are read from the tokens the pipeline already made (but those that are
only white space: a post's layout says where it was written, not what it says;
every training post written in YAML ends in a line break and no force tweet
does, so a line break had become a sign of a breach): each word's lower-case
form, its character 2-5-grams (of the word between `<` and `>`; for words of
letters only), the pairs of neighbouring words, and the account type; and from
what the rulebook's matchers already found, each hit of a lexicon
(`lexicon=NAME`), so that a slur, a protected group or a police system counts as
its family whatever the word, and a word the training posts never used still
carries what its lexicon means; and each pair of lexicons found in one post (once
per post), so that what a post aims at and how it speaks of it count together
wherever they sit: a protected group with a generalising claim, "the public" with
a contempt word. Every feature is hashed (spaCy's 64-bit string hash) into
2**bits rows of one weight matrix, so there is no vocabulary to load and no
vectoriser per post. A word's own features always add the same vector to the
scores, so that vector is worked out once and a repeated word costs one dict
lookup, which also gives the two halves of the hash of each pair it is in.

The weights, biases and per-category thresholds live in `learned.npz` beside
this module, written by `training/train_model.py`. A category's margin at or
above its threshold is a hit; the linter turns hits into warnings only for
categories no rule flagged.
"""

from __future__ import annotations

from itertools import combinations, pairwise
from pathlib import Path

import numpy as np
from spacy.strings import StringStore, get_string_id
from spacy.tokens import Doc

from ..core.errors import PostcheckError
from ..core.post import PROFILES
from ..rulebook.expressions import leaf_key
from ..rulebook.loader import Rule, Rulebook
from .clauses import clause_starts
from .matchers import PostHits
from .tokens import PostTokens, Span

WEIGHTS_FILE = Path(__file__).with_name("learned.npz")
FEATURES_VERSION = "5"  # bump when the features change: weights trained on other features are refused
CHAR_GRAMS = (2, 3, 4, 5)
LONGEST_WORD = 24  # characters of a word that give character n-grams (URLs and hashtags run long)
_PAIR = 0x9E3779B97F4A7C15  # an odd multiplier that mixes the first word of a pair
_CACHE_LIMIT = 1 << 16  # words whose vectors are kept; past it the cache starts again
_CHUNK_TOKENS = 1 << 15  # tokens scored at once, which bounds the memory a batch of long posts takes
_LEXICON = leaf_key("lexicon", "")  # how the matchers name a lexicon's hits: this, then its name
LexiconHits = list[tuple[str, Span]]  # a post's lexicon hits: the lexicon's name and the tokens it matched
Lexicon = tuple[int, tuple[int, int, int]]  # a lexicon's feature's row and its `lexicon_pair_key`


def split_hash(key: int, mask: int) -> tuple[int, int]:
    """From a word's hash, its own feature and what it brings to the feature of a pair it starts: the
    pair (a, b) has the feature `(hash(a) * _PAIR ^ hash(b)) & mask`, which splits into a part from each."""
    return key & mask, (key * _PAIR) & mask


def word_features(word: str, mask: int) -> list[int]:
    """The hashed features of one lower-case word: itself and, for a word of letters only, its
    character n-grams (a number, link, code or emoji is its own feature only: the n-grams of
    strings that are new in nearly every post, such as reference numbers and short links, were
    most of the model's cost and, in cross-validation, brought nothing)."""
    found = [get_string_id(word) & mask]
    if not word.isalpha():
        return found
    padded = f"<{word[:LONGEST_WORD]}>"
    for n in CHAR_GRAMS:
        found += [get_string_id("\x1f" + padded[i : i + n]) & mask for i in range(len(padded) - n + 1)]
    return found


def profile_feature(profile: str, mask: int) -> int:
    return get_string_id(f"\x1eprofile={profile}") & mask


def lexicon_feature(name: str, mask: int) -> int:
    return get_string_id(f"\x1dlexicon={name}") & mask


def lexicon_pair_key(name: str, mask: int) -> tuple[int, int, int]:
    """What a lexicon brings to the features of the pairs of lexicons it is in: its hash, which
    orders a pair, and the two parts of it that `split_hash` gives."""
    key = get_string_id(f"\x1blexpair={name}")
    return (key, *split_hash(key, mask))


def lexicon_pair_features(keys: set[tuple[int, int, int]]) -> list[int]:
    """A feature for each pair of different lexicons in a post (of their `lexicon_pair_key`s), once per
    post, mixed from the two as a pair of words is (no string to hash per pair)."""
    ordered = sorted(keys)
    return [first[2] ^ second[1] for first, second in combinations(ordered, 2)]


def lexicon_keys(rulebook: Rulebook) -> frozenset[str]:
    """How the matchers name the hits of each of the rulebook's lexicons."""
    return frozenset(_LEXICON + name for name in rulebook.lexicons)


def lexicon_hits(hits: PostHits, keys: frozenset[str]) -> LexiconHits:
    """The lexicons (of `keys`) the matchers found in a post, once per hit, in a fixed order
    (lexicons are matched with the phrases, before any rule asks, so reading them runs nothing more;
    and a post's leaves are met with the lexicons' names in one set operation, not read one by one)."""
    return [(key[len(_LEXICON) :], span) for key in sorted(hits.active & keys) for span in hits.get(key)]


def word_ids(doc: Doc) -> np.ndarray:
    """spaCy's hash of the lower-case form of each token of a post that is not only white space."""
    found = doc.to_array(["LOWER", "IS_SPACE"])
    return found[found[:, 1] == 0, 0]


def post_features(words: list[str], profile: str, mask: int, lexicons: LexiconHits) -> list[int]:
    """Every hashed feature of a post given its lower-case tokens and its lexicon hits, repeated as
    often as it occurs (what training counts, and what `LearnedModel.evidence` adds up)."""
    found = [profile_feature(profile, mask), *token_features(words, mask)]
    found += [lexicon_feature(name, mask) for name, _ in lexicons]
    return found + lexicon_pair_features({lexicon_pair_key(name, mask) for name, _ in lexicons})


def token_features(words: list[str], mask: int) -> list[int]:
    """The features of the words of a post and of each pair of neighbouring words."""
    found = []
    for word in words:
        found += word_features(word, mask)
    hashes = [split_hash(get_string_id(word), mask) for word in words]
    found += [first[1] ^ second[0] for first, second in pairwise(hashes)]
    return found


class LearnedModel:
    """Weights and thresholds for each category; `evidence` scores a batch of processed posts."""

    def __init__(self, path: Path | None = None, lexicons: frozenset[str] = frozenset()):
        path = path or WEIGHTS_FILE
        self.lexicon_keys = lexicons  # what `lexicons` reads: the keys of the rulebook's lexicons
        try:
            with np.load(path, allow_pickle=False) as data:
                version = str(data["features"])
                bits = int(data["bits"])
                self.categories = tuple(str(c) for c in data["categories"])
                rows, values = data["rows"], data["values"]
                bias = data["bias"].astype(np.float32)
                self.thresholds = data["thresholds"].astype(np.float32)
        except (OSError, KeyError, ValueError) as exc:
            raise PostcheckError(f"cannot read the learned model's weights: {exc}", str(path)) from None
        if version != FEATURES_VERSION:
            raise PostcheckError(
                f"the learned model was trained on features version {version}, not {FEATURES_VERSION}: retrain it",
                str(path),
            )
        self.mask = (1 << bits) - 1
        # Rows: the hashed features, then the vectors of words seen so far, then zeros (what a pair of
        # words from two different posts adds).
        self._words = 1 << bits
        self._zero = self._words + _CACHE_LIMIT
        self.weights = np.zeros((self._zero + 1, len(self.categories)), dtype=np.float32)
        self.weights[rows] = values
        # What every post of a kind of account starts from: the bias and the account type's feature, less
        # the thresholds, so that a category is a hit when its score is 0 or more.
        self._base = {p: bias + self.weights[profile_feature(p, self.mask)] - self.thresholds for p in PROFILES}
        self._known: dict[int, tuple[int, int, int]] = {}  # word's hash -> its row, own feature, pair part
        self._lexicons: dict[str, Lexicon] = {}  # a lexicon's name -> its feature's row, its pair key

    def lexicons(self, hits: PostHits) -> LexiconHits:
        """A post's lexicon hits, as its evidence reads them."""
        return lexicon_hits(hits, self.lexicon_keys)

    def _lexicon(self, name: str) -> Lexicon:
        return self._lexicons.setdefault(name, (lexicon_feature(name, self.mask), lexicon_pair_key(name, self.mask)))

    def column(self, category: str) -> int | None:
        return self.categories.index(category) if category in self.categories else None

    def evidence(self, docs: list[Doc], lexicons: list[LexiconHits]) -> np.ndarray:
        """For each post, what its words, pairs of words and lexicon hits add to each category's margin."""
        found = np.zeros((len(docs), len(self.categories)), dtype=np.float32)
        if not docs:
            return found
        lowers = [word_ids(doc) for doc in docs]
        strings = docs[0].vocab.strings
        chunk: list[int] = []
        size = 0
        for index, each in enumerate(lowers):
            if len(each):
                chunk.append(index)
                size += len(each)
            if size >= _CHUNK_TOKENS or (chunk and index == len(lowers) - 1):
                found[chunk] = self._sums([lowers[i] for i in chunk], strings)
                chunk, size = [], 0
        posts, starts = [], []  # the posts with lexicon hits, and where the rows of each start
        rows: list[int] = []
        for index, hits in enumerate(lexicons):
            if hits:  # each post's hits, then its pairs of lexicons: added up alone, whatever else is in the batch
                known = [self._lexicons.get(name) or self._lexicon(name) for name, _ in hits]
                posts.append(index)
                starts.append(len(rows))
                rows += [row for row, _ in known] + lexicon_pair_features({key for _, key in known})
        if posts:
            found[posts] += np.add.reduceat(self.weights[rows], starts, axis=0)
        return found

    def reaching(self, evidence: np.ndarray) -> list[frozenset]:
        """For each post, the kinds of account for which some category reaches its threshold."""
        reached = {p: ((evidence + self._base[p]).max(axis=1) >= 0).tolist() for p in PROFILES}
        return [frozenset(p for p in PROFILES if reached[p][i]) for i in range(len(evidence))]

    def scores(self, evidence: np.ndarray, profile: str) -> list[float]:
        """Each category's margin less its threshold, from a post's evidence: a hit at 0 or more."""
        return (evidence + self._base[profile]).tolist()

    def best_clause(self, tokens: PostTokens, column: int, lexicons: LexiconHits) -> Span | None:
        """The clause whose own words add most to one category's margin (a pair of words and a
        lexicon's hit count for their last word; a pair of lexicons, being the whole post's, for no
        clause), without the spaces at its ends; None for a post without words."""
        words = np.logical_not(tokens.is_space)
        if not words.any():
            return None
        lowers = word_ids(tokens.doc)
        starts = clause_starts(tokens)
        vectors = np.zeros(len(words), dtype=np.float32)  # white space adds nothing
        vectors[words] = self._token_vectors(lowers, np.array([len(lowers)]), tokens.doc.vocab.strings)[:, column]
        for name, (_, end) in lexicons:
            vectors[end - 1] += self.weights[(self._lexicons.get(name) or self._lexicon(name))[0], column]
        sums = np.add.reduceat(vectors, starts).tolist()
        ends = [*starts[1:], len(words)]
        for best in sorted(range(len(starts)), key=lambda k: -sums[k]):
            start, end = starts[best], ends[best]
            while start < end and tokens.is_space[start]:
                start += 1
            while end > start and tokens.is_space[end - 1]:
                end -= 1
            if start < end:
                return start, end
        return None

    def _sums(self, lowers: list[np.ndarray], strings: StringStore) -> np.ndarray:
        """The evidence of posts that all have tokens, in one pass over their tokens."""
        lengths = np.array([len(each) for each in lowers])
        ends = np.cumsum(lengths)
        tokens = self._token_vectors(np.concatenate(lowers), ends, strings)
        # Each post's rows are added up in their own order, whatever else is in the batch.
        return np.add.reduceat(tokens, ends - lengths, axis=0)

    def _token_vectors(self, lowers: np.ndarray, ends: np.ndarray, strings: StringStore) -> np.ndarray:
        """Per token, its word's vector plus the pair it ends (posts end at `ends`, and no pair crosses them)."""
        words, inverse = np.unique(lowers, return_inverse=True)
        vectors, own, after = self._vocabulary(words.tolist(), strings)
        pairs = np.full(len(lowers), self._zero, dtype=np.int64)
        pairs[1:] = after[inverse[:-1]] ^ own[inverse[1:]]
        pairs[ends[:-1]] = self._zero  # the first word of each post but the first
        return vectors.take(inverse, axis=0) + self.weights.take(pairs, axis=0)

    def _vocabulary(self, words: list[int], strings: StringStore) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each word's vector, own feature and part of a pair feature; worked out once and kept."""
        known = self._known
        if len(known) + len(words) > _CACHE_LIMIT:  # start again between batches, never within one
            known.clear()
        if len(words) > _CACHE_LIMIT:  # too many words to keep: each worked out as it comes
            vectors = np.array([self._vector(strings[word]) for word in words], dtype=np.float32)
            halves = np.array([split_hash(word, self.mask) for word in words], dtype=np.int64)
            return vectors, halves[:, 0], halves[:, 1]
        entries = np.array([known.get(word) or self._learn(word, strings) for word in words], dtype=np.int64)
        entries = entries.reshape(-1, 3)
        return self.weights.take(entries[:, 0], axis=0), entries[:, 1], entries[:, 2]

    def _vector(self, word: str) -> np.ndarray:
        return self.weights[word_features(word, self.mask)].sum(axis=0)

    def _learn(self, lower: int, strings: StringStore) -> tuple[int, int, int]:
        """A word's row (holding its vector) and its two hashes, on first sight."""
        row = self._words + len(self._known)
        self.weights[row] = self._vector(strings[lower])
        entry = self._known[lower] = (row, *split_hash(lower, self.mask))
        return entry


def load_opinions(rulebook: Rulebook) -> tuple[LearnedModel | None, dict[str, list[tuple[Rule, int]]]]:
    """The learned model, loaded only when a rule asks for it, and for each kind of account the
    rules that ask, with the model's column for their category."""
    opinions: dict[str, list[tuple[Rule, int]]] = {p: [] for p in PROFILES}
    rules = [rule for rule in rulebook.rules if rule.learned]
    if not rules:
        return None, opinions
    model = LearnedModel(lexicons=lexicon_keys(rulebook))
    for rule in rules:
        column = model.column(rule.category)
        if column is None:
            raise PostcheckError(
                f"rule {rule.id}: the learned model has no score for '{rule.category}' "
                f"(it scores {', '.join(model.categories)})",
                rule.path,
                rule.line,
            )
        for profile in sorted(rule.profiles):
            opinions[profile].append((rule, column))
    return model, opinions
