"""Decision traces: why a rule fired on a post, or why it nearly did.

For every rule one of whose matchers fired, the trace shows each part of its
`match:` with the tokens it matched (or that it matched nothing), the guards
that dropped a hit (negation, quotation, question, condition), and the
outcome. This is how a reviewer learns to trust or to challenge a rule.
"""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from ..core.post import ACCOUNT_NAMES, BOTH, PROFILES, Post
from ..rulebook.expressions import AllOf, AnyOf, Expression, Leaf
from .evaluate import PostUnits, evaluate, guarded
from .linter import Linter
from .normalize import normalize
from .tokens import PostTokens


def _describe(part: Expression) -> str:
    if isinstance(part, Leaf):
        value = part.value if isinstance(part.value, str) else ", ".join(map(str, part.value))
        return f"{part.kind} {value[:60]}{'…' if len(value) > 60 else ''}"
    if isinstance(part, AnyOf):
        return "any of (" + "; ".join(_describe(p) for p in part.parts[:3]) + ("; …)" if len(part.parts) > 3 else ")")
    return f"all of {len(part.parts)} parts in one {part.scope}"


def trace_post(linter: Linter, text: str, profile: str) -> list[dict]:
    """One entry per rule that any matcher touched: its parts, guards and outcome."""
    norm = normalize(text)
    doc = linter.nlp(norm.text)
    tokens = PostTokens(doc, norm.text)
    hits = linter.matchers.run(tokens)
    units = PostUnits(tokens)
    fired = {f.rule for f in linter.check(text, profile)}
    entries = []
    for rule in linter.rulebook.rules:
        if profile not in rule.profiles:
            continue
        parts = rule.match.required if isinstance(rule.match, AllOf) else (rule.match,)
        part_rows = []
        for part in parts:
            spans = evaluate(part, hits, units)
            part_rows.append((_describe(part), [doc[a:b].text for a, b in spans]))
        if not any(matched for _, matched in part_rows):
            continue
        dropped = []
        for span in evaluate(rule.match, hits, units):
            for guard in sorted(rule.unless):
                if guarded(span, frozenset([guard]), units):
                    dropped.append((doc[span[0] : span[1]].text, guard))
        entries.append({"rule": rule.id, "fired": rule.id in fired, "parts": part_rows, "dropped": dropped})
    return entries


def print_trace(linter: Linter, post: Post, console: Console) -> None:
    profiles = PROFILES if post.profile == BOTH else (post.profile,)
    for profile in profiles:
        if len(profiles) > 1:
            console.print(Text(f"  traced for {ACCOUNT_NAMES[profile]}:", style="bold"))
        _print_entries(trace_post(linter, post.text, profile), console)


def _print_entries(entries: list[dict], console: Console) -> None:
    for entry in entries:
        outcome = ("fired", "bold red") if entry["fired"] else ("did not fire", "green")
        console.print(Text(f"  trace {entry['rule']}: ") + Text(outcome[0], style=outcome[1]))
        for description, matched in entry["parts"]:
            shown = ", ".join(repr(m) for m in matched[:5]) if matched else "no match"
            console.print(Text(f"    part {description}: {shown}"))
        for match, guard in entry["dropped"]:
            console.print(Text(f"    dropped {match!r}: {guard}", style="yellow"))
