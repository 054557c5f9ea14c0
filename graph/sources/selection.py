"""Which files of a folder are articles: readable types, minus hidden files, project files and excluded globs.

A folder of articles often holds files that are not news: its README, a LICENSE, a CHANGELOG. Read as articles
they turn into nonsense entities ("YYYY-MM-DD" as a person), so they are left out by name, like hidden files and
folders. `--exclude` globs leave out more and `--include` globs keep only what they match. A file named
directly on the command line is always read: naming it is the way to build a README on purpose.

Only regular files are read: a FIFO, socket or device named like an article would block or never end, so it
is reported instead (`not_regular`), and so is a subfolder that cannot be listed (`unreadable`).

A glob with a "/" matches the path relative to the folder given ("2024/*.txt"), one without matches the file
name at any depth ("draft-*"); both case-sensitively, as fnmatch does on POSIX paths. The left-out project
files are matched case-insensitively (README.md, Readme.txt, readme).
"""
from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath

TEXT_SUFFIXES = frozenset({".txt", ".md"})
JSONL_SUFFIX = ".jsonl"
HTML_SUFFIXES = frozenset({".html", ".htm"})  # saved web pages (graph.sources.web_sources)
READABLE_SUFFIXES = TEXT_SUFFIXES | {JSONL_SUFFIX} | HTML_SUFFIXES
# Files a folder of articles holds about itself, never articles: matched on the upper-cased name's stem.
PROJECT_FILES = frozenset({"README", "LICENSE", "LICENCE", "CHANGELOG", "CHANGES", "CONTRIBUTING", "COPYING",
                           "AUTHORS", "NOTICE"})


@dataclass(frozen=True)
class Selection:
    """The article files of a folder in path order, and the readable files left out by name or glob."""

    files: tuple[Path, ...]
    left_out: tuple[str, ...]  # paths relative to the folder, POSIX style
    not_regular: tuple[str, ...] = ()  # FIFOs, sockets, devices with an article's name (relative paths)
    unreadable: tuple[tuple[str, str], ...] = ()  # (relative path, reason) of subfolders that cannot be listed


def is_project_file(name: str) -> bool:
    """True for README.md, LICENSE, changelog.txt and the like (see PROJECT_FILES)."""
    return PurePosixPath(name).stem.upper() in PROJECT_FILES or name.upper() in PROJECT_FILES


def matches(relative: str, globs: Sequence[str]) -> bool:
    """True when the relative POSIX path matches one of `globs` (see the module docstring)."""
    name = relative.rsplit("/", 1)[-1]
    return any(fnmatchcase(relative if "/" in glob else name, glob) for glob in globs)


def select(folder: Path, include: Sequence[str] = (), exclude: Sequence[str] = ()) -> Selection:
    """The article files under `folder`, walked recursively, hidden files and folders never entered."""
    files: list[tuple[tuple[str, ...], Path]] = []
    left_out: list[str] = []
    not_regular: list[str] = []
    unreadable: list[tuple[str, str]] = []

    def failed(error: OSError) -> None:
        where = Path(error.filename) if error.filename else folder
        relative = where.relative_to(folder).as_posix() if where != folder else "."
        unreadable.append((relative, error.strerror or str(error)))

    for root, dirs, names in os.walk(folder, onerror=failed):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if name.startswith(".") or Path(name).suffix.lower() not in READABLE_SUFFIXES:
                continue
            path = Path(root, name)
            parts = path.relative_to(folder).parts
            relative = "/".join(parts)
            kept = not is_project_file(name) and not matches(relative, exclude)
            if kept and include:
                kept = matches(relative, include)
            if kept and not _regular(path):
                not_regular.append(relative)
            elif kept:
                files.append((parts, path))
            else:
                left_out.append(relative)
    return Selection(tuple(path for _, path in sorted(files)), tuple(sorted(left_out)), tuple(sorted(not_regular)),
                     tuple(sorted(unreadable)))


def _regular(path: Path) -> bool:
    """True for a regular file (or a link to one); a file that cannot be looked at counts, to be reported later."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True
