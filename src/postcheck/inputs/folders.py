"""Which files of a folder to read, and every part of it that could not be read.

A folder is searched recursively for files matching the include globs and none of
the exclude globs (on any part of the path), in a stable order. Nothing in it is
passed over without a word: a subfolder that cannot be listed, a link whose target
is gone and a matching entry that is not a regular file each become a post with an
error, and a folder with no post files at all is an error too. Links to folders
are followed, each folder read once however many links lead to it.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator
from pathlib import Path

from ..core.post import Post
from .records import ReadOptions


def folder_entries(root: Path, options: ReadOptions) -> Iterator[str | Post]:
    """The paths of the post files under `root`, and a post with an error for each thing that cannot be read."""
    problems: list[OSError] = []
    seen: set[tuple[int, int]] = set()
    found = False
    for folder, folders, files in os.walk(root, onerror=problems.append, followlinks=True):
        yield from _unlistable(problems, options)
        here = Path(folder)
        identity = _identity(here)
        if identity in seen:  # reached again through a link: its files are already read
            folders.clear()
            continue
        seen.add(identity)
        folders[:] = sorted(name for name in folders if not _excluded(name, options))
        for name in sorted(files):
            if _excluded(name, options) or not any(fnmatch.fnmatch(name, glob) for glob in options.include):
                continue
            found = True
            path = here / name
            if path.is_symlink() and not path.exists():
                yield _error(path, options, "a link whose target does not exist; the post it pointed to was not read")
            elif path.exists() and not path.is_file():
                yield _error(path, options, "not a regular file; it was not read")
            else:
                yield str(path)  # removed since it was listed: reading it reports that
    yield from _unlistable(problems, options)
    if not found:
        globs = ", ".join(options.include)
        yield _error(root, options, f"no post files found in this folder (looked for {globs})")


def _identity(folder: Path) -> tuple[int, int]:
    try:
        status = folder.stat()
    except OSError:
        return (-1, hash(str(folder)))
    return status.st_dev, status.st_ino


def _excluded(name: str, options: ReadOptions) -> bool:
    return any(fnmatch.fnmatch(name, glob) for glob in options.exclude)


def _unlistable(problems: list[OSError], options: ReadOptions) -> Iterator[Post]:
    for problem in problems:
        where = Path(problem.filename or "")
        yield _error(where, options, f"cannot read this folder ({problem.strerror}); the posts in it were not read")
    problems.clear()


def _error(path: Path, options: ReadOptions, message: str) -> Post:
    return Post(str(path), str(path), profile=options.profile, line=None, error=message)
