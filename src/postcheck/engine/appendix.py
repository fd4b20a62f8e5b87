"""Findings of a post whose bio was checked with it: those in the bio point into the bio, not the text."""

from __future__ import annotations

import dataclasses

from ..core.findings import Finding, Mark


def split_appendix(findings: list[Finding], text: str, appendix: str) -> list[Finding]:
    """Findings in the appended bio point into it (field "bio"); those in the text stay inside the text."""
    result, cut = [], len(text)
    bio = appendix.strip()
    offset = cut + appendix.index(bio)
    for f in findings:
        if f.start >= cut:
            start, end = max(0, f.start - offset), max(0, f.end - offset)
            marks = tuple(_shifted(m, offset, bio) for m in f.marks if m.start >= cut)
            f = dataclasses.replace(
                f, field="bio", start=start, end=end, match=bio[start:end], line=1, column=start + 1, marks=marks
            )
        elif f.end > cut:
            marks = tuple(m for m in f.marks if m.end <= cut)
            f = dataclasses.replace(f, end=cut, match=text[f.start : cut], marks=marks)
        result.append(f)
    return result


def _shifted(mark: Mark, offset: int, bio: str) -> Mark:
    start, end = max(0, mark.start - offset), max(0, mark.end - offset)
    return Mark(start, end, bio[start:end])
