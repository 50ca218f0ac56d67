"""Paragraphs, runs, hyperlinks and fields: w:p, w:pPr, w:r, w:rPr, w:t, w:hyperlink, w:fldChar."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from . import R_ID, W_VAL, XML_SPACE, insert_before, qn, sub

# Characters XML 1.0 cannot carry (markdown-it already turns NUL into U+FFFD); a
# positive class, because a negated one over all of Unicode takes ms to compile.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_NEEDS_WORK = re.compile("[\x00-\x1f\ufffe\uffff\ud800-\udfff]")
_SPLIT = re.compile(r"(\t|\n)")

MONO_FONT = "Courier New"


@dataclass(frozen=True)
class RunFormat:
    """The run properties the writer uses (a subset of CT_RPr)."""

    style_id: str = ""
    bold: bool = False
    italic: bool = False
    mono: bool = False


PLAIN = RunFormat()


def make_rpr(fmt: RunFormat) -> etree._Element:
    """w:rPr, children in CT_RPr order: rStyle, rFonts, b, i."""
    rpr = etree.Element(qn("w:rPr"))
    if fmt.style_id:
        sub(rpr, "w:rStyle", val=fmt.style_id)
    if fmt.mono:
        sub(rpr, "w:rFonts", ascii=MONO_FONT, hAnsi=MONO_FONT, cs=MONO_FONT)
    if fmt.bold:
        sub(rpr, "w:b")
    if fmt.italic:
        sub(rpr, "w:i")
    return rpr


def make_p(style_id: str = "") -> etree._Element:
    p = etree.Element(qn("w:p"))
    if style_id:
        sub(sub(p, "w:pPr"), "w:pStyle", val=style_id)
    return p


def ppr(p: etree._Element) -> etree._Element:
    """The paragraph's w:pPr, created as its first child when missing."""
    if len(p) and p[0].tag == qn("w:pPr"):
        return p[0]
    el = etree.Element(qn("w:pPr"))
    p.insert(0, el)
    return el


# The setters below append to w:pPr; call them in CT_PPrBase order:
# numPr, pBdr, ind, jc (pStyle is written by make_p).


def set_num_pr(p: etree._Element, num_id: int, ilvl: int) -> None:
    num_pr = sub(ppr(p), "w:numPr")
    sub(num_pr, "w:ilvl", val=str(ilvl))
    sub(num_pr, "w:numId", val=str(num_id))


def set_bottom_border(p: etree._Element) -> None:
    """A horizontal rule: w:pBdr/w:bottom."""
    sub(sub(ppr(p), "w:pBdr"), "w:bottom", val="single", sz="6", space="1", color="auto")


def set_ind(p: etree._Element, left: int) -> None:
    sub(ppr(p), "w:ind", left=str(left))


def set_jc(p: etree._Element, value: str) -> None:
    sub(ppr(p), "w:jc", val=value)


def add_run(parent: etree._Element, text: str, fmt: RunFormat = PLAIN) -> etree._Element:
    """A w:r with the text; tabs become w:tab, newlines w:br, non-XML characters go."""
    r = etree.SubElement(parent, qn("w:r"))
    if fmt != PLAIN:
        r.append(make_rpr(fmt))
    if not _NEEDS_WORK.search(text):
        add_t(r, text)
        return r
    text = NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    for piece in _SPLIT.split(text):
        if piece == "\t":
            sub(r, "w:tab")
        elif piece == "\n":
            sub(r, "w:br")
        elif piece:
            add_t(r, piece)
    return r


def add_t(r: etree._Element, text: str) -> None:
    t = etree.SubElement(r, qn("w:t"))
    t.text = text
    if text[:1].isspace() or text[-1:].isspace():
        t.set(XML_SPACE, "preserve")


def add_break(parent: etree._Element) -> None:
    sub(etree.SubElement(parent, qn("w:r")), "w:br")


def add_styled_run(parent: etree._Element, style_id: str) -> etree._Element:
    """An empty w:r with only a character style, for special content (footnote marks)."""
    r = etree.SubElement(parent, qn("w:r"))
    rstyle = sub(sub(r, "w:rPr"), "w:rStyle")
    rstyle.set(W_VAL, style_id)
    return r


def add_field(parent: etree._Element, instruction: str, cached: str) -> None:
    """A complex field (w:fldChar begin, w:instrText, separate, result, end), e.g. PAGE."""
    for kind in ("begin", "instr", "separate", "result", "end"):
        r = etree.SubElement(parent, qn("w:r"))
        if kind == "instr":
            instr = sub(r, "w:instrText")
            instr.text = f" {instruction} "
            instr.set(XML_SPACE, "preserve")
        elif kind == "result":
            add_t(r, cached)
        else:
            sub(r, "w:fldChar", fldCharType=kind)


def make_hyperlink(rid: str = "", anchor: str = "") -> etree._Element:
    """w:hyperlink to an external relationship (rid) or a bookmark in the document (anchor)."""
    link = etree.Element(qn("w:hyperlink"))
    if rid:
        link.set(R_ID, rid)
    if anchor:
        link.set(qn("w:anchor"), anchor)
    link.set(qn("w:history"), "1")
    return link


# Children of w:pPr that come after w:spacing.
_PPR_AFTER_SPACING = (
    *("ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection"),
    *("textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr"),
    *("sectPr", "pPrChange"),
)

LIST_END_SPACING = "120"
"""Space after a list's last paragraph (6 pt, the body's paragraph spacing), in twips."""


def space_after_list(container: etree._Element) -> None:
    """Give the last paragraph in `container` (a list's last item) the body's space after it."""
    paragraphs = container.findall(qn("w:p"))
    if not paragraphs:
        return
    p = paragraphs[-1]
    ppr = p.find(qn("w:pPr"))
    if ppr is None:
        ppr = etree.Element(qn("w:pPr"))
        p.insert(0, ppr)
    spacing = ppr.find(qn("w:spacing"))
    if spacing is None:
        spacing = etree.Element(qn("w:spacing"))
        insert_before(ppr, spacing, _PPR_AFTER_SPACING)
    spacing.set(qn("w:after"), LIST_END_SPACING)
