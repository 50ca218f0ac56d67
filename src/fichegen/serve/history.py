"""The last commit of each fiche, and which fiches have changes not yet committed, from git."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

DATE_FORMAT = "%d-%m-%Y %H:%M"
"""When a commit was made, as the Dutch write it (05-03-2026 14:07), in this machine's time."""


@dataclass(frozen=True)
class Commit:
    short: str
    author: str
    date: str
    subject: str


@dataclass(frozen=True)
class History:
    """What git says about the files under one folder; empty outside a repository."""

    commits: dict[Path, Commit]
    uncommitted: frozenset[Path]

    def last_commit(self, path: Path) -> Commit | None:
        return self.commits.get(path.resolve())

    def is_uncommitted(self, path: Path) -> bool:
        return path.resolve() in self.uncommitted


EMPTY = History({}, frozenset())


def read_history(folder: Path) -> History:
    """Two git calls for the whole folder, however many fiches it holds."""
    top = _git(["rev-parse", "--show-toplevel"], folder)
    if top is None:
        return EMPTY
    base = Path(top.strip()).resolve()
    log = _git(
        [
            "log",
            "--format=%x1e%h%x1f%an%x1f%ad%x1f%s",
            f"--date=format-local:{DATE_FORMAT}",
            "--name-only",
            "--",
            ".",
        ],
        folder,
    )
    commits: dict[Path, Commit] = {}
    for record in (log or "").split("\x1e")[1:]:
        header, _, names = record.partition("\n")
        fields = header.split("\x1f")
        if len(fields) != 4:
            continue
        commit = Commit(*fields)
        for name in names.splitlines():
            if name.strip():
                commits.setdefault((base / name).resolve(), commit)
    status = _git(["status", "--porcelain", "-z", "--untracked-files=all", "--", "."], folder)
    uncommitted = frozenset(
        (base / entry[3:]).resolve() for entry in (status or "").split("\0") if len(entry) > 3
    )
    return History(commits, uncommitted)


def _git(args: list[str], folder: Path) -> str | None:
    try:
        result = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args],
            cwd=folder,
            capture_output=True,
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0:
        return None
    return result.stdout.decode("utf-8", "replace")
