"""Recover the action table of a Commission annex from text extracted from its PDF.

An action plan's annex is a table with the columns Acties | Prioriteit |
Tijdschema | Bevoegdheid, grouped under headings. Extracting its text flattens
the columns: a row's priority codes, timeframe and bodies come out between or
beside the lines of its text, page breaks put footnotes in the middle of a row
and split the text, and table headers repeat. Recovering it takes two steps:

1. `classify_line` gives every line a `Kind` from the line alone; cells that
   share a line with text (`... informatie over 5.1 2022-2025 Lidstaten`) are
   split off into `Cells`. `refine` then settles what needs the neighbours: a
   table header broken over lines, and the heading that sits directly above a
   table header without a 'Strategische prioriteit N.' label (the governance
   part).
2. `_Assembler`, a state machine (outside / heading / table / action /
   footnotes / end), feeds the lines into actions, headings and footnotes, and
   emits one `Row` per action.

Text is joined with single spaces, except after a hyphen at the end of a line
('douane-' + 'informatie' -> 'douane-informatie': in these documents a hyphen
at a line end is a real compound hyphen, not hyphenation) and before
punctuation (a footnote marker between 'resultaten' and '.' leaves
'resultaten.'). Footnote markers are dropped from the text; the footnotes they
refer to go into the action's meta.

What the text alone cannot settle, and how it is settled here: a body name
on a text line is split off only if it is a known body (`KNOWN_BODIES`) after
a sentence end or a wide gap; a body name broken over lines is joined only if
it is a known one; footnotes are recognised only below the line of spaces
that separates them from the page; a one-line heading of a few capitalised
words above a table header that repeats the previous one is taken for the
previous row's last body.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from enum import StrEnum

from fichegen.errors import Location, Problem
from fichegen.i18n import _
from fichegen.importers.tabular import DEFAULT_AREA, AreaRef, Row

KNOWN_BODIES: tuple[str, ...] = (
    "Europese Commissie",
    "Commissie",
    "Raad",
    "Europees Parlement",
    "Lidstaten",
    "Europol",
    "Eurojust",
    "Frontex",
    "Cepol",
    "EWDD",
    "EMCDDA",
    "EUDA",
    "EDEO",
    "EEAS",
    "MAOC-N",
    "ENCP",
    "EUCPN",
    "ECDC",
    "EMA",
    "Europees Geneesmiddelenbureau",
    "Drugsforum van het maatschappelijk middenveld",
    "Eurostat",
    "OLAF",
    "EOM",
    "eu-LISA",
    "Enisa",
    "Gemeenschappelijk Centrum voor Onderzoek",
    "JRC",
    "Hoge Vertegenwoordiger",
)
"""Responsible bodies as EU action plans name them (Dutch and English abbreviations).

A known body is recognised anywhere in the bodies column, also at the end of a
text line and broken over lines ('Europees' + 'Geneesmiddelenbureau'). An
unknown body is recognised only on a line of its own: a short capitalised
line once the row's cells have started (see `_is_name`).
"""

TIMEFRAME_WORDS = ("Lopend", "Doorlopend", "Permanent", "Continu")
"""Timeframes that are not years: 'Lopend' is the governance part's 'ongoing'."""

HEADER_WORDS = (
    "Acties",
    "Actie",
    "Prioriteit",
    "Prioriteiten",
    "Tijdschema",
    "Tijdpad",
    "Bevoegdheid",
    "Verantwoordelijke",
    "Actions",
    "Priority",
    "Timeline",
    "Timeframe",
    "Responsibility",
)
"""Column titles of the action table; a header line starts with the first column's title."""

_SEPARATOR_WIDTH = 20
"""A line of at least this many spaces and nothing else separates the page from its footnotes."""

_NAME_MAX_WORDS = 4

_ACTION = re.compile(r"^(?:Actie|Action)\s+(\d+[a-z]?)\s*[.:)]\s*(.*)$")
_PRIORITY = re.compile(r"^(?:(?i:strategische\s+prioriteit)|Prioriteit)\s+(\d+)\s*[.:]\s*(.*)$")
_POLICY_AREA = re.compile(r"^[A-Z]\)\s+\S")
_ANNEX = re.compile(r"^(?:Bijlage|Annex)\s+\d+$", re.IGNORECASE)
_DIGITS = re.compile(r"^\d{1,3}$")
_CODE = re.compile(r"^\d{1,2}\.\d{1,2}$")
_TIMEFRAME = re.compile(
    r"(?<!\S)(?:(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?|" + "|".join(TIMEFRAME_WORDS) + r")(?!\S)"
)
_TERMINAL = ".!?"
_URL = re.compile(r"^https?://\S+$")


class Kind(StrEnum):
    BLANK = "blank"
    SEPARATOR = "separator"  # the line of spaces above a page's footnotes
    DIGITS = "digits"  # a footnote marker in the text, or a footnote's number
    TABLE_HEADER = "table_header"  # 'Acties  Prioriteit Tijdschema Bevoegdheid'
    ACTION_START = "action_start"  # 'Actie 12.' or 'Actie 12:' and the start of its text
    PRIORITY_HEADING = "priority_heading"  # 'Strategische prioriteit 3. ...'
    SECTION_HEADING = "section_heading"  # any other heading above a table (set by `refine`)
    POLICY_AREA = "policy_area"  # 'A) MEER VEILIGHEID – ...'
    ANNEX_HEADING = "annex_heading"  # 'Bijlage 2': a new annex ends the action list
    CELLS = "cells"  # only cells: priority codes, a timeframe, a body
    NAME = "name"  # a short capitalised line: an unknown body, or a short line of text
    TEXT = "text"  # text, maybe with cells split off its end


STRONG = frozenset(
    {
        Kind.SEPARATOR,
        Kind.TABLE_HEADER,
        Kind.ACTION_START,
        Kind.PRIORITY_HEADING,
        Kind.SECTION_HEADING,
        Kind.POLICY_AREA,
        Kind.ANNEX_HEADING,
    }
)
"""Kinds that mean the same in every state; they end a footnote block."""


@dataclass(frozen=True)
class Cells:
    """What one line holds of the table's columns: the text, codes, timeframe and body."""

    text: str = ""
    codes: tuple[str, ...] = ()
    timeframe: str = ""
    body: str = ""

    def __bool__(self) -> bool:
        return bool(self.codes or self.timeframe or self.body)


@dataclass(frozen=True)
class Line:
    number: int  # 1-based
    column: int  # 1-based, of the first visible character
    kind: Kind
    text: str  # the whole line, whitespace collapsed
    indented: bool  # starts a new block of text (leading space or page break)
    key: str = ""  # the number of an action or priority
    cells: Cells = Cells()


# --------------------------------------------------------------------------- step 1: lines


def classify_line(number: int, raw: str) -> Line:
    """The kind of one line, judged on the line alone."""
    stripped = raw.replace("\f", " ").strip()
    text = " ".join(stripped.split())
    column = len(raw) - len(raw.lstrip()) + 1
    indented = raw[:1].isspace()
    line = Line(number, column, Kind.TEXT, text, indented)
    if not text:
        kind = Kind.SEPARATOR if len(raw) >= _SEPARATOR_WIDTH and raw.isspace() else Kind.BLANK
        return replace(line, kind=kind)
    if _DIGITS.match(text):
        return replace(line, kind=Kind.DIGITS, key=text)
    if _is_table_header(text):
        return replace(line, kind=Kind.TABLE_HEADER)
    if match := _ACTION.match(stripped):
        return replace(line, kind=Kind.ACTION_START, key=match[1], cells=split_cells(match[2]))
    if match := _PRIORITY.match(text):
        return replace(line, kind=Kind.PRIORITY_HEADING, key=match[1], text=match[2])
    if _POLICY_AREA.match(text) and not any(c.islower() for c in text):
        return replace(line, kind=Kind.POLICY_AREA)
    if _ANNEX.match(text):
        return replace(line, kind=Kind.ANNEX_HEADING)
    cells = split_cells(stripped)
    if cells and not cells.text:
        return replace(line, kind=Kind.CELLS, cells=cells)
    if _is_name(text):
        return replace(line, kind=Kind.NAME, cells=Cells(text=text))
    return replace(line, cells=cells)


def split_cells(raw: str) -> Cells:
    """Split the table cells off the end of a line: text, then codes, timeframe and body.

    A line of cells only is read generously (any short capitalised name after
    a timeframe is a body). Cells after text are split off only when the line
    shows the column break: priority codes, or the text ending a sentence or
    followed by two spaces; and the body must then be a known one.
    """
    line = raw.replace("\f", " ").strip()
    for match in _TIMEFRAME.finditer(line):
        head, rest = line[: match.start()], " ".join(line[match.end() :].split())
        text, codes = _split_codes(head)
        if rest and not (_is_known_body(rest, prefix=True) or (not text and _is_name(rest))):
            continue
        if text and not (codes or _shows_break(head)):
            continue
        return Cells(text, codes, " ".join(match[0].split()), rest)
    text, codes = _split_codes(line)
    if codes and not text:
        return Cells(codes=codes)
    collapsed = " ".join(line.split())
    if _is_known_body(collapsed, prefix=True):
        return Cells(body=collapsed)
    for body in sorted(KNOWN_BODIES, key=len, reverse=True):
        if found := re.search(r"\s" + r"\s+".join(map(re.escape, body.split())) + "$", line):
            head = line[: found.start() + 1]
            if head.strip() and _shows_break(head):
                return Cells(text=" ".join(head.split()), body=body)
    return Cells(text=collapsed)


def _split_codes(head: str) -> tuple[str, tuple[str, ...]]:
    """Peel priority codes ('1.1 1.2') off the end of a text."""
    words = head.split()
    codes: list[str] = []
    while words and _CODE.match(words[-1]):
        codes.insert(0, words.pop())
    return " ".join(words), tuple(codes)


def _shows_break(head: str) -> bool:
    """Whether a text visibly ends before the next column: a sentence end, or a wide gap."""
    stripped = head.rstrip()
    return bool(stripped) and (stripped[-1] in _TERMINAL or len(head) - len(stripped) >= 2)


def _is_known_body(text: str, *, prefix: bool = False) -> bool:
    """A known body, or (with `prefix`) the first words of one that continues on the next line."""
    if text in KNOWN_BODIES:
        return True
    return prefix and any(body.startswith(text + " ") for body in KNOWN_BODIES)


def _is_name(text: str) -> bool:
    """A short capitalised line without punctuation: how a body name looks."""
    words = text.split()
    return (
        0 < len(words) <= _NAME_MAX_WORDS
        and text[0].isupper()
        and not any(c in ',;:.!?()"“”' for c in text)
    )


def _is_table_header(text: str) -> bool:
    words = text.split()
    if words[0].lower() != HEADER_WORDS[0].lower():
        return False
    return all(_is_header_word(w) for w in words[:-1]) and _header_rest(words[-1]) is not None


def _is_header_word(word: str) -> bool:
    return word.lower() in (w.lower() for w in HEADER_WORDS)


def _header_rest(word: str) -> str | None:
    """What completes a header word broken at the line end ('Tijdsche' -> 'ma'), '' if whole."""
    for header in HEADER_WORDS:
        if header.lower().startswith(word.lower()):
            return header[len(word) :]
    return None


def refine(lines: list[Line]) -> list[Line]:
    """Settle the kinds that depend on the neighbouring lines."""
    lines = list(lines)
    columns = ""  # the previous table header's columns
    for index, line in enumerate(lines):
        if line.kind is Kind.TABLE_HEADER and _previous(lines, index, Kind.TABLE_HEADER) is None:
            end, header = _mark_header_continuation(lines, index)
            _mark_heading_above(lines, index, end, repeated=header == columns)
            columns = header
    return lines


def _previous(lines: list[Line], index: int, kind: Kind) -> int | None:
    """The index of the previous non-blank line if it is of `kind`."""
    for before in range(index - 1, -1, -1):
        if lines[before].kind is not Kind.BLANK:
            return before if lines[before].kind is kind else None
    return None


def _mark_header_continuation(lines: list[Line], index: int) -> tuple[int, str]:
    """Mark the lines that finish a broken header ('Tijdsche' / 'ma' / 'Bevoegdheid').

    Returns the index of the first line after the header, and the header's
    column titles as one string.
    """
    columns = lines[index].text.split()
    missing = _header_rest(columns[-1]) or ""
    after = index + 1
    while after < len(lines):
        line = lines[after]
        words = line.text.split()
        if line.kind is Kind.BLANK:
            pass
        elif missing and line.text == missing:
            columns[-1] += missing
            missing = ""
        elif not missing and all(_is_header_word(w) for w in words):
            columns.extend(words)
        else:
            break
        if line.kind is not Kind.BLANK:
            lines[after] = replace(line, kind=Kind.TABLE_HEADER)
        after += 1
    return after, " ".join(columns).lower()


def _mark_heading_above(lines: list[Line], header: int, after: int, *, repeated: bool) -> None:
    """Mark the text directly above a table header as a section heading.

    Only when the table starts right after the header (a header repeated on a
    new page has the continuation of a row below it), and only text that does
    not end a sentence (the end of the previous row does) and is not already
    part of a 'Strategische prioriteit' heading. A short capitalised line
    directly above counts ('Governance en monitoring'), unless the header
    repeats the previous one: then the page broke between two rows and the
    line is the previous row's last body.
    """
    following = next((line for line in lines[after:] if line.kind is not Kind.BLANK), None)
    if following is None or following.kind is not Kind.ACTION_START:
        return
    run: list[int] = []
    for index in range(header - 1, -1, -1):
        line = lines[index]
        if line.kind is Kind.BLANK:
            continue
        if (line.kind is Kind.TEXT and not line.cells) or (
            line.kind is Kind.NAME and not run and not repeated
        ):
            run.append(index)
            continue
        if line.kind in (Kind.PRIORITY_HEADING, Kind.SECTION_HEADING):
            return
        break
    if run and lines[run[0]].text[-1] not in _TERMINAL:
        first = run[-1]
        lines[first] = replace(lines[first], kind=Kind.SECTION_HEADING)


# --------------------------------------------------------------------------- step 2: assembly


class State(StrEnum):
    OUTSIDE = "outside"  # before the first heading, between a policy area and its priority
    HEADING = "heading"  # collecting a heading's lines
    TABLE = "table"  # after a table header, before its first row
    ACTION = "action"  # collecting a row: its text, then its cells
    FOOTNOTES = "footnotes"  # below a page's separator
    END = "end"  # after the action list


@dataclass
class _Section:
    id: str
    fragments: list[str]

    def ref(self) -> AreaRef:
        return AreaRef(self.id, join_text(self.fragments))


@dataclass
class _Draft:
    """The row being collected."""

    id: str
    location: Location
    section: _Section | None
    policy_area: str
    fragments: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    timeframes: list[str] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)
    pending_body: str = ""  # the first words of a known body broken over lines
    footnotes: list[str] = field(default_factory=list)  # the markers in the text
    in_cells: bool = False  # the row's cells have started


class _Assembler:
    """Feeds classified lines into rows; one method per state."""

    def __init__(self, source: str):
        self.source = source
        self.state = State.OUTSIDE
        self.resume = State.OUTSIDE  # the state to return to after the footnotes
        self.rows: list[Row] = []
        self.section: _Section | None = None
        self.policy_area = ""
        self.draft: _Draft | None = None
        self.footnotes: dict[str, list[str]] = {}
        self.note = ""  # the footnote being read
        self.note_continues = False

    def feed(self, line: Line) -> None:
        if self.state is State.FOOTNOTES and self._footnote(line):
            return
        if self.state is State.END or line.kind is Kind.BLANK:
            return
        if line.kind in STRONG:
            self._strong(line)
        elif self.state is State.ACTION:
            self._action(line)
        elif self.state is State.HEADING:
            self._heading(line)
        # other lines outside a table, or between its header and first row, are not content

    def finish(self) -> list[Row]:
        self._close_action()
        return [self._with_footnotes(row) for row in self.rows]

    def _strong(self, line: Line) -> None:
        kind = line.kind
        if kind is Kind.SEPARATOR:
            self.resume, self.state = self.state, State.FOOTNOTES
            self.note, self.note_continues = "", False
            return
        if kind is Kind.TABLE_HEADER:
            if self.state is not State.ACTION:  # a header repeated on a page leaves the row be
                self.state = State.TABLE
            return
        self._close_action()
        if kind is Kind.ACTION_START:
            self.draft = _Draft(
                line.key,
                Location(self.source, line.number, line.column),
                self.section,
                self.policy_area,
            )
            self.state = State.ACTION
            self._add_cells(line.cells)
        elif kind is Kind.PRIORITY_HEADING:
            self.section = _Section(line.key, [line.text])
            self.state = State.HEADING
        elif kind is Kind.SECTION_HEADING:
            self.section = _Section(_slug(line.text) or f"sectie-{line.number}", [line.text])
            self.policy_area = ""  # a part outside the policy areas, such as governance
            self.state = State.HEADING
        elif kind is Kind.POLICY_AREA:
            self.policy_area = line.text
            self.state = State.OUTSIDE
        elif kind is Kind.ANNEX_HEADING and self.rows:
            self.state = State.END

    def _heading(self, line: Line) -> None:
        if line.kind is not Kind.DIGITS:  # a footnote marker in a heading is dropped
            assert self.section is not None
            self.section.fragments.append(line.text)

    def _action(self, line: Line) -> None:
        draft = self.draft
        assert draft is not None
        if line.kind is Kind.DIGITS:
            draft.footnotes.append(line.key)
            return
        if draft.pending_body:
            longer = f"{draft.pending_body} {line.text}"
            if _is_known_body(longer, prefix=True):
                self._add_body(longer)
                return
            draft.bodies.append(draft.pending_body)  # an unknown body after all
            draft.pending_body = ""
        if line.kind is Kind.NAME and draft.in_cells:
            self._add_body(line.text)
        else:
            self._add_cells(line.cells)

    def _add_cells(self, cells: Cells) -> None:
        """Add what a line holds to the row.

        A body name at the end of text, with no code or timeframe beside it,
        counts only once the row's cells have started; before that it is a
        sentence that happens to end in a name ('... de Commissie.  Europol').
        """
        draft = self.draft
        assert draft is not None
        if cells.body and cells.text and not (cells.codes or cells.timeframe or draft.in_cells):
            cells = Cells(text=f"{cells.text} {cells.body}")
        if cells.text:
            draft.fragments.append(cells.text)
        if cells:
            draft.in_cells = True
            draft.codes.extend(cells.codes)
            if cells.timeframe:
                draft.timeframes.append(cells.timeframe)
            if cells.body:
                self._add_body(cells.body)

    def _add_body(self, name: str) -> None:
        """Add a body, or hold the first words of a known body that goes on on the next line."""
        draft = self.draft
        assert draft is not None
        if draft.pending_body and not name.startswith(draft.pending_body):
            draft.bodies.append(draft.pending_body)
        draft.pending_body = ""
        if _is_known_body(name) or not _is_known_body(name, prefix=True):
            draft.bodies.append(name)
        else:
            draft.pending_body = name

    def _footnote(self, line: Line) -> bool:
        """Read a footnote line; False when the footnotes have ended and the line is content.

        A footnote goes on while its lines do not end a sentence and the next
        line is not indented (the first line after a page's footnotes is).
        """
        if line.kind in STRONG:
            self.state = self.resume
            return False
        if line.kind is Kind.BLANK:
            return True
        if line.kind is Kind.DIGITS:
            self.note, self.note_continues = line.key, True
            self.footnotes[self.note] = []
            return True
        expects_first_line = bool(self.note) and not self.footnotes[self.note]
        if expects_first_line or (self.note_continues and not line.indented):
            parts = self.footnotes[self.note]
            if not (_URL.match(line.text) and line.text in join_text(parts)):
                parts.append(line.text)  # a bare URL repeating the text's link is dropped
            self.note_continues = line.text[-1] not in _TERMINAL
            return True
        self.state = self.resume
        return False

    def _close_action(self) -> None:
        draft = self.draft
        if draft is None:
            return
        if draft.pending_body:
            draft.bodies.append(draft.pending_body)
        meta: dict[str, str] = {}
        if draft.codes:
            meta["priority"] = ", ".join(dict.fromkeys(draft.codes))
        if draft.timeframes:
            meta["timeframe"] = ", ".join(dict.fromkeys(draft.timeframes))
        if draft.bodies:
            meta["bodies"] = ", ".join(dict.fromkeys(draft.bodies))
        if draft.policy_area:
            meta["policy_area"] = draft.policy_area
        if draft.footnotes:
            meta["footnotes"] = " ".join(draft.footnotes)  # resolved to texts in `finish`
        area = draft.section.ref() if draft.section else DEFAULT_AREA
        self.rows.append(
            Row(
                id=draft.id,
                location=draft.location,
                summary=join_text(draft.fragments),
                area=area,
                meta=meta,
            )
        )
        self.draft = None

    def _with_footnotes(self, row: Row) -> Row:
        """Replace the footnote markers of a row by the footnotes' texts, where found."""
        markers = row.meta.get("footnotes", "").split()
        notes = [f"[{m}] {join_text(self.footnotes[m])}" for m in markers if self.footnotes.get(m)]
        meta = {k: v for k, v in row.meta.items() if k != "footnotes"}
        if notes:
            meta["footnotes"] = " ".join(notes)
        return replace(row, meta=meta)


def join_text(fragments: list[str]) -> str:
    """Join the lines of a text as one paragraph.

    A hyphen at a line end is kept and joins without a space ('douane-' +
    'informatie'), except before 'en'/'of' ('gezondheids-' + 'en sociale');
    punctuation that a footnote marker separated from its word joins back.
    """
    text = ""
    for fragment in fragments:
        fragment = " ".join(fragment.split())
        if not fragment:
            continue
        hyphenated = (
            text.endswith("-")
            and text[-2:-1].isalpha()
            and fragment.split()[0] not in ("en", "of", "and", "or")
        )
        if text and not hyphenated and fragment[0] not in ".,;:!?)":
            text += " "
        text += fragment
    return text


def _slug(text: str) -> str:
    """An id from a heading's first word: 'Governance, uitvoering ...' -> 'governance'."""
    word = text.split()[0] if text.split() else ""
    ascii_word = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9-]", "", ascii_word.lower()).strip("-")


# --------------------------------------------------------------------------- entry point


def parse_pdftext(text: str, source: str) -> tuple[list[Row], list[Problem]]:
    """The actions of an annex's text, each under its priority or section heading."""
    lines = refine([classify_line(n, raw) for n, raw in enumerate(text.split("\n"), start=1)])
    assembler = _Assembler(source)
    for line in lines:
        assembler.feed(line)
    rows = assembler.finish()
    if not rows:
        return [], [
            Problem(
                Location(source),
                _("no actions found"),
                code="empty",
                hint=_(
                    "the text should have rows starting with 'Actie 1.' or "
                    "'Actie 1:'; is this text extracted from the right PDF?"
                ),
            )
        ]
    return rows, []
