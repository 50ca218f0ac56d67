"""The reference document: a ministry's .docx whose styles, page setup, header and footer we take.

Like pandoc's --reference-doc, only the look is taken, never the text: the
body is dropped, and so are comments, footnotes and the document properties.
Loading parses the package once per process and path (the cache is keyed on
path, size and modification time), so rendering many fiches pays for it once.
Missing styles are filled in by `styles.complete_styles` (see there).
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

import fichegen
from fichegen.errors import InputError, Location, Problem, ToolError
from fichegen.i18n import _, os_reason

from . import package as opc
from .oxml import W_NS, qn, to_bytes
from .oxml.footnotes import ensure_footnote_pr
from .oxml.section import make_sect_pr, text_width
from .oxml.theme import CT_THEME, RT_THEME_TARGET, make_theme
from .styles import StyleIds, complete_styles, make_house_styles, set_language

DEFAULT_REFERENCE = fichegen.TEMPLATES / "reference.docx"

MAX_REFERENCE_BYTES = 32 * 1024 * 1024
"""A house-style document with a logo is well under a megabyte."""

# What we take from the reference's main part; everything else it points to is dropped.
_KEPT = {
    opc.RT_STYLES,
    opc.RT_SETTINGS,
    opc.RT_WEB_SETTINGS,
    opc.RT_FONT_TABLE,
    opc.RT_THEME,
    opc.RT_HEADER,
    opc.RT_FOOTER,
    opc.RT_ENDNOTES,
}


@dataclass
class Reference:
    """A loaded reference document; shared between renders, so never mutate its elements."""

    source: str
    main_name: str  # "word/document.xml"
    main_rels: list[opc.Relationship]
    parts: list[opc.Part]  # kept parts, final bytes, except the styles part
    styles_part: opc.Part
    styles: etree._Element  # completed with our fallbacks; language set per render
    style_ids: StyleIds
    sect_pr: etree._Element
    numbering: etree._Element | None
    _styles_blobs: dict[str, bytes] = field(default_factory=dict)

    @property
    def text_width(self) -> int:
        return text_width(self.sect_pr)

    def new_sect_pr(self) -> etree._Element:
        return copy.deepcopy(self.sect_pr)

    def styles_blob(self, language: str) -> bytes:
        if language not in self._styles_blobs:
            styles = copy.deepcopy(self.styles)
            set_language(styles, language)
            self._styles_blobs[language] = to_bytes(styles)
        return self._styles_blobs[language]


def load_reference(path: Path | None) -> Reference:
    """The reference at `path` (our bundled one when None), from the cache when unchanged."""
    path = DEFAULT_REFERENCE if path is None else path
    try:
        stat = path.stat()
    except OSError as exc:
        if path == DEFAULT_REFERENCE:
            raise ToolError(
                Problem(
                    Location(str(path)),
                    _("the bundled reference document is missing"),
                    hint=_("run 'python tools/make_reference_docx.py' to generate it"),
                )
            ) from exc
        raise InputError(
            Problem(
                Location(str(path)),
                _("cannot read reference document: {reason}").format(reason=os_reason(exc)),
            )
        ) from exc
    return _load_cached(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _load_cached(path: str, mtime_ns: int, size: int) -> Reference:
    try:
        from fichegen.files import read_input

        data = read_input(path, MAX_REFERENCE_BYTES)
        return read_reference(data, path)
    except OSError as exc:
        raise InputError(
            Problem(
                Location(path),
                _("cannot read reference document: {reason}").format(reason=os_reason(exc)),
            )
        ) from exc


def read_reference(data: bytes, source: str) -> Reference:
    try:
        if len(data) > MAX_REFERENCE_BYTES:
            raise opc.PackageError(_("larger than a reference document can be"))
        return _read(data, source)
    except (opc.PackageError, etree.XMLSyntaxError) as exc:
        raise InputError(
            Problem(
                Location(source),
                _("cannot use this reference document: {error}").format(error=exc),
                hint=_("give a .docx or .dotx saved by Word or LibreOffice"),
            )
        ) from exc


def _read(data: bytes, source: str) -> Reference:
    reader = opc.ZipReader.from_bytes(data)
    root = opc.Part("", "", b"", reader.rels(""))
    office = [r for r in root.rels if r.reltype == opc.RT_OFFICE_DOCUMENT and not r.external]
    if not office:
        raise opc.PackageError(_("no main document part"))
    main = reader.part(root.target_name(office[0]))
    kept = [r for r in main.rels if r.reltype in _KEPT and not r.external]
    parts = reader.closure(main, kept)
    by_type = {r.reltype: main.target_name(r) for r in reversed(main.rels)}

    body = etree.fromstring(main.blob).find(qn("w:body"))
    sect = body.find(qn("w:sectPr")) if body is not None else None
    sect_pr = copy.deepcopy(sect) if sect is not None else make_sect_pr()
    for child in list(sect_pr):  # elements from later Office versions need mc:Ignorable
        if not isinstance(child.tag, str) or not child.tag.startswith(f"{{{W_NS}}}"):
            sect_pr.remove(child)

    numbering = None
    if opc.RT_NUMBERING in by_type and by_type[opc.RT_NUMBERING] in reader.members:
        numbering = etree.fromstring(reader.members[by_type[opc.RT_NUMBERING]])

    styles_name = by_type.get(opc.RT_STYLES)
    styles_part = next((p for p in parts if p.name == styles_name), None)
    if styles_part is None:
        styles_part = _new_part(main, kept, "styles.xml", opc.RT_STYLES, "styles+xml")
        styles = make_house_styles("nl-NL")
    else:
        parts.remove(styles_part)
        styles = etree.fromstring(styles_part.blob)
    style_ids = complete_styles(styles, source)

    settings_name = by_type.get(opc.RT_SETTINGS)
    settings_part = next((p for p in parts if p.name == settings_name), None)
    if settings_part is None:
        settings_part = _new_part(main, kept, "settings.xml", opc.RT_SETTINGS, "settings+xml")
        parts.append(settings_part)
        settings = etree.Element(qn("w:settings"), nsmap={"w": W_NS})
    else:
        settings = etree.fromstring(settings_part.blob)
    ensure_footnote_pr(settings)
    settings_part.blob = to_bytes(settings)

    if opc.RT_THEME not in by_type:  # Word always has one; the Open XML validator wants one
        theme = _new_part(main, kept, RT_THEME_TARGET, opc.RT_THEME, "")
        parts.append(opc.Part(theme.name, CT_THEME, make_theme()))

    for part in parts:
        if part.name == by_type.get(opc.RT_ENDNOTES):
            part.blob = _without_endnote_text(part.blob)
    return Reference(
        source, main.name, kept, parts, styles_part, styles, style_ids, sect_pr, numbering
    )


def _new_part(
    main: opc.Part, rels: list[opc.Relationship], name: str, reltype: str, ct: str
) -> opc.Part:
    rels.append(opc.Relationship(f"rIdFichegen{len(rels) + 1}", reltype, name))
    return opc.Part(main.target_name(rels[-1]), opc.CT_WML + ct, b"")


def _without_endnote_text(blob: bytes) -> bytes:
    """Keep the endnote separators settings may point at; drop the reference's own endnotes."""
    root = etree.fromstring(blob)
    for note in list(root):
        if note.get(qn("w:type")) in (None, "normal"):
            root.remove(note)
    return to_bytes(root)
