"""Two renders of a fiche -> one .docx: the new version with every difference as a Word revision.

Both versions are rendered by the Word writer; this module only compares the
results. Blocks (paragraphs, tables, rows) are aligned on their style and
content (`align.py`); a paragraph that changed is compared word by word, so a reader
sees the words struck through and inserted, with hyperlinks and footnote
references kept. Footnote references are matched by position, and the notes
of matched references are compared the same way inside footnotes.xml.

The markup follows what Word's own Compare writes: `w:ins` and `w:del` around
runs (deleted text in `w:delText`), paragraph marks in `w:pPr/w:rPr`, rows in
`w:trPr`, old cell properties in `w:tcPrChange`. Accepting every revision gives
the new render, rejecting every one the old render (`revisions.py` proves it).
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import datetime

from lxml import etree

from fichegen.diff.align import Op, block_opcodes, pair_blocks, word_opcodes
from fichegen.diff.notes import Notes, Numbering
from fichegen.diff.ooxml import (
    W_ID,
    W_VAL,
    Hyperlinks,
    Marks,
    Package,
    PartLinks,
    block_children,
    local,
    mark_paragraph,
    mark_row,
    properties_change,
    w,
)
from fichegen.diff.words import RunWriter, State, Token, serialise, tokenize


def track_changes(old_docx: bytes, new_docx: bytes, author: str, date: datetime) -> bytes:
    """The new .docx with the differences from the old one as revisions by `author` at `date`."""
    old, new = Package.read(old_docx), Package.read(new_docx)
    out = Package.read(new_docx)
    main = new.main
    old_main = old.main
    marks = Marks(author, date)
    numbering = Numbering.of(old, old_main, out, main)
    notes = Notes.of(old, old_main, out, main)
    body_part = PartLinks(
        Hyperlinks.of(old, old_main), Hyperlinks.of(new, main), Hyperlinks.of(out, main)
    )
    merger = _Merger(marks, notes, numbering)

    document = out.xml(main)
    body = document.find(w("body"))
    old_body = old.xml(old_main).find(w("body"))
    if body is None or old_body is None:
        raise ValueError("a Word document without a body")
    blocks = merger.blocks(
        block_children(old_body), block_children(body), body_part, paragraph_marks=True
    )
    tail = [el for el in body if local(el) == "sectPr"]
    body[:] = [*blocks, *tail]
    out.set_xml(main, document)
    out.add_rels(main, body_part.out.added)
    notes.write(
        lambda old, new, part, marks: merger.blocks(old, new, part, paragraph_marks=marks), out
    )
    numbering.write(out)
    return out.write()


# -- merging blocks -------------------------------------------------------------------------


class _Merger:
    def __init__(self, marks: Marks, notes: Notes, numbering: Numbering):
        self.marks = marks
        self.notes = notes
        self.numbering = numbering
        self._tokens: dict[tuple[etree._Element, int], list[Token]] = {}

    def tokens(self, p: etree._Element, links: Hyperlinks) -> list[Token]:
        """The tokens of a paragraph, computed once per paragraph (pairing compares many)."""
        key = (p, id(links))
        if key not in self._tokens:
            self._tokens[key] = tokenize(p, links)
        return self._tokens[key]

    # -- containers ---------------------------------------------------------------------------

    def blocks(
        self,
        old: Sequence[etree._Element],
        new: Sequence[etree._Element],
        part: PartLinks,
        *,
        paragraph_marks: bool,
    ) -> list[etree._Element]:
        """The merged blocks of one container (body, cell, footnote), in reading order."""
        old_keys = [self._key(el, part.old) for el in old]
        new_keys = [self._key(el, part.new) for el in new]
        ops = list(self._align(old, new, old_keys, new_keys, part))
        for op, i, j in ops:  # learn which old list is which new list before any deletion
            if op in ("equal", "pair"):
                self.numbering.learn(old[i], new[j])
        result: list[etree._Element] = []
        for op, i, j in ops:
            if op == "equal":
                result.append(self._equal(old[i], new[j], part))
            elif op == "pair":
                result.append(self._pair(old[i], new[j], part))
            elif op == "del":
                result.extend(self._whole(old[i], "del", part, paragraph_marks))
            else:
                result.extend(self._whole(new[j], "ins", part, paragraph_marks))
        return result

    def _key(self, el: etree._Element, links: Hyperlinks) -> tuple[object, ...]:
        name = local(el)
        if name == "p":
            return ("p", _ppr_key(el), tuple(t.key for t in self.tokens(el, links)))
        if name == "tbl":
            return ("tbl", tuple(self._row_key(tr, links) for tr in el.iter(w("tr"))))
        return (name, serialise(el))

    def _row_key(self, tr: etree._Element, links: Hyperlinks) -> tuple[object, ...]:
        return tuple(
            (_tcpr_key(tc), tuple(self._key(el, links) for el in block_children(tc)))
            for tc in tr.findall(w("tc"))
        )

    def _align(
        self,
        old: Sequence[etree._Element],
        new: Sequence[etree._Element],
        old_keys: list[tuple[object, ...]],
        new_keys: list[tuple[object, ...]],
        part: PartLinks,
    ) -> Iterator[Op]:
        for tag, i1, i2, j1, j2 in block_opcodes(old_keys, new_keys):
            if tag == "equal":
                for k in range(i2 - i1):
                    yield ("equal", i1 + k, j1 + k)
            else:
                yield from pair_blocks(
                    old[i1:i2], new[j1:j2], i1, j1, lambda a, b: self._similarity(a, b, part)
                )

    def _similarity(
        self, old: etree._Element, new: etree._Element, part: PartLinks
    ) -> float | None:
        """How alike two blocks are, or None when they cannot be shown as one edited block."""
        if local(old) != local(new):
            return None
        if local(old) == "tbl":
            return 1.0
        if local(old) != "p" or _style(old) != _style(new):
            return None
        # Shared words, in any order: enough to tell an edited paragraph from another one.
        a = Counter(t.key for t in self.tokens(old, part.old) if t.text.strip())
        b = Counter(t.key for t in self.tokens(new, part.new) if t.text.strip())
        total = sum(a.values()) + sum(b.values())
        return 2 * sum((a & b).values()) / total if total else 1.0

    # -- blocks that stayed ---------------------------------------------------------------------

    def _equal(self, old: etree._Element, new: etree._Element, part: PartLinks) -> etree._Element:
        """An unchanged block as in the new render; its footnotes may still have changed."""
        copied = copy.deepcopy(new)
        old_refs = list(old.iter(w("footnoteReference")))
        for before, after in zip(old_refs, copied.iter(w("footnoteReference")), strict=True):
            self.notes.pair(int(before.get(W_ID, "0")), int(after.get(W_ID, "0")))
        return copied

    def _pair(self, old: etree._Element, new: etree._Element, part: PartLinks) -> etree._Element:
        if local(new) == "tbl":
            return self._table(old, new, part)
        return self._paragraph(old, new, part)

    def _paragraph(
        self, old: etree._Element, new: etree._Element, part: PartLinks
    ) -> etree._Element:
        """One paragraph that was edited: the words in between as deleted and inserted runs."""
        before, after = self.tokens(old, part.old), self.tokens(new, part.new)
        items: list[tuple[State, Token, Token | None]] = []
        for tag, i1, i2, j1, j2 in word_opcodes(before, after):
            if tag == "equal":
                items += [("keep", b, a) for a, b in zip(before[i1:i2], after[j1:j2], strict=True)]
            else:
                items += [("del", a, None) for a in before[i1:i2]]
                items += [("ins", b, None) for b in after[j1:j2]]
        ppr = new.find(w("pPr"))
        p = self._build(copy.deepcopy(ppr) if ppr is not None else None, items, part)
        old_ppr = old.find(w("pPr"))
        if _ppr_key(old) != _ppr_key(new) and old_ppr is not None:
            new_ppr = p.find(w("pPr"))
            assert new_ppr is not None
            properties_change(
                new_ppr,
                self._old_ppr(old_ppr),
                self.marks.make("pPrChange"),
                keep=("rPr", "sectPr"),
            )
        return p

    def _table(self, old: etree._Element, new: etree._Element, part: PartLinks) -> etree._Element:
        table = copy.deepcopy(new)
        for tr in table.findall(w("tr")):
            table.remove(tr)
        old_rows, new_rows = old.findall(w("tr")), new.findall(w("tr"))
        for tag, i1, i2, j1, j2 in block_opcodes(
            [self._row_key(r, part.old) for r in old_rows],
            [self._row_key(r, part.new) for r in new_rows],
        ):
            if tag == "equal":
                ops: Iterator[Op] = (("equal", i1 + k, j1 + k) for k in range(i2 - i1))
            else:
                ops = pair_blocks(old_rows[i1:i2], new_rows[j1:j2], i1, j1, _row_similarity)
            for op, i, j in ops:
                if op == "equal":
                    table.append(self._equal(old_rows[i], new_rows[j], part))
                elif op == "pair":
                    table.append(self._row(old_rows[i], new_rows[j], part))
                elif op == "del":
                    table.append(self._whole_row(old_rows[i], "del", part))
                else:
                    table.append(self._whole_row(new_rows[j], "ins", part))
        return table

    def _row(self, old: etree._Element, new: etree._Element, part: PartLinks) -> etree._Element:
        row = copy.deepcopy(new)
        for old_tc, tc in zip(old.findall(w("tc")), row.findall(w("tc")), strict=True):
            old_tcpr, tcpr = old_tc.find(w("tcPr")), tc.find(w("tcPr"))
            if tcpr is not None and old_tcpr is not None and (_tcpr_key(old_tc) != _tcpr_key(tc)):
                properties_change(tcpr, old_tcpr, self.marks.make("tcPrChange"))
            merged = self.blocks(
                block_children(old_tc), block_children(tc), part, paragraph_marks=False
            )
            for child in block_children(tc):
                tc.remove(child)
            tc.extend(merged)
        return row

    # -- blocks that came or went ---------------------------------------------------------------

    def _whole(
        self, el: etree._Element, state: State, part: PartLinks, paragraph_marks: bool
    ) -> list[etree._Element]:
        name = local(el)
        if name == "p":
            ppr = el.find(w("pPr"))
            if ppr is not None:
                ppr = self._old_ppr(ppr) if state == "del" else copy.deepcopy(ppr)
            links = part.old if state == "del" else part.new
            p = self._build(ppr, [(state, t, None) for t in self.tokens(el, links)], part)
            if paragraph_marks:
                mark_paragraph(p, self.marks.make(state))
            return [p]
        if name == "tbl":
            table = copy.deepcopy(el)
            for index, tr in enumerate(el.findall(w("tr"))):
                row = self._whole_row(tr, state, part)
                table.replace(table.findall(w("tr"))[index], row)
            return [table]
        # Anything else (a bookmark between paragraphs) carries no text: keep the new one only.
        return [copy.deepcopy(el)] if state == "ins" else []

    def _whole_row(self, tr: etree._Element, state: State, part: PartLinks) -> etree._Element:
        row = copy.deepcopy(tr)
        mark_row(row, self.marks.make(state))
        for tc in row.findall(w("tc")):
            content = block_children(tc)
            old, new = (content, []) if state == "del" else ([], content)
            merged = self.blocks(old, new, part, paragraph_marks=False)
            for child in content:
                tc.remove(child)
            tc.extend(merged)
        return row

    def _old_ppr(self, ppr: etree._Element) -> etree._Element:
        """Old paragraph properties, with their list pointing at a list of the output."""
        copied = copy.deepcopy(ppr)
        num_id = copied.find(f"{w('numPr')}/{w('numId')}")
        if num_id is not None:
            num_id.set(W_VAL, self.numbering.remap(num_id.get(W_VAL, "0")))
        return copied

    # -- writing runs ---------------------------------------------------------------------------

    def _build(
        self,
        ppr: etree._Element | None,
        items: list[tuple[State, Token, Token | None]],
        part: PartLinks,
    ) -> etree._Element:
        """A paragraph from tokens: hyperlinks around runs, w:ins / w:del around runs."""
        p = etree.Element(w("p"))
        if ppr is not None:
            p.append(ppr)
        writer = RunWriter(p, self.marks)
        for state, token, partner in items:
            writer.container(token.link, token.hyperlink, part.out)
            writer.wrapper(state)
            if token.kind == "text":
                writer.text(token, state)
                continue
            element = copy.deepcopy(token.element) if token.element is not None else None
            if token.kind == "fnref" and element is not None:
                if state == "keep" and partner is not None:
                    fid = self.notes.pair(partner.footnote, token.footnote)
                elif state == "ins":
                    fid = self.notes.insert(token.footnote)
                else:
                    fid = self.notes.delete(token.footnote)
                element.set(W_ID, str(fid))
            name = local(element) if element is not None else ""
            if name in _COMMENT_MARKS and state == "del":
                continue  # the old version's comment is not in the new document's comments
            if name in _RANGE_MARKS and element is not None:
                writer.marker(element)
                continue
            writer.special(token, element)
        return p


# Marks that stand between runs, never inside one; a comment's marks of deleted text point
# at a comment of the old version, which the new document does not hold.
_RANGE_MARKS = frozenset({"commentRangeStart", "commentRangeEnd", "bookmarkStart", "bookmarkEnd"})
_COMMENT_MARKS = frozenset({"commentRangeStart", "commentRangeEnd", "commentReference"})


def _row_similarity(old: etree._Element, new: etree._Element) -> float | None:
    old_cells, new_cells = old.findall(w("tc")), new.findall(w("tc"))
    if len(old_cells) != len(new_cells):
        return None
    a = [_text(tc) for tc in old_cells]
    b = [_text(tc) for tc in new_cells]
    same = sum(x == y for x, y in zip(a, b, strict=True))
    return same / max(len(a), 1)


def _text(el: etree._Element) -> str:
    return "".join(t.text or "" for t in el.iter(w("t"), w("delText")))


def _style(p: etree._Element) -> str:
    style = p.find(f"{w('pPr')}/{w('pStyle')}")
    return style.get(W_VAL, "") if style is not None else ""


def _ppr_key(p: etree._Element) -> bytes:
    """Paragraph properties as compared: without the list's id, which differs per render."""
    ppr = p.find(w("pPr"))
    if ppr is None:
        return b""
    copied = copy.deepcopy(ppr)
    for num_id in copied.iter(w("numId")):
        num_id.set(W_VAL, "*")
    for child in copied.findall(w("rPr")):
        copied.remove(child)
    return serialise(copied)


def _tcpr_key(tc: etree._Element) -> bytes:
    """Cell properties as compared: widths follow the text and are not tracked."""
    tcpr = tc.find(w("tcPr"))
    if tcpr is None:
        return b""
    copied = copy.deepcopy(tcpr)
    for width in copied.findall(w("tcW")):
        copied.remove(width)
    return serialise(copied)
