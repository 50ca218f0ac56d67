"""Accepting or rejecting every revision of a .docx, and a canonical text to compare documents by.

`accept_all` and `reject_all` do what Word's "Accept All Changes" and "Reject
All Changes" do to the markup `tracked.py` writes: run wrappers (`w:ins`,
`w:del`), paragraph marks (`w:pPr/w:rPr/w:ins|w:del`: the paragraph joins the
next one), rows (`w:trPr/w:ins|w:del`) and old properties (`w:pPrChange`,
`w:tcPrChange`, ...). `paragraphs` gives a document as one line per paragraph
(style, list, formatted text, footnotes inline), so two documents can be
compared paragraph by paragraph.
"""

from __future__ import annotations

import copy
from typing import Literal

from lxml import etree

from fichegen.diff.ooxml import (
    R_ID,
    RT,
    RT_FOOTNOTES,
    RT_NUMBERING,
    W_ID,
    W_VAL,
    Hyperlinks,
    Package,
    local,
    w,
)

_REVISED_PARTS = (RT_FOOTNOTES, RT + "endnotes", RT + "header", RT + "footer")
_MARKER_PARENTS = {"rPr", "trPr", "tcPr"}
_CHANGES = (
    "pPrChange",
    "rPrChange",
    "tcPrChange",
    "trPrChange",
    "tblPrChange",
    "sectPrChange",
    "tblGridChange",
    "tblPrExChange",
)


def accept_all(docx: bytes) -> bytes:
    """The document as it reads with every revision accepted."""
    return _resolve(docx, "accept")


def reject_all(docx: bytes) -> bytes:
    """The document as it reads with every revision rejected."""
    return _resolve(docx, "reject")


def count_revisions(docx: bytes) -> dict[str, int]:
    """How many revision elements of each kind the document and its footnotes hold."""
    package = Package.read(docx)
    counts: dict[str, int] = {}
    for name in _parts(package):
        for el in package.xml(name).iter(*(w(tag) for tag in ("ins", "del", *_CHANGES))):
            kind = local(el)
            if kind in ("ins", "del"):
                parent = el.getparent()
                where = local(parent) if parent is not None else ""
                kind = {"rPr": f"paragraph-{kind}", "trPr": f"row-{kind}"}.get(where, kind)
            counts[kind] = counts.get(kind, 0) + 1
    return counts


def _parts(package: Package) -> list[str]:
    main = package.main
    return [
        main,
        *(
            r.target
            for r in package.rels(main)
            if r.type in _REVISED_PARTS and r.target in package.data
        ),
    ]


def _resolve(docx: bytes, how: Literal["accept", "reject"]) -> bytes:
    package = Package.read(docx)
    for name in _parts(package):
        root = package.xml(name)
        _apply(root, how)
        package.set_xml(name, root)
    return package.write()


def _apply(root: etree._Element, how: Literal["accept", "reject"]) -> None:
    gone, kept = ("del", "ins") if how == "accept" else ("ins", "del")
    for mark in list(root.iter(w("ins"), w("del"))):
        parent = mark.getparent()
        if parent is None or local(parent) != "trPr":
            continue
        row = parent.getparent()
        table = row.getparent() if row is not None else None
        if local(mark) == gone and row is not None and table is not None:
            table.remove(row)
        else:
            parent.remove(mark)
    joining = []
    for mark in list(root.iter(w("ins"), w("del"))):
        parent = mark.getparent()
        if parent is None or local(parent) not in _MARKER_PARENTS:
            continue
        grand = parent.getparent()
        if (
            local(mark) == gone
            and local(parent) == "rPr"
            and grand is not None
            and (local(grand) == "pPr")
        ):
            paragraph = grand.getparent()
            if paragraph is not None:
                joining.append(paragraph)
        parent.remove(mark)
    for wrapper in list(root.iter(w("ins"), w("del"))):
        parent = wrapper.getparent()
        if parent is None or local(parent) in _MARKER_PARENTS:
            continue
        if local(wrapper) == gone:
            parent.remove(wrapper)
        else:
            if kept == "del":
                for text in wrapper.iter(w("delText"), w("delInstrText")):
                    text.tag = w({"delText": "t", "delInstrText": "instrText"}[local(text)])
            wrapper_index = parent.index(wrapper)
            for offset, child in enumerate(list(wrapper)):
                parent.insert(wrapper_index + offset, child)
            parent.remove(wrapper)
    for change in list(root.iter(*(w(tag) for tag in _CHANGES))):
        props = change.getparent()
        if props is None:
            continue
        props.remove(change)
        if how == "reject":
            _restore(props, change)
    for link in list(root.iter(w("hyperlink"))):
        parent = link.getparent()
        if len(link) == 0 and parent is not None:
            parent.remove(link)
    for paragraph in joining:
        _join(paragraph)


def _restore(props: etree._Element, change: etree._Element) -> None:
    """Put back the old properties a `w:xxxPrChange` recorded (a paragraph keeps its mark)."""
    old = change.find(str(props.tag))
    if old is None:
        return
    keep = (
        [child for child in props if local(child) in ("rPr", "sectPr")]
        if (local(props) == "pPr")
        else []
    )
    props[:] = [copy.deepcopy(child) for child in old]
    for child in keep:
        if local(child) == "rPr":
            _insert_rpr(props, child)
        else:
            props.append(child)


def _insert_rpr(ppr: etree._Element, rpr: etree._Element) -> None:
    for index, existing in enumerate(ppr):
        if local(existing) in ("sectPr", "pPrChange"):
            ppr.insert(index, rpr)
            return
    ppr.append(rpr)


def _join(paragraph: etree._Element) -> None:
    """A paragraph whose mark went away: its content joins the next paragraph."""
    parent = paragraph.getparent()
    if parent is None:
        return
    content = [child for child in paragraph if local(child) != "pPr"]
    following = paragraph.getnext()
    if following is not None and local(following) == "p":
        ppr = following.find(w("pPr"))
        index = 0 if ppr is None else following.index(ppr) + 1
        for offset, child in enumerate(content):
            following.insert(index + offset, child)
        parent.remove(paragraph)
    elif not content:
        parent.remove(paragraph)


# -- a canonical text --------------------------------------------------------------------------


def paragraphs(docx: bytes) -> list[str]:
    """One line per paragraph: `style [list fmt level]: text`, footnotes inline as `[^...]`.

    Runs carry their formatting as `«b,i:text»` and hyperlinks as
    `«link URL:text»`; inserted and deleted text, where there is any, as
    `{+text+}` and `[-text-]`. Table paragraphs start with their row and cell
    and the cell's fill.
    """
    package = Package.read(docx)
    main = package.main
    body = package.xml(main).find(w("body"))
    notes_name = package.related(main, RT_FOOTNOTES)
    numbering_name = package.related(main, RT_NUMBERING)
    dump = _Dump(
        Hyperlinks.of(package, main),
        _notes(package.xml(notes_name)) if notes_name else {},
        Hyperlinks.of(package, notes_name) if notes_name else Hyperlinks({}),
        _list_formats(package.xml(numbering_name)) if numbering_name else {},
    )
    if body is None:
        return []
    return list(dump.blocks(body, ""))


class _Dump:
    def __init__(
        self,
        links: Hyperlinks,
        notes: dict[str, etree._Element],
        note_links: Hyperlinks,
        lists: dict[tuple[str, str], str],
    ):
        self.links = links
        self.notes = notes
        self.note_links = note_links
        self.lists = lists

    def blocks(self, container: etree._Element, prefix: str) -> list[str]:
        lines = []
        tables = 0
        for el in container:
            if local(el) == "p":
                lines.append(prefix + self.paragraph(el, self.links))
            elif local(el) == "tbl":
                tables += 1
                for r, tr in enumerate(el.findall(w("tr")), 1):
                    row_mark = _row_mark(tr)
                    for c, tc in enumerate(tr.findall(w("tc")), 1):
                        fill = tc.find(f"{w('tcPr')}/{w('shd')}")
                        shade = f" fill={fill.get(w('fill'))}" if fill is not None else ""
                        where = f"{prefix}[table {tables} row {r}{row_mark} cell {c}{shade}] "
                        lines.extend(self.blocks(tc, where))
        return lines

    def paragraph(self, p: etree._Element, links: Hyperlinks) -> str:
        ppr = p.find(w("pPr"))
        style = ppr.find(w("pStyle")) if ppr is not None else None
        head = style.get(W_VAL, "") if style is not None else "(no style)"
        num = ppr.find(w("numPr")) if ppr is not None else None
        if num is not None:
            num_id = num.find(w("numId"))
            level = num.find(w("ilvl"))
            nid = num_id.get(W_VAL, "0") if num_id is not None else "0"
            ilvl = level.get(W_VAL, "0") if level is not None else "0"
            if nid != "0":
                head += f" [list {self.lists.get((nid, ilvl), '?')} {ilvl}]"
        mark = ppr.find(f"{w('rPr')}/{w('ins')}") if ppr is not None else None
        gone = ppr.find(f"{w('rPr')}/{w('del')}") if ppr is not None else None
        head += " {+¶+}" if mark is not None else " [-¶-]" if gone is not None else ""
        return f"{head}: {self.inline(p, links)}"

    def inline(
        self, el: etree._Element, links: Hyperlinks, link: str = "", revision: str = ""
    ) -> str:
        out = []
        for child in el:
            name = local(child)
            if name == "r":
                out.append(self.run(child, link, revision))
            elif name == "hyperlink":
                rid = child.get(R_ID)
                target = (links.url(rid) or rid) if rid else "#" + child.get(w("anchor"), "")
                out.append(self.inline(child, links, target, revision))
            elif name in ("ins", "del"):
                out.append(self.inline(child, links, link, name))
        return "".join(out)

    def run(self, r: etree._Element, link: str, revision: str) -> str:
        rpr = r.find(w("rPr"))
        fmt = _format(rpr)
        text = []
        for child in r:
            name = local(child)
            if name in ("t", "delText"):
                text.append(child.text or "")
            elif name == "tab":
                text.append("\t")
            elif name == "br":
                text.append("\n")
            elif name == "footnoteRef":
                text.append("[#]")
            elif name == "footnoteReference":
                note = self.notes.get(child.get(W_ID, ""))
                body = (
                    " / ".join(self.paragraph(p, self.note_links) for p in note.findall(w("p")))
                    if note is not None
                    else "?"
                )
                text.append(f"[^{body}]")
        value = "".join(text)
        if fmt or link:
            value = f"«{','.join([*fmt, *([f'link {link}'] if link else [])])}:{value}»"
        if revision == "ins":
            value = "{+" + value + "+}"
        elif revision == "del":
            value = "[-" + value + "-]"
        return value


def _format(rpr: etree._Element | None) -> list[str]:
    if rpr is None:
        return []
    names = []
    for child in rpr:
        name = local(child)
        if name in ("ins", "del", "rPrChange"):
            continue
        value = child.get(W_VAL)
        if name == "rFonts":
            value = child.get(w("ascii"))
        names.append(f"{name}={value}" if value not in (None, "1", "true") else name)
    return sorted(names)


def _row_mark(tr: etree._Element) -> str:
    if tr.find(f"{w('trPr')}/{w('ins')}") is not None:
        return " {+row+}"
    if tr.find(f"{w('trPr')}/{w('del')}") is not None:
        return " [-row-]"
    return ""


def _notes(root: etree._Element) -> dict[str, etree._Element]:
    return {el.get(W_ID, ""): el for el in root.findall(w("footnote"))}


def _list_formats(root: etree._Element) -> dict[tuple[str, str], str]:
    """(numId, level) -> number format (bullet, decimal...)."""
    abstract: dict[str, dict[str, str]] = {}
    for el in root.findall(w("abstractNum")):
        levels = {}
        for lvl in el.findall(w("lvl")):
            numfmt = lvl.find(w("numFmt"))
            levels[lvl.get(w("ilvl"), "0")] = numfmt.get(W_VAL, "") if numfmt is not None else ""
        abstract[el.get(w("abstractNumId"), "")] = levels
    result: dict[tuple[str, str], str] = {}
    for num in root.findall(w("num")):
        ref = num.find(w("abstractNumId"))
        levels = abstract.get(ref.get(W_VAL, "") if ref is not None else "", {})
        for ilvl, fmt in levels.items():
            result[(num.get(w("numId"), ""), ilvl)] = fmt
    return result


def marked_paragraphs(docx: bytes) -> list[str]:
    """Each paragraph with revised words, as `[-removed-]{+inserted+}` text, body then notes.

    A footnote reference reads `[^]`; a paragraph whose only change is its
    mark (a paragraph split or joined) is not listed. For reading in a golden
    file and for comparing the marked words with the other diff formats.
    """
    package = Package.read(docx)
    lines: list[str] = []
    for name in _parts(package):
        for p in package.xml(name).iter(w("p")):
            pieces: list[tuple[str, str]] = []
            for r in p.iter(w("r")):
                state = _run_state(r, p)
                for child in r:
                    kind = local(child)
                    text = {"t": child.text or "", "delText": child.text or "", "tab": "\t"}.get(
                        kind, "[^]" if kind == "footnoteReference" else ""
                    )
                    if text:
                        if pieces and pieces[-1][0] == state:
                            pieces[-1] = (state, pieces[-1][1] + text)
                        else:
                            pieces.append((state, text))
            if any(state != "keep" for state, _ in pieces):
                lines.append(
                    "".join(
                        text
                        if state == "keep"
                        else (f"[-{text}-]" if state == "del" else f"{{+{text}+}}")
                        for state, text in pieces
                    )
                )
    return lines


def _run_state(r: etree._Element, p: etree._Element) -> str:
    parent = r.getparent()
    while parent is not None and parent is not p:
        if local(parent) in ("ins", "del"):
            return local(parent)
        parent = parent.getparent()
    return "keep"
