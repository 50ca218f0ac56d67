"""Import the Commission's action list to pre-fill a fiche's areas and actions.

Three readers turn a file into `tabular.Row`s, each reporting every problem it
finds: CSV and YAML (`tabular`) and text extracted from the annex's PDF
(`pdftext`). `tabular.build_areas` turns the rows into model `Area`s with every
action at `Stance.NO_POSITION`. Nothing here prints; problems leave as one
`InputError`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from fichegen.errors import InputError, Location, Problem
from fichegen.i18n import _, os_reason
from fichegen.importers.pdftext import parse_pdftext
from fichegen.importers.tabular import Row, build_areas, parse_csv, parse_yaml
from fichegen.load import decode
from fichegen.model import Area

__all__ = ["FORMATS", "import_actions"]

Parser = Callable[[str, str], tuple[list[Row], list[Problem]]]

FORMATS: dict[str, Parser] = {
    ".csv": parse_csv,
    ".yaml": parse_yaml,
    ".yml": parse_yaml,
    ".txt": parse_pdftext,
}
"""Readers by file extension (lowercase)."""

CSV_ENCODING_HINT = "in Excel, save with 'Save as' and the type 'CSV UTF-8'"

MAX_BYTES = 5 * 1024 * 1024
"""The annex of an action plan is some 40 KB of text; a thousand times that is a wrong file."""


def import_actions(path: Path) -> list[Area]:
    """Read an action list (CSV, YAML, or text extracted from a PDF, chosen by extension:
    .csv, .yaml/.yml, .txt) into areas of actions, every action with stance Stance.NO_POSITION.

    Raises InputError with every problem found.
    """
    source = str(path)
    parse = FORMATS.get(path.suffix.lower())
    if parse is None:
        raise InputError(
            Problem(
                Location(source),
                _("cannot import actions from a '{suffix}' file").format(suffix=path.suffix),
                code="unknown-format",
                hint=_(
                    "use a .csv, .yaml or .yml file, or a .txt file with the text copied or "
                    "exported from the annex's PDF"
                ),
            )
        )
    text = _read_text(path)
    if not text.strip():
        raise InputError(
            Problem(
                Location(source),
                _("file is empty"),
                code="empty",
                hint=_("is this the right file?"),
            )
        )
    rows, problems = parse(text, source)
    if not rows and not problems:
        problems = [
            Problem(
                Location(source),
                _("no actions found"),
                code="empty",
                hint=_("the file names no action; add at least one"),
            )
        ]
    areas, more = build_areas(rows)
    problems = sorted(problems + more, key=lambda p: p.location)
    if any(p.is_error for p in problems):
        raise InputError(problems)
    return areas


def _read_text(path: Path) -> str:
    source = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                Problem(
                    Location(source),
                    _("file is {size} MB, more than an action list can be").format(
                        size=f"{size / 1_048_576:.1f}"
                    ),
                    code="too-large",
                    hint=_("is this the right file?"),
                )
            )
        from fichegen.files import read_input

        data = read_input(path, MAX_BYTES)
    except OSError as exc:
        raise InputError(
            Problem(
                Location(source),
                _("cannot read file: {reason}").format(reason=os_reason(exc)),
                code="unreadable",
                hint=_("check the path and that you may read the file"),
            )
        ) from None
    try:
        text = decode(data, source)
    except InputError as exc:
        if path.suffix.lower() != ".csv":
            raise
        # The usual cause is Excel's plain 'CSV' format, so say how to avoid it there.
        raise InputError([replace(p, hint=CSV_ENCODING_HINT) for p in exc.problems]) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")
