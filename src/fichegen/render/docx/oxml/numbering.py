"""List numbering definitions (CT_Numbering, CT_AbstractNum, CT_Num) for word/numbering.xml.

Two abstract definitions, bullets and decimals, each nine levels deep. Every
Markdown list gets its own `w:num` with a `w:lvlOverride/w:startOverride` for
its level, so each ordered list restarts at its own first number (1 unless the
Markdown says `3.`) instead of continuing the previous list's count.
The reference document's own definitions are kept; ours get higher ids.
"""

from __future__ import annotations

import copy
from typing import Literal

from lxml import etree

from . import W_NS, W_VAL, insert_before, qn, sub

ListKind = Literal["bullet", "decimal"]

_BULLETS = ("•", "–", "▪")
_DECIMAL_FORMATS = ("decimal", "lowerLetter", "lowerRoman")
INDENT_STEP = 360  # twips per level; the hanging indent holds the bullet or "10."


def level_indent(ilvl: int) -> int:
    return INDENT_STEP * (ilvl + 1)


def make_abstract_num(abstract_id: int, kind: ListKind) -> etree._Element:
    abstract = etree.Element(qn("w:abstractNum"))
    abstract.set(qn("w:abstractNumId"), str(abstract_id))
    sub(abstract, "w:multiLevelType", val="hybridMultilevel")
    for ilvl in range(9):
        lvl = sub(abstract, "w:lvl", ilvl=str(ilvl))
        sub(lvl, "w:start", val="1")
        if kind == "bullet":
            sub(lvl, "w:numFmt", val="bullet")
            sub(lvl, "w:lvlText", val=_BULLETS[ilvl % len(_BULLETS)])
        else:
            sub(lvl, "w:numFmt", val=_DECIMAL_FORMATS[ilvl % len(_DECIMAL_FORMATS)])
            sub(lvl, "w:lvlText", val=f"%{ilvl + 1}.")
        sub(lvl, "w:lvlJc", val="left")
        sub(sub(lvl, "w:pPr"), "w:ind", left=str(level_indent(ilvl)), hanging=str(INDENT_STEP))
    return abstract


class NumberingPart:
    """word/numbering.xml for one render: the reference's definitions plus one w:num per list."""

    def __init__(self, base: etree._Element | None) -> None:
        if base is None:
            self.root = etree.Element(qn("w:numbering"), nsmap={"w": W_NS})
        else:
            self.root = copy.deepcopy(base)
        abstract_ids = [
            int(el.get(qn("w:abstractNumId"), "0")) for el in self.root.iter(qn("w:abstractNum"))
        ]
        num_ids = [int(el.get(qn("w:numId"), "0")) for el in self.root.iter(qn("w:num"))]
        self._next_abstract = max(abstract_ids, default=0) + 1
        self._next_num = max(num_ids, default=0) + 1
        self._abstract: dict[ListKind, int] = {}
        self.used = False

    def _abstract_id(self, kind: ListKind) -> int:
        if kind not in self._abstract:
            abstract_id = self._next_abstract
            self._next_abstract += 1
            # abstractNum elements precede every w:num in CT_Numbering.
            insert_before(
                self.root, make_abstract_num(abstract_id, kind), ("num", "numIdMacAtCleanup")
            )
            self._abstract[kind] = abstract_id
        return self._abstract[kind]

    def add_list(self, kind: ListKind, ilvl: int, start: int = 1) -> int:
        """A new w:num for one list at level `ilvl`; returns its numId."""
        self.used = True
        num_id = self._next_num
        self._next_num += 1
        num = etree.Element(qn("w:num"))
        num.set(qn("w:numId"), str(num_id))
        sub(num, "w:abstractNumId", val=str(self._abstract_id(kind)))
        override = sub(num, "w:lvlOverride", ilvl=str(ilvl))
        sub(override, "w:startOverride", val=str(max(start, 0)))
        insert_before(self.root, num, ("numIdMacAtCleanup",))
        return num_id


def describe_num(root: etree._Element | None) -> dict[str, tuple[list[str], dict[int, int]]]:
    """numId -> (numFmt per level, start override per level), for the dump."""
    if root is None:
        return {}
    formats: dict[str, list[str]] = {}
    for abstract in root.iter(qn("w:abstractNum")):
        levels = []
        for lvl in abstract.iter(qn("w:lvl")):
            fmt = lvl.find(qn("w:numFmt"))
            levels.append(fmt.get(W_VAL, "") if fmt is not None else "")
        formats[abstract.get(qn("w:abstractNumId"), "")] = levels
    result: dict[str, tuple[list[str], dict[int, int]]] = {}
    for num in root.iter(qn("w:num")):
        ref = num.find(qn("w:abstractNumId"))
        abstract_id = ref.get(W_VAL, "") if ref is not None else ""
        starts = {}
        for override in num.iter(qn("w:lvlOverride")):
            start = override.find(qn("w:startOverride"))
            if start is not None:
                starts[int(override.get(qn("w:ilvl"), "0"))] = int(start.get(W_VAL, "0"))
        result[num.get(qn("w:numId"), "")] = (formats.get(abstract_id, []), starts)
    return result
