"""A fiche written in Word by any ministry: paragraphs, lists, emphasis, links, footnotes.

Read with lxml straight from the package (python-docx is not needed at run
time): `word/document.xml` for the body, `word/footnotes.xml` for the notes,
the relationships for the addresses of links. Headers, footers and deleted
text (tracked changes) are left out; inserted text is read.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from lxml import etree

from fichegen.i18n import _
from fichegen.read import labels
from fichegen.read.document import Block, Document, Kind, escape_markdown
from fichegen.read.errors import unreadable

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
MAX_PART = 64 * 1024 * 1024


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def read_docx(data: bytes, source: str) -> Document:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise unreadable(
            source,
            _("this Word file is damaged and cannot be opened"),
            _("open it in Word and save it again, then import the new file"),
        ) from None
    if "word/document.xml" not in names:
        if "EncryptionInfo" in names or "EncryptedPackage" in names:
            raise unreadable(source, _("this Word file is encrypted (password-protected)"))
        raise unreadable(source, _("this is a zip file, but not a Word document"))
    try:
        body = _parse(archive, "word/document.xml")
        notes = _parse(archive, "word/footnotes.xml") if "word/footnotes.xml" in names else None
        rels = (
            _parse(archive, "word/_rels/document.xml.rels")
            if "word/_rels/document.xml.rels" in names
            else None
        )
        note_rels = (
            _parse(archive, "word/_rels/footnotes.xml.rels")
            if "word/_rels/footnotes.xml.rels" in names
            else None
        )
    except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, KeyError, RuntimeError):
        raise unreadable(
            source,
            _("this Word file is damaged and cannot be opened"),
            _("open it in Word and save it again, then import the new file"),
        ) from None
    reader = _Reader(source, _links(rels), _links(note_rels))
    reader.body(body)
    if notes is not None:
        reader.footnotes(notes)
    document = reader.document
    _number_footnotes(document, reader.order)
    return document


def _parse(archive: zipfile.ZipFile, name: str) -> Any:
    info = archive.getinfo(name)
    if info.file_size > MAX_PART:
        raise RuntimeError(name)
    return etree.fromstring(archive.read(name), _PARSER)


def _links(rels: Any) -> dict[str, str]:
    if rels is None:
        return {}
    return {
        rel.get("Id", ""): rel.get("Target", "")
        for rel in rels.iter(f"{{{PKG}}}Relationship")
        if rel.get("TargetMode") == "External"
    }


class _Reader:
    def __init__(self, source: str, links: dict[str, str], note_links: dict[str, str]):
        self.document = Document(source)
        self.links = links
        self.note_links = note_links
        self.order: list[str] = []  # Word's footnote ids in the order the text cites them
        self.count = 0

    def body(self, root: Any) -> None:
        body = root.find(_w("body"))
        if body is None:
            return
        for element in body.iter(_w("p")):
            if _inside(element, "txbxContent"):
                continue
            self.paragraph(element)

    def paragraph(self, p: Any) -> None:
        self.count += 1
        text = self.inline(p, self.links, cite=True).strip()
        if not text:
            return
        props = p.find(_w("pPr"))
        style = ""
        numbered = False
        if props is not None:
            style_element = props.find(_w("pStyle"))
            style = (style_element.get(_w("val")) or "") if style_element is not None else ""
            numbered = props.find(_w("numPr")) is not None
        plain = _plain(text)
        heading = labels.recognise(plain, in_general=True)
        is_heading_style = bool(re.match(r"(Heading|Kop|Title|Titel)", style, re.I))
        if heading is None and _first_cell(p):
            heading = labels.recognise("a) " + plain)  # section 1 as a table: label | value
            if heading is not None and heading.kind == "item":
                plain = "a) " + plain
            else:
                heading = None
        if heading is None and (numbered or is_heading_style):
            for prefix in ("1. ", "a) "):
                if labels.recognise(prefix + plain) is not None:
                    heading = labels.recognise(prefix + plain)
                    plain = prefix + plain
                    break
        if heading is not None and not (heading.kind == "item" and heading.value and numbered):
            self.document.blocks.append(Block(plain + _refs(text), Kind.HEADING, self.count))
            return
        if is_heading_style and labels.FICHE_TITLE.match(plain):
            self.document.blocks.append(Block(plain + _refs(text), Kind.HEADING, self.count))
            return
        kind = Kind.ITEM if numbered or re.match(r"(List|Lijst)", style, re.I) else Kind.PARAGRAPH
        self.document.blocks.append(Block(text, kind, self.count))

    def inline(self, p: Any, links: dict[str, str], *, cite: bool) -> str:
        pieces: list[tuple[str, bool, bool]] = []  # (text, bold, italic)
        out: list[str] = []

        def flush() -> None:
            out.append(_emphasis(pieces))
            pieces.clear()

        for run in p.iter(_w("r"), _w("hyperlink")):
            if run.tag == _w("hyperlink"):
                continue
            if _inside(run, "del") or _inside(run, "txbxContent", stop=p):
                continue
            link = _ancestor(run, "hyperlink", stop=p)
            bold, italic = _formatting(run)
            for child in run:
                tag = etree.QName(child).localname
                if tag == "t":
                    value = escape_markdown(child.text or "")
                    if link is not None:
                        url = links.get(link.get(f"{{{R}}}id", ""), "")
                        if url.startswith(("http://", "https://", "mailto:")):
                            value = f"\x00{value}\x01{url}\x02"
                    pieces.append((value, bold, italic))
                elif tag in ("tab", "br", "cr"):
                    pieces.append((" ", False, False))
                elif tag == "footnoteReference" and cite:
                    flush()
                    note = child.get(_w("id"), "")
                    self.order.append(note)
                    out.append(f"[^w{note}]")
                elif tag == "noBreakHyphen":
                    pieces.append(("-", bold, italic))
        flush()
        text = "".join(out)
        # Join the pieces of one link (Word splits a link's text over several runs).
        text = re.sub(r"\x01[^\x02]*\x02\x00", "", text)
        text = re.sub(r"\x00([^\x01]*)\x01([^\x02]*)\x02", r"[\1](\2)", text)
        return " ".join(text.split())

    def footnotes(self, root: Any) -> None:
        for note in root.iter(_w("footnote")):
            if note.get(_w("type")) in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            number = note.get(_w("id"), "")
            parts = [self.inline(p, self.note_links, cite=False) for p in note.iter(_w("p"))]
            self.document.footnotes[f"w{number}"] = "\n".join(part for part in parts if part)


def _number_footnotes(document: Document, order: list[str]) -> None:
    """Word's footnote ids become 1, 2, 3 in the order the text cites them."""
    renumber: dict[str, str] = {}
    for note in order:
        if f"w{note}" not in renumber:
            renumber[f"w{note}"] = str(len(renumber) + 1)
    for key in document.footnotes:
        if key not in renumber:
            renumber[key] = str(len(renumber) + 1)
    for block in document.blocks:
        block.text = re.sub(
            r"\[\^(w[-\d]+)\]", lambda m: f"[^{renumber.get(m.group(1), m.group(1))}]", block.text
        )
    notes = {renumber[key]: text.strip() for key, text in document.footnotes.items()}
    document.footnotes = {key: notes[key] for key in sorted(notes, key=int) if notes[key]}


def _formatting(run: Any) -> tuple[bool, bool]:
    props = run.find(_w("rPr"))
    if props is None:
        return False, False
    return _on(props.find(_w("b"))), _on(props.find(_w("i")))


def _on(element: Any) -> bool:
    return element is not None and element.get(_w("val"), "true") not in ("0", "false", "off")


def _emphasis(pieces: list[tuple[str, bool, bool]]) -> str:
    """Runs as Markdown: bold as **...**, italic as *...*; spaces stay outside the marks."""
    out = []
    merged: list[tuple[str, bool, bool]] = []
    for text, bold, italic in pieces:
        if merged and merged[-1][1:] == (bold, italic):
            merged[-1] = (merged[-1][0] + text, bold, italic)
        else:
            merged.append((text, bold, italic))
    for text, bold, italic in merged:
        mark = ("**" if bold else "") + ("*" if italic else "")
        core = text.strip()
        if not mark or not core or "\x00" in text:
            out.append(text)
            continue
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()) :]
        out.append(f"{lead}{mark}{core}{mark[::-1]}{trail}")
    return "".join(out)


def _inside(element: Any, name: str, stop: Any = None) -> bool:
    return _ancestor(element, name, stop) is not None


def _ancestor(element: Any, name: str, stop: Any = None) -> Any:
    parent = element.getparent()
    while parent is not None and parent is not stop:
        if parent.tag == _w(name):
            return parent
        parent = parent.getparent()
    return None


def _plain(text: str) -> str:
    """Text without Markdown emphasis or escapes, for recognising a heading."""
    text = re.sub(r"\[\^\w+\]", "", text)
    text = text.replace("**", "").replace("\\", "")
    return re.sub(r"(?<!\w)\*|\*(?!\w)", "", text).strip()


def _refs(text: str) -> str:
    """The footnote references in a text, to keep them on a heading made plain."""
    return "".join(re.findall(r"\[\^\w+\]", text))


def _first_cell(p: Any) -> bool:
    """Whether a paragraph stands in the first cell of a table row (a label column)."""
    cell = _ancestor(p, "tc")
    if cell is None:
        return False
    row = cell.getparent()
    return row is not None and next(iter(row.iterchildren(_w("tc"))), None) is cell
