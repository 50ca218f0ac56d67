"""Marks in the page header: CONCEPT or INTERN on every page, and a diagonal watermark.

`mark_headers` adds one paragraph at the top of every header the section uses
(the reference document's own headers keep their content below it) and adds a
header where the section has none, so every page carries the mark: the first
page of a section with a different first page, and even pages when the
settings ask for separate even headers. A draft's watermark is the VML text
shape Word itself writes for Design > Watermark, so Word and LibreOffice both
show it behind the text of every page.
"""

from __future__ import annotations

from lxml import etree

from .. import package as opc
from . import NSMAP, R_ID, qn, sub, to_bytes
from .text import add_t

V_NS = "urn:schemas-microsoft-com:vml"
O_NS = "urn:schemas-microsoft-com:office:office"
W10_NS = "urn:schemas-microsoft-com:office:word"
CT_HEADER = opc.CT_WML + "header+xml"

_MARK_COLOUR = "9C0006"  # dark red, readable in black and white print
_WATERMARK_COLOUR = "#D9D9D9"  # light grey: the text stays readable on top of it

# The shape type of WordArt text along a straight path (o:spt 136), as Word writes it.
_SHAPETYPE = f"""<v:shapetype xmlns:v="{V_NS}" xmlns:o="{O_NS}" id="_x0000_t136"
 coordsize="21600,21600" o:spt="136" adj="10800" path="m@7,l@8,m@5,21600l@6,21600e">
<v:formulas><v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/>
<v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/>
<v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/>
<v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/>
<v:f eqn="sum @6 0 @5"/></v:formulas>
<v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800"
 o:connectangles="270,180,90,0"/>
<v:textpath on="t" fitshape="t"/>
<v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles>
<o:lock v:ext="edit" text="t" shapetype="t"/>
</v:shapetype>"""

_STYLE = (
    "position:absolute;margin-left:0;margin-top:0;width:{width}pt;height:{height}pt;"
    "rotation:315;z-index:-251657216;mso-position-horizontal:center;"
    "mso-position-horizontal-relative:margin;mso-position-vertical:center;"
    "mso-position-vertical-relative:margin"
)


_VML_PREFIXES = {"v": V_NS, "o": O_NS, "w10": W10_NS}


def _vml(tag: str) -> str:
    prefix, local = tag.split(":")
    return f"{{{_VML_PREFIXES[prefix]}}}{local}"


def make_mark_paragraph(text: str, watermark: str = "", number: int = 1) -> etree._Element:
    """w:p with the mark right-aligned in bold; with `watermark`, the diagonal text too."""
    p = etree.Element(qn("w:p"))
    ppr = sub(p, "w:pPr")
    sub(ppr, "w:spacing", before="0", after="0")
    sub(ppr, "w:jc", val="right")
    if watermark:
        p.append(make_watermark_run(watermark, number))
    if text:
        run = sub(p, "w:r")
        rpr = sub(run, "w:rPr")
        sub(rpr, "w:b")
        sub(rpr, "w:bCs")
        sub(rpr, "w:color", val=_MARK_COLOUR)
        sub(rpr, "w:sz", val="18")
        sub(rpr, "w:szCs", val="18")
        add_t(run, text)
    return p


def make_watermark_run(text: str, number: int = 1) -> etree._Element:
    """w:r/w:pict with a light grey text at 45 degrees, centred on the page behind the text."""
    run = etree.Element(qn("w:r"))
    sub(sub(run, "w:rPr"), "w:noProof")
    pict = sub(run, "w:pict")
    pict.append(etree.fromstring(_SHAPETYPE))
    width = min(max(60 * len(text), 200), 470)  # about square letters, within the margins
    shape = etree.SubElement(pict, _vml("v:shape"), nsmap={"v": V_NS, "o": O_NS})
    shape.set("id", f"FichegenWatermark{number}")
    shape.set(_vml("o:spid"), f"_x0000_s{2048 + number}")
    shape.set("type", "#_x0000_t136")
    shape.set("style", _STYLE.format(width=width, height=round(width / 3)))
    shape.set(_vml("o:allowincell"), "f")
    shape.set("fillcolor", _WATERMARK_COLOUR)
    shape.set("stroked", "f")
    etree.SubElement(shape, _vml("v:fill"), opacity=".5")
    textpath = etree.SubElement(shape, _vml("v:textpath"))
    textpath.set("style", 'font-family:"Arial";font-size:1pt')
    textpath.set("string", text)
    wrap = etree.SubElement(shape, _vml("w10:wrap"), nsmap={"w10": W10_NS})
    wrap.set("anchorx", "margin")
    wrap.set("anchory", "margin")
    return run


def _header_with_mark(blob: bytes | None, text: str, watermark: str, number: int) -> bytes:
    root = etree.Element(qn("w:hdr"), nsmap=NSMAP) if blob is None else etree.fromstring(blob)
    root.insert(0, make_mark_paragraph(text, watermark, number))
    return to_bytes(root)


def mark_headers(
    sect_pr: etree._Element,
    main: opc.Part,
    parts: list[opc.Part],
    text: str,
    watermark: str = "",
    even_pages: bool = False,
) -> list[opc.Part]:
    """The parts with every header of `sect_pr` marked; new headers are added to `main`.

    `parts` is not changed (it belongs to the cached reference): a marked
    header is a new Part in its place. `sect_pr` and `main.rels` are changed.
    """
    wanted = ["default"]
    title_pg = sect_pr.find(qn("w:titlePg"))
    if title_pg is not None and title_pg.get(qn("w:val"), "true") not in ("0", "false", "off"):
        wanted.append("first")
    if even_pages:
        wanted.append("even")
    by_rid = {rel.rid: rel for rel in main.rels}
    by_name = {part.name: index for index, part in enumerate(parts)}
    result = list(parts)
    number = 0
    seen: set[str] = set()
    for reference in sect_pr.findall(qn("w:headerReference")):
        kind = reference.get(qn("w:type"), "default")
        rel = by_rid.get(reference.get(R_ID, ""))
        name = main.target_name(rel) if rel is not None else None
        if name is None or name not in by_name:
            continue
        seen.add(kind)
        number += 1
        old = result[by_name[name]]
        blob = _header_with_mark(old.blob, text, watermark, number)
        result[by_name[name]] = opc.Part(old.name, old.content_type, blob, old.rels)
    folder = main.name.rpartition("/")[0]
    for kind in wanted:
        if kind in seen:
            continue
        number += 1
        rid = f"rIdFichegenMark{number}"
        target = f"header-fichegen-{kind}.xml"
        main.rels.append(opc.Relationship(rid, opc.RT_HEADER, target))
        name = f"{folder}/{target}" if folder else target
        result.append(opc.Part(name, CT_HEADER, _header_with_mark(None, text, watermark, number)))
        reference = etree.Element(qn("w:headerReference"))
        reference.set(qn("w:type"), kind)
        reference.set(R_ID, rid)
        sect_pr.insert(0, reference)
    return result
