"""A canonical text of a .docx or a positions file, for `git diff` (git's textconv).

Git calls `fichegen textconv FILE` for each side of a diff and compares the
texts: a Word file becomes one line per paragraph with its style (the dump of
`fichegen.render.docx.dump`), a positions file the fiche's Markdown as
rendered for the audience. A file that cannot be shown so never makes
`git diff` fail: it becomes one line saying so, with a fingerprint of the file
so that a change still shows. The public text of a positions file that cannot
be rendered shows nothing of its content, since its internal notes cannot be
told apart from the rest; only `--audience internal` shows the file as it is.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from fichegen.errors import FichegenError, InputError, Location, Problem, Severity
from fichegen.i18n import _
from fichegen.load import MAX_BYTES

if TYPE_CHECKING:
    from fichegen.config import CheckConfig

MAX_DOCX_BYTES = 32 * 1024 * 1024
"""A Word file of a fiche is well under a megabyte."""


@dataclass(frozen=True)
class Conversion:
    text: str
    warnings: list[Problem] = field(default_factory=list)


def textconv(path: Path, audience: str = "public") -> Conversion:
    """The text git compares; never raises for a bad file (a warning says why)."""
    from fichegen.files import read_input

    name = str(path)
    try:
        data = read_input(path, max(MAX_BYTES, MAX_DOCX_BYTES))
    except InputError as exc:
        return _not_shown(b"", name, exc.problems[0].message)
    if data.startswith(b"PK\x03\x04"):
        return _docx_text(data, name)
    return _positions_text(data, path, audience)


def _docx_text(data: bytes, name: str) -> Conversion:
    from lxml import etree

    from fichegen.render.docx.dump import dump_docx

    if len(data) > MAX_DOCX_BYTES:
        return _not_shown(data, name, _("it is larger than a fiche's Word file can be"))
    try:
        return Conversion(dump_docx(data))
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        return _not_shown(
            data, name, _("it is not a readable Word file ({reason})").format(reason=exc)
        )


def _positions_text(data: bytes, path: Path, audience: str) -> Conversion:
    from fichegen.audience import for_audience
    from fichegen.load import parse_source
    from fichegen.render.markdown import render_markdown
    from fichegen.validate import validate

    name = str(path)
    if len(data) > MAX_BYTES:
        return _fallback(data, name, audience, _("it is larger than a fiche"))
    try:
        result = validate(parse_source(data, name))
    except InputError as exc:
        return _fallback(data, name, audience, exc.problems[0].message)
    errors = _config(path).blocking(result.errors)
    if errors or result.fiche is None:
        count = len(errors or result.errors)
        why = _("it has {count} error(s)").format(count=count)
        return _fallback(data, name, audience, why)
    try:
        return Conversion(render_markdown(for_audience(result.fiche, audience)))
    except FichegenError as exc:  # a broken template must not break 'git diff'
        return _fallback(data, name, audience, exc.problems[0].message)


def _config(path: Path) -> CheckConfig:
    """The team's check configuration: from the file's folder, else from where git runs.

    Git hands textconv a temporary copy of an old version, outside the
    repository, so the folder git runs in (the repository's top) is asked too.
    """
    from fichegen.config import DEFAULT, ConfigFinder

    finder = ConfigFinder()
    try:
        config = finder.for_file(path)
        return config if config is not DEFAULT else finder.for_folder(Path.cwd())
    except FichegenError:  # a broken configuration: 'check' reports it, textconv goes on
        return DEFAULT


def _fallback(data: bytes, name: str, audience: str, why: str) -> Conversion:
    """A positions file that cannot be rendered: as is for internal eyes, else not shown."""
    if audience == "internal":
        return Conversion(
            data.decode("utf-8", "replace"),
            [
                _warning(
                    name,
                    _("not shown as a fiche because {why}; showing the file as is").format(why=why),
                )
            ],
        )
    return _not_shown(data, name, why)


def _not_shown(data: bytes, name: str, why: str) -> Conversion:
    """One line instead of the file: nothing of its content, only a fingerprint of it.

    The reason goes to standard error only, since git may cache what textconv
    prints and a message can quote the file.
    """
    fingerprint = hashlib.sha256(data).hexdigest()[:16]
    line = _("[fichegen: {name} cannot be shown as text; fingerprint {fingerprint}]").format(
        name=Path(name).name, fingerprint=fingerprint
    )
    return Conversion(line + "\n", [_warning(name, _("not shown because {why}").format(why=why))])


def _warning(name: str, message: str) -> Problem:
    return Problem(
        Location(name),
        message,
        Severity.WARNING,
        code="textconv",
        hint=_("run 'fichegen check {name}' to see the problems").format(name=name),
    )
