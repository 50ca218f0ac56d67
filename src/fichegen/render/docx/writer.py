"""markdown-it tokens -> WordprocessingML: decides *what* to write, one method per token type.

Like markdown-it-py's own renderer, `DocxWriter` dispatches on `token.type` to
the public method of that name; a token type without one is an `InputError`
citing its Markdown line. Elements come from the `oxml` layer.

Footnotes: every `[^x]` reference becomes its own Word footnote, numbered by
Word in document order. A footnote referenced twice gets a second footnote
with the same text: Word's only alternative is a NOTEREF cross-reference
field, which LibreOffice and many readers show poorly or not at all.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from lxml import etree
from markdown_it.token import Token

from fichegen.errors import InputError, Location, Problem
from fichegen.i18n import _
from fichegen.links import allowed

from .oxml import anchors, qn
from .oxml import text as wt
from .oxml.footnotes import add_footnote_reference, make_footnote, make_footnotes
from .oxml.numbering import NumberingPart, level_indent
from .styles import StyleIds
from .tables import TableBuilder

HEADER_FILL = "D9D9D9"
_ALIGN = re.compile(r"text-align:\s*(center|right)")


class Links:
    """External hyperlink relationships of one part, one id per distinct target."""

    def __init__(self, first_id: int) -> None:
        self._next = first_id
        self.targets: dict[str, str] = {}  # URL -> rId, in order of first use

    def rid(self, url: str) -> str:
        if url not in self.targets:
            self.targets[url] = f"rId{self._next}"
            self._next += 1
        return self.targets[url]


@dataclass
class _List:
    num_id: int
    ilvl: int
    style_id: str
    item_pending: bool = False  # the current item has not yet written its numbered paragraph


class DocxWriter:
    """Renders one fiche's tokens into a w:body, w:footnotes and numbering definitions."""

    def __init__(
        self,
        styles: StyleIds,
        numbering: NumberingPart,
        *,
        text_width: int,
        shading: Mapping[str, str],
        source: str,
        first_rid: int,
    ) -> None:
        self.styles = styles
        self.numbering = numbering
        self.body = etree.Element(qn("w:body"))
        self.footnotes = make_footnotes()
        self.body_links = Links(first_rid)
        self.note_links = Links(1)  # the footnotes part has relationships of its own
        self._text_width = text_width
        self._shading = shading
        self._source = source
        self._line = 0
        self._container = self.body  # where paragraphs and tables go
        self._p: etree._Element | None = None
        self._target: etree._Element | None = None  # the w:p or w:hyperlink runs go into
        self._buffer: list[str] = []  # text waiting to become one run
        self._bold = self._italic = self._link = 0
        self._fmt = wt.PLAIN
        self._lists: list[_List] = []
        self._quotes = 0
        self._tables: list[TableBuilder] = []
        self._note: int | None = None  # markdown-it id of the footnote being rendered
        self._outside_note = self.body
        self._note_bodies: dict[int, list[etree._Element]] = {}
        self._note_refs: list[int] = []  # markdown-it footnote id per Word footnote
        self._anchors = anchors.AnchorWriter()
        self.rules: dict[str, Callable[[Token], None]] = {
            name: getattr(self, name)
            for name in dir(type(self))
            if not name.startswith(("_", "render")) and callable(getattr(type(self), name))
        }

    def render(self, tokens: Sequence[Token]) -> None:
        for token in tokens:
            self._dispatch(token)
        ref_style = self.styles.footnote_reference
        for fid, note_id in enumerate(self._note_refs, start=1):
            # A fresh copy each time: make_footnote puts the number mark into it.
            paragraphs = [copy.deepcopy(p) for p in self._note_bodies.get(note_id, [])]
            if note_id in self._note_refs[: fid - 1]:  # a second copy: anchors are unique
                anchors.drop_bookmarks(paragraphs)
            self.footnotes.append(make_footnote(fid, paragraphs, ref_style))

    def _dispatch(self, token: Token) -> None:
        if token.map:
            self._line = token.map[0] + 1
        rule = self.rules.get(token.type)
        if rule is None:
            raise self._error(
                _("cannot write Markdown element '{kind}' to Word").format(kind=token.type)
            )
        rule(token)

    def _error(self, message: str, hint: str = "") -> InputError:
        return InputError(Problem(Location(self._source, self._line), message, hint=hint))

    # -- runs ---------------------------------------------------------------------------------

    def _flush(self) -> None:
        """Write buffered text as one run, so a wrapped Markdown line is not many runs."""
        if self._buffer and self._target is not None:
            wt.add_run(self._target, "".join(self._buffer), self._fmt)
        self._buffer.clear()

    def _restyle(self) -> None:
        self._flush()
        link = self.styles.hyperlink if self._link else ""
        self._fmt = wt.RunFormat(link, self._bold > 0, self._italic > 0)

    def _cell_text(self, text: str) -> None:
        if self._tables and self._tables[-1].in_cell:
            self._tables[-1].text.append(text)

    def inline(self, token: Token) -> None:
        for child in token.children or ():
            self._dispatch(child)

    def text(self, token: Token) -> None:
        if anchors.has_markers(token.content):
            self._anchored_text(token.content)
            return
        self._buffer.append(token.content)
        self._cell_text(token.content)

    def _anchored_text(self, content: str) -> None:
        """Text with field anchors (see oxml/anchors.py): bookmarks between the runs."""
        for piece in anchors.iter_pieces(content):
            if isinstance(piece, str):
                self._buffer.append(piece)
                self._cell_text(piece)
                continue
            self._flush()
            mark = self._anchors.element(*piece)
            if mark is not None and self._target is not None:
                self._target.append(mark)

    def softbreak(self, token: Token) -> None:
        self._buffer.append(" ")
        self._cell_text(" ")

    def hardbreak(self, token: Token) -> None:
        self._flush()
        if self._target is not None:
            wt.add_break(self._target)

    def em_open(self, token: Token) -> None:
        self._italic += 1
        self._restyle()

    def em_close(self, token: Token) -> None:
        self._italic -= 1
        self._restyle()

    def strong_open(self, token: Token) -> None:
        self._bold += 1
        self._restyle()

    def strong_close(self, token: Token) -> None:
        self._bold -= 1
        self._restyle()

    def code_inline(self, token: Token) -> None:
        token.content = anchors.strip_markers(token.content)
        self._flush()
        self._cell_text(token.content)
        if self._target is not None:
            fmt = wt.RunFormat(self._fmt.style_id, self._fmt.bold, self._fmt.italic, mono=True)
            wt.add_run(self._target, token.content, fmt)

    def link_open(self, token: Token) -> None:
        self._flush()
        href = str(token.attrs.get("href", ""))
        if not (href.startswith("#") or allowed(href)):  # the link policy: plain text
            self._plain_link = True
            return
        if href.startswith("#"):
            link = wt.make_hyperlink(anchor=href[1:])
        else:
            links = self.body_links if self._note is None else self.note_links
            link = wt.make_hyperlink(rid=links.rid(href))
        if self._p is not None:
            self._p.append(link)
            self._target = link
        self._link += 1
        self._restyle()

    _plain_link = False
    """Inside a link whose address the link policy refuses: its text is written as text."""

    def link_close(self, token: Token) -> None:
        if self._plain_link:
            self._plain_link = False
            return
        self._link -= 1
        self._restyle()
        self._target = self._p

    def image(self, token: Token) -> None:
        raise self._error(_("a fiche cannot contain images"), hint=_("describe the figure in text"))

    def html_inline(self, token: Token) -> None:
        if not token.content.startswith("<!--"):
            raise self._error(
                _("raw HTML {html} cannot be written to Word").format(html=repr(token.content))
            )

    def footnote_ref(self, token: Token) -> None:
        if self._note is not None:
            raise self._error(_("a footnote cannot refer to another footnote"))
        self._flush()
        self._note_refs.append(int(token.meta["id"]))
        if self._target is not None:
            fid = len(self._note_refs)
            add_footnote_reference(self._target, fid, self.styles.footnote_reference)

    # -- paragraphs ---------------------------------------------------------------------------

    def _open_p(self, style_id: str) -> etree._Element:
        p = wt.make_p(style_id)
        self._container.append(p)
        self._p = self._target = p
        return p

    def _close_p(self, token: Token | None = None) -> None:
        self._flush()
        self._p = self._target = None

    heading_close = paragraph_close = _close_p

    def heading_open(self, token: Token) -> None:
        level = int(token.tag[1:])
        self._open_p(self.styles.title if level == 1 else self.styles.headings[min(level, 6) - 2])

    def paragraph_open(self, token: Token | None) -> None:
        if self._lists:
            current = self._lists[-1]
            p = self._open_p(current.style_id)
            if current.item_pending:
                wt.set_num_pr(p, current.num_id, current.ilvl)
                current.item_pending = False
            else:  # a further paragraph of the same item: no number, same indent
                wt.set_num_pr(p, 0, 0)
                wt.set_ind(p, level_indent(current.ilvl))
        elif self._note is not None:
            self._open_p(self.styles.footnote_text)
        else:
            self._open_p(self.styles.quote if self._quotes else self.styles.normal)

    def _settle_item(self) -> None:
        """Write the pending list item's numbered paragraph before a block that is not one."""
        if self._lists and self._lists[-1].item_pending:
            self.paragraph_open(None)
            self._close_p()

    def hr(self, token: Token) -> None:
        self._settle_item()
        wt.set_bottom_border(self._open_p(self.styles.normal))
        self._close_p()

    def code_block(self, token: Token) -> None:
        self._settle_item()
        p = self._open_p(self.styles.normal)
        wt.add_run(p, token.content.rstrip("\n"), wt.RunFormat(mono=True))
        self._close_p()

    fence = code_block

    def html_block(self, token: Token) -> None:
        if not token.content.lstrip().startswith("<!--"):
            raise self._error(
                _("raw HTML cannot be written to Word"), hint=_("write it as Markdown")
            )

    def blockquote_open(self, token: Token) -> None:
        self._quotes += 1

    def blockquote_close(self, token: Token) -> None:
        self._quotes -= 1

    # -- lists --------------------------------------------------------------------------------

    def bullet_list_open(self, token: Token) -> None:
        self._settle_item()
        ilvl = len(self._lists)
        num_id = self.numbering.add_list("bullet", ilvl)
        self._lists.append(_List(num_id, ilvl, self.styles.list_bullet))

    def ordered_list_open(self, token: Token) -> None:
        self._settle_item()
        ilvl = len(self._lists)
        num_id = self.numbering.add_list("decimal", ilvl, int(token.attrs.get("start", 1)))
        self._lists.append(_List(num_id, ilvl, self.styles.list_number))

    def bullet_list_close(self, token: Token) -> None:
        self._lists.pop()
        if not self._lists:  # the text after a list keeps its distance, as after a paragraph
            wt.space_after_list(self._container)

    ordered_list_close = bullet_list_close

    def list_item_open(self, token: Token) -> None:
        self._lists[-1].item_pending = True

    def list_item_close(self, token: Token) -> None:
        self._settle_item()  # an empty item still shows its bullet or number

    # -- tables -------------------------------------------------------------------------------

    def table_open(self, token: Token) -> None:
        self._settle_item()
        self._tables.append(TableBuilder(self.styles.table, self._text_width))
        self._container.append(self._tables[-1].tbl)

    def table_close(self, token: Token) -> None:
        self._tables.pop().finish()

    def thead_open(self, token: Token) -> None:
        self._tables[-1].header = True

    def thead_close(self, token: Token) -> None:
        self._tables[-1].header = False

    def tbody_open(self, token: Token) -> None:
        pass

    tbody_close = tr_close = tbody_open

    def tr_open(self, token: Token) -> None:
        self._tables[-1].start_row()

    def td_open(self, token: Token) -> None:
        table = self._tables[-1]
        saved, self._container = self._container, table.start_cell()
        p = self._open_p(self.styles.normal)
        self._container = saved
        align = _ALIGN.search(str(token.attrs.get("style", "")))
        if align:
            wt.set_jc(p, align.group(1))
        if table.header:
            self._bold += 1
            self._restyle()

    th_open = td_open

    def td_close(self, token: Token) -> None:
        table = self._tables[-1]
        if table.header:
            self._bold -= 1
            self._restyle()
        self._close_p()
        fill = self._shading.get(table.cell_text()) or (HEADER_FILL if table.header else "")
        table.end_cell(fill)

    th_close = td_close

    # -- footnotes ----------------------------------------------------------------------------

    def footnote_block_open(self, token: Token) -> None:
        pass  # the block holds the footnote texts; render() places them

    footnote_block_close = footnote_block_open
    footnote_anchor = footnote_block_open  # the HTML back link; Word links notes itself

    def footnote_open(self, token: Token) -> None:
        self._note = int(token.meta["id"])
        self._outside_note, self._container = self._container, etree.Element("note")

    def footnote_close(self, token: Token) -> None:
        assert self._note is not None
        self._note_bodies[self._note] = list(self._container)
        self._container = self._outside_note
        self._note = None
