"""Decision traces: why a rule fired on a post, or why it did not.

For every rule one of whose matchers fired, the trace shows each part of its
`match:` with the tokens it matched (or that it matched nothing), the guards
that dropped a hit (negation, quotation, question, condition), the outcome,
and for a rule that did not fire the reason (see `reasons.py`): the other kind
of account, the wrong context, a part that matched nothing, parts in different
sentences or too far apart, a `not` part, or a guard. A learned rule shows its
category's score against its threshold when it reached the threshold, and the
clause it points at. This is how a reviewer
learns to trust or to challenge a rule.
"""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from ..core.post import ACCOUNT_NAMES, BOTH, PROFILES, Post
from ..rulebook.expressions import AllOf
from .evaluate import PostUnits, evaluate, guarded
from .linter import Linter
from .matchers import PostHits
from .normalize import normalize
from .reasons import describe, why_not
from .tokens import PostTokens


def trace_post(linter: Linter, text: str, profile: str, contexts: frozenset = frozenset()) -> list[dict]:
    """One entry per rule that any matcher touched: its parts, guards, outcome and, if it did not
    fire, why. A rule for the other kind of account or another context is listed only when its
    words would otherwise have made it fire."""
    norm = normalize(text)
    doc = linter.nlp(norm.text)
    tokens = PostTokens(doc, norm.text)
    hits = linter.matchers.run(tokens)
    units = PostUnits(tokens)
    fired = {f.rule for f in linter.check(text, profile, contexts)}
    entries = []
    learned = _learned_entries(linter, tokens, hits, profile, fired)
    for rule in linter.rulebook.rules:
        if rule.learned:
            entries += learned.get(rule.id, [])
            continue
        parts = rule.match.required if isinstance(rule.match, AllOf) else (rule.match,)
        part_rows = []
        for part in parts:
            spans = evaluate(part, hits, units)
            part_rows.append((describe(part), [doc[a:b].text for a, b in spans]))
        if not any(matched for _, matched in part_rows):
            continue
        reasons = [] if rule.id in fired else why_not(rule, profile, contexts, hits, units)
        if {kind for kind, _ in reasons} & {"profile", "context"} and len(reasons) > 1:
            continue  # it would not have fired here anyway: leave it out
        dropped = []
        for span in evaluate(rule.match, hits, units):
            for guard in sorted(rule.unless):
                if guarded(span, frozenset([guard]), units):
                    dropped.append((doc[span[0] : span[1]].text, guard))
        entries.append(
            {"rule": rule.id, "fired": rule.id in fired, "parts": part_rows, "dropped": dropped, "reasons": reasons}
        )
    return entries


def _learned_entries(
    linter: Linter, tokens: PostTokens, hits: PostHits, profile: str, fired: set[str]
) -> dict[str, list[dict]]:
    """For each learned rule whose category reached its threshold: its score and the clause it points at."""
    if linter.learned is None or not len(tokens):
        return {}
    model = linter.learned
    lexicons = model.lexicons(hits)
    scores = model.scores(model.evidence([tokens.doc], [lexicons])[0], profile)
    entries = {}
    for rule, column in linter.learned_rules[profile]:
        if scores[column] < 0:
            continue
        span = model.best_clause(tokens, column, lexicons)
        clause = [tokens.doc[span[0] : span[1]].text] if span else []
        score = f"model {rule.category}: {scores[column] + model.thresholds[column]:.1f}"
        parts = [(f"{score}, threshold {model.thresholds[column]:.1f}", clause)]
        why = [] if rule.id in fired else [("flagged", "a rule already flagged this category on this post")]
        entries[rule.id] = [{"rule": rule.id, "fired": rule.id in fired, "parts": parts, "dropped": [], "reasons": why}]
    return entries


def print_trace(linter: Linter, post: Post, console: Console) -> None:
    profiles = PROFILES if post.profile == BOTH else (post.profile,)
    for profile in profiles:
        if len(profiles) > 1:
            console.print(Text(f"  traced for {ACCOUNT_NAMES[profile]}:", style="bold"))
        _print_entries(trace_post(linter, post.text, profile, post.contexts), console)


def _print_entries(entries: list[dict], console: Console) -> None:
    for entry in entries:
        outcome = ("fired", "bold red") if entry["fired"] else ("did not fire", "green")
        console.print(Text(f"  trace {entry['rule']}: ") + Text(outcome[0], style=outcome[1]))
        for description, matched in entry["parts"]:
            shown = ", ".join(repr(m) for m in matched[:5]) if matched else "no match"
            console.print(Text(f"    part {description}: {shown}"))
        for match, guard in entry["dropped"]:
            console.print(Text(f"    dropped {match!r}: {guard}", style="yellow"))
        for kind, sentence in entry["reasons"]:
            console.print(Text(f"    why not ({kind}): {sentence}", style="yellow"))
