"""Reading a version of a fiche: a file in the work tree, or `path@REV` from git.

A revision is read with `git cat-file` and never touches the work tree or the
index, so a diff is safe in the middle of someone's edits. Git's own
messages are not shown: each failure becomes one line that says which
argument is wrong and how to look for the right one.
"""

from __future__ import annotations

import datetime
import os
import posixpath
import subprocess
from dataclasses import dataclass
from pathlib import Path

from fichegen.errors import InputError, Location, Problem, ToolError, UsageError
from fichegen.i18n import _
from fichegen.load import MAX_BYTES, parse_source, read_source
from fichegen.model import Fiche
from fichegen.validate import validate


@dataclass(frozen=True)
class VersionSpec:
    """A version as given on the command line."""

    path: Path
    revision: str | None = None

    def __str__(self) -> str:
        return f"{self.path}@{self.revision}" if self.revision else str(self.path)


@dataclass(frozen=True)
class Version:
    """A version that was read: its fiche, and who committed it when (None for the work tree)."""

    spec: VersionSpec
    fiche: Fiche
    author: str | None = None
    date: datetime.datetime | None = None

    @property
    def name(self) -> str:
        return str(self.spec)


def parse_spec(text: str) -> VersionSpec:
    """`path` or `path@REV`; an existing file whose name holds '@' is a path.

    The path ends at the first '@' after a YAML file name (revisions such as
    `HEAD@{1}` hold '@' too), else at the first '@'.
    """
    if "@" not in text or Path(text).is_file():
        return VersionSpec(Path(text))
    cuts = [i for i, char in enumerate(text) if char == "@"]
    cut = next((i for i in cuts if text[:i].endswith((".yaml", ".yml"))), cuts[0])
    path, revision = text[:cut], text[cut + 1 :]
    if not path or not revision:
        raise UsageError(
            Problem(
                Location(text),
                _("expected a file or FILE@REVISION"),
                code="usage",
                hint=_("for example positions/x.yaml@HEAD~1 or positions/x.yaml"),
            )
        )
    return VersionSpec(Path(path), revision)


def read_version(spec: VersionSpec) -> Version:
    """The fiche of one version, or an InputError saying why it cannot be read."""
    if spec.revision is None:
        source = read_source(spec.path)
        result = validate(source)
        return Version(spec, _validated(result.fiche, source.path, result.errors))
    repo = _Repository.of(spec)
    commit = repo.commit(spec.revision, str(spec))
    data = repo.blob(commit, spec)
    source = parse_source(data, str(spec))
    result = validate(source)
    author, date = repo.last_change(commit)
    return Version(spec, _validated(result.fiche, source.path, result.errors), author, date)


def _validated(fiche: Fiche | None, name: str, errors: list[Problem]) -> Fiche:
    if errors or fiche is None:
        raise InputError(errors or [Problem(Location(name), _("not a valid fiche"))])
    return fiche


def git_user_name(folder: Path) -> str | None:
    """`user.name` from git's configuration as seen from a folder, if git and the name exist."""
    try:
        result = _run(["config", "user.name"], folder if folder.is_dir() else Path.cwd())
    except ToolError:
        return None
    return result.stdout.decode("utf-8", "replace").strip() or None


@dataclass(frozen=True)
class _Repository:
    """The git repository holding one path, and that path relative to its top."""

    top: Path
    path: str

    @classmethod
    def of(cls, spec: VersionSpec) -> _Repository:
        parent = spec.path.parent
        folder, relative = (
            (parent, spec.path.name) if parent.is_dir() else (Path.cwd(), str(spec.path))
        )
        result = _run(["rev-parse", "--show-toplevel", "--show-prefix"], folder)
        if result.returncode != 0:
            raise InputError(
                Problem(
                    Location(str(spec)),
                    _("{path} is not in a git repository").format(path=spec.path),
                    code="git",
                    hint=_(
                        "FILE@REVISION reads FILE from git; to compare two files, "
                        "give both: 'fichegen diff OLD.yaml NEW.yaml'"
                    ),
                )
            )
        top, prefix = (result.stdout.decode("utf-8") + "\n").split("\n")[:2]
        path = posixpath.normpath(prefix + relative.replace(os.sep, "/"))
        if path.startswith("../"):
            raise InputError(
                Problem(
                    Location(str(spec)),
                    _("{path} is outside the git repository at {top}").format(
                        path=spec.path, top=top
                    ),
                    code="git",
                )
            )
        return cls(Path(top), path)

    def commit(self, revision: str, name: str) -> str:
        result = _run(
            ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"],
            self.top,
        )
        if result.returncode != 0:
            raise InputError(
                Problem(
                    Location(name),
                    _("unknown git revision '{revision}'").format(revision=revision),
                    code="git",
                    hint=_(
                        "a commit, tag, branch or HEAD~N; 'git log --oneline' lists the commits"
                    ),
                )
            )
        return result.stdout.decode("ascii").strip()

    def blob(self, commit: str, spec: VersionSpec) -> bytes:
        object_name = f"{commit}:{self.path}"
        kind = _run(["cat-file", "-t", object_name], self.top)
        if kind.returncode != 0 or kind.stdout.strip() != b"blob":
            raise InputError(
                Problem(
                    Location(str(spec)),
                    _("'{path}' is not a file in revision {revision}").format(
                        path=self.path, revision=spec.revision
                    ),
                    code="git",
                    hint=_(
                        "'git log --oneline -- {path}' lists the revisions that "
                        "have it; a renamed file has its old name there"
                    ).format(path=self.path),
                )
            )
        size = _run(["cat-file", "-s", object_name], self.top)
        if int(size.stdout or 0) > MAX_BYTES:
            raise InputError(
                Problem(
                    Location(str(spec)), _("file is larger than a fiche can be"), code="too-large"
                )
            )
        return _run(["cat-file", "blob", object_name], self.top).stdout

    def last_change(self, commit: str) -> tuple[str | None, datetime.datetime | None]:
        """Author and date of the newest commit up to `commit` that changed the file."""
        result = _run(
            ["log", "-1", "--format=%an%x00%aI", commit, "--", f":(top){self.path}"], self.top
        )
        text = result.stdout.decode("utf-8", "replace").strip()
        if result.returncode != 0 or "\0" not in text:
            return None, None
        author, date = text.split("\0", 1)
        moment = datetime.datetime.fromisoformat(date).astimezone(datetime.UTC)
        return author or None, moment


def _run(args: list[str], folder: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", "-C", str(folder), *args],
            capture_output=True,
            check=False,
            timeout=60,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"},
        )
    except FileNotFoundError:
        raise ToolError(
            Problem(
                Location("git"),
                _("git is not installed or not on PATH"),
                code="git",
                hint=_("install git to compare revisions"),
            )
        ) from None
    except subprocess.TimeoutExpired:
        raise ToolError(
            Problem(Location("git"), _("git did not answer within 60 seconds"), code="git")
        ) from None
