"""A minimal DrawingML theme (word/theme/theme1.xml) for a reference document that has none.

Word writes a theme into every document and Microsoft's validator requires
one; ours is Office's colour scheme with Arial as both the heading and the
body font, and the three-entry style lists the schema asks for.
"""

from __future__ import annotations

RT_THEME_TARGET = "theme/theme1.xml"
CT_THEME = "application/vnd.openxmlformats-officedocument.theme+xml"

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"

_COLOURS = (
    ("dk1", '<a:sysClr val="windowText" lastClr="000000"/>'),
    ("lt1", '<a:sysClr val="window" lastClr="FFFFFF"/>'),
    ("dk2", '<a:srgbClr val="44546A"/>'),
    ("lt2", '<a:srgbClr val="E7E6E6"/>'),
    ("accent1", '<a:srgbClr val="01689B"/>'),
    ("accent2", '<a:srgbClr val="ED7D31"/>'),
    ("accent3", '<a:srgbClr val="A5A5A5"/>'),
    ("accent4", '<a:srgbClr val="FFC000"/>'),
    ("accent5", '<a:srgbClr val="5B9BD5"/>'),
    ("accent6", '<a:srgbClr val="70AD47"/>'),
    ("hlink", '<a:srgbClr val="01689B"/>'),
    ("folHlink", '<a:srgbClr val="954F72"/>'),
)

_FONT = '<a:latin typeface="Arial"/><a:ea typeface=""/><a:cs typeface=""/>'
_FILL = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
_LINE = '<a:ln w="{w}"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln>'
_EFFECT = "<a:effectStyle><a:effectLst/></a:effectStyle>"


def make_theme() -> bytes:
    """theme1.xml as bytes."""
    colours = "".join(f"<a:{name}>{value}</a:{name}>" for name, value in _COLOURS)
    lines = "".join(_LINE.format(w=w) for w in (6350, 12700, 19050))
    xml = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f'<a:theme xmlns:a="{_A}" name="fichegen">'
        "<a:themeElements>"
        f'<a:clrScheme name="fichegen">{colours}</a:clrScheme>'
        '<a:fontScheme name="fichegen">'
        f"<a:majorFont>{_FONT}</a:majorFont><a:minorFont>{_FONT}</a:minorFont>"
        "</a:fontScheme>"
        '<a:fmtScheme name="fichegen">'
        f"<a:fillStyleLst>{_FILL * 3}</a:fillStyleLst>"
        f"<a:lnStyleLst>{lines}</a:lnStyleLst>"
        f"<a:effectStyleLst>{_EFFECT * 3}</a:effectStyleLst>"
        f"<a:bgFillStyleLst>{_FILL * 3}</a:bgFillStyleLst>"
        "</a:fmtScheme>"
        "</a:themeElements>"
        "<a:objectDefaults/><a:extraClrSchemeLst/>"
        "</a:theme>"
    )
    return xml.encode("utf-8")
