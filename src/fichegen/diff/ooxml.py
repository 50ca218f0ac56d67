"""The WordprocessingML the tracked-changes document needs, named after the schema.

A .docx read as a zip of parts (kept in their order, written back with their
original entry dates), the main document's related parts found through
relationships, and small builders for the revision elements (`w:ins`,
`w:del`, `w:pPrChange`, ...). Nothing here decides what changed.
"""

from __future__ import annotations

import copy
import io
import posixpath
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime

from lxml import etree

from fichegen.i18n import _
from fichegen.render.docx.package import COMPRESS_LEVEL  # as fast as the rendered fiche

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
RT_OFFICE_DOCUMENT = RT + "officeDocument"
RT_FOOTNOTES = RT + "footnotes"
RT_NUMBERING = RT + "numbering"
RT_HYPERLINK = RT + "hyperlink"

R_ID = f"{{{R_NS}}}id"


def w(local: str) -> str:
    """'p' -> '{...wordprocessingml/2006/main}p'."""
    return f"{{{W_NS}}}{local}"


W_VAL = w("val")
W_ID = w("id")


def local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


class PackageError(Exception):
    """Bytes that are not a .docx we can read; callers turn this into a located error."""


@dataclass
class Package:
    """A .docx as its zip entries, in order, with their original zip metadata."""

    infos: list[zipfile.ZipInfo]
    data: dict[str, bytes]

    @classmethod
    def read(cls, blob: bytes) -> Package:
        try:
            with zipfile.ZipFile(io.BytesIO(blob)) as archive:
                infos = archive.infolist()
                return cls(infos, {info.filename: archive.read(info) for info in infos})
        except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
            raise PackageError(_("not a Word file: {error}").format(error=exc)) from None

    def write(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            names = {info.filename for info in self.infos}
            for info in self.infos:
                data = self.data[info.filename]
                archive.writestr(info, data, zipfile.ZIP_DEFLATED, COMPRESS_LEVEL)
            for name, data in self.data.items():
                if name not in names:
                    stamp = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
                    archive.writestr(stamp, data, zipfile.ZIP_DEFLATED, COMPRESS_LEVEL)
        return buffer.getvalue()

    def xml(self, name: str) -> etree._Element:
        try:
            return etree.fromstring(
                self.data[name], etree.XMLParser(resolve_entities=False, huge_tree=True)
            )
        except (KeyError, etree.XMLSyntaxError) as exc:
            raise PackageError(
                _("cannot read part {name}: {error}").format(name=name, error=exc)
            ) from None

    def set_xml(self, name: str, root: etree._Element) -> None:
        self.data[name] = etree.tostring(
            root, xml_declaration=True, encoding="UTF-8", standalone=True
        )

    @property
    def main(self) -> str:
        """The name of the main document part (`word/document.xml` as a rule)."""
        for rel in self.rels(""):
            if rel.type == RT_OFFICE_DOCUMENT:
                return rel.target
        raise PackageError(_("no main document part"))

    def rels(self, part: str) -> list[Relationship]:
        name = rels_name(part)
        if name not in self.data:
            return []
        root = self.xml(name)
        base = posixpath.dirname(part)
        result = []
        for el in root:
            target = el.get("Target", "")
            external = el.get("TargetMode") == "External"
            if not external:
                target = posixpath.normpath(posixpath.join(base, target)).lstrip("/")
            result.append(Relationship(el.get("Id", ""), el.get("Type", ""), target, external))
        return result

    def related(self, part: str, reltype: str) -> str | None:
        return next((r.target for r in self.rels(part) if r.type == reltype), None)

    def add_rels(self, part: str, added: list[Relationship]) -> None:
        """Append relationships to a part's .rels (creating it when the part had none)."""
        if not added:
            return
        name = rels_name(part)
        root = (
            self.xml(name)
            if name in self.data
            else etree.Element(f"{{{PR_NS}}}Relationships", nsmap={None: PR_NS})
        )
        for rel in added:
            el = etree.SubElement(root, f"{{{PR_NS}}}Relationship")
            el.set("Id", rel.id)
            el.set("Type", rel.type)
            el.set("Target", rel.target)
            if rel.external:
                el.set("TargetMode", "External")
        self.set_xml(name, root)


@dataclass(frozen=True)
class Relationship:
    id: str
    type: str
    target: str
    external: bool = False


def rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


@dataclass
class Hyperlinks:
    """The external hyperlink relationships of one part, and the ones we add to it."""

    by_id: dict[str, str]
    taken: set[str] = field(default_factory=set)
    added: list[Relationship] = field(default_factory=list)

    @classmethod
    def of(cls, package: Package, part: str) -> Hyperlinks:
        rels = package.rels(part)
        return cls({r.id: r.target for r in rels if r.type == RT_HYPERLINK}, {r.id for r in rels})

    def url(self, rid: str) -> str | None:
        return self.by_id.get(rid)

    def rid(self, url: str) -> str:
        """The id of a link to `url`, adding a relationship when the part has none."""
        for rid, target in self.by_id.items():
            if target == url:
                return rid
        number = 1
        while f"rId{number}" in self.taken:
            number += 1
        rid = f"rId{number}"
        self.by_id[rid] = url
        self.taken.add(rid)
        self.added.append(Relationship(rid, RT_HYPERLINK, url, external=True))
        return rid


@dataclass
class PartLinks:
    """The hyperlinks of one part (body or footnotes): in the old, the new and the output."""

    old: Hyperlinks
    new: Hyperlinks
    out: Hyperlinks


def block_children(container: etree._Element) -> list[etree._Element]:
    """The block-level children of a body, cell or footnote (its properties excluded)."""
    return [
        el for el in container if local(el) not in ("sectPr", "tcPr", "tblPr", "tblGrid", "trPr")
    ]


class Marks:
    """Revision marks with one author and date and ids unique across the document."""

    def __init__(self, author: str, date: datetime, first_id: int = 1):
        self.author = author
        self.date = date.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self._next = first_id

    def make(self, tag: str) -> etree._Element:
        """A `w:ins`, `w:del`, `w:pPrChange`... element with id, author and date."""
        el = etree.Element(w(tag))
        self.stamp(el)
        return el

    def stamp(self, el: etree._Element) -> None:
        el.set(W_ID, str(self._next))
        el.set(w("author"), self.author)
        el.set(w("date"), self.date)
        self._next += 1


# Children of w:pPr in schema order (CT_PPr): a w:rPr goes before sectPr and pPrChange.
_PPR_AFTER_RPR = ("sectPr", "pPrChange")
# Children of w:trPr: revision marks go after the row properties, before trPrChange.
_TRPR_AFTER_MARKS = ("trPrChange",)


def ensure_ppr(p: etree._Element) -> etree._Element:
    ppr = p.find(w("pPr"))
    if ppr is None:
        ppr = etree.Element(w("pPr"))
        p.insert(0, ppr)
    return ppr


def mark_paragraph(p: etree._Element, mark: etree._Element) -> None:
    """Mark a paragraph's mark as inserted or deleted (`w:pPr/w:rPr/w:ins|w:del`)."""
    ppr = ensure_ppr(p)
    rpr = ppr.find(w("rPr"))
    if rpr is None:
        rpr = etree.Element(w("rPr"))
        insert_before(ppr, rpr, _PPR_AFTER_RPR)
    rpr.insert(0, mark)  # CT_ParaRPr: ins and del come first


def mark_row(tr: etree._Element, mark: etree._Element) -> None:
    """Mark a table row as inserted or deleted (`w:trPr/w:ins|w:del`)."""
    trpr = tr.find(w("trPr"))
    if trpr is None:
        trpr = etree.Element(w("trPr"))
        index = 1 if len(tr) and local(tr[0]) == "tblPrEx" else 0
        tr.insert(index, trpr)
    insert_before(trpr, mark, _TRPR_AFTER_MARKS)


def properties_change(
    props: etree._Element, old: etree._Element, mark: etree._Element, keep: tuple[str, ...] = ()
) -> None:
    """Record the old properties in a `w:xxxPrChange` as the last child of `props`.

    `keep` names children of the old properties that a change element may not
    hold (a paragraph's rPr and sectPr).
    """
    inner = etree.SubElement(mark, old.tag)
    for child in old:
        if local(child) not in keep and not local(child).endswith("Change"):
            inner.append(_copy(child))
    props.append(mark)


def insert_before(
    parent: etree._Element, child: etree._Element, successors: tuple[str, ...]
) -> None:
    for index, existing in enumerate(parent):
        if local(existing) in successors:
            parent.insert(index, child)
            return
    parent.append(child)


def _copy(el: etree._Element) -> etree._Element:
    return copy.deepcopy(el)


def set_text(el: etree._Element, text: str) -> None:
    el.text = text
    if text != text.strip() or "  " in text:
        el.set(XML_SPACE, "preserve")
