"""The styles a fiche uses, how we find them in a reference document, and our defaults.

Styles are found by *name*, case-insensitively (Word stores "heading 1" and
"footnote text" in lower case and localises style ids: a Dutch Word writes
`Kop1` for "heading 1"), and referred to by the id the reference gives them.

Missing styles: a reference that lacks a style we need gets our definition of
it (`HOUSE_STYLES`, paragraph styles based on the reference's own Normal, so
its font carries over). This is a documented fallback, never an error, because
Word only writes the styles a document has used: a ministry's letterhead often
has no "footnote text" or "List Number". A style that exists under the right
name but of the wrong type (a character style called "Title") is an
`InputError` naming the style, since silently replacing it would hide a broken
house style.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from fichegen.errors import InputError, Location, Problem
from fichegen.i18n import N_, _

from .oxml import NSMAP, W_NS, W_VAL, insert_before, qn, sub


@dataclass(frozen=True)
class StyleSpec:
    """One style we need: Word's stored name, its kind, our id, and our definition."""

    name: str  # as Word stores it in w:name ("heading 1")
    kind: str  # paragraph | character | table
    style_id: str  # the id we give it when we add it
    body: str  # children after w:name/basedOn/next: w:pPr, w:rPr, w:tblPr


_H = '<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="{before}" w:after="{after}"/>'
_H += '<w:outlineLvl w:val="{level}"/></w:pPr><w:rPr>{run}<w:sz w:val="{size}"/>'
_H += '<w:szCs w:val="{size}"/></w:rPr>'


def _heading(level: int, before: int, after: int, run: str, size: int) -> StyleSpec:
    body = _H.format(before=before, after=after, level=level - 1, run=run, size=size)
    return StyleSpec(f"heading {level}", "paragraph", f"Heading{level}", body)


_BORDER = '<w:{side} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
_SIDES = ("top", "left", "bottom", "right", "insideH", "insideV")
_BORDERS = "".join(_BORDER.format(side=s) for s in _SIDES)

# Our house look: sober, black on white, Arial 10 pt (Liberation Sans where
# Arial is missing), bold headings as in published fiches.
HOUSE_STYLES: dict[str, StyleSpec] = {
    "normal": StyleSpec("Normal", "paragraph", "Normal", ""),
    "title": StyleSpec(
        "Title", "paragraph", "Title",
        '<w:pPr><w:keepNext/><w:spacing w:before="0" w:after="360"/></w:pPr>'
        '<w:rPr><w:b/><w:bCs/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr>',
    ),
    # Headings are never smaller than the body text (HOUSE_SIZE, 11 pt).
    "heading1": _heading(1, 360, 120, "<w:b/><w:bCs/>", 28),
    "heading2": _heading(2, 240, 60, "<w:b/><w:bCs/>", 24),
    "heading3": _heading(3, 200, 60, "<w:b/><w:bCs/><w:i/><w:iCs/>", 22),
    "heading4": _heading(4, 200, 60, "<w:i/><w:iCs/>", 22),
    "heading5": _heading(5, 200, 60, "<w:i/><w:iCs/>", 22),
    "list_bullet": StyleSpec(
        "List Bullet", "paragraph", "ListBullet",
        '<w:pPr><w:spacing w:after="60"/><w:contextualSpacing/></w:pPr>',
    ),
    "list_number": StyleSpec(
        "List Number", "paragraph", "ListNumber",
        '<w:pPr><w:spacing w:after="60"/><w:contextualSpacing/></w:pPr>',
    ),
    "quote": StyleSpec(
        "Quote", "paragraph", "Quote",
        '<w:pPr><w:ind w:left="567" w:right="567"/></w:pPr><w:rPr><w:i/><w:iCs/></w:rPr>',
    ),
    "footnote_text": StyleSpec(
        "footnote text", "paragraph", "FootnoteText",
        '<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        '<w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr>',
    ),
    "footnote_reference": StyleSpec(
        "footnote reference", "character", "FootnoteReference",
        '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr>',
    ),
    "hyperlink": StyleSpec(
        "Hyperlink", "character", "Hyperlink",
        '<w:rPr><w:color w:val="01689B"/><w:u w:val="single"/></w:rPr>',
    ),
    "table": StyleSpec(
        "Table Grid", "table", "TableGrid",
        '<w:pPr><w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/></w:pPr>'
        f"<w:tblPr><w:tblBorders>{_BORDERS}</w:tblBorders><w:tblCellMar>"
        '<w:top w:w="28" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
        '<w:bottom w:w="28" w:type="dxa"/><w:right w:w="85" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr>",
    ),
}  # fmt: skip


@dataclass(frozen=True)
class StyleIds:
    """The style ids a render writes, as the (completed) reference defines them."""

    normal: str
    title: str
    headings: tuple[str, ...]  # "heading 1" .. "heading 5"
    list_bullet: str
    list_number: str
    quote: str
    footnote_text: str
    footnote_reference: str
    hyperlink: str
    table: str


def make_style(spec: StyleSpec, normal_id: str) -> etree._Element:
    """A w:style element for `spec`; paragraph styles are based on `normal_id`."""
    xml = f'<w:style xmlns:w="{W_NS}" w:type="{spec.kind}" w:styleId="{spec.style_id}">'
    xml += f'<w:name w:val="{spec.name}"/>'
    if spec.kind == "paragraph" and spec.style_id != normal_id:
        xml += f'<w:basedOn w:val="{normal_id}"/><w:next w:val="{normal_id}"/>'
    xml += '<w:uiPriority w:val="99"/><w:qFormat/>' + spec.body + "</w:style>"
    return etree.fromstring(xml)


def complete_styles(styles: etree._Element, source: str) -> StyleIds:
    """Find every style in `styles` (w:styles), adding ours for the missing ones."""
    by_name: dict[str, etree._Element] = {}
    ids: set[str] = set()
    default_paragraph = None
    for style in styles.iterchildren(qn("w:style")):
        ids.add(style.get(qn("w:styleId"), ""))
        name = style.find(qn("w:name"))
        if name is not None:
            by_name.setdefault(name.get(W_VAL, "").casefold(), style)
        is_default = style.get(qn("w:default")) in ("1", "true", "on")
        if is_default and style.get(qn("w:type")) == "paragraph":
            default_paragraph = style
    found: dict[str, str] = {}
    normal = default_paragraph if default_paragraph is not None else by_name.get("normal")
    for key, spec in HOUSE_STYLES.items():
        existing = normal if key == "normal" else by_name.get(spec.name.casefold())
        if existing is None:
            style_id = _free_id(spec.style_id, ids)
            ids.add(style_id)
            normal_id = found.get("normal", style_id)
            new = make_style(StyleSpec(spec.name, spec.kind, style_id, spec.body), normal_id)
            if key == "normal":
                new.set(qn("w:default"), "1")
            styles.append(new)
            found[key] = style_id
            continue
        kind = existing.get(qn("w:type"), "paragraph")
        if kind != spec.kind:
            raise InputError(
                Problem(
                    Location(source),
                    _(
                        "style '{name}' in the reference document is a {kind} style, "
                        "but a fiche needs it as a {needed} style"
                    ).format(name=spec.name, kind=_style_kind(kind), needed=_style_kind(spec.kind)),
                    hint=_("rename or remove that style in the reference so fichegen adds its own"),
                )
            )
        found[key] = existing.get(qn("w:styleId"), "")
    return StyleIds(
        normal=found["normal"],
        title=found["title"],
        headings=tuple(found[f"heading{n}"] for n in range(1, 6)),
        list_bullet=found["list_bullet"],
        list_number=found["list_number"],
        quote=found["quote"],
        footnote_text=found["footnote_text"],
        footnote_reference=found["footnote_reference"],
        hyperlink=found["hyperlink"],
        table=found["table"],
    )


def _free_id(wanted: str, taken: set[str]) -> str:
    candidate, n = wanted, 1
    while candidate in taken:
        n += 1
        candidate = f"{wanted}{n}"
    return candidate


def set_language(styles: etree._Element, language: str) -> None:
    """Every run defaults to `language`: w:docDefaults/w:rPrDefault/w:rPr/w:lang.

    Languages set on individual styles are changed too, so Word spell-checks
    the whole fiche in Dutch even when the reference was made in English.
    """
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = etree.Element(qn("w:docDefaults"))
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = etree.Element(qn("w:rPrDefault"))
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = sub(rpr_default, "w:rPr")
    if rpr.find(qn("w:lang")) is None:
        lang = etree.Element(qn("w:lang"))
        insert_before(rpr, lang, ("eastAsianLayout", "specVanish", "oMath"))
    for lang in styles.iter(qn("w:lang")):
        lang.set(W_VAL, language)


HOUSE_FONT = "Arial"
HOUSE_SIZE = 22  # half-points: 11 pt, about 80 characters a line as in published fiches


def make_house_styles(language: str) -> etree._Element:
    """The complete w:styles of our bundled reference document."""
    styles = etree.Element(qn("w:styles"), nsmap=NSMAP)
    defaults = sub(styles, "w:docDefaults")
    rpr = sub(sub(defaults, "w:rPrDefault"), "w:rPr")
    f = HOUSE_FONT
    sub(rpr, "w:rFonts", ascii=f, hAnsi=f, eastAsia=f, cs=f)
    sub(rpr, "w:sz", val=str(HOUSE_SIZE))
    sub(rpr, "w:szCs", val=str(HOUSE_SIZE))
    sub(rpr, "w:lang", val=language, eastAsia="en-US", bidi="ar-SA")
    ppr = sub(sub(defaults, "w:pPrDefault"), "w:pPr")
    sub(ppr, "w:spacing", after="120", line="264", lineRule="auto")
    for kind, style_id, name in (
        ("character", "DefaultParagraphFont", "Default Paragraph Font"),
        ("table", "TableNormal", "Normal Table"),
        ("numbering", "NoList", "No List"),
    ):
        style = sub(styles, "w:style", type=kind, default="1", styleId=style_id)
        sub(style, "w:name", val=name)
        sub(style, "w:uiPriority", val="1" if kind == "character" else "99")
        sub(style, "w:semiHidden")
    complete_styles(styles, "<house styles>")
    footer = make_style(StyleSpec("footer", "paragraph", "Footer", _FOOTER), "Normal")
    styles.append(footer)
    return styles


_FOOTER = (
    '<w:pPr><w:tabs><w:tab w:val="right" w:pos="9072"/></w:tabs>'
    '<w:spacing w:after="0"/><w:jc w:val="right"/></w:pPr>'
    '<w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr>'
)


# Word's kinds of style (w:type), as a message names them.
_STYLE_KINDS = {
    "paragraph": N_("paragraph"),
    "character": N_("character"),
    "table": N_("table"),
    "numbering": N_("numbering"),
}


def _style_kind(kind: str) -> str:
    return _(_STYLE_KINDS[kind]) if kind in _STYLE_KINDS else kind
