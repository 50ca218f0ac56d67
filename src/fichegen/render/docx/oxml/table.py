"""Tables: w:tbl, w:tblPr, w:tblGrid, w:tr with w:tblHeader, w:tc with w:tcW and w:shd."""

from __future__ import annotations

from lxml import etree

from . import qn, sub


def make_tbl(style_id: str) -> etree._Element:
    tbl = etree.Element(qn("w:tbl"))
    sub(sub(tbl, "w:tblPr"), "w:tblStyle", val=style_id)
    return tbl


def add_tr(tbl: etree._Element, header: bool) -> etree._Element:
    tr = sub(tbl, "w:tr")
    tr_pr = sub(tr, "w:trPr")
    sub(tr_pr, "w:cantSplit")  # a row is read whole: never half on one page, half on the next
    if header:
        sub(tr_pr, "w:tblHeader")  # repeat this row at the top of every page
    return tr


def add_tc(tr: etree._Element) -> etree._Element:
    tc = sub(tr, "w:tc")
    sub(tc, "w:tcPr")
    return tc


def set_shd(tc: etree._Element, fill: str) -> None:
    """Cell fill: w:tcPr/w:shd (after w:tcW, which finish_tbl puts first)."""
    sub(tc[0], "w:shd", val="clear", color="auto", fill=fill)


def finish_tbl(tbl: etree._Element, widths: list[int]) -> None:
    """Fixed layout with these column widths: w:tblW, w:tblLayout, w:tblLook, w:tblGrid, w:tcW."""
    tbl_pr = tbl[0]
    sub(tbl_pr, "w:tblW", w=str(sum(widths)), type="dxa")
    sub(tbl_pr, "w:tblLayout", type="fixed")
    look = {"val": "04A0", "firstRow": "1", "lastRow": "0", "firstColumn": "0"}
    sub(tbl_pr, "w:tblLook", **look, lastColumn="0", noHBand="1", noVBand="1")
    grid = etree.Element(qn("w:tblGrid"))
    for width in widths:
        sub(grid, "w:gridCol", w=str(width))
    tbl.insert(1, grid)
    for tr in tbl.iterchildren(qn("w:tr")):
        for index, tc in enumerate(tr.iterchildren(qn("w:tc"))):
            tc_w = etree.Element(qn("w:tcW"))
            tc_w.set(qn("w:w"), str(widths[min(index, len(widths) - 1)]))
            tc_w.set(qn("w:type"), "dxa")
            tc[0].insert(0, tc_w)  # CT_TcPr: tcW first (we never write cnfStyle)
