"""A reviewed .docx as fields: the text between each anchor bookmark, revisions, comments.

python-docx opens the package (and reads the core properties); the body,
footnotes and comments are read with lxml, since python-docx has no API for
revisions, bookmarks or footnotes.
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from lxml import etree

from fichegen.render.docx.oxml import qn
from fichegen.render.docx.oxml.anchors import (
    CUSTOM_NS,
    PREFIX,
    PROPERTY_COM,
    PROPERTY_POSITIONS,
    PROPERTY_SOURCE,
    VT_NS,
)

Changes = Literal["accept", "reject", "list"]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
W15 = "{http://schemas.microsoft.com/office/word/2012/wordml}"
_ANCHOR = re.compile(rf"{PREFIX}(\d*)_([A-Za-z0-9_]+?)(?:_Copy_\d+)?$")


class NotAWordDocument(Exception):
    """The bytes are no readable .docx."""


class TooBig(NotAWordDocument):
    """A zip that would unpack into more than a Word file can hold (the reason says what)."""


@dataclass(frozen=True)
class Segment:
    """A piece of text with the formatting Markdown can carry."""

    text: str
    bold: bool = False
    italic: bool = False
    link: str = ""
    footnote: str = ""  # the Word footnote id, for a footnote reference
    dropped: tuple[str, ...] = ()  # formatting Markdown cannot carry (colour, font, ...)


@dataclass
class Paragraph:
    list_kind: str = ""  # "bullet" or "number" for a list item
    segments: list[Segment] = field(default_factory=list)

    def plain(self) -> str:
        return "".join(s.text for s in self.segments)


@dataclass
class FieldText:
    name: str  # the bookmark name
    path: str  # the field path, "areas_0_actions_1_summary"
    occurrence: int
    paragraphs: list[Paragraph] = field(default_factory=list)
    authors: set[str] = field(default_factory=set)  # who made revisions inside it

    def key(self) -> tuple[tuple[str, tuple[Segment, ...]], ...]:
        """What a reader sees of the field, for comparison with a fresh rendering."""
        return tuple((p.list_kind, tuple(_merge(p.segments))) for p in self.paragraphs)

    def plain(self) -> str:
        return "\n".join(p.plain() for p in self.paragraphs)


@dataclass(frozen=True)
class Revision:
    kind: str  # "insertion" or "deletion"
    author: str
    date: str
    path: str  # the field, or "" outside every field
    text: str
    place: str  # the heading above it


@dataclass
class Comment:
    id: str
    author: str
    date: str
    text: str
    path: str = ""
    quote: str = ""
    place: str = ""
    parent: str = ""  # the id of the comment this one answers
    replies: list[Comment] = field(default_factory=list)


@dataclass
class Outside:
    """Text of the document outside every field: headings, stock sentences, labels."""

    place: str
    text: str


@dataclass
class ReviewedDocument:
    fields: dict[str, FieldText]  # by bookmark name
    footnotes: dict[str, FieldText]  # by Word footnote id: the text of each footnote
    footnote_anchor: dict[str, str]  # Word footnote id -> field path of its footnote
    outside: list[Outside]
    stance_cells: dict[str, str]  # action path ("elements_2") -> text of its stance cell
    added_items: list[tuple[str, Paragraph]]  # (list item path, new paragraph typed after it)
    revisions: list[Revision]
    comments: list[Comment]
    properties: dict[str, str]
    last_author: str

    @property
    def positions(self) -> str:
        return self.properties.get(PROPERTY_POSITIONS, "")

    @property
    def com(self) -> str:
        return self.properties.get(PROPERTY_COM, "")

    @property
    def source(self) -> str:
        """The git blob id of the positions file the fiche was rendered from."""
        return self.properties.get(PROPERTY_SOURCE, "")

    def iter_fields(self) -> Iterator[FieldText]:
        yield from self.fields.values()


def read_document(
    data: bytes, changes: Changes = "accept", *, ours: bool = False
) -> ReviewedDocument:
    """The fields of a .docx, with pending revisions accepted or rejected.

    A reviewed file is opened with python-docx, which copes with whatever Word or
    LibreOffice wrote; `ours` (a fresh rendering by fichegen itself, in memory)
    is read straight from the zip, which is ten times faster.
    """
    package = _our_package(data) if ours else _reviewed_package(data)
    body_root, links = package.body, package.links
    notes_root, note_links = package.notes, package.note_links
    comments_root, extended_root = package.comments, package.extended

    reader = _Reader(links)
    revisions = list(reader.iter_revisions(body_root))
    quotes = _quotes(body_root) if comments_root is not None else {}
    mode: Literal["accept", "reject"] = "reject" if changes == "reject" else "accept"
    if mode == "accept":
        extend_field_ends(body_root)
    resolve_revisions(body_root, mode)
    reader.read(body_root)
    notes_reader = _Reader(note_links)
    footnotes: dict[str, FieldText] = {}
    footnote_anchor: dict[str, str] = {}
    if notes_root is not None:
        if mode == "accept":
            extend_field_ends(notes_root)
        resolve_revisions(notes_root, mode)
        for note in notes_root.iter(qn("w:footnote")):
            if note.get(qn("w:type")) in ("separator", "continuationSeparator"):
                continue
            fid = note.get(qn("w:id"), "")
            inner = _Reader(note_links)
            inner.read(note)
            text = FieldText(f"footnote {fid}", "", 1, inner.all_paragraphs)
            footnotes[fid] = text
            for name in inner.fields:
                footnote_anchor[fid] = inner.fields[name].path
            notes_reader.fields.update(inner.fields)
    comments = _comments(comments_root, extended_root, reader, quotes)
    properties = _properties(package.custom)
    return ReviewedDocument(
        fields={**reader.fields, **notes_reader.fields},
        footnotes=footnotes,
        footnote_anchor=footnote_anchor,
        outside=reader.outside,
        stance_cells=reader.stance_cells,
        added_items=reader.added_items,
        revisions=revisions,
        comments=comments,
        properties=properties,
        last_author=package.last_author,
    )


@dataclass
class _Package:
    body: etree._Element
    links: dict[str, str]
    notes: etree._Element | None = None
    note_links: dict[str, str] = field(default_factory=dict)
    comments: etree._Element | None = None
    extended: etree._Element | None = None
    custom: etree._Element | None = None
    last_author: str = ""


def _reviewed_package(data: bytes) -> _Package:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    from fichegen.files import ZipLimitError, read_zip

    try:  # python-docx reads every part whole: first make sure none is a zip bomb
        read_zip(data)
    except ZipLimitError as exc:
        raise TooBig(str(exc)) from exc
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError) as exc:
        raise NotAWordDocument(str(exc)) from exc
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise NotAWordDocument(str(exc)) from exc
    except Exception as exc:  # python-docx raises many kinds on a broken package
        raise NotAWordDocument(f"{type(exc).__name__}: {exc}") from exc
    parts = {str(part.partname).lstrip("/"): part for part in document.part.package.iter_parts()}
    folder = str(document.part.partname).lstrip("/").rpartition("/")[0]
    notes_part = parts.get(f"{folder}/footnotes.xml")
    return _Package(
        body=copy.deepcopy(document.element),
        links=_external(document.part.rels),
        notes=_xml(parts, f"{folder}/footnotes.xml"),
        note_links=_external(notes_part.rels) if notes_part is not None else {},
        comments=_xml(parts, f"{folder}/comments.xml"),
        extended=_xml(parts, f"{folder}/commentsExtended.xml"),
        custom=_xml(parts, "docProps/custom.xml"),
        last_author=document.core_properties.last_modified_by or "",
    )


def _external(rels: Any) -> dict[str, str]:
    return {rid: rel.target_ref for rid, rel in rels.items() if rel.is_external}


def _our_package(data: bytes) -> _Package:
    """A rendering of our own: known part names, no surprises."""
    import zipfile

    from fichegen.render.docx.package import PR_NS

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}

    def rels(name: str) -> dict[str, str]:
        blob = members.get(name)
        if blob is None:
            return {}
        return {
            el.get("Id", ""): el.get("Target", "")
            for el in etree.fromstring(blob).iter(f"{{{PR_NS}}}Relationship")
            if el.get("TargetMode") == "External"
        }

    def xml(name: str) -> etree._Element | None:
        return etree.fromstring(members[name]) if name in members else None

    body = xml("word/document.xml")
    assert body is not None
    return _Package(
        body=body,
        links=rels("word/_rels/document.xml.rels"),
        notes=xml("word/footnotes.xml"),
        note_links=rels("word/_rels/footnotes.xml.rels"),
        custom=xml("docProps/custom.xml"),
    )


def extend_field_ends(root: etree._Element) -> None:
    """Text inserted (tracked) right at the end of a field belongs to the field.

    When a tracked replacement reaches the last word of a bookmarked range,
    LibreOffice 7.4 writes the bookmark's end at the start of the insertion
    (`<w:del>old</w:del><w:ins><w:bookmarkEnd/>new</w:ins>`): the range keeps
    only the deleted words, and accepting the change would leave the field
    without its new text (a title replaced whole came back empty). The end is
    moved past the insertions that follow it in the same paragraph, which is
    also what a reviewer means who types at the end of a field.
    """
    anchors = {
        el.get(qn("w:id"), "")
        for el in root.iter(qn("w:bookmarkStart"))
        if _ANCHOR.match(el.get(qn("w:name"), ""))
    }
    for end in list(root.iter(qn("w:bookmarkEnd"))):
        if end.get(qn("w:id"), "") not in anchors:
            continue
        parent = end.getparent()
        if parent is None:
            continue
        if parent.tag == qn("w:ins") and parent.index(end) == 0 and parent.getparent() is not None:
            parent.remove(end)
            parent.addnext(end)
        following = end.getnext()
        last = None
        while following is not None and following.tag in (qn("w:ins"), qn("w:bookmarkEnd")):
            if following.tag == qn("w:ins"):
                last = following
            following = following.getnext()
        if last is not None:
            end_parent = end.getparent()
            assert end_parent is not None
            end_parent.remove(end)
            last.addnext(end)


def resolve_revisions(root: etree._Element, mode: Literal["accept", "reject"]) -> None:
    """Accept or reject every pending revision in place, as Word's Accept/Reject All does."""
    keep, drop = ("w:ins", "w:del") if mode == "accept" else ("w:del", "w:ins")
    keep_move, drop_move = (
        ("w:moveTo", "w:moveFrom") if mode == "accept" else ("w:moveFrom", "w:moveTo")
    )
    # A paragraph mark inserted (rejecting) or deleted (accepting) joins the paragraph
    # with the next one.
    joined: list[etree._Element] = []
    for mark in list(root.iter(qn(drop))):
        parent = mark.getparent()
        if parent is not None and parent.tag == qn("w:rPr"):
            ppr = parent.getparent()
            if ppr is not None and ppr.tag == qn("w:pPr"):
                p = ppr.getparent()
                if p is not None:
                    joined.append(p)
            parent.remove(mark)
    for mark in list(root.iter(qn(keep))):
        parent = mark.getparent()
        if parent is not None and parent.tag == qn("w:rPr"):
            parent.remove(mark)
    for tag in (drop, drop_move):
        for el in list(root.iter(qn(tag))):
            parent = el.getparent()
            if parent is not None and parent.tag != qn("w:rPr"):
                _remove_keeping_marks(el)
    for tag in (keep, keep_move):
        for el in list(root.iter(qn(tag))):
            _unwrap(el)
    for el in list(root.iter(qn("w:delText"))):
        el.tag = qn("w:t")
    for tag in ("w:rPrChange", "w:pPrChange", "w:sectPrChange", "w:tblPrChange", "w:trPrChange"):
        for el in list(root.iter(qn(tag))):
            if mode == "reject":
                _restore_properties(el)
            else:
                el.getparent().remove(el)  # type: ignore[union-attr]
    for el in list(
        root.iter(
            qn("w:moveFromRangeStart"),
            qn("w:moveFromRangeEnd"),
            qn("w:moveToRangeStart"),
            qn("w:moveToRangeEnd"),
        )
    ):
        el.getparent().remove(el)  # type: ignore[union-attr]
    for p in joined:
        following = p.getnext()
        if following is None or following.tag != qn("w:p"):
            continue
        for child in list(following):
            if child.tag != qn("w:pPr"):
                p.append(child)
        following.getparent().remove(following)  # type: ignore[union-attr]
    # A row whose insertion is rejected (or deletion accepted) disappears with its mark.
    for tr in list(root.iter(qn("w:tr"))):
        trpr = tr.find(qn("w:trPr"))
        if trpr is not None and trpr.find(qn(drop)) is not None:
            tr.getparent().remove(tr)  # type: ignore[union-attr]


def _remove_keeping_marks(el: etree._Element) -> None:
    """Remove revised content, but keep bookmarks and comment marks inside it."""
    parent = el.getparent()
    assert parent is not None
    index = parent.index(el)
    marks = [
        m
        for m in el.iter(
            qn("w:bookmarkStart"),
            qn("w:bookmarkEnd"),
            qn("w:commentRangeStart"),
            qn("w:commentRangeEnd"),
        )
    ]
    parent.remove(el)
    for offset, mark in enumerate(marks):
        parent.insert(index + offset, mark)


def _unwrap(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    if parent.tag in (qn("w:rPr"), qn("w:trPr"), qn("w:pPr")):
        parent.remove(el)
        return
    index = parent.index(el)
    for offset, child in enumerate(list(el)):
        parent.insert(index + offset, child)
    parent.remove(el)


def _restore_properties(change: etree._Element) -> None:
    """Rejecting a formatting change: the old properties come back."""
    holder = change.getparent()
    old = change.find("*")
    if holder is None:
        return
    for child in list(holder):
        if child is not change:
            holder.remove(child)
    holder.remove(change)
    if old is not None:
        for child in old:
            holder.append(child)


class _Reader:
    """One walk over a body (or a footnote): field texts, outside text, stance cells."""

    def __init__(self, links: dict[str, str]) -> None:
        self.links = links
        self.fields: dict[str, FieldText] = {}
        self.outside: list[Outside] = []
        self.stance_cells: dict[str, str] = {}
        self.added_items: list[tuple[str, Paragraph]] = []
        self.all_paragraphs: list[Paragraph] = []
        self._closed: tuple[str, Paragraph | None, str] = ("", None, "")  # last list item
        self._ids: dict[str, str] = {}  # bookmark id -> name
        self._open: dict[str, FieldText] = {}
        self._place = ""
        self.positions: dict[int, tuple[str, str]] = {}  # comment id -> (field path, heading)

    def read(self, root: etree._Element) -> None:
        tags = (
            qn("w:p"),
            qn("w:r"),
            qn("w:bookmarkStart"),
            qn("w:bookmarkEnd"),
            qn("w:commentRangeStart"),
            qn("w:commentReference"),
            qn("w:tr"),
        )
        paragraph: Paragraph | None = None
        outside: list[str] = []
        adding = False
        for el in root.iter(*tags):
            tag = el.tag
            if tag == qn("w:p"):
                if outside and "".join(outside).strip():
                    self.outside.append(Outside(self._place, "".join(outside)))
                outside = []
                previous = paragraph
                paragraph = Paragraph(_list_kind(el))
                self.all_paragraphs.append(paragraph)
                adding = self._added_item(el, previous, paragraph)
                if _is_heading(el):
                    self._place = _text_of(el)
                for ft in self._open.values():
                    ft.paragraphs.append(Paragraph(paragraph.list_kind))
            elif tag == qn("w:tr"):
                self._stance_row(el)
            elif tag == qn("w:bookmarkStart"):
                name = el.get(qn("w:name"), "")
                match = _ANCHOR.match(name)
                if not match:
                    continue
                self._ids[el.get(qn("w:id"), "")] = name
                key = _canonical(name)
                if key in self._open or key in self.fields:
                    continue  # LibreOffice repeats a start in each paragraph of a range
                ft = FieldText(key, match.group(2), int(match.group(1) or 1))
                ft.paragraphs.append(Paragraph(paragraph.list_kind if paragraph else ""))
                self._open[key] = self.fields[key] = ft
            elif tag == qn("w:bookmarkEnd"):
                name = self._ids.get(el.get(qn("w:id"), ""), "")
                closed = self._open.pop(_canonical(name), None)
                if closed is not None and closed.occurrence == 1 and _LIST_ITEM.search(closed.path):
                    number = _num_id(next(el.iterancestors(qn("w:p")), None))
                    self._closed = (closed.path, paragraph, number)
            elif tag in (qn("w:commentRangeStart"), qn("w:commentReference")):
                path = next(iter(self._open.values())).path if self._open else ""
                self.positions.setdefault(int(el.get(qn("w:id"), "-1") or -1), (path, self._place))
            elif tag == qn("w:r"):
                segment = self._segment(el)
                if segment is None:
                    continue
                if paragraph is not None:
                    paragraph.segments.append(segment)
                if self._open:
                    for ft in self._open.values():
                        ft.paragraphs[-1].segments.append(segment)
                elif segment.text and not segment.footnote and not adding:
                    outside.append(segment.text)
        if outside and "".join(outside).strip():
            self.outside.append(Outside(self._place, "".join(outside)))

    def _added_item(
        self, p: etree._Element, previous: Paragraph | None, paragraph: Paragraph
    ) -> bool:
        """A paragraph typed (Enter) right after a list item of a field, in the same list:
        a new item of that list (a new condition, a new concern)."""
        path, last, number = self._closed
        if not path or last is None or self._open or not number:
            return False
        follows = previous is last or any(
            previous is added for item, added in self.added_items if item == path
        )
        # Still a list paragraph; LibreOffice may give it another list id than the item
        # before it (seen with a list of one item), so the number need not match.
        if not follows or not _num_id(p):
            return False
        if any(_ANCHOR.match(m.get(qn("w:name"), "")) for m in p.iter(qn("w:bookmarkStart"))):
            return False
        self.added_items.append((path, paragraph))
        return True

    def _stance_row(self, tr: etree._Element) -> None:
        cells = tr.findall(qn("w:tc"))
        if len(cells) < 2:
            return
        for mark in cells[0].iter(qn("w:bookmarkStart")):
            match = _ANCHOR.match(mark.get(qn("w:name"), ""))
            if match and match.group(2).endswith("_title"):
                self.stance_cells[match.group(2)[: -len("_title")]] = _text_of(cells[1])
                return

    def _segment(self, r: etree._Element) -> Segment | None:
        parts: list[str] = []
        footnote = ""
        for child in r:
            if child.tag == qn("w:t"):
                parts.append(child.text or "")
            elif child.tag == qn("w:tab"):
                parts.append("\t")
            elif child.tag in (qn("w:br"), qn("w:cr")):
                parts.append("\n")
            elif child.tag == qn("w:noBreakHyphen"):
                parts.append("-")
            elif child.tag == qn("w:footnoteReference"):
                footnote = child.get(qn("w:id"), "")
        if not parts and not footnote:
            return None
        rpr = r.find(qn("w:rPr"))
        bold = italic = False
        dropped: list[str] = []
        if rpr is not None:
            bold = _on(rpr.find(qn("w:b")))
            italic = _on(rpr.find(qn("w:i")))
            for tag, what in (
                ("w:color", "colour"),
                ("w:highlight", "highlighting"),
                ("w:u", "underline"),
                ("w:strike", "strikethrough"),
                ("w:sz", "font size"),
                ("w:shd", "shading"),
            ):
                el = rpr.find(qn(tag))
                if el is not None and el.get(qn("w:val"), "") not in ("", "auto", "none", "0"):
                    dropped.append(what)
            fonts = rpr.find(qn("w:rFonts"))
            if fonts is not None and fonts.get(qn("w:ascii")) and not _is_mono(fonts):
                dropped.append("font")
        link = ""
        parent = r.getparent()
        if parent is not None and parent.tag == qn("w:hyperlink"):
            rid = parent.get(qn("r:id"), "")
            link = self.links.get(rid, "") or (
                "#" + parent.get(qn("w:anchor"), "") if parent.get(qn("w:anchor")) else ""
            )
        return Segment("".join(parts), bold, italic, link, footnote, tuple(dropped))

    def iter_revisions(self, root: etree._Element) -> Iterator[Revision]:
        """Every insertion and deletion, with the field it is in (read before resolving)."""
        open_names: dict[str, str] = {}
        ids: dict[str, str] = {}
        place = ""
        for el in root.iter(
            qn("w:p"), qn("w:bookmarkStart"), qn("w:bookmarkEnd"), qn("w:ins"), qn("w:del")
        ):
            if el.tag == qn("w:p"):
                if _is_heading(el):
                    place = _text_of(el)
                continue
            if el.tag == qn("w:bookmarkStart"):
                match = _ANCHOR.match(el.get(qn("w:name"), ""))
                if match:
                    name = _canonical(el.get(qn("w:name"), ""))
                    ids[el.get(qn("w:id"), "")] = name
                    open_names.setdefault(name, match.group(2))
                continue
            if el.tag == qn("w:bookmarkEnd"):
                open_names.pop(ids.get(el.get(qn("w:id"), ""), ""), None)
                continue
            parent = el.getparent()
            if parent is not None and parent.tag in (qn("w:rPr"), qn("w:trPr")):
                text = "\u00b6" if parent.tag == qn("w:rPr") else "(rij)"
            else:
                text = "".join(t.text or "" for t in el.iter(qn("w:t"), qn("w:delText")))
            yield Revision(
                "insertion" if el.tag == qn("w:ins") else "deletion",
                el.get(qn("w:author"), ""),
                el.get(qn("w:date"), ""),
                next(reversed(open_names.values())) if open_names else _stance_cell_of(el),
                text,
                place,
            )


def _stance_cell_of(el: etree._Element) -> str:
    """`elements_1_stance` for a revision in the stance cell of the overview table, else ""."""
    cell = next(el.iterancestors(qn("w:tc")), None)
    row = cell.getparent() if cell is not None else None
    if cell is None or row is None:
        return ""
    cells = row.findall(qn("w:tc"))
    if len(cells) < 2 or cells[1] is not cell:
        return ""
    for mark in cells[0].iter(qn("w:bookmarkStart")):
        match = _ANCHOR.match(mark.get(qn("w:name"), ""))
        if match and match.group(2).endswith("_title"):
            return match.group(2)[: -len("_title")] + "_stance"
    return ""


def _quotes(root: etree._Element) -> dict[str, str]:
    """The words each comment is anchored to, as the reviewer saw them (deleted words too)."""
    quotes: dict[str, list[str]] = {}
    open_ids: list[str] = []
    for el in root.iter(
        qn("w:commentRangeStart"), qn("w:commentRangeEnd"), qn("w:t"), qn("w:delText"), qn("w:p")
    ):
        if el.tag == qn("w:commentRangeStart"):
            cid = el.get(qn("w:id"), "")
            open_ids.append(cid)
            quotes.setdefault(cid, [])
        elif el.tag == qn("w:commentRangeEnd"):
            cid = el.get(qn("w:id"), "")
            if cid in open_ids:
                open_ids.remove(cid)
        elif open_ids:
            text = " " if el.tag == qn("w:p") else (el.text or "")
            for cid in open_ids:
                quotes[cid].append(text)
    return {cid: " ".join("".join(parts).split()) for cid, parts in quotes.items()}


def _comments(
    root: etree._Element | None,
    extended: etree._Element | None,
    reader: _Reader,
    quotes: dict[str, str],
) -> list[Comment]:
    if root is None:
        return []
    by_para: dict[str, str] = {}  # the w14:paraId of a comment's last paragraph -> comment id
    found: dict[str, Comment] = {}
    for el in root.iter(qn("w:comment")):
        cid = el.get(qn("w:id"), "")
        paragraphs = el.findall(qn("w:p"))
        text = "\n\n".join(_text_of(p).strip() for p in paragraphs).strip()
        comment = Comment(cid, el.get(qn("w:author"), ""), el.get(qn("w:date"), ""), text)
        path, place = reader.positions.get(int(cid) if cid.lstrip("-").isdigit() else -1, ("", ""))
        comment.path, comment.place = path, place
        comment.quote = quotes.get(cid, "")
        found[cid] = comment
        if paragraphs:
            para_id = paragraphs[-1].get(f"{W14}paraId", "")
            if para_id:
                by_para[para_id] = cid
    if extended is not None:
        for ex in extended.iter(f"{W15}commentEx"):
            parent_para = ex.get(f"{W15}paraIdParent")
            child = by_para.get(ex.get(f"{W15}paraId", ""))
            if parent_para and child and parent_para in by_para:
                found[child].parent = by_para[parent_para]
    top: list[Comment] = []
    for comment in found.values():
        if comment.parent and comment.parent in found:
            parent = found[comment.parent]
            while parent.parent and parent.parent in found:
                parent = found[parent.parent]
            parent.replies.append(comment)
        else:
            top.append(comment)
    return top


def _properties(root: etree._Element | None) -> dict[str, str]:
    if root is None:
        return {}
    values = {}
    for prop in root.iter(f"{{{CUSTOM_NS}}}property"):
        value = prop.find(f"{{{VT_NS}}}lpwstr")
        values[prop.get("name", "")] = (value.text or "") if value is not None else ""
    return values


def _xml(parts: dict[str, object], name: str) -> etree._Element | None:
    part = parts.get(name)
    if part is None:
        return None
    element = getattr(part, "element", None)
    if element is not None:
        return copy.deepcopy(element)
    blob = getattr(part, "blob", b"")
    try:
        return etree.fromstring(blob, etree.XMLParser(resolve_entities=False, huge_tree=False))
    except etree.XMLSyntaxError:
        return None


_LIST_ITEM = re.compile(r"_\d+$")


def _num_id(p: etree._Element | None) -> str:
    if p is None:
        return ""
    num = p.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    value = num.get(qn("w:val"), "") if num is not None else ""
    return "" if value == "0" else value


def _canonical(name: str) -> str:
    return re.sub(r"_Copy_\d+$", "", name)


def _list_kind(p: etree._Element) -> str:
    num = p.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    if num is None or num.get(qn("w:val")) in (None, "0"):
        return ""
    style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    name = (style.get(qn("w:val"), "") if style is not None else "").lower()
    return "number" if "number" in name else "bullet"


def _is_heading(p: etree._Element) -> bool:
    style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    name = (style.get(qn("w:val"), "") if style is not None else "").lower()
    return name.startswith(("heading", "kop")) or name == "title"


def _text_of(el: etree._Element) -> str:
    return "".join(t.text or "" for t in el.iter(qn("w:t")))


def _on(el: etree._Element | None) -> bool:
    return el is not None and el.get(qn("w:val"), "true") not in ("0", "false", "off")


def _is_mono(fonts: etree._Element) -> bool:
    return fonts.get(qn("w:ascii"), "").startswith(("Courier", "Consolas"))


def _merge(segments: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for s in segments:
        if (
            out
            and not s.footnote
            and not out[-1].footnote
            and (out[-1].bold, out[-1].italic, out[-1].link) == (s.bold, s.italic, s.link)
        ):
            last = out[-1]
            out[-1] = Segment(
                last.text + s.text, last.bold, last.italic, last.link, "", last.dropped
            )
        else:
            out.append(Segment(s.text, s.bold, s.italic, s.link, s.footnote and "fn"))
    if out and not out[-1].footnote:
        out[-1] = Segment(out[-1].text.rstrip(), out[-1].bold, out[-1].italic, out[-1].link)
    return [s for s in out if s.text or s.footnote]
