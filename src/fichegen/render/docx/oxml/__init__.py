"""Raw WordprocessingML that python-docx does not write for us, named after the schema.

Like python-docx's `oxml/`, one module per area of the schema: `text` (w:p,
w:r, w:hyperlink, fields), `table` (w:tbl, w:tblHeader, w:shd), `footnotes`
(w:footnotes, w:footnoteReference), `numbering` (w:abstractNum, w:num), and
`section` (w:sectPr, w:document, document properties). Small functions each
build one element, children in schema order; they decide nothing about *what*
goes into a fiche (`writer.py` does). Elements are plain lxml elements: a fiche
needs thousands, and python-docx's proxy objects cost about sixty times as
much per paragraph.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NSMAP = {"w": W_NS, "r": R_NS}

_PREFIXES = {
    "w": W_NS,
    "r": R_NS,
    "xml": "http://www.w3.org/XML/1998/namespace",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}


@functools.cache  # a few dozen distinct names, asked for thousands of times per fiche
def qn(tag: str) -> str:
    """'w:p' -> '{http://...wordprocessingml/2006/main}p'."""
    prefix, local = tag.split(":")
    return f"{{{_PREFIXES[prefix]}}}{local}"


W_VAL = qn("w:val")
W_ID = qn("w:id")
R_ID = qn("r:id")
XML_SPACE = qn("xml:space")


def sub(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    """Append a child element; attribute names are w: names ('val' -> w:val)."""
    el = etree.SubElement(parent, qn(tag))
    for name, value in attrs.items():
        el.set(qn("w:" + name), value)
    return el


def insert_before(parent: etree._Element, child: etree._Element, successors: Iterable[str]) -> None:
    """Insert `child` before the first existing child whose local name is in `successors`."""
    names = set(successors)
    for index, existing in enumerate(parent):
        if isinstance(existing.tag, str) and etree.QName(existing).localname in names:
            parent.insert(index, child)
            return
    parent.append(child)


def to_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
