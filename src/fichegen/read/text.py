"""A fiche as plain text: what `pdftotext` makes of a published PDF, or a copied web page.

The PDF's artefacts are undone here: page headers and page numbers, words
hyphenated at a line's end, footnotes at the foot of each page (moved to the
footnotes, their numbers in the text becoming `[^n]`), and the addresses of
links that some extractions list at a page's end.
"""

from __future__ import annotations

import re
from collections import Counter, deque

from fichegen.read import labels
from fichegen.read.document import Block, Document, Kind, escape_markdown

URL_LINE = re.compile(r"^\s*<?(https?://\S+?)>?\s*$")
_FOOTNOTE_START = re.compile(r"^\s*(\d{1,3})(?:\s+(\S.*?))?\s*$")
_BULLET = re.compile(r"^\s*(?:[•·▪◦●]|[-–](?=\s))\s*")
_HEADER = re.compile(
    r"^\s*(Tweede|Eerste) Kamer(, vergaderjaar|der Staten-Generaal\s+\d)"
    r"|^\s*(Pagina|Blz\.?)\s+\d+(\s+van\s+\d+)?\s*$"
    r"|^\s*kst-\d+-\d+\s*(ISSN.*)?$"
    r"|^\s*\d{1,3}\s*$",
    re.IGNORECASE,
)
_NOTES_HEADING = re.compile(r"^(Voet)?noten:?$", re.IGNORECASE)
_VOWELS = set("aeiouyëïöüéèáóú")
_OPEN_END = re.compile(r"[.!?:;”’\"]\s*$")


def read_text(text: str, source: str) -> Document:
    """The blocks and footnotes of a fiche's text."""
    lines = _clean(text)
    reader = _Reader(source)
    reader.feed(lines)
    document = reader.finish()
    attach_markers(document)
    return document


def _clean(text: str) -> list[tuple[int, str]]:
    """Numbered lines without page headers, page numbers or soft hyphens; a form feed is a
    page break (two blank lines)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00ad", "")
    text = text.replace("\u00a0", " ").replace("\ufeff", "")
    raw = text.split("\n")
    numbered: list[tuple[int, str]] = []
    for number, line in enumerate(raw, 1):
        if "\f" in line:
            before, _, after = line.partition("\f")
            if before.strip():
                numbered.append((number, before.rstrip()))
            numbered += [(number, ""), (number, "")]
            line = after.replace("\f", "")
        numbered.append((number, line.rstrip()))
    repeated = _repeated_edges(numbered)
    kept = []
    for index, (number, line) in enumerate(numbered):
        stripped = line.strip()
        if _NOTES_HEADING.match(stripped):
            continue  # 'Noten' above the footnotes of a web page
        following = numbered[index + 1][1].strip() if index + 1 < len(numbered) else ""
        if stripped.isdigit() and following:
            kept.append((number, line))  # a note's number above its text, not a page number
            continue
        if stripped and (_HEADER.match(stripped) or _shape(stripped) in repeated):
            kept += [(number, ""), (number, "")]  # a header stands where a page breaks
            continue
        kept.append((number, line))
    return kept


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split()))


def _repeated_edges(lines: list[tuple[int, str]]) -> set[str]:
    """Lines that stand at the edge of several pages (a running header or footer)."""
    pages: list[list[str]] = [[]]
    blanks = 0
    for _number, line in lines:
        if not line.strip():
            blanks += 1
            continue
        if blanks >= 2 and pages[-1]:
            pages.append([])
        blanks = 0
        pages[-1].append(line.strip())
    if len(pages) < 3:
        return set()
    edges = Counter(_shape(page[i]) for page in pages if page for i in {0, len(page) - 1})
    return {shape for shape, count in edges.items() if count >= 3 and len(shape) < 120}


def join_lines(lines: list[str]) -> str:
    """The lines of one paragraph as one line, undoing hyphenation at line ends."""
    text = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if not text:
            text = line
        elif text.endswith("-") and not text.endswith(" -") and _hyphenated(text, line):
            text = text[:-1] + line
        elif text.endswith("-") and not text.endswith(" -"):
            text += line  # a real hyphen: 'EU-' 'lidstaten', 'informatie-' 'uitwisseling'
        else:
            text += " " + line
    return text


def _hyphenated(before: str, after: str) -> bool:
    """Whether a line-end hyphen split one word (typesetting) rather than joined two."""
    head = before[:-1].split()[-1] if before[:-1].split() else ""
    if not head or not after[:1].islower() or not head[-1:].islower():
        return False
    if head[-1] in _VOWELS and after[0] in _VOWELS:
        return False  # a vowel clash takes a hyphen in Dutch: 'zee-egel'
    return "-" not in head  # 'drugs-' in 'ex-drugs-' keeps it


class _Reader:
    def __init__(self, source: str):
        self.document = Document(source)
        self.paragraph: list[str] = []
        self.paragraph_kind = Kind.PARAGRAPH
        self.paragraph_line = 0
        self.footnote: list[str] | None = None
        self.footnote_number = ""
        self.in_zone = False
        self.expected = 1
        self.recent: deque[str] = deque(maxlen=60)
        self.in_general = False
        self.page_links: list[str] = []

    def feed(self, lines: list[tuple[int, str]]) -> None:
        blanks = 0
        index = 0
        while index < len(lines):
            line = lines[index][1]
            if not line.strip():
                blanks += 1
                if self.in_zone and blanks >= 2:
                    self._end_zone()
                index += 1
                continue
            index = self._line(lines, index, blanks)
            blanks = 0

    def _line(self, lines: list[tuple[int, str]], index: int, blanks: int) -> int:
        number, line = lines[index]
        url = URL_LINE.match(line)
        if self.in_zone:
            if url:
                self.page_links.append(url.group(1))
                return index + 1
            start = _FOOTNOTE_START.match(line)
            if start and start.group(1) == str(self.expected):
                self._start_footnote(start.group(1), start.group(2) or "")
                return index + 1
            if blanks == 0 and self.footnote is not None:
                self.footnote.append(line)
                return index + 1
            self._end_zone()
            blanks = 2  # the body resumes as after a page break
        if url and blanks >= 1 and self._at_page_end(lines, index):
            self.page_links.append(url.group(1))
            self.in_zone = True
            return index + 1
        start = _FOOTNOTE_START.match(line)
        if (
            start
            and blanks >= 1
            and start.group(1) == str(self.expected)
            and self._marker_seen(start.group(1))
        ):
            self.in_zone = True
            self._start_footnote(start.group(1), start.group(2) or "")
            return index + 1
        heading = labels.recognise(line, in_general=self.in_general)
        if heading is not None:
            self._flush()
            text = line.strip()
            index += 1
            while (
                index < len(lines)
                and lines[index][1].strip()
                and labels.continues_label(text, lines[index][1].strip())
            ):
                text += " " + lines[index][1].strip()
                index += 1
            if heading.kind == "section":
                self.in_general = heading.key == "general"
            elif heading.kind == "fiche":
                self.in_general = True
            self.document.blocks.append(Block(text, Kind.HEADING, number))
            return index
        bullet = _BULLET.match(line)
        if bullet:
            self._flush()
            self.paragraph = [line[bullet.end() :]]
            self.paragraph_kind = Kind.ITEM
            self.paragraph_line = number
        elif not self.paragraph:
            self.paragraph = [line]
            self.paragraph_line = number
        elif blanks == 0:
            self.paragraph.append(line)
        elif blanks >= 2 and (
            not _OPEN_END.search(self.paragraph[-1]) or line.strip()[:1].islower()
        ):
            self.paragraph.append(line)  # the paragraph goes on after a page break
        else:
            self._flush()
            self.paragraph = [line]
            self.paragraph_line = number
        self.recent.append(line)
        return index + 1

    def _at_page_end(self, lines: list[tuple[int, str]], index: int) -> bool:
        for blanks, (_number, line) in enumerate(lines[index + 1 :]):
            if line.strip():
                return blanks >= 2 or bool(URL_LINE.match(line))
        return True

    def _marker_seen(self, number: str) -> bool:
        pattern = re.compile(rf"(?:[^\W\d_]|[)\].,;:’”'\"]){number}(?![\d/])")
        text = " ".join(self.recent)
        return bool(pattern.search(text))

    def _start_footnote(self, number: str, text: str) -> None:
        self._end_footnote()
        self.footnote = [text] if text else []
        self.footnote_number = number
        self.expected = int(number) + 1

    def _end_footnote(self) -> None:
        if self.footnote is not None:
            self.document.footnotes[self.footnote_number] = escape_markdown(
                join_lines(self.footnote)
            )
        self.footnote = None

    def _end_zone(self) -> None:
        self._end_footnote()
        self._place_links()
        self.in_zone = False

    def _place_links(self) -> None:
        """Link addresses at a page's end: onto the footnote that names them, else kept."""
        for url in self.page_links:
            if not self._link_footnote(url):
                self.document.links.append(url)
        self.page_links = []

    def _link_footnote(self, url: str) -> bool:
        kamerstuk = re.search(r"kst-(\d+)-(\d+)", url)
        if not kamerstuk:
            return False
        series, number = kamerstuk.groups()
        spaced = f"{series[:-3]} {series[-3:]}" if len(series) > 3 else series
        pattern = re.compile(
            rf"Kamerstuk(ken)?\s+({re.escape(spaced)}|{series}),\s*nr\.?\s*{number}\b"
        )
        for key in reversed(list(self.document.footnotes)):
            text = self.document.footnotes[key]
            found = pattern.search(text)
            if found and "](" not in text:
                self.document.footnotes[key] = (
                    f"{text[: found.start()]}[{found.group()}]({url}){text[found.end() :]}"
                )
                return True
        return False

    def _flush(self) -> None:
        if self.paragraph:
            text = escape_markdown(join_lines(self.paragraph))
            if text:
                self.document.blocks.append(Block(text, self.paragraph_kind, self.paragraph_line))
        self.paragraph = []
        self.paragraph_kind = Kind.PARAGRAPH

    def finish(self) -> Document:
        self._flush()
        self._end_zone()
        return self.document


def attach_markers(document: Document) -> None:
    """Footnote numbers glued to the text ('drugsstrategie1 zich') become `[^1]`, in order."""
    position = (0, 0)
    for number in sorted(document.footnotes, key=int):
        pattern = re.compile(rf"(?<=[^\W\d_]|[)\].,;:’”'\"]){number}(?![\d/])")
        block_index, offset = position
        for index in range(block_index, len(document.blocks)):
            block = document.blocks[index]
            start = offset if index == block_index else 0
            found = pattern.search(block.text, start)
            if found:
                block.text = f"{block.text[: found.start()]}[^{number}]{block.text[found.end() :]}"
                position = (index, found.start() + len(number) + 3)
                break
        else:
            document.warnings.append(f"footnote {number}: its number was not found in the text")
