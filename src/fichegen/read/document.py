"""What every reader makes of a foreign fiche: blocks of text and footnotes, nothing more.

A reader (`text`, `docx`, `html`) knows its file format and nothing of the fiche
format beyond the labels of its headings (`labels`); the mapper (`fiche`) knows the
fiche format and nothing of file formats. Between them stands this plain data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum


class Kind(str, Enum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    ITEM = "item"
    """A list item; its text has no bullet."""


@dataclass
class Block:
    """A heading, paragraph or list item: inline Markdown, footnote references as `[^n]`."""

    text: str
    kind: Kind = Kind.PARAGRAPH
    line: int = 0
    """The 1-based line (text) or paragraph number (Word, HTML) where it starts; 0: unknown."""


@dataclass
class Document:
    """A document as read: its blocks in reading order and its footnotes by number."""

    source: str
    blocks: list[Block] = field(default_factory=list)
    footnotes: dict[str, str] = field(default_factory=dict)
    links: list[str] = field(default_factory=list)
    """Addresses the text names without an anchor (PDF link annotations at a page's end)."""
    warnings: list[str] = field(default_factory=list)


_SPECIAL = re.compile(r"([\\`*_\[\]])|<(?=[A-Za-z/!?])")


def escape_markdown(text: str) -> str:
    """Plain text as Markdown that shows it as it is: no emphasis, links or HTML by accident."""
    return _SPECIAL.sub(lambda m: "\\" + (m.group(1) or "<"), text)


NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
"""Characters Word cannot hold (and the fiche refuses): left out of what is read."""


def clean(document: Document) -> Document:
    """The document without characters that no fiche may hold (a PDF's control codes)."""
    for block in document.blocks:
        block.text = NOT_XML.sub("", block.text)
    document.footnotes = {key: NOT_XML.sub("", text) for key, text in document.footnotes.items()}
    return document
