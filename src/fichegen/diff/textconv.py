"""A canonical text of a .docx or a positions file, for `git diff` (git's textconv).

Git calls `fichegen textconv FILE` for each side of a diff and compares the
texts: a Word file becomes one line per paragraph with its style (the dump of
`fichegen.render.docx.dump`), a positions file the fiche's Markdown as
rendered. A file that cannot be read as either still gives its text, so
`git diff` never fails because of one broken file.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from fichegen.errors import InputError, Location, Problem, Severity
from fichegen.i18n import _
from fichegen.load import MAX_BYTES


@dataclass(frozen=True)
class Conversion:
    text: str
    warnings: list[Problem] = field(default_factory=list)


def textconv(path: Path, audience: str = "public") -> Conversion:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(
            Problem(
                Location(str(path)),
                _("cannot read file: {reason}").format(reason=exc.strerror),
                code="unreadable",
            )
        ) from None
    if data.startswith(b"PK\x03\x04"):
        return Conversion(_docx_text(data, str(path)))
    return _positions_text(data, path, audience)


def _docx_text(data: bytes, name: str) -> str:
    from lxml import etree

    from fichegen.render.docx.dump import dump_docx

    try:
        return dump_docx(data)
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise InputError(
            Problem(Location(name), f"not a readable Word file: {exc}", code="unreadable")
        ) from None


def _positions_text(data: bytes, path: Path, audience: str) -> Conversion:
    from fichegen.audience import for_audience
    from fichegen.load import decode, parse_source
    from fichegen.render.markdown import render_markdown
    from fichegen.validate import validate

    name = str(path)
    if len(data) > MAX_BYTES:
        return Conversion(_as_text(data), [_shown_as_is(name, "it is larger than a fiche")])
    try:
        result = validate(parse_source(data, name))
    except InputError as exc:
        return Conversion(_as_text(data), [_shown_as_is(name, exc.problems[0].message)])
    if result.errors or result.fiche is None:
        count = len(result.errors)
        return Conversion(
            decode(data, name), [_shown_as_is(name, f"it has {count} error{'s' * (count != 1)}")]
        )
    try:
        return Conversion(render_markdown(for_audience(result.fiche, audience)))
    except InputError as exc:  # a broken template must not break 'git diff'
        return Conversion(decode(data, name), [_shown_as_is(name, exc.problems[0].message)])


def _as_text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def _shown_as_is(name: str, why: str) -> Problem:
    return Problem(
        Location(name),
        f"not shown as a fiche because {why}; showing the file as is",
        Severity.WARNING,
        code="textconv",
        hint=f"run 'fichegen check {name}' to see the problems",
    )
