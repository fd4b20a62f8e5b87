"""The Linter: a rulebook and a pipeline, built once, applied to many posts.

`Linter.check(text, profile)` checks one text; `Linter.check_posts(posts)`
streams posts through the pipeline in batches and yields each with its findings.
A post whose check stopped at a work limit (a rule's time, too many numbers)
gets an error-level problem saying what was not checked, so it is never passed.

Memory stays flat however many posts are checked: after the first `WARM_UP`
posts, which fill the tokenizer's cache with everyday words, each batch runs in a
spaCy memory zone, which forgets the strings it added (each post's unique
hashtags, handles and links), and the pipeline is built again once it has met
`RENEW_AFTER` new words. Findings are plain values, so they outlive the zone.
A Linter is therefore not for use from several threads at once.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from itertools import islice

import spacy
from spacy.language import Language

from ..core.findings import Finding
from ..core.post import BOTH, PROFILES, Post, Problem
from ..inputs import suppressions
from ..rulebook.cache import cache_dir
from ..rulebook.expressions import leaves
from ..rulebook.loader import Rule, Rulebook, load_rulebook
from .appendix import split_appendix
from .collector import fewer_collections
from .cues import Cues, carrying_keys
from .evaluate import PostUnits, evaluate, guarded, passes
from .learned import load_opinions
from .located import FindingMaker
from .matchers import MatcherSet, PostHits
from .normalize import NormalizedText, normalize
from .opinion import Evidence, SecondOpinion
from .pipeline import build_pipeline, save_reduced_table
from .tokens import PostTokens, Span

BATCH_SIZE = 256
WARM_UP = 2 * BATCH_SIZE
RENEW_AFTER = 50_000  # new words met before the pipeline is built again (a second or two)
Checked = tuple[list[Finding], list[str]]  # the findings, and notes on what could not be checked


class Linter:
    """Checks posts against a rulebook."""

    def __init__(self, rulebook: Rulebook | None = None, nlp: Language | None = None, model: str | None = None):
        self.rulebook = rulebook or load_rulebook()
        self._model, self._renewable = model, nlp is None
        self._build(nlp)
        self._rule_ids = self.rulebook.ids
        self._cue_keys = {rule.id: carrying_keys(rule.match) for rule in self.rulebook.rules}
        self._known = self.rulebook.known
        self.learned, self.learned_rules = load_opinions(self.rulebook)
        self._maker = FindingMaker(self.rulebook)
        self._opinion = SecondOpinion(self.learned, self.learned_rules, self._maker)
        # For each profile, leaf key -> the rules (in rulebook order) it can bring into play, so a post
        # only evaluates rules one of whose leaves fired (see `_triggers`).
        self._rules_by_leaf: dict[str, dict[str, list[int]]] = {p: defaultdict(list) for p in PROFILES}
        for index, rule in enumerate(self.rulebook.rules):
            if rule.learned:
                continue
            for key in _triggers(rule):
                for profile in rule.profiles:
                    self._rules_by_leaf[profile][key].append(index)

    def _build(self, nlp: Language | None) -> None:
        """The pipeline (from the lemma cache when it is sound) and the matchers compiled into its vocabulary."""
        cached = cache_dir() / f"lemmas-{self.rulebook.digest}-{spacy.__version__}.json"
        from_cache = False
        if nlp is None and cached.is_file():
            try:
                nlp, from_cache = build_pipeline(self._model, str(cached)), True
            except (OSError, ValueError):  # damaged, or not sealed by this user: rebuilt from the full table
                nlp = None
        self.nlp = nlp or build_pipeline(self._model)
        self.matchers = MatcherSet(self.nlp, self.rulebook)
        if not from_cache:
            save_reduced_table(cached, self.matchers.lemmas)
        self._checked = 0  # posts so far: the first WARM_UP run outside memory zones
        self._words_at_build = len(self.nlp.vocab)

    def _renew_if_grown(self) -> None:
        """Memory zones make spaCy forget each batch's new words, but its hash tables keep a deleted slot
        for each and grow on (preshed): a million posts with unique hashtags still added 40 MB. So a
        pipeline that has met RENEW_AFTER new words is built again, the old one's tables freed first."""
        if self._renewable and len(self.nlp.vocab) - self._words_at_build > RENEW_AFTER:
            del self.nlp, self.matchers
            self._build(None)

    def check(self, text: str, profile: str = "corporate", contexts: frozenset = frozenset()) -> list[Finding]:
        """Findings for one text, in position order (for each account type in turn when `profile` is
        `both`); `contexts` such as {"purdah"} switch on rules marked `when`."""
        return self._check_batch([(text, profile, contexts)])[0][0]

    def check_posts(self, posts: Iterable[Post]) -> Iterator[tuple[Post, list[Finding]]]:
        """Each post with its findings, in input order; posts with an error get none.

        A post's suppressions are applied here: suppressed findings stay, marked with the
        reason, and bad or unused suppressions are added to the post's problems.
        """
        posts = iter(posts)
        while batch := list(islice(posts, BATCH_SIZE)):
            self._renew_if_grown()
            readable = [(p.text + p.appendix, p.profile, p.contexts) for p in batch if p.error is None]
            results = iter(self._check_isolated(readable))
            for post in batch:
                if post.error is not None:
                    yield post, []
                    continue
                try:
                    findings = self._complete(post, next(results))
                except Exception as exc:  # noqa: BLE001 - a bug one post's content triggers must not end the run
                    post.error = f"postcheck failed on this post ({type(exc).__name__}: {exc}); please report this bug"
                    findings = []
                yield post, findings

    def _complete(self, post: Post, checked: Checked | Exception) -> list[Finding]:
        """A post's findings with its bio's and media's, suppressions applied; its limits as problems."""
        if isinstance(checked, Exception):
            raise checked
        findings, notes = checked
        post.problems = post.problems + [
            Problem("error", post.line, f"not fully checked: {note}; check this post by hand") for note in notes
        ]
        if post.appendix:
            findings = split_appendix(findings, post.text, post.appendix)
        for name, text in post.extras:
            findings = findings + [
                dataclasses.replace(f, field=name) for f in self.check(text, post.profile, post.contexts)
            ]
        if post.suppressions:
            findings, problems = suppressions.apply(
                findings, post.suppressions, self._known, self._rule_ids, self.rulebook.did_you_mean
            )
            post.problems = post.problems + problems
        return findings

    def _check_isolated(self, items: list[tuple[str, str, frozenset]]) -> list[Checked | Exception]:
        """The batch's results; if checking it fails, each post is checked alone, so that the post
        that made it fail gets the error and the others their findings."""
        try:
            return list(self._check_batch(items))
        except Exception:  # noqa: BLE001 - which post failed is found by checking each alone
            alone: list[Checked | Exception] = []
            for item in items:
                try:
                    alone.append(self._check_batch([item])[0])
                except Exception as exc:  # noqa: BLE001 - kept as that post's error
                    alone.append(exc)
            return alone

    def _check_batch(self, items: list[tuple[str, str, frozenset]]) -> list[Checked]:
        with fewer_collections():  # around the call, so the batch's own objects are freed before it ends
            return self._check_texts(items)

    def _check_texts(self, items: list[tuple[str, str, frozenset]]) -> list[Checked]:
        self._checked += len(items)
        warming_up = self._checked <= WARM_UP
        with nullcontext() if warming_up else self.nlp.memory_zone():
            normalized = [normalize(text) for text, _, _ in items]
            if warming_up:
                self._cache_chunks(n.text for n in normalized)
            docs = self._process(n.text for n in normalized)
            tokens = [PostTokens(doc, norm.text) for doc, norm in zip(docs, normalized, strict=True)]
            hits = [self.matchers.run(each) for each in tokens]
            opinions = self._opinion.evidence(tokens, hits)
            posts = zip(normalized, tokens, hits, opinions, strict=True)
            return [
                self._findings(*post, profile, contexts)
                for post, (_, profile, contexts) in zip(posts, items, strict=True)
            ]

    def _cache_chunks(self, texts: Iterable[str]) -> None:
        """spaCy's tokenizer keeps how it split each whitespace-separated chunk of a text, but nothing
        inside a memory zone, and nothing after a special case (a contraction, "1am") in the same text.
        So each chunk of the warm-up posts is also split alone, and kept: the posts after them, checked
        in memory zones, find their everyday chunks split already (a third of tokenising a long post).
        A chunk's split does not depend on the text around it, so no post's tokens change."""
        tokenizer = self.nlp.tokenizer
        for chunk in {chunk for text in texts for chunk in text.split()}:
            tokenizer(chunk)

    def _process(self, texts: Iterable[str]) -> Iterator:
        """Docs for texts. `nlp.pipe` batches for components that work on batches (a trained
        model's); when every component is a plain function, as in the default pipeline, calling
        them directly skips machinery that cost as much as the annotator itself."""
        if any(hasattr(proc, "pipe") for _, proc in self.nlp.pipeline):
            yield from self.nlp.pipe(texts)
            return
        make_doc, procs = self.nlp.make_doc, [proc for _, proc in self.nlp.pipeline]
        for text in texts:
            doc = make_doc(text)
            for proc in procs:
                doc = proc(doc)
            yield doc

    def _findings(
        self,
        norm: NormalizedText,
        tokens: PostTokens,
        hits: PostHits,
        opinion: Evidence | None,
        profile: str,
        contexts: frozenset,
    ) -> Checked:
        """Findings for one processed text: for each account type when the profile is `both`,
        those of a force account first, from one pass of the matchers; then the learned model's
        for categories the rules left alone."""
        if not hits.active and opinion is None:
            return [], hits.notes
        units = PostUnits(tokens)
        found = []
        matched: dict[int, list[Span]] = {}  # a rule that binds both kinds of account is evaluated once
        for each in PROFILES if profile == BOTH else (profile,):
            judged = self._judge(each, norm, hits, units, contexts, matched) if hits.active else []
            if opinion is not None and each in opinion[1]:
                flagged = {f.category for f in judged if f.severity != "info"}
                extra = self._opinion.findings(each, norm, tokens, units, opinion, flagged)
                judged = sorted(judged + extra, key=Finding.sort_key)
            found += judged
        return found, hits.notes

    def _judge(
        self,
        profile: str,
        norm: NormalizedText,
        hits: PostHits,
        units: PostUnits,
        contexts: frozenset,
        matched: dict[int, list[Span]],
    ) -> list[Finding]:
        """Findings of the rules that bind one kind of account, in position order."""
        active = hits.active
        by_leaf = self._rules_by_leaf[profile]
        candidates = sorted(set().union(*[by_leaf[key] for key in by_leaf.keys() & active]))
        # One finding per rule per sentence: repeating a rule within a sentence adds noise, not
        # information. It reports the rule's first span there, and marks the cues of all of them.
        spans: dict[tuple[str, int], tuple[Rule, list[Span]]] = {}
        rules, sentence = self.rulebook.rules, units.sentence
        for index in candidates:
            rule = rules[index]
            if not passes(rule.match.gate, active) or (rule.when and not rule.when <= contexts):
                continue
            held = matched.get(index)
            if held is None:
                held = evaluate(rule.match, hits, units)
                if held and rule.unless:
                    held = [span for span in held if not guarded(span, rule.unless, units)]
                matched[index] = held  # for a rule of one leaf, the post's own list of its hits: read, never changed
            for span in held:
                spans.setdefault((rule.id, sentence[span[0]]), (rule, []))[1].append(span)
        cues, make = Cues(hits), self._maker.finding
        found = [
            make(rule, profile, norm, units.tokens, each[0], cues.of(self._cue_keys[rule.id], each), units)
            for rule, each in spans.values()
        ]
        return sorted(found, key=Finding.sort_key)


def _triggers(rule: Rule) -> frozenset[str]:
    """The leaves through which a post reaches a rule: those of the narrowest clause of its gate, one of
    which must have fired for the gate to pass at all (a rule reached by any of its leaves was tested
    against its gate twice as often, mostly to fail it), or all its leaves when no clause is of them."""
    keys = frozenset(leaf.key for leaf in leaves(rule.match))
    return min((clause for clause in rule.match.gate if clause <= keys), key=len, default=keys)
