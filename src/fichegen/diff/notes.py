"""The footnotes and list definitions of the tracked document.

The body is merged first and records which footnote each reference points to
(`Notes.pair`, `insert`, `delete`); the notes are merged afterwards. Old
paragraphs that come back as deletions keep their list through `Numbering`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Literal

from lxml import etree

from fichegen.diff.ooxml import (
    RT_FOOTNOTES,
    RT_NUMBERING,
    W_ID,
    W_VAL,
    Hyperlinks,
    Package,
    PartLinks,
    block_children,
    local,
    w,
)
from fichegen.diff.words import State, serialise

Merge = Callable[
    [list[etree._Element], list[etree._Element], PartLinks, bool], list[etree._Element]
]
"""Merges the old and new blocks of one container: (old, new, links, paragraph marks)."""


class Notes:
    """The output's footnotes: each reference's note, compared with its old note when it had one.

    The body is merged first and records here which notes it refers to; the
    notes themselves are merged afterwards by `write`.
    """

    def __init__(
        self,
        old: etree._Element | None,
        new: etree._Element | None,
        part: PartLinks,
        name: str | None,
    ):
        self.old = _notes_by_id(old)
        self.new = _notes_by_id(new)
        self.root = new
        self.part = part
        self.name = name
        self.next_id = max([0, *self.new]) + 1
        self.plan: list[tuple[State | Literal["pair"], int, int]] = []

    @classmethod
    def of(cls, old: Package, old_main: str, out: Package, main: str) -> Notes:
        old_name = old.related(old_main, RT_FOOTNOTES)
        name = out.related(main, RT_FOOTNOTES)
        old_root = old.xml(old_name) if old_name else None
        root = out.xml(name) if name else None
        part = PartLinks(
            Hyperlinks.of(old, old_name) if old_name else Hyperlinks({}),
            Hyperlinks.of(out, name) if name else Hyperlinks({}),
            Hyperlinks.of(out, name) if name else Hyperlinks({}),
        )
        return cls(old_root, root, part, name)

    def pair(self, old_id: int, new_id: int) -> int:
        self.plan.append(("pair", old_id, new_id))
        return new_id

    def insert(self, new_id: int) -> int:
        self.plan.append(("ins", -1, new_id))
        return new_id

    def delete(self, old_id: int) -> int:
        fid = self.next_id
        self.next_id += 1
        self.plan.append(("del", old_id, fid))
        return fid

    def write(self, merge: Merge, out: Package) -> None:
        if self.root is None or self.name is None:
            if any(state == "del" for state, _, _ in self.plan):
                raise ValueError("the new render has no footnotes part for deleted footnotes")
            return
        merged: dict[int, etree._Element] = {}
        for state, old_id, fid in list(self.plan):
            old = self.old.get(old_id)
            new = self.new.get(fid)
            if state == "pair" and old is not None and new is not None:
                note = self._note(
                    new, merge(block_children(old), block_children(new), self.part, True)
                )
            elif state == "ins" and new is not None:
                note = self._note(new, merge([], block_children(new), self.part, False))
            elif state == "del" and old is not None:
                note = self._note(old, merge(block_children(old), [], self.part, False))
                note.set(W_ID, str(fid))
            else:
                continue
            merged[fid] = note
        for el in list(self.root):
            if el.get(w("type")) is None and int(el.get(W_ID, "0")) in merged:
                self.root.remove(el)
        for fid in sorted(merged):
            self.root.append(merged[fid])
        out.set_xml(self.name, self.root)
        out.add_rels(self.name, self.part.out.added)

    @staticmethod
    def _note(template: etree._Element, blocks: list[etree._Element]) -> etree._Element:
        note = etree.Element(template.tag, attrib=dict(template.attrib))
        note.extend(blocks)
        return note


def _notes_by_id(root: etree._Element | None) -> dict[int, etree._Element]:
    if root is None:
        return {}
    return {
        int(el.get(W_ID, "0")): el
        for el in root.findall(w("footnote"))
        if el.get(w("type")) is None
    }


class Numbering:
    """Lists of the output: an old list that no paragraph of the new render continues is copied."""

    def __init__(self, old: etree._Element | None, out: etree._Element | None, name: str | None):
        self.old = old
        self.root = out
        self.name = name
        self.map: dict[str, str] = {}
        self.changed = False

    @classmethod
    def of(cls, old: Package, old_main: str, out: Package, main: str) -> Numbering:
        old_name = old.related(old_main, RT_NUMBERING)
        name = out.related(main, RT_NUMBERING)
        return cls(old.xml(old_name) if old_name else None, out.xml(name) if name else None, name)

    def learn(self, old: etree._Element, new: etree._Element) -> None:
        before, after = _num_id(old), _num_id(new)
        if before and after:
            self.map.setdefault(before, after)

    def remap(self, old_id: str) -> str:
        if old_id in self.map or old_id == "0":
            return self.map.get(old_id, old_id)
        if self.old is None or self.root is None:
            return old_id
        num = next((n for n in self.old.findall(w("num")) if n.get(w("numId")) == old_id), None)
        if num is None:
            return old_id
        copied = copy.deepcopy(num)
        taken = [int(n.get(w("numId"), "0")) for n in self.root.findall(w("num"))]
        new_id = str(max([0, *taken]) + 1)
        copied.set(w("numId"), new_id)
        abstract = copied.find(w("abstractNumId"))
        if abstract is not None:
            abstract.set(W_VAL, self._abstract(abstract.get(W_VAL, "")))
        self.root.append(copied)
        self.map[old_id] = new_id
        self.changed = True
        return new_id

    def _abstract(self, old_id: str) -> str:
        """The output's abstract list equal to the old one, copied over when there is none."""
        assert self.old is not None and self.root is not None
        source = next(
            (a for a in self.old.findall(w("abstractNum")) if a.get(w("abstractNumId")) == old_id),
            None,
        )
        if source is None:
            return old_id
        shape = _abstract_shape(source)
        for candidate in self.root.findall(w("abstractNum")):
            if _abstract_shape(candidate) == shape:
                return candidate.get(w("abstractNumId"), old_id)
        taken = [int(a.get(w("abstractNumId"), "0")) for a in self.root.findall(w("abstractNum"))]
        new_id = str(max([0, *taken]) + 1)
        copied = copy.deepcopy(source)
        copied.set(w("abstractNumId"), new_id)
        first_num = self.root.find(w("num"))
        if first_num is not None:
            first_num.addprevious(copied)
        else:
            self.root.append(copied)
        return new_id

    def write(self, out: Package) -> None:
        if self.changed and self.root is not None and self.name is not None:
            out.set_xml(self.name, self.root)


def _num_id(p: etree._Element) -> str:
    if local(p) != "p":
        return ""
    num_id = p.find(f"{w('pPr')}/{w('numPr')}/{w('numId')}")
    return num_id.get(W_VAL, "") if num_id is not None else ""


def _abstract_shape(abstract: etree._Element) -> bytes:
    copied = copy.deepcopy(abstract)
    copied.attrib.pop(w("abstractNumId"), None)
    for nsid in copied.findall(w("nsid")):
        copied.remove(nsid)
    return serialise(copied)
