"""Cross-validated scores of the learned second opinion beside the rules, as training prints them.

Every figure is held out: a post is scored by a model that was trained without
its source. "rules" is what the rules alone flag (warnings and errors), "both"
is the rules plus the model's warnings, which the linter gives only for
categories no rule flagged.
"""

from __future__ import annotations

import numpy as np


def _ratio(part: float, whole: float) -> str:
    return f"{part / whole:.2f}" if whole else "  - "


def category_table(result: dict, rules: np.ndarray) -> list[str]:
    """Per category, on the labelled posts (not force-posts): the model alone, the rules, and both."""
    labelled = ~np.char.startswith(result["folds"].astype(str), "force")
    truth, hits = result["labels"] & labelled[:, None], result["hits"] & labelled[:, None]
    rules = rules & labelled[:, None]
    both = rules | hits
    clean = result["compliant"] & labelled & ~result["flagged"]  # a hit on one is a compliant post newly flagged
    lines = [
        "| category | target | threshold | breaches | model P | model R | rules R | rules+model R | new false flags "
        "| compliant posts newly flagged |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for k, category in enumerate(result["categories"]):
        t, h, r, b = truth[:, k], hits[:, k], rules[:, k], both[:, k]
        target, threshold = result["precision"][k], result["thresholds"][k]
        lines.append(
            f"| {category} | {target:.2f} | {threshold:.2f} | {t.sum()} | {_ratio((h & t).sum(), h.sum())} | "
            f"{_ratio((h & t).sum(), t.sum())} | {_ratio((r & t).sum(), t.sum())} | "
            f"{_ratio((b & t).sum(), t.sum())} | {(h & ~r & ~t).sum()} | {(h & clean).sum()} |"
        )
    return lines


def source_table(result: dict, rules: np.ndarray) -> list[str]:
    """Per labelled source: micro precision and recall and the compliant posts flagged, rules vs both."""
    truth = result["labels"]

    both = rules | result["hits"]
    lines = [
        "| source | posts | compliant | rules P / R | rules+model P / R | compliant flagged: rules | rules+model |",
        "|---|---|---|---|---|---|---|",
    ]
    groups = [(name, result["folds"] == name) for name in dict.fromkeys(result["folds"]) if "force" not in name]
    labelled = ~np.char.startswith(result["folds"].astype(str), "force")
    for name, rows in [*groups, ("all labelled", labelled)]:
        t = truth[rows]
        compliant = result["compliant"][rows]  # no breach of any category, scored by the model or not
        cells = []
        for flags in (rules[rows], both[rows]):
            cells.append(f"{_ratio((flags & t).sum(), flags.sum())} / {_ratio((flags & t).sum(), t.sum())}")
        flagged = [flags[rows][compliant].any(axis=1).mean() for flags in (rules, both)]
        lines.append(
            f"| {name} | {rows.sum()} | {compliant.sum()} | {cells[0]} | {cells[1]} | "
            f"{flagged[0]:.1%} | {flagged[1]:.1%} |"
        )
    return lines


def force_line(result: dict, rules: np.ndarray) -> str:
    """The share of force-posts with a warning or an error, rules vs both (the model held out by folds)."""
    force = np.char.startswith(result["folds"].astype(str), "force")
    rules_any = rules[force].any(axis=1)
    both_any = rules_any | result["hits"][force].any(axis=1)
    return (
        f"force-posts with a warning or an error: rules {rules_any.mean():.2%}, rules+model {both_any.mean():.2%} "
        f"({force.sum()} posts, held out in {len(set(result['folds'][force]))} folds)"
    )
