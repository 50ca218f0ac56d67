"""What changed in a fiche since its last commit, through the engine of `fichegen diff`.

This is the preview's one entry point to the diff engine. It asks for the
Markdown report (`fichegen diff -f md`) and relies on nothing in it but its
being Markdown under one heading of its own, which it leaves out: that heading
names the versions as `fichegen diff` is given them (`x.yaml@HEAD`), and the
page says in words which versions it compares.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from fichegen.errors import FichegenError, Problem

if TYPE_CHECKING:
    from fichegen.model import Fiche


def changes_since_commit(
    path: Path, audience: str, shown: Fiche | None = None
) -> tuple[str, list[Problem]]:
    """The diff against HEAD as Markdown, or no text and the problems why not.

    Of `shown` (the last version without errors, which the preview shows while
    the file has errors) when given, else of the file as it is now.
    """
    from fichegen.audience import for_audience
    from fichegen.diff.changes import compare
    from fichegen.diff.run import Comparison, compare_versions, format_report
    from fichegen.diff.versions import Version, VersionSpec, read_version

    name = os.path.relpath(path)  # the report names the file as the user would
    if name.startswith(".."):
        name = str(path)
    try:
        if shown is None:
            comparison = compare_versions(f"{name}@HEAD", name, audience)
        else:
            before = read_version(VersionSpec(Path(name), "HEAD"))
            after = Version(VersionSpec(Path(name)), shown)
            changes = compare(for_audience(before.fiche, audience), for_audience(shown, audience))
            comparison = Comparison(before, after, changes)
        report = format_report([comparison], "md")
    except FichegenError as exc:
        return "", list(exc.problems)
    if report.startswith("#"):
        report = report.partition("\n")[2]
    return report, []
