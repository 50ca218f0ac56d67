"""The headings of a fiche as published since the templates of 2007, and what each holds.

Both readers and the mapper use this: a reader to tell a heading from body text
(a PDF's text has no styles), the mapper to send what follows a heading to its
field. A heading is recognised by the start of its label, so later and earlier
wordings of the same item ("Opinie Impact-assessment Board", "Raad voor
Regelgevingstoetsing") lead to the same field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FICHE_TITLE = re.compile(r"^\s*Fiche(?:\s+(\d{1,2}))?\s*:\s*(\S.*?)\s*$")
"""'Fiche: <short title>', or 'Fiche 2: <short title>' in letters that number them."""

_SECTION = re.compile(r"^\s*(\d{1,2})\s*[.)]\s+(\S.*?)\s*$")
_ITEM = re.compile(r"^\s*(?:[•·▪◦\-–]\s*)?([a-j])\s*\)\s+(\S.*?)\s*$")
_BULLET = re.compile(r"^\s*[•·▪◦]\s*")

# Numbered sections, by the start of their label. Older templates put the
# financial consequences, regulatory burden and evaluation in sections of their own.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("general", r"Algemene gegevens"),
    ("essence", r"(Essentie|Samenvatting) (van het )?voorstel"),
    ("summary", r"Samenvatting BNC[- ]fiche"),
    ("dutch_position", r"Nederlandse positie"),
    ("grounds", r"(Grondhouding|Bevoegdheidsvraag|Bevoegdheid, subsidiariteit)"),
    ("financial", r"(Implicaties financieel|Financi[eë]le (implicaties|gevolgen))"),
    ("regulatory_burden", r"Implicaties voor (de )?(regeldruk|administratieve lasten)"),
    ("competitiveness", r"Implicaties voor (de )?concurrentiekracht"),
    ("evaluation_clause", r"Wenselijkheid evaluatie"),
    ("legal", r"Implicaties juridisch"),
    ("implementation", r"Implicaties voor (de )?uitvoering"),
    ("developing_countries", r"Implicaties voor ontwikkelingslanden"),
)

# Lettered items (and the 'Label: value' lines of the 2007 template), by the start
# of their label. Keys without a field of the model ('council_date', 'comitology',
# ...) are kept by the mapper in the nearest field, marked for the reader.
ITEMS: tuple[tuple[str, str], ...] = (
    ("proposal_title", r"Titel( voorstel)?"),
    ("date_received", r"Datum (ontvangst )?Commissiedocument"),
    ("council_date", r"Datum Raadsdocument"),
    ("council_number", r"(Nr\.?|Nummer) Raadsdocument"),
    ("com_numbers", r"(Nr\.?|Nummer|Nummers) Commissiedocument(en)?"),
    ("eurlex", r"(EUR-?lex|Pre-?lex)"),
    ("impact_assessment", r"(Nr\.?|Nummer) impact[- ]?assessment"),
    ("council_formation", r"Behandelingstraject Raad"),
    ("lead_ministry", r"Eerstverantwoordelijke? ministerie"),
    ("involved_ministries", r"Betrokken ministeries"),
    ("legal_basis", r"Rechtsbasis"),
    ("decision_procedure", r"Besluitvormingsprocedure( Raad)?"),
    ("parliament_role", r"Rol (van het )?Europees Parlement"),
    ("comitology", r"Comitologie"),
    ("essence", r"(Korte )?[Ii]nhoud( van het)? voorstel"),
    ("impact_assessment_summary", r"Impact[- ]?assessment Commissie"),
    ("dutch_policy", r"Essentie Nederlands beleid"),
    ("assessment", r"Beoordeling( \+| en)? inzet"),
    ("force_field", r"(Eerste )?inschatting van (het )?krachtenveld"),
    ("competence", r"Bevoegdheid"),
    ("functional_test", r"Functionele toets"),
    ("subsidiarity", r"Subsidiariteit"),
    ("proportionality", r"Proportionaliteit"),
    ("financial", r"Financi[eë]le (gevolgen|implicaties)"),
    ("regulatory_burden", r"Gevolgen voor (de )?regeldruk"),
    ("competitiveness", r"Gevolgen voor (de )?concurrentiekracht"),
    ("national_regulation", r"Consequenties voor (de )?nationale"),
    ("delegated_acts", r"Gedelegeerde"),
    ("implementation_deadline", r"Voorgestelde (implementatietermijn|datum)"),
    ("evaluation_clause", r"Wenselijkheid evaluatie"),
    ("dutch_position", r"Nederlandse positie"),
)

# 'Label: value' on one line, as the 2007 template wrote section 1 and 4b.
_LABEL_VALUE = (
    "proposal_title",
    "date_received",
    "council_date",
    "council_number",
    "com_numbers",
    "eurlex",
    "impact_assessment",
    "council_formation",
    "lead_ministry",
    "involved_ministries",
    "legal_basis",
    "decision_procedure",
    "parliament_role",
    "comitology",
    "essence",
    "impact_assessment_summary",
    "subsidiarity",
    "proportionality",
    "dutch_position",
)

# The full labels of the current templates: a label that a PDF wrapped over two
# lines is joined again when the two lines together start one of these.
FULL_LABELS = (
    "e) Nr. impact assessment Commissie en Opinie Raad voor Regelgevingstoetsing",
    "e) Nr. impact assessment Commissie en Opinie Impact-assessment Board",
    "3. Nederlandse positie ten aanzien van de mededeling/aanbeveling",
    "3. Nederlandse positie ten aanzien van het voorstel",
    "4. Grondhouding ten aanzien van bevoegdheid, subsidiariteit, proportionaliteit, "
    "financiële gevolgen en gevolgen voor regeldruk, concurrentiekracht en geopolitieke aspecten",
    "e) Gevolgen voor regeldruk, concurrentiekracht en geopolitieke aspecten",
    "e) Gevolgen voor regeldruk en administratieve lasten",
    "f) Gevolgen voor concurrentiekracht en geopolitieke aspecten",
    "a) Consequenties voor nationale en decentrale regelgeving en/of sanctionering beleid "
    "(inclusief toepassing van de lex silencio positivo)",
    "c) Voorgestelde implementatietermijn (bij richtlijnen), dan wel voorgestelde datum "
    "inwerkingtreding (bij verordeningen en besluiten) met commentaar t.a.v. haalbaarheid",
    "6. Implicaties voor uitvoering en/of handhaving",
)


def _compile(table: tuple[tuple[str, str], ...]) -> list[tuple[str, re.Pattern[str]]]:
    return [(key, re.compile(rf"^(?:{pattern})\b", re.IGNORECASE)) for key, pattern in table]


_SECTION_PATTERNS = _compile(SECTIONS)
_ITEM_PATTERNS = _compile(ITEMS)
_LABEL_VALUE_PATTERNS = [
    (
        key,
        re.compile(
            rf"^\s*(?:[•·▪\-–]\s*)?(?P<label>(?:{pattern})[^:\n]{{0,60}}?)\s*:\s*(?P<value>.*)$",
            re.I,
        ),
    )
    for key, pattern in ITEMS
    if key in _LABEL_VALUE
]


@dataclass(frozen=True)
class Heading:
    """A recognised heading: what it introduces, its label, and a value on the same line."""

    kind: str
    """'fiche' (the fiche's title), 'section' (numbered) or 'item' (lettered, or 'Label:')."""
    key: str
    """The field or section it introduces ('essence', 'competence'); '' when unknown."""
    label: str
    number: str = ""
    value: str = ""
    """What followed the label on its line ('Titel voorstel: Voorstel voor ...')."""


def _classify(text: str, patterns: list[tuple[str, re.Pattern[str]]]) -> str:
    for key, pattern in patterns:
        if pattern.match(text):
            return key
    return ""


def recognise(line: str, *, in_general: bool = False) -> Heading | None:
    """The heading this line is, or None for body text.

    `in_general`: the line stands in section 1, where the 2007 template wrote
    'Label: value' lines.
    """
    if len(line) > 300:
        return None
    match = FICHE_TITLE.match(line)
    if match:
        if re.search(r"\(\s*Kamerstuk", match.group(2), re.I):
            return None  # a covering letter's list of the fiches it sends
        return Heading("fiche", "fiche", match.group(2), match.group(1) or "")
    match = _SECTION.match(line)
    if match and match.group(2)[:1].isupper():
        key = _classify(match.group(2), _SECTION_PATTERNS)
        if key:
            return Heading("section", key, match.group(2).rstrip(": "), match.group(1))
    match = _ITEM.match(line)
    if match and match.group(2)[:1].isupper():
        label = match.group(2)
        key = _classify(label, _ITEM_PATTERNS)
        if key:
            value = ""
            if ":" in label and not label.rstrip().endswith(":"):
                label, value = (part.strip() for part in label.split(":", 1))
            return Heading("item", key, label.rstrip(": "), match.group(1), value)
    if in_general or _BULLET.match(line) is None:
        for key, pattern in _LABEL_VALUE_PATTERNS:
            found = pattern.match(line)
            if found and (in_general or key not in _GENERAL_ONLY):
                return Heading(
                    "item", key, found.group("label").strip(), "", found.group("value").strip()
                )
    if _BULLET.match(line) and in_general:
        bare = _BULLET.sub("", line)
        key = _classify(bare, _ITEM_PATTERNS)
        if key and len(bare) < 120:
            return Heading("item", key, bare.strip())
    return None


# Labels that, written 'Label: value', only mean a heading inside section 1.
_GENERAL_ONLY = frozenset(
    {"proposal_title", "eurlex", "legal_basis", "dutch_position", "com_numbers"}
)


def section_key(text: str) -> str:
    """The key of a section label without its number ('Essentie voorstel' -> 'essence')."""
    return _classify(text.strip(), _SECTION_PATTERNS)


def item_key(text: str) -> str:
    return _classify(text.strip(), _ITEM_PATTERNS)


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


_FULL = [_norm(label) for label in FULL_LABELS]


def continues_label(heading: str, next_line: str) -> bool:
    """Whether `next_line` is the rest of a heading that a PDF wrapped over two lines."""
    joined = _norm(f"{heading} {next_line}")
    if any(full.startswith(joined) for full in _FULL):
        return True
    # A numbered section's label that ends in a comma or a word that needs more.
    return bool(
        _SECTION.match(heading)
        and next_line[:1].islower()
        and len(joined) < 260
        and not _ITEM.match(next_line)
    )
