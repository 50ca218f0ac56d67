"""Field anchors: hidden Word bookmarks around every field of the positions file.

`fichegen absorb` reads an edited .docx back into the YAML; the bookmarks tell
it which text came from which field. They are invisible (a bookmark has no
glyph, no layout, no text) and hidden in Word's bookmark list (a name starting
with an underscore). Bookmarks were chosen over content controls (w:sdt) by
measurement: after a save by LibreOffice 7.4 every bookmark came back with its
name and range, while block and inline content controls were dropped or
flattened to plain text (see tests/test_absorb_anchors.py).

The Markdown carries the anchors as private-use characters, which Markdown
leaves alone: START + encoded name + CLOSE before a field's text, END +
encoded name + CLOSE after it. Each ASCII character of the name is encoded as
a private-use character too, so nothing of the name can ever be parsed as
Markdown.
"""

from __future__ import annotations

from lxml import etree

from fichegen.render.anchors import END, MARKER, PREFIX, START, has_markers, iter_pieces

from . import qn, to_bytes
from .text import NOT_XML

__all__ = ["END", "MARKER", "PREFIX", "START", "has_markers", "iter_pieces", "strip_markers"]


def strip_markers(text: str) -> str:
    return MARKER.sub("", text)


def bookmark_name(path: str, occurrence: int) -> str:
    """`_fg_areas_0_actions_1_summary`; a second occurrence of the same field `_fg2_...`."""
    return f"{PREFIX}{occurrence if occurrence > 1 else ''}_{path}"


def make_bookmark_start(bookmark_id: int, name: str) -> etree._Element:
    el = etree.Element(qn("w:bookmarkStart"))
    el.set(qn("w:id"), str(bookmark_id))
    el.set(qn("w:name"), name)
    return el


def make_bookmark_end(bookmark_id: int) -> etree._Element:
    el = etree.Element(qn("w:bookmarkEnd"))
    el.set(qn("w:id"), str(bookmark_id))
    return el


class AnchorWriter:
    """Turns markers into bookmarkStart/bookmarkEnd pairs with unique names and ids."""

    def __init__(self) -> None:
        self._next_id = 0
        self._seen: dict[str, int] = {}
        self._open: dict[str, list[int]] = {}

    def element(self, is_end: bool, path: str) -> etree._Element | None:
        if is_end:
            stack = self._open.get(path)
            return make_bookmark_end(stack.pop()) if stack else None
        occurrence = self._seen[path] = self._seen.get(path, 0) + 1
        bookmark_id = self._next_id
        self._next_id += 1
        self._open.setdefault(path, []).append(bookmark_id)
        return make_bookmark_start(bookmark_id, bookmark_name(path, occurrence))


def drop_bookmarks(elements: list[etree._Element]) -> None:
    """Remove anchor bookmarks from copies (a footnote text written a second time)."""
    for element in elements:
        for mark in list(element.iter(qn("w:bookmarkStart"), qn("w:bookmarkEnd"))):
            parent = mark.getparent()
            if parent is not None:
                parent.remove(mark)


CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
PROPERTY_POSITIONS = "fichegen-positions"
PROPERTY_COM = "fichegen-com"
PROPERTY_SOURCE = "fichegen-source"  # the git blob id of the positions file rendered
RT_CUSTOM_PROPERTIES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
)
CT_CUSTOM_PROPERTIES = "application/vnd.openxmlformats-officedocument.custom-properties+xml"


def make_custom_properties(values: dict[str, str]) -> bytes:
    """docProps/custom.xml: which positions file a fiche was rendered from.

    Custom document properties survive a save by Word and by LibreOffice
    (File > Properties > Custom), and print nowhere.
    """

    root = etree.Element(f"{{{CUSTOM_NS}}}Properties", nsmap={None: CUSTOM_NS, "vt": VT_NS})
    for pid, (name, value) in enumerate(values.items(), start=2):
        prop = etree.SubElement(root, f"{{{CUSTOM_NS}}}property")
        prop.set("fmtid", FMTID)
        prop.set("pid", str(pid))
        prop.set("name", name)
        etree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = NOT_XML.sub("", value)
    return to_bytes(root)
