"""The `diff` command's work: read two versions, compare them, and report or write the result."""

from __future__ import annotations

import datetime
import getpass
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import click

from fichegen.audience import for_audience
from fichegen.diff.changes import Change, compare
from fichegen.diff.versions import (
    Version,
    VersionError,
    VersionSpec,
    git_user_name,
    parse_spec,
    read_version,
)
from fichegen.errors import InputError, Location, Problem, Severity, UsageError
from fichegen.i18n import _

ReportFormat = Literal["text", "md", "json", "docx"]


@dataclass(frozen=True)
class Comparison:
    old: Version
    new: Version
    changes: list[Change]

    @property
    def warnings(self) -> list[Problem]:
        """What the consistency rules find in either version: shown, never a refusal."""
        return [*self.old.warnings, *self.new.warnings]


def compare_versions(old: str, new: str | None, audience: str = "public") -> Comparison:
    """Read both versions and compare them, as the given audience would read them.

    The public comparison never mentions internal notes, not even that one changed.

    Without `new`, `old` is compared with its file in the work tree, and a
    plain path is compared with its last commit (HEAD), as `git diff FILE` does.

    Both are read before either is reported on, so a user sees the problems of
    both at once.
    """
    old_spec = parse_spec(old)
    if new is None and old_spec.revision is None:
        old_spec = VersionSpec(old_spec.path, "HEAD")  # like 'git diff FILE'
    new_spec = parse_spec(new) if new is not None else VersionSpec(old_spec.path)
    return _compare_specs(old_spec, new_spec, audience)


def _compare_specs(old: VersionSpec, new: VersionSpec, audience: str = "public") -> Comparison:
    problems: list[Problem] = []
    versions: list[Version] = []
    unreadable = False
    for spec in (old, new):
        try:
            versions.append(read_version(spec))
        except InputError as exc:
            problems += exc.problems
            unreadable = unreadable or isinstance(exc, VersionError)
    if problems:
        raise VersionError(problems) if unreadable else InputError(problems)
    before, after = versions
    changes = compare(for_audience(before.fiche, audience), for_audience(after.fiche, audience))
    return Comparison(before, after, changes)


def compare_changed(
    *, staged: bool = False, audience: str = "public", folder: Path | None = None
) -> tuple[list[Comparison], list[Problem]]:
    """Every positions file changed since HEAD, compared with HEAD, as 'git diff' would.

    The work tree's files, or with `staged` the versions in git's index. A file
    that is new or deleted has nothing to compare with: it comes back as a
    note to show, with the comparisons. Every version is read before any is reported on, so a user
    sees the problems of all of them at once.
    """
    from fichegen.diff.versions import changed_positions

    problems: list[Problem] = []
    comparisons: list[Comparison] = []
    notes: list[Problem] = []
    unreadable = False
    for changed in changed_positions(folder or Path.cwd(), staged=staged):
        if changed.status != "M":
            message = (
                _("new file; there is no earlier version to compare it with")
                if changed.status == "A"
                else _("deleted; there is no new version to compare")
            )
            notes.append(Problem(Location(str(changed.path)), message, Severity.WARNING, "diff"))
            continue
        try:
            comparisons.append(
                _compare_specs(
                    VersionSpec(changed.path, "HEAD"),
                    VersionSpec(changed.path, staged=staged),
                    audience,
                )
            )
        except InputError as exc:
            problems += exc.problems
            unreadable = unreadable or isinstance(exc, VersionError)
    if problems:
        raise VersionError(problems) if unreadable else InputError(problems)
    return comparisons, notes


def format_report(
    comparisons: list[Comparison],
    fmt: Literal["text", "md", "json"],
    *,
    color: bool = False,
) -> str:
    """The report of one or more comparisons; with several, each under its file's name."""
    from fichegen.diff.report import (
        Naming,
        format_json,
        format_markdown,
        format_text,
        json_records,
    )

    if fmt == "json":
        return format_json(
            [
                (c.old.name, c.new.name, json_records(c.changes, c.new.fiche.type))
                for c in comparisons
            ]
        )
    labels = _labels()
    parts = []
    for comparison in comparisons:
        naming = Naming(labels, comparison.new.fiche.type)
        old, new = comparison.old.name, comparison.new.name
        if fmt == "md":
            parts.append(format_markdown(comparison.changes, naming, old, new))
        elif len(comparisons) == 1:
            parts.append(format_text(comparison.changes, naming, color=color))
        elif comparison.changes:
            header = f"{comparison.new.spec.path} ({old} -> {new})"
            parts.append(
                (click.style(header, bold=True) if color else header)
                + "\n"
                + format_text(comparison.changes, naming, color=color)
            )
    return "\n".join(parts)


def _labels() -> dict[str, Any]:
    """The bundled labels.yaml, read without the renderer (and its Jinja and Markdown)."""
    import fichegen
    from fichegen.load import read_source

    labels = read_source(fichegen.TEMPLATES / "labels.yaml").tree
    assert isinstance(labels, dict), "the bundled labels.yaml is a mapping"
    return labels


def tracked_document(
    comparison: Comparison,
    *,
    author: str | None = None,
    reference: Path | None = None,
    audience: str = "public",
) -> bytes:
    """The new version as Word, with every difference from the old one as a revision."""
    from fichegen.diff.ooxml import PackageError
    from fichegen.diff.tracked import track_changes
    from fichegen.pipeline import render_fiche

    old = render_fiche(
        comparison.old.fiche,
        "docx",
        reference=reference,
        source_path=comparison.old.name,
        audience=audience,
    )
    new = render_fiche(
        comparison.new.fiche,
        "docx",
        reference=reference,
        source_path=comparison.new.name,
        audience=audience,
    )
    try:
        return track_changes(
            old, new, revision_author(comparison.new, author), revision_date(comparison.new)
        )
    except PackageError as exc:
        raise InputError(
            Problem(
                Location(str(reference or comparison.new.name)),
                _("cannot compare the Word renders: {error}").format(error=exc),
            )
        ) from None


def revision_author(new: Version, given: str | None) -> str:
    """Who the revisions are by: as given, else the newer commit's author, else git's user."""
    if given and given.strip():
        return given.strip()
    if new.author:
        return new.author
    return git_user_name(new.spec.path.parent) or _login() or "fichegen"


def revision_date(new: Version) -> datetime.datetime:
    """When: the newer commit's date, or now (UTC, whole seconds) for the work tree."""
    if new.date is not None:
        return new.date
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0)


def default_docx_output(new: Version) -> Path:
    return Path("output") / f"{new.spec.path.stem}-wijzigingen.docx"


def _login() -> str | None:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return None


@dataclass(frozen=True)
class DiffRequest:
    """What `fichegen diff` was asked: two versions, one, or none (every changed file)."""

    old: str | None
    new: str | None
    fmt: ReportFormat = "text"
    output: Path | None = None
    author: str | None = None
    audience: str = "public"
    reference: Path | None = None
    staged: bool = False
    color: bool = False


@dataclass
class DiffOutcome:
    """What the command shows: the report, what it wrote, what it warns about."""

    comparisons: list[Comparison]
    report: str = ""
    notes: list[Problem] = field(default_factory=list)  # warnings, in order, for stderr
    written: list[tuple[Path, int]] = field(default_factory=list)  # file, number of changes

    @property
    def differs(self) -> bool:
        return any(c.changes for c in self.comparisons)


def run_diff(request: DiffRequest) -> DiffOutcome:
    """Compare as asked and make the report or the Word files (writing them atomically)."""
    from fichegen.files import check_output, write_atomic

    if request.staged and request.old is not None:
        raise UsageError(
            Problem(
                Location("--staged"),
                _("--staged compares every staged positions file; give no versions with it"),
                code="usage",
            )
        )
    notes: list[Problem] = []
    if request.old is None:
        comparisons, notes = compare_changed(staged=request.staged, audience=request.audience)
    else:
        comparisons = [compare_versions(request.old, request.new, request.audience)]
    # Nothing is written over a version being compared or the reference document.
    inputs = [request.reference]
    for comparison in comparisons:
        inputs += [comparison.old.spec.path, comparison.new.spec.path]
    if request.output is not None:
        check_output(request.output, inputs=inputs)
    outcome = DiffOutcome(comparisons, notes=[*notes, *_warnings(comparisons)])
    if request.fmt == "docx":
        if request.output is not None and len(comparisons) > 1:
            raise UsageError(
                Problem(
                    Location("--output"),
                    _("{count} fiches changed; -o names one file").format(count=len(comparisons)),
                    code="usage",
                    hint=_("leave out -o: each goes to output/<name>-wijzigingen.docx"),
                )
            )
        for comparison in comparisons:
            target = request.output or default_docx_output(comparison.new)
            document = tracked_document(
                comparison,
                author=request.author,
                reference=request.reference,
                audience=request.audience,
            )
            write_atomic(target, document, inputs=inputs)
            outcome.written.append((target, len(comparison.changes)))
        return outcome
    outcome.report = format_report(
        comparisons, request.fmt, color=request.color and request.output is None
    )
    if request.output is not None:
        write_atomic(request.output, outcome.report.encode("utf-8"), inputs=inputs)
        outcome.written.append((request.output, sum(len(c.changes) for c in comparisons)))
        outcome.report = ""
    return outcome


def _warnings(comparisons: list[Comparison]) -> list[Problem]:
    seen: set[str] = set()
    found = []
    for comparison in comparisons:
        for problem in comparison.warnings:
            text = problem.format()
            if text not in seen:
                seen.add(text)
                found.append(problem)
    return found
