"""One Markdown table on its way into Word: rows, cells, and column widths decided at the end."""

from __future__ import annotations

from lxml import etree

from .oxml.table import add_tc, add_tr, finish_tbl, make_tbl, set_shd

_CHAR, _PAD = 120, 260  # twips per character at 10 pt; cell margins with some air


class TableBuilder:
    """Collects a table's cells and their text, then fixes its grid in `finish`."""

    def __init__(self, style_id: str, width: int) -> None:
        self.tbl = make_tbl(style_id)
        self.header = False  # inside thead: rows repeat on every page, cells are bold
        self.text: list[str] = []  # text of the current cell, for shading and widths
        self._width = width
        self._tr: etree._Element | None = None
        self._tc: etree._Element | None = None
        self._column = 0
        self._lengths: list[int] = []  # longest cell text per column
        self._words: list[int] = []  # longest word per column

    @property
    def in_cell(self) -> bool:
        return self._tc is not None

    def start_row(self) -> None:
        self._tr = add_tr(self.tbl, self.header)
        self._column = 0

    def start_cell(self) -> etree._Element:
        assert self._tr is not None, "markdown-it opens a row before its cells"
        self._tc = add_tc(self._tr)
        self.text = []
        if self._column >= len(self._lengths):
            self._lengths.append(0)
            self._words.append(0)
        return self._tc

    def cell_text(self) -> str:
        return "".join(self.text).strip()

    def end_cell(self, fill: str) -> None:
        assert self._tc is not None
        if fill:
            set_shd(self._tc, fill)
        text, column = self.cell_text(), self._column
        self._lengths[column] = max(self._lengths[column], len(text))
        self._words[column] = max([self._words[column], *(len(w) for w in text.split())])
        self._tc = None
        self._column += 1

    def finish(self) -> None:
        finish_tbl(self.tbl, column_widths(self._lengths, self._words, self._width))


def column_widths(lengths: list[int], words: list[int], total: int) -> list[int]:
    """Share `total` twips out by each column's longest text (within bounds), keeping
    every column wide enough for its longest word where the page allows."""
    if not lengths:
        return [total]
    weights = [min(max(n, 6), 50) for n in lengths]
    widths = [total * w // sum(weights) for w in weights]
    floors = [min(word * _CHAR + _PAD, total // len(widths)) for word in words]
    deficit = sum(max(f - w, 0) for f, w in zip(floors, widths, strict=True))
    if deficit:
        widths = [max(w, f) for w, f in zip(widths, floors, strict=True)]
        spare = [w - f for w, f in zip(widths, floors, strict=True)]
        if sum(spare):
            widths = [w - deficit * s // sum(spare) for w, s in zip(widths, spare, strict=True)]
    widths[-1] += total - sum(widths)
    return widths
