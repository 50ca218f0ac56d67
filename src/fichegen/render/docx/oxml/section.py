"""The document and its page: w:document, w:sectPr; and the docProps parts."""

from __future__ import annotations

from datetime import datetime

from lxml import etree

from . import _PREFIXES, NSMAP, qn, sub, to_bytes
from .text import NOT_XML

A4_WIDTH, A4_HEIGHT = 11906, 16838
DEFAULT_MARGIN = 1417  # 2.5 cm


def make_document(body: etree._Element) -> etree._Element:
    """w:document around a finished w:body."""
    root = etree.Element(qn("w:document"), nsmap=NSMAP)
    root.append(body)
    return root


def make_sect_pr() -> etree._Element:
    """An A4 portrait w:sectPr with 2.5 cm margins, for a reference without one."""
    sect = etree.Element(qn("w:sectPr"))
    sub(sect, "w:pgSz", w=str(A4_WIDTH), h=str(A4_HEIGHT))
    m = str(DEFAULT_MARGIN)
    sub(sect, "w:pgMar", top=m, right=m, bottom=m, left=m, header="709", footer="567", gutter="0")
    return sect


def text_width(sect_pr: etree._Element) -> int:
    """Page width minus left and right margins, in twips."""
    size, margins = sect_pr.find(qn("w:pgSz")), sect_pr.find(qn("w:pgMar"))
    width = _twips(size, "w", A4_WIDTH)
    left, right = _twips(margins, "left", DEFAULT_MARGIN), _twips(margins, "right", DEFAULT_MARGIN)
    return max(width - left - right, 1440)


def _twips(el: etree._Element | None, attr: str, default: int) -> int:
    value = el.get(qn("w:" + attr)) if el is not None else None
    try:
        return int(float(value)) if value else default
    except ValueError:
        return default


def make_core_properties(title: str, subject: str, language: str, moment: datetime) -> bytes:
    """docProps/core.xml: fixed dates, revision 1, no author and no last-modified-by."""
    nsmap = {k: _PREFIXES[k] for k in ("cp", "dc", "dcterms", "xsi")}
    root = etree.Element(qn("cp:coreProperties"), nsmap=nsmap)
    for tag, value in (("dc:title", title), ("dc:subject", subject), ("dc:language", language)):
        etree.SubElement(root, qn(tag)).text = NOT_XML.sub("", value)
    etree.SubElement(root, qn("cp:revision")).text = "1"
    for tag in ("dcterms:created", "dcterms:modified"):
        el = etree.SubElement(root, qn(tag))
        el.set(qn("xsi:type"), "dcterms:W3CDTF")
        el.text = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return to_bytes(root)


def make_app_properties() -> bytes:
    """docProps/app.xml naming the application, without version or statistics."""
    ns = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
    root = etree.Element(f"{{{ns}}}Properties", nsmap={None: ns})
    etree.SubElement(root, f"{{{ns}}}Application").text = "fichegen"
    return to_bytes(root)
