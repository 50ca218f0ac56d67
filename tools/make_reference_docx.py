#!/usr/bin/env python3
"""Generate templates/reference.docx, the house style fichegen uses when no reference is given.

    python tools/make_reference_docx.py [OUTPUT]

Deterministic: running it twice gives the same bytes, so the committed file
only changes when this script or the style definitions in
`fichegen.render.docx.styles` change. A ministry makes its own reference by
opening this file in Word, changing styles, margins, header and footer, and
saving it under a new name; fichegen takes the look and ignores the sample text.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from fichegen.render.docx import package as opc  # noqa: E402
from fichegen.render.docx.oxml import NSMAP, R_ID, qn, sub, to_bytes  # noqa: E402
from fichegen.render.docx.oxml.footnotes import ensure_footnote_pr, make_footnotes  # noqa: E402
from fichegen.render.docx.oxml.section import (  # noqa: E402
    make_app_properties,
    make_core_properties,
    make_document,
    make_sect_pr,
)
from fichegen.render.docx.oxml.text import add_field, add_run, make_p  # noqa: E402
from fichegen.render.docx.oxml.theme import CT_THEME, RT_THEME_TARGET, make_theme  # noqa: E402
from fichegen.render.docx.styles import HOUSE_FONT, HOUSE_STYLES, make_house_styles  # noqa: E402

LANGUAGE = "nl-NL"
_EPOCH = datetime(1980, 1, 1, tzinfo=UTC)

SAMPLE = [
    ("title", "Fiche: Titel van de mededeling"),
    ("heading1", "1. Algemene gegevens"),
    ("heading2", "a) Titel voorstel"),
    ("normal", "Lopende tekst van de fiche in de stijl Normal. Dit document bepaalt alleen"
     " de opmaak: stijlen, marges, koptekst en voettekst. De tekst wordt vervangen."),
    ("list_bullet", "Opsommingsteken (List Bullet)"),
    ("list_number", "Genummerde lijst (List Number)"),
    ("quote", "Citaat uit het Commissievoorstel (Quote)"),
    ("footnote_text", "Voetnoottekst (footnote text)"),
]  # fmt: skip


def make_sample_document() -> etree._Element:
    body = etree.Element(qn("w:body"))
    for key, text in SAMPLE:
        p = make_p(HOUSE_STYLES[key].style_id)
        add_run(p, text)
        body.append(p)
    sect = make_sect_pr()
    footer_ref = etree.Element(qn("w:footerReference"))
    footer_ref.set(qn("w:type"), "default")
    footer_ref.set(R_ID, "rId4")
    sect.insert(0, footer_ref)  # CT_SectPr: header/footer references come first
    body.append(sect)
    return make_document(body)


def make_footer() -> etree._Element:
    footer = etree.Element(qn("w:ftr"), nsmap=NSMAP)
    p = make_p("Footer")
    add_run(p, "Pagina ")
    add_field(p, "PAGE", "1")
    add_run(p, " van ")
    add_field(p, "NUMPAGES", "1")
    footer.append(p)
    return footer


def make_settings() -> etree._Element:
    settings = etree.Element(qn("w:settings"), nsmap=NSMAP)
    sub(settings, "w:zoom", percent="100")
    sub(settings, "w:defaultTabStop", val="708")
    sub(settings, "w:hyphenationZone", val="425")
    sub(settings, "w:characterSpacingControl", val="doNotCompress")
    ensure_footnote_pr(settings)
    compat = sub(settings, "w:compat")
    sub(
        compat, "w:compatSetting",
        name="compatibilityMode", uri="http://schemas.microsoft.com/office/word", val="15",
    )  # fmt: skip
    sub(settings, "w:themeFontLang", val=LANGUAGE)
    sub(settings, "w:decimalSymbol", val=",")
    sub(settings, "w:listSeparator", val=";")
    return settings


def make_font_table() -> etree._Element:
    fonts = etree.Element(qn("w:fonts"), nsmap=NSMAP)
    for name, panose, family in (
        (HOUSE_FONT, "020B0604020202020204", "swiss"),
        ("Courier New", "02070309020205020404", "modern"),
    ):
        font = sub(fonts, "w:font", name=name)
        sub(font, "w:panose1", val=panose)
        sub(font, "w:charset", val="00")
        sub(font, "w:family", val=family)
        sub(font, "w:pitch", val="fixed" if family == "modern" else "variable")
    return fonts


def build() -> bytes:
    wml = opc.CT_WML
    main = opc.Part(
        "word/document.xml",
        opc.CT_DOCUMENT,
        to_bytes(make_sample_document()),
        [
            opc.Relationship("rId1", opc.RT_STYLES, "styles.xml"),
            opc.Relationship("rId2", opc.RT_SETTINGS, "settings.xml"),
            opc.Relationship("rId3", opc.RT_FONT_TABLE, "fontTable.xml"),
            opc.Relationship("rId4", opc.RT_FOOTER, "footer1.xml"),
            opc.Relationship("rId5", opc.RT_FOOTNOTES, "footnotes.xml"),
            opc.Relationship("rId6", opc.RT_THEME, RT_THEME_TARGET),
        ],
    )
    parts = [
        opc.Part(
            "docProps/core.xml",
            opc.CT_CORE_PROPERTIES,
            make_core_properties(
                "Fiche: referentiedocument", "huisstijl voor fichegen", LANGUAGE, _EPOCH
            ),
        ),
        opc.Part("docProps/app.xml", opc.CT_EXTENDED_PROPERTIES, make_app_properties()),
        main,
        opc.Part("word/styles.xml", wml + "styles+xml", to_bytes(make_house_styles(LANGUAGE))),
        opc.Part("word/settings.xml", wml + "settings+xml", to_bytes(make_settings())),
        opc.Part("word/fontTable.xml", wml + "fontTable+xml", to_bytes(make_font_table())),
        opc.Part("word/footer1.xml", wml + "footer+xml", to_bytes(make_footer())),
        # The separators the settings name, so the reference itself is a valid document.
        opc.Part("word/footnotes.xml", opc.CT_FOOTNOTES, to_bytes(make_footnotes())),
        opc.Part("word/" + RT_THEME_TARGET, CT_THEME, make_theme()),
    ]
    package_rels = [
        opc.Relationship("rId1", opc.RT_OFFICE_DOCUMENT, "word/document.xml"),
        opc.Relationship("rId2", opc.RT_CORE_PROPERTIES, "docProps/core.xml"),
        opc.Relationship("rId3", opc.RT_EXTENDED_PROPERTIES, "docProps/app.xml"),
    ]
    return opc.write_package(package_rels, parts, None)


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "templates" / "reference.docx"
    out.write_bytes(build())
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
