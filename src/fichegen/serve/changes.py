"""What changed in a fiche since its last commit, through the engine of `fichegen diff`.

This is the preview's one entry point to the diff engine. It asks for the
Markdown report (`fichegen diff -f md`) and relies on nothing in it but its
being Markdown, so the engine may word and lay out its report as it likes.
"""

from __future__ import annotations

import os
from pathlib import Path

from fichegen.errors import FichegenError, Problem


def changes_since_commit(path: Path, audience: str) -> tuple[str, list[Problem]]:
    """The diff of the file against HEAD as Markdown, or no text and the problems why not."""
    from fichegen.diff.run import compare_versions, format_report

    name = os.path.relpath(path)  # the report names the file as the user would
    if name.startswith(".."):
        name = str(path)
    try:
        comparison = compare_versions(f"{name}@HEAD", name, audience)
        return format_report([comparison], "md"), []
    except FichegenError as exc:
        return "", list(exc.problems)
