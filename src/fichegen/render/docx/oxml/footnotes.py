"""Footnotes: w:footnotes with its separators, w:footnote, w:footnoteReference, w:footnotePr."""

from __future__ import annotations

from lxml import etree

from . import NSMAP, W_ID, insert_before, qn, sub
from .text import add_styled_run, add_t, make_p


def make_footnotes() -> etree._Element:
    """w:footnotes holding the separator (-1) and continuation separator (0) Word expects."""
    root = etree.Element(qn("w:footnotes"), nsmap=NSMAP)
    for fid, kind in (("-1", "separator"), ("0", "continuationSeparator")):
        note = sub(root, "w:footnote", type=kind, id=fid)
        p = sub(note, "w:p")
        sub(sub(p, "w:pPr"), "w:spacing", after="0", line="240", lineRule="auto")
        sub(sub(p, "w:r"), "w:" + kind)
    return root


def make_footnote(fid: int, paragraphs: list[etree._Element], ref_style: str) -> etree._Element:
    """w:footnote whose first paragraph opens with the w:footnoteRef mark Word numbers."""
    note = etree.Element(qn("w:footnote"))
    note.set(W_ID, str(fid))
    note.extend(paragraphs or [make_p()])
    first = note[0]
    at = 1 if len(first) and first[0].tag == qn("w:pPr") else 0
    holder = etree.Element(qn("w:p"))
    sub(add_styled_run(holder, ref_style), "w:footnoteRef")
    add_t(sub(holder, "w:r"), " ")
    first[at:at] = list(holder)
    return note


def add_footnote_reference(parent: etree._Element, fid: int, ref_style: str) -> None:
    """The superscript mark in the text: w:r/w:footnoteReference."""
    sub(add_styled_run(parent, ref_style), "w:footnoteReference", id=str(fid))


# Children of CT_Settings that come after w:footnotePr.
_SETTINGS_AFTER_FOOTNOTE_PR = [
    *("endnotePr", "compat", "docVars", "rsids", "mathPr", "attachedSchema", "themeFontLang"),
    *("clrSchemeMapping", "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures"),
    *("forceUpgrade", "captions", "readModeInkLockDown", "smartTagType", "schemaLibrary"),
    *("shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator"),
]


def ensure_footnote_pr(settings: etree._Element) -> None:
    """w:settings/w:footnotePr naming the two separator footnotes, as Word writes it.

    A reference's own footnote settings (position, number format, start,
    restart) are kept; only the separator entries are ours, since fichegen
    writes the footnotes part.
    """
    pr = settings.find(qn("w:footnotePr"))
    if pr is None:
        pr = etree.Element(qn("w:footnotePr"))
        insert_before(settings, pr, _SETTINGS_AFTER_FOOTNOTE_PR)
    for entry in pr.findall(qn("w:footnote")):
        pr.remove(entry)
    sub(pr, "w:footnote", id="-1")
    sub(pr, "w:footnote", id="0")
