"""A fiche as a web page (officielebekendmakingen.nl, tweedekamer.nl, or saved from Word).

Block elements become blocks, `<b>`/`<strong>` and `<i>`/`<em>` emphasis, links
Markdown links; a note number linking to an anchor (`<a href="#n1">1</a>`)
becomes `[^1]`, and the element with that anchor the footnote's text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from fichegen.read import labels
from fichegen.read.document import Block, Document, Kind, escape_markdown
from fichegen.read.text import attach_markers

BLOCKS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "div", "td", "th", "dt", "dd",
    "blockquote", "section", "article", "tr", "table", "ul", "ol", "body", "dl", "pre",
}  # fmt: skip
SKIP = {
    "script", "style", "head", "nav", "noscript", "template", "svg", "button", "form", "header",
    "footer",
}  # fmt: skip


def read_html(text: str, source: str) -> Document:
    parser = _Parser(source)
    parser.feed(text)
    parser.close()
    parser.flush()
    document = parser.document
    if not any(re.search(r"\[\^\d+\]", block.text) for block in document.blocks):
        attach_markers(document)  # note numbers written as plain text
    return document


class _Parser(HTMLParser):
    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.document = Document(source)
        self.parts: list[str] = []
        self.skip = 0
        self.kind = Kind.PARAGRAPH
        self.heading = False
        self.link: str | None = None
        self.link_text: list[str] = []
        self.note_link: str | None = None
        self.notes: dict[str, str] = {}  # anchor -> footnote number
        self.note_number = ""  # the block being read is this footnote
        self.sup = 0
        self.count = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if tag in SKIP:
            self.skip += 1
            return
        if self.skip:
            return
        anchor = values.get("id") or values.get("name") or ""
        if tag in BLOCKS:
            self.flush()
            self.kind = Kind.ITEM if tag == "li" else Kind.PARAGRAPH
            self.heading = tag in ("h1", "h2", "h3", "h4", "h5", "h6")
        if anchor and anchor in self.notes and not self.note_number:
            self.flush()
            self.note_number = self.notes[anchor]
        if tag == "br":
            self.parts.append("\n")
        elif tag in ("b", "strong"):
            self.parts.append("\x03")
        elif tag in ("i", "em"):
            self.parts.append("\x04")
        elif tag == "sup":
            self.sup += 1
        elif tag == "a":
            href = values.get("href", "")
            if href.startswith("#") and not self.note_number:
                self.note_link = href[1:]
                self.link_text = []
            elif href.startswith(("http://", "https://")):
                self.link = href
                self.link_text = []

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag in ("b", "strong"):
            self.parts.append("\x03")
        elif tag in ("i", "em"):
            self.parts.append("\x04")
        elif tag == "sup":
            self.sup = max(0, self.sup - 1)
        elif tag == "a" and self.note_link is not None:
            label = "".join(self.link_text).strip()
            if re.fullmatch(r"\d{1,3}", label):
                self.notes[self.note_link] = label
                self.parts.append(f"[^{label}]")
            else:
                self.parts.append(escape_markdown(label))
            self.note_link = None
        elif tag == "a" and self.link is not None:
            label = "".join(self.link_text).strip()
            self.parts.append(f"[{escape_markdown(label)}]({self.link})" if label else self.link)
            self.link = None
        if tag in BLOCKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.note_link is not None or self.link is not None:
            self.link_text.append(data)
            return
        self.parts.append(escape_markdown(data))

    def flush(self) -> None:
        raw = "".join(self.parts)
        self.parts = []
        if not raw.strip():
            return
        if self.note_number:
            text = _emphasis(" ".join(raw.split()))
            text = re.sub(rf"^\s*{self.note_number}\s*[.)]?\s+", "", text)
            self.document.footnotes[self.note_number] = text
            self.note_number = ""
            return
        for line in raw.split("\n"):
            text = _emphasis(" ".join(line.split()))
            if not text:
                continue
            self.count += 1
            plain = re.sub(r"\\(.)", r"\1", re.sub(r"\[\^\d+\]|\*", "", text))
            heading = labels.recognise(plain, in_general=True)
            if heading is not None:
                self.document.blocks.append(Block(plain + _refs(text), Kind.HEADING, self.count))
            else:
                self.document.blocks.append(Block(text, self.kind, self.count))


def _emphasis(text: str) -> str:
    text = re.sub(r"\x03\s*\x03|\x04\s*\x04", " ", text)
    text = re.sub(r"\x03([^\x03]*?)\x03", lambda m: _mark(m.group(1), "**"), text)
    text = re.sub(r"\x04([^\x04]*?)\x04", lambda m: _mark(m.group(1), "*"), text)
    return " ".join(text.replace("\x03", "").replace("\x04", "").split())


def _mark(text: str, mark: str) -> str:
    core = text.strip()
    if not core:
        return text
    return (
        f"{' ' if text[:1].isspace() else ''}{mark}{core}{mark}{' ' if text[-1:].isspace() else ''}"
    )


def _refs(text: str) -> str:
    """The footnote references in a text, to keep them on a heading made plain."""
    return "".join(re.findall(r"\[\^\w+\]", text))
