"""Markdown -> Word: the fiche's Markdown rendered through markdown-it tokens into a .docx.

Jinja never touches the .docx. The layers, each depending only on those below:

- `__init__`   this API: parse, pick the reference, assemble the package
- `writer`     token handlers that decide what to write (one method per token type),
               with `tables` for a table's layout
- `styles`     the styles a fiche needs, found by name in the reference; a style the
               reference lacks is added from our defaults (never an error), a style of
               the wrong type is an InputError naming it
- `reference`  loading (cached per process) a ministry's reference .docx: its styles,
               page setup, header and footer, never its text
- `oxml`       the raw WordprocessingML python-docx lacks, named after the schema
               (footnotes, numbering, hyperlinks, table header repeat, shading, fields)
- `package`    the zip package: parts, relationships, reproducible writing
- `dump`       a readable text dump of any .docx, for golden tests

The output is reproducible: the same Markdown, info and reference give the
same bytes. Dates (zip entries, created/modified) come from SOURCE_DATE_EPOCH
when set, else 1980-01-01. python-docx is not imported when rendering (it
costs 50 ms to import and its proxy objects ~250 ms per fiche); tests use it
to read our output back independently.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType

from lxml import etree
from markdown_it import MarkdownIt

from fichegen.errors import InputError, Location, Problem, UsageError
from fichegen.i18n import _

from . import package as opc
from .oxml import anchors, qn, to_bytes
from .oxml.header import mark_headers
from .oxml.numbering import NumberingPart
from .oxml.section import make_app_properties, make_core_properties, make_document
from .reference import DEFAULT_REFERENCE, Reference, load_reference
from .writer import DocxWriter, Links

__all__ = ["DEFAULT_REFERENCE", "DocumentInfo", "render_docx"]

_FIXED_DATE = datetime(1980, 1, 1, tzinfo=UTC)
_HEX = re.compile(r"#?([0-9A-Fa-f]{6})")


@dataclass(frozen=True)
class DocumentInfo:
    """What the .docx needs beyond the Markdown: properties and table shading."""

    title: str  # core property title, "Fiche: Mededeling over ..."
    subject: str  # core property subject: the COM number(s)
    language: str = "nl-NL"
    cell_shading: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    source_path: str = ""  # for error messages
    marks: tuple[str, ...] = ()  # CONCEPT, INTERN: in the header of every page
    watermark: str = ""  # a draft's diagonal text behind every page
    moment: datetime | None = None  # created/modified; None: SOURCE_DATE_EPOCH or 1980
    custom_properties: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


def render_docx(markdown: str, info: DocumentInfo, reference: Path | None = None) -> bytes:
    """The .docx bytes for a fiche's Markdown. Same input -> byte-identical output."""
    source = info.source_path or "<markdown>"
    moment = info.moment or source_date(source)
    ref = load_reference(reference)
    tokens = word_parser().parse(markdown)
    first_rid = _max_rid(ref.main_rels) + 1
    writer = DocxWriter(
        ref.style_ids,
        NumberingPart(ref.numbering),
        text_width=ref.text_width,
        shading=_check_shading(info.cell_shading, source),
        source=source,
        first_rid=first_rid + 2,  # numbering and footnotes come first
    )
    writer.render(tokens)
    if len(writer.body) and writer.body[-1].tag == qn("w:tbl"):
        writer.body.append(_closing_paragraph())
    writer.body.append(ref.new_sect_pr())
    return _assemble(ref, writer, info, moment, first_rid)


def _closing_paragraph() -> etree._Element:
    """A body must not end with a table: Word would add an empty paragraph of full height."""
    p = etree.Element(qn("w:p"))
    ppr = etree.SubElement(p, qn("w:pPr"))
    spacing = etree.SubElement(ppr, qn("w:spacing"))
    for name, value in (("before", "0"), ("after", "0"), ("line", "20"), ("lineRule", "exact")):
        spacing.set(qn("w:" + name), value)
    return p


def _marked(
    ref: Reference, main: opc.Part, sect_pr: etree._Element, info: DocumentInfo
) -> list[opc.Part]:
    """The reference's parts, with the headers carrying the fiche's marks when it has any."""
    if not (info.marks or info.watermark):
        return ref.parts
    settings = next((p for p in ref.parts if p.content_type.endswith("settings+xml")), None)
    even = settings is not None and b"evenAndOddHeaders" in settings.blob
    return mark_headers(sect_pr, main, ref.parts, " · ".join(info.marks), info.watermark, even)


@functools.cache
def word_parser(*, blocks_only: bool = False) -> MarkdownIt:
    """The Markdown parser the Word writer reads with; shared by whoever must see its blocks.

    With `blocks_only`, the same parser without the inline pass: the same
    top-level blocks (the footnote pass filters the same definitions out and
    appends no block with a source line), in half the time.
    """
    from mdit_py_plugins.footnote import footnote_plugin

    parser = MarkdownIt("commonmark").enable("table").use(footnote_plugin)
    return parser.disable("inline") if blocks_only else parser


def source_date(source: str) -> datetime:
    """SOURCE_DATE_EPOCH as a UTC datetime (reproducible-builds.org), else 1980-01-01."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return _FIXED_DATE
    try:
        return max(datetime.fromtimestamp(int(raw), UTC), _FIXED_DATE)
    except (ValueError, OverflowError, OSError) as exc:
        raise UsageError(
            Problem(
                Location("SOURCE_DATE_EPOCH"),
                _("SOURCE_DATE_EPOCH is {value}, not a number of seconds since 1970").format(
                    value=repr(raw)
                ),
                hint=_("unset it or set it to e.g. 1735689600 (rendering {source})").format(
                    source=source
                ),
            )
        ) from exc


def _check_shading(shading: Mapping[str, str], source: str) -> dict[str, str]:
    checked = {}
    for text, colour in shading.items():
        match = _HEX.fullmatch(colour.strip())
        if not match:
            raise InputError(
                Problem(
                    Location(source),
                    _("cell shading for {label} is {colour}, not a colour").format(
                        label=repr(text), colour=repr(colour)
                    ),
                    hint=_("give six hex digits, e.g. 'C6EFCE'"),
                )
            )
        checked[text.strip()] = match.group(1).upper()
    return checked


def _max_rid(rels: list[opc.Relationship]) -> int:
    numbers = [int(r.rid[3:]) for r in rels if r.rid.startswith("rId") and r.rid[3:].isdigit()]
    return max(numbers, default=0)


def _assemble(
    ref: Reference, writer: DocxWriter, info: DocumentInfo, moment: datetime, first_rid: int
) -> bytes:
    folder = ref.main_name.rpartition("/")[0]
    prefix = folder + "/" if folder else ""
    numbering_rel = opc.Relationship(f"rId{first_rid}", opc.RT_NUMBERING, "numbering.xml")
    footnotes_rel = opc.Relationship(f"rId{first_rid + 1}", opc.RT_FOOTNOTES, "footnotes.xml")
    document = make_document(writer.body)
    main = opc.Part(
        ref.main_name,
        opc.CT_DOCUMENT,
        b"",
        [*ref.main_rels, numbering_rel, footnotes_rel, *_link_rels(writer.body_links)],
    )
    kept = _marked(ref, main, writer.body[-1], info)  # before the body is written out
    main.blob = to_bytes(document)
    styles = opc.Part(ref.styles_part.name, ref.styles_part.content_type, b"")
    styles.blob = ref.styles_blob(info.language)
    parts = [
        opc.Part("docProps/core.xml", opc.CT_CORE_PROPERTIES, _core(info, moment)),
        opc.Part("docProps/app.xml", opc.CT_EXTENDED_PROPERTIES, make_app_properties()),
        main,
        styles,
        opc.Part(prefix + "numbering.xml", opc.CT_NUMBERING, to_bytes(writer.numbering.root)),
        opc.Part(
            prefix + "footnotes.xml",
            opc.CT_FOOTNOTES,
            to_bytes(writer.footnotes),
            _link_rels(writer.note_links),
        ),
        *kept,
    ]
    package_rels = [
        opc.Relationship("rId1", opc.RT_OFFICE_DOCUMENT, ref.main_name),
        opc.Relationship("rId2", opc.RT_CORE_PROPERTIES, "docProps/core.xml"),
        opc.Relationship("rId3", opc.RT_EXTENDED_PROPERTIES, "docProps/app.xml"),
    ]
    if info.custom_properties:  # which positions file this is, for fichegen absorb
        name = "docProps/custom.xml"
        blob = anchors.make_custom_properties(dict(info.custom_properties))
        parts.insert(2, opc.Part(name, anchors.CT_CUSTOM_PROPERTIES, blob))
        package_rels.append(opc.Relationship("rId4", anchors.RT_CUSTOM_PROPERTIES, name))
    return opc.write_package(package_rels, parts, moment)


def _core(info: DocumentInfo, moment: datetime) -> bytes:
    return make_core_properties(info.title, info.subject, info.language, moment)


def _link_rels(links: Links) -> list[opc.Relationship]:
    return [
        opc.Relationship(rid, opc.RT_HYPERLINK, url, external=True)
        for url, rid in links.targets.items()
    ]
