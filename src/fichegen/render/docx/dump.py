"""A readable, stable text dump of a .docx, for golden tests and for eyes.

One line per paragraph, "Style Name: text", with inline marks in Markdown-like
notation: *italic*, **bold**, [text](url), [^N] for footnote reference N,
`code`, {PAGE} for fields, <br> for line breaks. List paragraphs carry their
numbering as [list numId level ilvl format, start N]; table rows show cells
separated by " | " and their fill as {fill RRGGBB}. A Word comment's range
is [comment N> ... <comment N]. Sections follow for footnotes, comments (when
there are any), page setup and footer, and document properties.

Reads the package with lxml only, independently of the writer's code paths
except the shared XML names.
"""

from __future__ import annotations

import posixpath

from lxml import etree

from fichegen.files import read_zip

from .oxml import R_ID, W_ID, W_VAL, qn
from .oxml.numbering import describe_num
from .package import PR_NS, RT_COMMENTS, RT_FOOTER, RT_FOOTNOTES, RT_NUMBERING, RT_STYLES, rels_name

_LOWER_BUILTINS = ("heading ", "footnote ", "endnote ", "toc ", "index ", "annotation ")


def display_name(name: str) -> str:
    """Word's UI name for a stored style name ("heading 1" -> "Heading 1")."""
    if name.islower() and (name.startswith(_LOWER_BUILTINS) or name in ("header", "footer")):
        return " ".join(word.capitalize() for word in name.split())
    return name


class _Package:
    def __init__(self, data: bytes) -> None:
        self.members = read_zip(data)
        self.main = self._office_document()
        self.rels = self.part_rels(self.main)

    def _office_document(self) -> str:
        root = etree.fromstring(self.members["_rels/.rels"])
        for rel in root.iter(f"{{{PR_NS}}}Relationship"):
            if rel.get("Type", "").endswith("/officeDocument"):
                return rel.get("Target", "").lstrip("/")
        raise ValueError("no main document part")

    def part_rels(self, name: str) -> dict[str, tuple[str, str]]:
        """rId -> (type, target as a member name or URL)."""
        blob = self.members.get(rels_name(name))
        if blob is None:
            return {}
        result = {}
        for rel in etree.fromstring(blob).iter(f"{{{PR_NS}}}Relationship"):
            target = rel.get("Target", "")
            if rel.get("TargetMode") != "External":
                target = posixpath.normpath(posixpath.join(posixpath.dirname(name), target))
            result[rel.get("Id", "")] = (rel.get("Type", ""), target)
        return result

    def related(self, reltype: str) -> tuple[str, etree._Element] | None:
        for kind, target in self.rels.values():
            if kind == reltype and target in self.members:
                return target, etree.fromstring(self.members[target])
        return None


class _Dumper:
    def __init__(self, package: _Package) -> None:
        self.pkg = package
        styles = package.related(RT_STYLES)
        self.names: dict[str, str] = {}
        self.default_style = "Normal"
        if styles is not None:
            for style in styles[1].iter(qn("w:style")):
                name = style.find(qn("w:name"))
                label = display_name(name.get(W_VAL, "")) if name is not None else "?"
                self.names[style.get(qn("w:styleId"), "")] = label
                is_default = style.get(qn("w:default")) in ("1", "true")
                if is_default and style.get(qn("w:type")) == "paragraph":
                    self.default_style = label
        numbering = package.related(RT_NUMBERING)
        self.nums = describe_num(numbering[1] if numbering else None)
        self.links: dict[str, tuple[str, str]] = {}

    def block(self, el: etree._Element, indent: str = "") -> list[str]:
        if el.tag == qn("w:p"):
            return [indent + self.paragraph(el)]
        if el.tag == qn("w:tbl"):
            return self.table(el, indent)
        return []

    def paragraph(self, p: etree._Element) -> str:
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        label = self.names.get(style.get(W_VAL, ""), "?") if style is not None else None
        line = label or self.default_style
        num = p.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        if num is not None:
            line += " " + self.numbering(num)
        return f"{line}: {self.inline(p).strip()}".rstrip()

    def numbering(self, num_pr: etree._Element) -> str:
        num_id = _val(num_pr.find(qn("w:numId")))
        ilvl = int(_val(num_pr.find(qn("w:ilvl"))) or "0")
        if num_id == "0":
            return "[no number]"
        formats, starts = self.nums.get(num_id, ([], {}))
        fmt = formats[ilvl] if ilvl < len(formats) else "?"
        start = f", start {starts[ilvl]}" if ilvl in starts else ""
        return f"[list {num_id} level {ilvl} {fmt}{start}]"

    def inline(self, el: etree._Element) -> str:
        out: list[str] = []
        field: list[str] | None = None  # instruction text while inside a complex field
        in_result = False
        for node in el.iter(
            qn("w:r"),
            qn("w:hyperlink"),
            qn("w:fldSimple"),
            qn("w:commentRangeStart"),
            qn("w:commentRangeEnd"),
        ):
            if node.tag == qn("w:commentRangeStart"):
                out.append(f"[comment {node.get(W_ID)}>")
                continue
            if node.tag == qn("w:commentRangeEnd"):
                out.append(f"<comment {node.get(W_ID)}]")
                continue
            if node.tag == qn("w:fldSimple"):
                out.append("{" + node.get(qn("w:instr"), "").strip() + "}")
                continue
            if node.tag == qn("w:hyperlink"):
                continue  # its runs are visited on their own; see _run_text
            for child in node:
                kind = child.get(qn("w:fldCharType"))
                if kind == "begin":
                    field, in_result = [], False
                elif kind == "separate":
                    in_result = True
                elif kind == "end" and field is not None:
                    out.append("{" + "".join(field).strip() + "}")
                    field, in_result = None, False
                elif child.tag == qn("w:instrText") and field is not None:
                    field.append(child.text or "")
            if field is None and not in_result:
                out.append(self._run_text(node))
        return "".join(out)

    def _run_text(self, r: etree._Element) -> str:
        parts = []
        for child in r:
            if child.tag == qn("w:t"):
                parts.append(child.text or "")
            elif child.tag == qn("w:tab"):
                parts.append("<tab>")
            elif child.tag == qn("w:br"):
                parts.append("<br>")
            elif child.tag in (qn("w:footnoteReference"), qn("w:endnoteReference")):
                parts.append(f"[^{child.get(W_ID)}]")
        text = "".join(parts)
        if not text.strip():
            return text
        rpr = r.find(qn("w:rPr"))
        if rpr is not None:
            fonts = rpr.find(qn("w:rFonts"))
            if fonts is not None and fonts.get(qn("w:ascii"), "").startswith("Courier"):
                text = f"`{text}`"
            if _on(rpr.find(qn("w:i"))):
                text = f"*{text}*"
            if _on(rpr.find(qn("w:b"))):
                text = f"**{text}**"
        parent = r.getparent()
        if parent is not None and parent.tag == qn("w:hyperlink"):
            anchor = "#" + parent.get(qn("w:anchor"), "")
            text = f"[{text}]({self.links.get(parent.get(R_ID, ''), ('', anchor))[1]})"
        return text

    def table(self, tbl: etree._Element, indent: str) -> list[str]:
        style = tbl.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}")
        widths = [g.get(qn("w:w"), "?") for g in tbl.iter(qn("w:gridCol"))]
        name = self.names.get(_val(style), "no style")
        lines = [f"{indent}Table ({name}; columns {' / '.join(widths)} twips):"]
        for number, tr in enumerate(tbl.iterchildren(qn("w:tr")), start=1):
            header = tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
            cells = []
            for tc in tr.iterchildren(qn("w:tc")):
                text = " <p> ".join(self.inline(p) for p in tc.iterchildren(qn("w:p")))
                fill = tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}")
                if fill is not None:
                    text += f" {{fill {fill.get(qn('w:fill'))}}}"
                cells.append(text.strip())
            kind = "header row (repeats)" if header else f"row {number}"
            lines.append(f"{indent}  {kind}: " + " | ".join(cells).rstrip())
        return lines


def dump_docx(data: bytes) -> str:
    """The dump of a .docx's bytes; see the module docstring for the notation."""
    pkg = _Package(data)
    dumper = _Dumper(pkg)
    document = etree.fromstring(pkg.members[pkg.main])
    body = document.find(qn("w:body"))
    lines = ["== document =="]
    dumper.links = pkg.rels
    for el in body if body is not None else ():
        lines.extend(dumper.block(el))
    lines.append("== footnotes ==")
    notes = pkg.related(RT_FOOTNOTES)
    if notes is not None:
        dumper.links = pkg.part_rels(notes[0])
        for note in notes[1].iter(qn("w:footnote")):
            if note.get(qn("w:type")) in (None, "normal"):
                text = " <p> ".join(dumper.paragraph(p) for p in note.iter(qn("w:p")))
                lines.append(f"[^{note.get(W_ID)}] {text}")
    lines.extend(_comments(pkg, dumper))
    lines.extend(_section(pkg, dumper, body))
    lines.extend(_properties(pkg))
    return "\n".join(lines) + "\n"


def _comments(pkg: _Package, dumper: _Dumper) -> list[str]:
    found = pkg.related(RT_COMMENTS)
    if found is None:
        return []
    lines = ["== comments =="]
    dumper.links = pkg.part_rels(found[0])
    for comment in found[1].iter(qn("w:comment")):
        who = comment.get(qn("w:author"), "")
        initials = comment.get(qn("w:initials"), "")
        when = comment.get(qn("w:date"))
        head = f"[comment {comment.get(W_ID)}] {who} ({initials})" + (f" {when}" if when else "")
        text = " <p> ".join(dumper.inline(p).strip() for p in comment.iter(qn("w:p")))
        lines.append(f"{head}: {text}")
    return lines


def _section(pkg: _Package, dumper: _Dumper, body: etree._Element | None) -> list[str]:
    lines = ["== section =="]
    sect = body.find(qn("w:sectPr")) if body is not None else None
    if sect is None:
        return [*lines, "(none)"]
    size, mar = sect.find(qn("w:pgSz")), sect.find(qn("w:pgMar"))
    if size is not None:
        orient = size.get(qn("w:orient"), "portrait")
        lines.append(f"page: {size.get(qn('w:w'))} x {size.get(qn('w:h'))} twips, {orient}")
    if mar is not None:
        sides = ("top", "right", "bottom", "left")
        lines.append("margins: " + ", ".join(f"{s} {mar.get(qn('w:' + s))}" for s in sides))
    for ref in sect.iter(qn("w:footerReference"), qn("w:headerReference")):
        kind, target = pkg.rels.get(ref.get(R_ID, ""), ("", ""))
        if target not in pkg.members:
            continue
        dumper.links = pkg.part_rels(target)
        part = etree.fromstring(pkg.members[target])
        where = "footer" if kind == RT_FOOTER else "header"
        for p in part.iter(qn("w:p")):
            lines.append(f"{where} ({ref.get(qn('w:type'))}): {dumper.paragraph(p)}")
    return lines


def _properties(pkg: _Package) -> list[str]:
    lines = ["== properties =="]
    core = pkg.members.get("docProps/core.xml")
    if core is not None:
        for el in etree.fromstring(core):
            lines.append(f"{etree.QName(el).localname}: {el.text or ''}")
    styles = pkg.related(RT_STYLES)
    if styles is not None:
        path = ("w:docDefaults", "w:rPrDefault", "w:rPr", "w:lang")
        lang = styles[1].find("/".join(qn(tag) for tag in path))
        lines.append(f"default language: {_val(lang) or '(not set)'}")
    return lines


def _val(el: etree._Element | None) -> str:
    return el.get(W_VAL, "") if el is not None else ""


def _on(el: etree._Element | None) -> bool:
    return el is not None and el.get(W_VAL, "1") not in ("0", "false", "off")
