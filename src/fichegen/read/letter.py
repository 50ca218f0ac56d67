"""The covering letter of the Minister of Foreign Affairs, and the fiches it bundles.

A document may hold one fiche, or a letter in series 22 112 followed by several
fiches, each starting with 'Fiche: <title>'. The letter gives each fiche its
Kamerstuk number ('Fiche 1: <title> (Kamerstuk 22 112, nr. 4124)'), the date
and the minister, which become the fiche's `kamerstuk` metadata.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from fichegen.read import labels
from fichegen.read.document import Block, Document, Kind

_LISTED = re.compile(
    r"Fiche(?:\s+\d{1,2})?\s*:\s*(.+?)\s*\(\s*Kamerstuk(?:ken)?\s+(\d{2}\s?\d{3}),?\s*"
    r"nr\.?\s*(\d+)\s*\)",
    re.IGNORECASE,
)
_LETTER_NUMBER = re.compile(r"\b(\d{2}\s?\d{3})\b.{0,200}?\bNr\.?\s*(\d+)\b", re.S)
_DATE = re.compile(r"Den Haag,?\s+(\d{1,2}\s+[a-z]+\s+\d{4})", re.IGNORECASE)
_MINISTER = re.compile(r"^\s*De\s+[Mm]inister\s+(?:van|voor)\s+[^,]{3,80},\s*(.*)$")
_LETTER_CUES = re.compile(
    r"BRIEF VAN DE MINISTER|Aan de Voorzitter van de Tweede Kamer|22\s?112", re.IGNORECASE
)


@dataclass
class Letter:
    kamerstuk: str = ""
    """The letter's own number, '22 112, nr. 4120'."""
    date: str = ""
    minister: str = ""
    listed: list[tuple[str, str]] = field(default_factory=list)
    """(short title, '22 112, nr. 4124') for each fiche the letter lists."""


@dataclass
class Part:
    """One fiche of a document, with the metadata its letter gives it."""

    document: Document
    metadata: dict[str, str]
    index: int
    count: int


def split_fiches(document: Document) -> list[Part]:
    """The fiches in a document, each a document of its own, with the letter's metadata."""
    starts = [
        index
        for index, block in enumerate(document.blocks)
        if block.kind is Kind.HEADING
        and (found := labels.recognise(block.text)) is not None
        and found.kind == "fiche"
    ]
    if not starts:
        starts = [0]
    before = document.blocks[: starts[0]]
    letter = read_letter(before) if before and _is_letter(before) else None
    parts: list[Part] = []
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(document.blocks)
        blocks = document.blocks[start:end] if number or letter else document.blocks[:end]
        referenced = {ref for block in blocks for ref in re.findall(r"\[\^(\d+)\]", block.text)}
        part = Document(
            document.source,
            blocks,
            {key: text for key, text in document.footnotes.items() if key in referenced},
            list(document.links),
            list(document.warnings) if number == 0 else [],
        )
        if number == len(starts) - 1:
            # Footnotes no text refers to stay with the last fiche: nothing is dropped.
            used = {key for p in parts for key in p.document.footnotes}
            for key, text in document.footnotes.items():
                if key not in used and key not in part.footnotes:
                    part.footnotes[key] = text
        parts.append(Part(part, {}, number, len(starts)))
    if letter is not None:
        _give_metadata(letter, parts)
    return parts


def _is_letter(blocks: list[Block]) -> bool:
    return any(_LETTER_CUES.search(block.text) for block in blocks[:12])


def read_letter(blocks: list[Block]) -> Letter:
    letter = Letter()
    text = "\n".join(block.text for block in blocks)
    plain = re.sub(r"\\(.)", r"\1", text)
    number = _LETTER_NUMBER.search(plain)
    if number:
        letter.kamerstuk = f"{_series(number.group(1))}, nr. {number.group(2)}"
    date = _DATE.search(plain)
    if date:
        letter.date = " ".join(date.group(1).split())
    for index, block in enumerate(blocks):
        minister = _MINISTER.match(_plain(block.text))
        if minister:
            name = minister.group(1).strip()
            if not name and index + 1 < len(blocks):
                name = _plain(blocks[index + 1].text).strip()
            letter.minister = name
    for title, series, serial in _LISTED.findall(" ".join(plain.split())):
        letter.listed.append((title.strip(), f"{_series(series)}, nr. {serial}"))
    return letter


def _plain(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _series(text: str) -> str:
    digits = text.replace(" ", "")
    return f"{digits[:2]} {digits[2:]}" if len(digits) == 5 else text


def _give_metadata(letter: Letter, parts: list[Part]) -> None:
    titles = []
    for part in parts:
        first = part.document.blocks[0] if part.document.blocks else None
        found = labels.recognise(first.text) if first is not None else None
        titles.append(found.label if found is not None else "")
    numbers: list[str] = [""] * len(parts)
    unused = list(letter.listed)
    for index, title in enumerate(titles):
        best = max(
            unused,
            key=lambda entry: difflib.SequenceMatcher(
                None, entry[0].lower(), title.lower()
            ).ratio(),
            default=None,
        )
        if best and difflib.SequenceMatcher(None, best[0].lower(), title.lower()).ratio() > 0.6:
            numbers[index] = best[1]
            unused.remove(best)
    if len(letter.listed) == len(parts):
        for index, entry in enumerate(letter.listed):
            if not numbers[index] and entry in unused:
                numbers[index] = entry[1]
    for part, number in zip(parts, numbers, strict=True):
        metadata = {
            "number": number,
            "letter": letter.kamerstuk,
            "letter_date": letter.date,
            "minister": letter.minister,
        }
        part.metadata = {key: value for key, value in metadata.items() if value}
