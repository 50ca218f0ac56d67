"""The Commission's actions (or a proposal's articles) where the fiche's text names them.

Section 2 says what each action is ('... te versterken (actie 2)') and section
3b what the cabinet thinks of it ('Actie 2 gaat over ...'); the thematic areas
of a communication open with 'Het eerste gebied ...'. When both sections name
the same actions in the same order, under the same areas, each sentence goes
to the action (or area) it stands under, so that rendering the fiche gives the
sentences in their original order. Otherwise the prose stays in its section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ORDINALS = {
    "eerste": 1,
    "tweede": 2,
    "derde": 3,
    "vierde": 4,
    "vijfde": 5,
    "zesde": 6,
    "zevende": 7,
    "achtste": 8,
    "negende": 9,
    "tiende": 10,
}
_AREA = re.compile(
    r"\b(?P<word>eerste|tweede|derde|vierde|vijfde|zesde|zevende|achtste|negende|tiende|laatste)"
    r"\s+(?:thematische\s+|prioritaire\s+)?(?:aandachts?)?gebied\b"
    r"|\b(?:aandachts?)?gebied\s+(?:nummer\s+|nr\.\s*)?(?P<number>\d{1,2})\b",
    re.IGNORECASE,
)
_ITEM_NAMES = {"action": r"actie(?:punt)?", "article": r"artikel"}
_TITLE_VERBS = (
    r"(?:betreft|gaat over|richt zich (?:ten slotte )?op|ziet (?:ten slotte )?op|stelt|is)"
)
_SUPPORT = re.compile(
    r"\b(steunt|steun van|voorstander|staat .{0,40}achter|onderschrijft|verwelkomt|"
    r"in lijn met|een prioriteit)\b",
    re.IGNORECASE,
)
_DOUBT = re.compile(
    r"\b(kritisch|bezwaar|zorg(en)?|niet voor|geen competentie|echter|voorwaarde|mits|"
    r"zolang|terughoudend|afwijzend|niet ten koste|vraagtekens|onduidelijk|inachtneming|"
    r"op voorwaarde|realisme)\b",
    re.IGNORECASE,
)


@dataclass
class Item:
    id: str
    title: str
    summary: str = ""
    position: str = ""

    @property
    def stance(self) -> str:
        """'support' where the text plainly supports the item, else 'no_position' to decide."""
        if _SUPPORT.search(self.position) and not _DOUBT.search(self.position):
            return "support"
        return "no_position"


@dataclass
class Area:
    id: str
    title: str
    summary: str = ""
    position: str = ""
    items: list[Item] = field(default_factory=list)


@dataclass
class Split:
    essence: str
    assessment: str
    areas: list[Area]


@dataclass
class _Piece:
    target: tuple[int, int]  # (area ordinal, item number); (0, 0) is the section's own text
    paragraph: int
    text: str


def split_items(essence: str, assessment: str, kind: str = "action") -> Split | None:
    """The areas and items both sections name, or None when they do not agree."""
    name = _ITEM_NAMES[kind]
    mention = re.compile(
        rf"(?P<open>\()?\b{name}\s+(?P<n>\d{{1,3}})\b(?![.,]\d)(?(open)\))", re.IGNORECASE
    )
    areas_allowed = kind == "action"
    first = _pieces(essence, mention, areas_allowed, None)
    if first is None:
        return None
    areas_count = max((piece.target[0] for piece in first), default=0)
    second = _pieces(assessment, mention, areas_allowed, areas_count)
    if second is None:
        return None
    order_one = _order(first)
    order_two = _order(second)
    items_one = [target for target in order_one if target[1]]
    items_two = [target for target in order_two if target[1]]
    if len(items_one) < 2 or [t[1] for t in items_one] != [t[1] for t in items_two]:
        return None
    # An item stands under the same area in both sections (3b may leave an area unnamed).
    area_of = {number: area for area, number in items_one}
    for area, number in items_two:
        if area and area != area_of[number]:
            return None
    areas_two = {area for area, number in order_two if area and not number}
    if any(area not in {a for a, _n in items_one} | {0} for area in areas_two):
        return None
    intro_one = _text(first, (0, 0))
    intro_two = _text(second, (0, 0))
    if not intro_one or not intro_two:
        return None
    areas: dict[int, Area] = {}
    for area, number in order_one:
        key = area or 1
        if key not in areas:
            areas[key] = Area(str(key), "")
        if number:
            summary = _text(first, (area, number))
            position = _text(second, _target_in(second, number))
            if not summary or not position:
                return None
            areas[key].items.append(
                Item(str(number), _item_title(summary, position, kind, number), summary, position)
            )
        else:
            areas[key].summary = _text(first, (area, 0))
    for area, number in order_two:
        if area and not number and area in areas:
            areas[area].position = _text(second, (area, 0))
    for key, found in areas.items():
        found.title = _area_title(found, key)
    if not any(area for area, _n in order_one):
        only = areas[1]
        only.title = "Acties" if kind == "action" else "Onderdelen"
    return Split(intro_one, intro_two, list(areas.values()))


def _target_in(pieces: list[_Piece], number: int) -> tuple[int, int]:
    for piece in pieces:
        if piece.target[1] == number:
            return piece.target
    return (0, number)


def _pieces(
    text: str, mention: re.Pattern[str], areas_allowed: bool, areas_count: int | None
) -> list[_Piece] | None:
    """The section's text cut into pieces, each with the area or item it stands under.

    An item named in a sentence starts at the sentence's start, or after the
    mention of the item before it in the same sentence ('... (actie 2) en ...
    (actie 3)'); a sentence naming the next area ('Het tweede gebied ...') starts
    that area. Each later sentence stays with the area or item before it.
    """
    pieces: list[_Piece] = []
    area, highest = 0, 0
    current = (0, 0)
    for paragraph_index, paragraph in enumerate(text.split("\n\n")):
        units = [paragraph] if paragraph.lstrip().startswith("- ") else paragraph.split("\n")
        for unit in units:
            if areas_allowed:
                found = _AREA.search(unit[:120])
                ordinal = _ordinal(found, areas_count) if found else 0
                if ordinal > area:
                    if ordinal != area + 1 and areas_count is None:
                        return None  # section 2 names its areas in order
                    area = ordinal
                    current = (area, 0)
            start, cut = 0, 0
            for match in mention.finditer(unit):
                number = int(match.group("n"))
                if number <= highest:
                    continue
                if cut > start:
                    pieces.append(_Piece(current, paragraph_index, unit[start:cut]))
                    start = cut
                highest = number
                current = (area, number)
                cut = match.end()
            pieces.append(_Piece(current, paragraph_index, unit[start:]))
    return pieces


def _ordinal(found: re.Match[str], areas_count: int | None) -> int:
    word = (found.group("word") or "").lower()
    if word == "laatste":
        return areas_count or 0
    if word:
        return ORDINALS[word]
    return int(found.group("number"))


def _order(pieces: list[_Piece]) -> list[tuple[int, int]]:
    order: list[tuple[int, int]] = []
    for piece in pieces:
        if piece.target != (0, 0) and piece.target not in order:
            order.append(piece.target)
    return order


def _text(pieces: list[_Piece], target: tuple[int, int]) -> str:
    paragraphs: list[tuple[int, str]] = []
    for piece in pieces:
        if piece.target != target or not piece.text.strip():
            continue
        if paragraphs and paragraphs[-1][0] == piece.paragraph:
            paragraphs[-1] = (piece.paragraph, paragraphs[-1][1] + "\n" + piece.text.strip())
        else:
            paragraphs.append((piece.paragraph, piece.text.strip()))
    return "\n\n".join(text for _index, text in paragraphs)


def _item_title(summary: str, position: str, kind: str, number: int) -> str:
    name = _ITEM_NAMES[kind]
    for text in (summary, position):
        plain = " ".join(text.split())
        found = re.search(
            rf"\b{name}\s+{number}\s*,\s*([^,.;]{{4,160}}),", plain, re.IGNORECASE
        ) or re.search(
            rf"\b{name}\s+{number}\s+{_TITLE_VERBS}\s+([^,.;(]{{4,160}})", plain, re.IGNORECASE
        )
        if found:
            return _capital(_strip_article(found.group(1)))
    return f"{'Actie' if kind == 'action' else 'Artikel'} {number}"


def _area_title(area: Area, key: int) -> str:
    for text in (area.summary, area.position):
        plain = " ".join(text.split())
        found = re.search(
            rf"gebied\w*\s+(?:van het actieplan\s*)?(?:,\s*te weten\s+|,\s*|{_TITLE_VERBS}\s+)"
            r"([^,.;(]{4,160})",
            plain,
            re.IGNORECASE,
        )
        if found:
            return _capital(_strip_article(found.group(1)))
    return f"Gebied {key}"


def _strip_article(text: str) -> str:
    text = re.sub(r"\[\^\w+\]", "", text).strip()
    text = re.sub(r"^(ten slotte|tot slot)\s+", "", text, flags=re.IGNORECASE)
    text = re.sub(r"^(de|het|een)\s+", "", text, flags=re.IGNORECASE)
    if len(text) > 80:
        text = text[:80].rsplit(" ", 1)[0]
    return text


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
