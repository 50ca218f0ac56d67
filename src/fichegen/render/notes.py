"""Internal notes in the internal Word version: comments anchored to the text they concern.

The internal Markdown shows a note as a quote starting with the label
(`> **Interne notitie:** ...`) right after the block it concerns. For Word,
`mark_notes` takes those quotes out of the Markdown and puts invisible marks
around the block before each one; after the Word writer has run,
`add_comments` turns each pair of marks into w:commentRangeStart/End with a
w:commentReference, and writes the notes into word/comments.xml.

Only the internal version goes through here. The public version never has a
note to begin with: `fichegen.audience` removes them from the data before any
template runs.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from lxml import etree
from markdown_it.token import Token

from fichegen.errors import Location, Problem, ToolError
from fichegen.i18n import _
from fichegen.render.docx import word_parser
from fichegen.render.docx.package import COMPRESS_LEVEL  # as fast as a public version

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
RT_COMMENTS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

# Private-use characters: never in a fiche (the writer passes them through as
# text), so a mark cannot be confused with what the user wrote.
START, END, CLOSE = "\ue000", "\ue001", "\ue002"
_MARK = re.compile(f"([{START}{END}])(\\d+){CLOSE}")
_BLOCK_PREFIX = re.compile(r"[ \t]*(?:#{1,6}[ \t]+|(?:[-*+]|\d{1,9}[.)])[ \t]+|>[ \t]?|\|[ \t]*)*")


@dataclass(frozen=True)
class Note:
    """One internal note: its paragraphs as plain text; a co-reader's has its own author."""

    paragraphs: tuple[str, ...]
    author: str = ""  # the comment's author: the note label when empty
    date: str = ""  # when the co-reader wrote it, as Word wrote it (w:date)


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def mark_notes(
    markdown: str, label: str, texts: list[str] | None = None, first: int = 0
) -> tuple[str, list[Note]]:
    """The Markdown without its note quotes, marks around what each note concerns, the notes.

    `texts` are the fiche's internal notes: a quote is taken for a note only when
    it is one of them as the template writes it, so a public text that merely
    looks like a note (`> **Interne notitie:** ...`) stays in the document. (A
    user's template that writes notes its own way still has its notes found by
    the label alone.) The marks are numbered from `first`, so that a second
    call (for the co-readers' notes) adds to the notes of the first.
    """
    lines = markdown.split("\n")
    top = [
        t
        for t in word_parser(blocks_only=True).parse(markdown)
        if t.level == 0 and t.map is not None and not t.type.endswith("_close")
    ]
    opening = f"**{label}:**"
    is_note = [
        t.type == "blockquote_open" and lines[t.map[0]].lstrip(" >").startswith(opening)  # type: ignore[index]
        for t in top
    ]
    if texts:
        is_note = _only_real_notes(top, is_note, lines, opening, texts)
    found = [(index, _anchor(top, is_note, index)) for index, note in enumerate(is_note) if note]
    definitions = _footnote_texts(lines)
    notes: list[Note] = []
    # Edit from the bottom up, so the line numbers of what is above stay right.
    for number in reversed(range(len(found))):
        index, anchor = found[number]
        start, end = top[index].map  # type: ignore[misc]
        notes.append(_note(lines[start:end], opening, definitions))
        del lines[start:end]
        if anchor is not None:
            start_row, last = anchor
            _mark_end(lines, _last_text_row(lines, start_row, last), first + number)
            _mark_start(lines, start_row, first + number)
    notes.reverse()
    return "\n".join(lines), notes


def _anchor(top: list[Token], is_note: list[bool], index: int) -> tuple[int, int] | None:
    """The first and last line a note concerns: the block before it (past other notes),
    and when that is a list, the sentence leading into it."""
    before = index - 1
    while before >= 0 and is_note[before]:
        before -= 1
    if before < 0:
        return None
    block = top[before]
    first = block
    if block.type in ("bullet_list_open", "ordered_list_open") and before >= 1:
        lead = top[before - 1]
        if lead.type == "paragraph_open" and not is_note[before - 1]:
            first = lead
    assert first.map is not None and block.map is not None
    return first.map[0], block.map[1] - 1


def _last_text_row(lines: list[str], first: int, last: int) -> int:
    """A block's map can end on the blank line after it (lists do); its last written line."""
    while last > first and not lines[last].strip():
        last -= 1
    return last


def _mark_start(lines: list[str], row: int, number: int) -> None:
    line = lines[row]
    at = _BLOCK_PREFIX.match(line).end()  # type: ignore[union-attr]
    lines[row] = f"{line[:at]}{START}{number}{CLOSE}{line[at:]}"


def _mark_end(lines: list[str], row: int, number: int) -> None:
    line = lines[row].rstrip()
    at = len(line)
    if line.endswith(("|", "\\")):  # keep a table row's last pipe, a hard break's backslash
        at -= 1
    lines[row] = f"{line[:at]}{END}{number}{CLOSE}{line[at:]}"


def _only_real_notes(
    top: list[Token], is_note: list[bool], lines: list[str], opening: str, texts: list[str]
) -> list[bool]:
    from fichegen.render.markdown import prose

    def quoted(text: str) -> list[str]:  # as the template's note macro writes it
        return f"> {opening} {prose(text)}".replace("\n", "\n> ").split("\n")

    expected = {_note(quoted(text), opening).paragraphs for text in texts}
    real = [
        note and _note(lines[t.map[0] : t.map[1]], opening).paragraphs in expected  # type: ignore[index]
        for t, note in zip(top, is_note, strict=True)
    ]
    return real if any(real) else is_note


_DEFINITION = re.compile(r"\[\^([^\]\s\[]+)\]:[ \t]?(.*)")


def _footnote_texts(lines: list[str]) -> dict[str, str]:
    """The footnotes defined in the Markdown (`[^key]: text`, continued by indented lines)."""
    texts: dict[str, str] = {}
    key = None
    for line in lines:
        found = _DEFINITION.match(line)
        if found:
            key = found.group(1)
            texts[key] = found.group(2).strip()
        elif key is not None and line.startswith("    ") and line.strip():
            texts[key] += " " + line.strip()
        elif line.strip():
            key = None
    return texts


def _note(quoted: list[str], opening: str, footnotes: dict[str, str] | None = None) -> Note:
    from fichegen.model import FOOTNOTE_REF

    text = "\n".join(re.sub(r"^[ \t]*>[ \t]?", "", line) for line in quoted)
    text = text.strip().removeprefix(opening).strip()
    # A comment cannot hold a footnote: its text follows the reference, in brackets.
    text = FOOTNOTE_REF.sub(
        lambda m: (
            f"{m.group(1)} ({footnotes[m.group(2)]})"
            if footnotes and m.group(2) in footnotes
            else m.group()
        ),
        text,
    )
    paragraphs = []
    for token in word_parser().parse(text):
        if token.type == "inline":
            parts = []
            for child in token.children or ():
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
            paragraphs.append("".join(parts).strip())
    return Note(tuple(p for p in paragraphs if p))


def add_comments(docx: bytes, notes: list[Note], author: str) -> bytes:
    """The .docx with each pair of marks turned into a comment holding its note."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        entries = [(info, archive.read(info)) for info in archive.infolist()]
    contents = {info.filename: data for info, data in entries}
    main = _main_part(contents)
    document = etree.fromstring(contents[main])
    missing = sorted(set(range(len(notes))) - _place_ranges(document))
    # A note with nothing before it (possible in a user's template) still becomes
    # a comment, on the first paragraph.
    _anchor_at_first_paragraph(document, missing)
    folder = main.rpartition("/")[0]
    comments_name = f"{folder}/comments.xml" if folder else "comments.xml"
    rels_name = f"{folder}/_rels/{main.rpartition('/')[2]}.rels"
    changed = {
        main: _xml(document),
        comments_name: _comments_xml(notes, author),
        rels_name: _with_comments_rel(contents.get(rels_name), comments_name.rpartition("/")[2]),
        "[Content_Types].xml": _with_comments_type(contents["[Content_Types].xml"], comments_name),
    }
    leftover = [name for name, data in changed.items() if _has_marks(data)]
    if leftover:
        raise ToolError(
            Problem(
                Location(main),
                _("an internal note could not be anchored"),
                code="internal-notes",
                hint=_("this is a bug in fichegen; please report it"),
            )
        )
    return _rewrite(entries, changed)


def _main_part(contents: dict[str, bytes]) -> str:
    rels = etree.fromstring(contents["_rels/.rels"])
    for rel in rels.iter(f"{{{REL_NS}}}Relationship"):
        if rel.get("Type", "").endswith("/officeDocument"):
            return rel.get("Target", "word/document.xml").lstrip("/")
    return "word/document.xml"


def _place_ranges(document: etree._Element) -> set[int]:
    """Replace every mark in the body's text by a comment range boundary; the numbers placed."""
    anchored: set[int] = set()
    for text in list(document.iter(_w("t"))):
        if not text.text or not _MARK.search(text.text):
            continue
        run = text.getparent()
        assert run is not None
        properties = run.find(_w("rPr"))
        content = [child for child in run if child.tag != _w("rPr")]
        at = content.index(text)
        pieces = _MARK.split(text.text)  # text, kind, number, text, kind, number, ..., text

        def new_run(
            children: list[etree._Element], properties: etree._Element | None = properties
        ) -> etree._Element:
            made = etree.Element(_w("r"))
            if properties is not None:
                made.append(_copy(properties))
            for child in children:
                made.append(child)
            return made

        nodes = []
        if pieces[0] or at:
            nodes.append(new_run([*content[:at], _t(pieces[0])]))
        for index in range(1, len(pieces), 3):
            kind, number, following = pieces[index], int(pieces[index + 1]), pieces[index + 2]
            if kind == START:
                nodes.append(_range("commentRangeStart", number))
            else:
                nodes += [_range("commentRangeEnd", number), _reference_run(number)]
                anchored.add(number)
            rest = content[at + 1 :] if index + 3 >= len(pieces) else []
            if following or rest:
                nodes.append(new_run([_t(following), *rest] if following else rest))
        for node in nodes:
            run.addprevious(node)
        parent = run.getparent()
        assert parent is not None
        parent.remove(run)
    return anchored


def _t(value: str) -> etree._Element:
    element = etree.Element(_w("t"))
    element.text = value
    element.set(XML_SPACE, "preserve")
    return element


def _copy(element: etree._Element) -> etree._Element:
    return etree.fromstring(etree.tostring(element))


def _range(tag: str, number: int) -> etree._Element:
    element = etree.Element(_w(tag))
    element.set(_w("id"), str(number))
    return element


def _reference_run(number: int) -> etree._Element:
    run = etree.Element(_w("r"))
    reference = etree.SubElement(run, _w("commentReference"))
    reference.set(_w("id"), str(number))
    return run


def _anchor_at_first_paragraph(document: etree._Element, numbers: list[int]) -> None:
    paragraph = next(document.iter(_w("p")), None)
    if paragraph is None:
        return
    for number in numbers:
        properties = paragraph.find(_w("pPr"))
        at = 1 if properties is not None else 0
        paragraph.insert(at, _range("commentRangeStart", number))
        paragraph.append(_range("commentRangeEnd", number))
        paragraph.append(_reference_run(number))


def _comments_xml(notes: list[Note], author: str) -> bytes:
    root = etree.Element(_w("comments"), nsmap={"w": W_NS})
    for number, note in enumerate(notes):
        comment = etree.SubElement(root, _w("comment"))
        comment.set(_w("id"), str(number))
        comment.set(_w("author"), note.author or author)
        if _DATE.fullmatch(note.date):
            comment.set(_w("date"), note.date)
        comment.set(_w("initials"), _initials(note.author or author))
        for index, paragraph in enumerate(note.paragraphs or ("",)):
            p = etree.SubElement(comment, _w("p"))
            if index == 0:
                etree.SubElement(etree.SubElement(p, _w("r")), _w("annotationRef"))
            run = etree.SubElement(p, _w("r"))
            text = etree.SubElement(run, _w("t"))
            text.text = paragraph
            text.set(XML_SPACE, "preserve")
    return _xml(root)


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?")
"""An xsd:dateTime, the only date w:date may hold."""


def _initials(author: str) -> str:
    return "".join(word[0] for word in author.split()[:3] if word[0].isalnum()).upper()


def _with_comments_rel(blob: bytes | None, target: str) -> bytes:
    if blob is None:
        root = etree.Element(f"{{{REL_NS}}}Relationships", nsmap={None: REL_NS})
    else:
        root = etree.fromstring(blob)
    rels = list(root.iter(f"{{{REL_NS}}}Relationship"))
    if not any(rel.get("Type") == RT_COMMENTS for rel in rels):
        used = {rel.get("Id") for rel in rels}
        number = len(rels) + 1
        while f"rId{number}" in used:
            number += 1
        etree.SubElement(
            root, f"{{{REL_NS}}}Relationship", Id=f"rId{number}", Type=RT_COMMENTS, Target=target
        )
    return _xml(root)


def _with_comments_type(blob: bytes, part: str) -> bytes:
    root = etree.fromstring(blob)
    name = "/" + part
    if not any(el.get("PartName") == name for el in root.iter(f"{{{CT_NS}}}Override")):
        etree.SubElement(root, f"{{{CT_NS}}}Override", PartName=name, ContentType=CT_COMMENTS)
    return _xml(root)


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _has_marks(data: bytes) -> bool:
    text = data.decode("utf-8", "replace")
    return any(mark in text for mark in (START, END, CLOSE))


def _rewrite(entries: list[tuple[zipfile.ZipInfo, bytes]], changed: dict[str, bytes]) -> bytes:
    """The same zip, entry for entry (order, dates, attributes), with parts replaced or added."""
    buffer = io.BytesIO()
    remaining = dict(changed)
    stamp = entries[0][0].date_time if entries else (1980, 1, 1, 0, 0, 0)
    with zipfile.ZipFile(buffer, "w") as archive:
        for info, data in entries:
            data = remaining.pop(info.filename, data)
            archive.writestr(
                _info_like(info, info.filename, stamp), data, compresslevel=COMPRESS_LEVEL
            )
        for name, data in remaining.items():
            template = entries[0][0] if entries else zipfile.ZipInfo(name, stamp)
            archive.writestr(_info_like(template, name, stamp), data, compresslevel=COMPRESS_LEVEL)
    return buffer.getvalue()


def _info_like(template: zipfile.ZipInfo, name: str, stamp: tuple[int, ...]) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, stamp)  # type: ignore[arg-type]
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = template.create_system
    info.external_attr = template.external_attr
    return info
