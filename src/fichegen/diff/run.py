"""The `diff` command's work: read two versions, compare them, and report or write the result."""

from __future__ import annotations

import datetime
import getpass
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from fichegen.audience import for_audience
from fichegen.diff.changes import Change, compare
from fichegen.diff.versions import Version, VersionSpec, git_user_name, parse_spec, read_version
from fichegen.errors import InputError, Location, Problem
from fichegen.i18n import _

ReportFormat = Literal["text", "md", "json", "docx"]


@dataclass(frozen=True)
class Comparison:
    old: Version
    new: Version
    changes: list[Change]


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
    problems: list[Problem] = []
    versions: list[Version] = []
    for spec in (old_spec, new_spec):
        try:
            versions.append(read_version(spec))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    before, after = versions
    changes = compare(for_audience(before.fiche, audience), for_audience(after.fiche, audience))
    return Comparison(before, after, changes)


def format_report(comparison: Comparison, fmt: Literal["text", "md", "json"]) -> str:
    from fichegen.diff.report import Naming, format_json, format_markdown, format_text
    from fichegen.render.markdown import TEMPLATES, load_labels

    old, new = comparison.old.name, comparison.new.name
    if fmt == "json":
        return format_json(comparison.changes, old, new)
    naming = Naming(load_labels(TEMPLATES), comparison.new.fiche.type)
    if fmt == "md":
        return format_markdown(comparison.changes, naming, old, new)
    return format_text(comparison.changes, naming)


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
