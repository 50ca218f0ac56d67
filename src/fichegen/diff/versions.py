"""Reading a version of a fiche: a file in the work tree, or `path@REV` from git.

A revision is read with `git cat-file` and never touches the work tree or the
index, so a diff is safe in the middle of someone's edits. Git's own
messages are not shown: each failure becomes one line that says which
argument is wrong and how to look for the right one.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import posixpath
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fichegen.errors import InputError, Location, Problem, Severity, ToolError, UsageError
from fichegen.i18n import _, ngettext
from fichegen.load import MAX_BYTES, Source, parse_source, read_source
from fichegen.model import Fiche
from fichegen.rules import RULES
from fichegen.validate import validate


@dataclass(frozen=True)
class VersionSpec:
    """A version as given on the command line."""

    path: Path
    revision: str | None = None
    staged: bool = False  # the version in git's index (what 'git commit' would commit)

    def __str__(self) -> str:
        if self.staged:
            return f"{self.path}@index"
        return f"{self.path}@{self.revision}" if self.revision else str(self.path)


@dataclass(frozen=True)
class Version:
    """A version that was read: its fiche, and who committed it when (None for the work tree)."""

    spec: VersionSpec
    fiche: Fiche
    author: str | None = None
    date: datetime.datetime | None = None
    warnings: tuple[Problem, ...] = ()

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
    """The fiche of one version, or an error saying, at its place, why it cannot be read.

    A version only has to parse and match the format: a reviewer must be able
    to see a half-finished draft, so what the consistency rules find (a stance
    without its conditions, a placeholder) comes back as warnings, as the team's
    check configuration has them (a rule switched off is not reported).
    """
    if spec.revision is None and not spec.staged:
        return _validated(spec, _parsed(lambda: read_source(spec.path)))
    repo = _Repository.of(spec)
    if spec.staged:
        data = repo.blob(":", spec)
        return _validated(spec, _parsed(lambda: parse_source(data, str(spec))))
    commit = repo.commit(spec.revision or "HEAD", str(spec))
    blob = repo.blob(commit + ":", spec)
    author, date = repo.last_change(commit)
    return _validated(spec, _parsed(lambda: parse_source(blob, str(spec))), author, date)


def _parsed(read: Callable[[], Source]) -> Source:
    """The parsed file; one that cannot be read or parsed is a VersionError (exit 2)."""
    try:
        return read()
    except InputError as exc:
        raise VersionError(exc.problems) from None


class VersionError(InputError):
    """A version that does not parse or does not match the format: nothing to compare."""

    exit_code = 2


def _validated(
    spec: VersionSpec,
    source: Source,
    author: str | None = None,
    date: datetime.datetime | None = None,
) -> Version:
    from fichegen.config import ConfigFinder

    result = validate(source)
    unreadable = [p for p in result.errors if _is_fixed(p)]
    if unreadable or result.fiche is None:
        raise VersionError(
            unreadable or result.errors or [Problem(Location(source.path), _("not a valid fiche"))]
        )
    config = ConfigFinder().for_file(spec.path)
    warnings = [
        dataclasses.replace(adjusted, severity=Severity.WARNING)
        for problem in result.problems
        if (adjusted := config.adjust(problem)) is not None
    ]
    return Version(spec, result.fiche, author, date, _placeholders_counted(warnings))


def _placeholders_counted(warnings: list[Problem]) -> tuple[Problem, ...]:
    """A draft's many placeholders as one line, at the first: the changes stay in view."""
    placeholders = [p for p in warnings if p.code == "placeholder"]
    if len(placeholders) < 2:
        return tuple(warnings)
    count = len(placeholders)
    summary = dataclasses.replace(
        placeholders[0],
        message=ngettext(
            "{count} placeholder [INVULLEN: ...] still to fill in",
            "{count} placeholders [INVULLEN: ...] still to fill in",
            count,
        ).format(count=count),
        hint=_("'fichegen check' lists them one by one"),
    )
    kept = [p for p in warnings if p.code != "placeholder" or p is placeholders[0]]
    return tuple(summary if p is placeholders[0] else p for p in kept)


def _is_fixed(problem: Problem) -> bool:
    rule = RULES.get(problem.code)
    return rule is None or rule.fixed


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

    def blob(self, tree: str, spec: VersionSpec) -> bytes:
        """The file's bytes in `tree`: 'COMMIT:' for a commit, ':' for the index."""
        object_name = f"{tree}{self.path}"
        kind = _run(["cat-file", "-t", object_name], self.top)
        if kind.returncode != 0 or kind.stdout.strip() != b"blob":
            if spec.staged:
                raise InputError(
                    Problem(
                        Location(str(spec)),
                        _("'{path}' is not in git's index").format(path=self.path),
                        code="git",
                        hint=_("'git add {path}' stages it").format(path=self.path),
                    )
                )
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


def read_blob(folder: Path, name: str) -> bytes | None:
    """The bytes of the git blob `name` seen from `folder`; None when git has no such blob
    of a fiche's size (or no git)."""
    try:
        kind = _run(["cat-file", "-t", name], folder)
        if kind.returncode != 0 or kind.stdout.strip() != b"blob":
            return None
        if int(_run(["cat-file", "-s", name], folder).stdout or 0) > MAX_BYTES:
            return None
        return _run(["cat-file", "blob", name], folder).stdout
    except ToolError:
        return None


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


@dataclass(frozen=True)
class ChangedFile:
    """A positions file that git sees changed: 'M' modified, 'A' added, 'D' deleted."""

    status: str
    path: Path


def changed_positions(folder: Path, *, staged: bool) -> list[ChangedFile]:
    """The positions files changed in the work tree (or the index) since HEAD, like 'git diff'.

    A positions file is a YAML file in a folder named `positions`. Paths are
    relative to `folder` where they can be.
    """
    top = _run(["rev-parse", "--show-toplevel"], folder)
    if top.returncode != 0:
        raise UsageError(
            Problem(
                Location(str(folder)),
                _("not in a git repository, so there is nothing to compare with"),
                code="usage",
                hint=_("give two versions: 'fichegen diff OLD.yaml NEW.yaml'"),
            )
        )
    root = Path(top.stdout.decode("utf-8").strip())
    args = [
        "diff",
        "--name-status",
        "--no-renames",
        "-z",
        *(["--cached"] if staged else []),
        "HEAD",
    ]
    result = _run(args, root)
    if result.returncode != 0:  # no commit yet: everything is new
        return []
    fields = result.stdout.decode("utf-8", "replace").split("\0")
    found = []
    for status, name in zip(fields[0::2], fields[1::2], strict=False):
        path = Path(name)
        if path.suffix in (".yaml", ".yml") and "positions" in path.parts[:-1]:
            found.append(ChangedFile(status[:1], _relative(root / path, folder)))
    return found


def _relative(path: Path, folder: Path) -> Path:
    try:
        return Path(os.path.relpath(path, folder))
    except ValueError:  # another drive on Windows
        return path
