"""From the blocks of one foreign fiche to the fields of a positions file.

Each heading sends the text after it to a field (`labels` knows which); the
values of section 1 are parsed into their structured fields, the grondhouding
sentences into verdicts. Nothing is dropped: text for which the model has no
field is kept in the nearest field before it, behind an `[INVULLEN: ...]`
marker that `fichegen check` lists, and each such case is a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from fichegen.i18n import _
from fichegen.model import FicheType, Verdict
from fichegen.read import labels
from fichegen.read.document import Block, Document, Kind

# Where each heading's text goes: a path in the positions file.
TARGETS: dict[str, tuple[str, ...]] = {
    "proposal_title": ("general", "proposal_title"),
    "date_received": ("general", "date_received"),
    "com_numbers": ("general", "com_numbers"),
    "council_number": ("general", "com_numbers"),
    "eurlex": ("general", "eurlex"),
    "impact_assessment": ("general", "impact_assessment"),
    "council_formation": ("general", "council_formation"),
    "lead_ministry": ("general", "lead_ministry"),
    "legal_basis": ("general", "legal_basis"),
    "decision_procedure": ("general", "decision_procedure"),
    "parliament_role": ("general", "parliament_role"),
    "essence": ("essence",),
    "impact_assessment_summary": ("impact_assessment_summary",),
    "dutch_policy": ("dutch_position", "dutch_policy"),
    "assessment": ("dutch_position", "assessment"),
    "dutch_position": ("dutch_position", "assessment"),
    "force_field": ("dutch_position", "force_field"),
    "competence": ("grounds", "competence"),
    "subsidiarity": ("grounds", "subsidiarity"),
    "proportionality": ("grounds", "proportionality"),
    "financial": ("grounds", "financial"),
    "regulatory_burden": ("grounds", "regulatory_burden"),
    "competitiveness": ("grounds", "competitiveness"),
    "national_regulation": ("legal", "national_regulation"),
    "delegated_acts": ("legal", "delegated_acts"),
    "implementation_deadline": ("legal", "implementation_deadline"),
    "evaluation_clause": ("legal", "evaluation_clause"),
    "legal": ("legal", "national_regulation"),
    "implementation": ("implementation",),
    "developing_countries": ("developing_countries",),
}

# A section heading alone (no lettered items under it) sends its text here.
SECTION_DEFAULT = {
    "essence": "essence",
    "dutch_position": "assessment",
    "grounds": "competence",
    "financial": "financial",
    "regulatory_burden": "regulatory_burden",
    "competitiveness": "competitiveness",
    "evaluation_clause": "evaluation_clause",
    "legal": "legal",
    "implementation": "implementation",
    "developing_countries": "developing_countries",
}

# Headings that share a field with another ('Nr. Raadsdocument' is one more number).
ALIASES = {
    "council_number": "com_numbers",
    "dutch_position": "assessment",
    "legal": "national_regulation",
}

LEGISLATIVE_ONLY = {
    "legal_basis",
    "decision_procedure",
    "parliament_role",
    "impact_assessment_summary",
    "competitiveness",
    "national_regulation",
    "delegated_acts",
    "implementation_deadline",
    "evaluation_clause",
    "legal",
    "implementation",
}

# Fields in the order of the fiche, for 'the nearest field before' and for writing.
ORDER = [
    "proposal_title",
    "date_received",
    "com_numbers",
    "eurlex",
    "impact_assessment",
    "council_formation",
    "lead_ministry",
    "legal_basis",
    "decision_procedure",
    "parliament_role",
    "essence",
    "impact_assessment_summary",
    "dutch_policy",
    "assessment",
    "force_field",
    "competence",
    "subsidiarity",
    "proportionality",
    "financial",
    "regulatory_burden",
    "competitiveness",
    "national_regulation",
    "delegated_acts",
    "implementation_deadline",
    "evaluation_clause",
    "implementation",
    "developing_countries",
]

# What to call a missing field in its placeholder.
WHAT = {
    "proposal_title": "titel voorstel",
    "date_received": "datum ontvangst Commissiedocument",
    "com_numbers": "nr. Commissiedocument",
    "eurlex": "link naar EUR-Lex",
    "impact_assessment": "nr. impact assessment en opinie RvR",
    "council_formation": "behandelingstraject Raad",
    "lead_ministry": "eerstverantwoordelijk ministerie",
    "legal_basis": "rechtsbasis",
    "decision_procedure": "besluitvormingsprocedure Raad",
    "parliament_role": "rol Europees Parlement",
    "essence": "essentie voorstel",
    "impact_assessment_summary": "impact assessment Commissie",
    "dutch_policy": "essentie Nederlands beleid",
    "assessment": "beoordeling + inzet",
    "force_field": "eerste inschatting van krachtenveld",
    "competence": "bevoegdheid",
    "subsidiarity": "subsidiariteit",
    "proportionality": "proportionaliteit",
    "financial": "financiële gevolgen",
    "regulatory_burden": "gevolgen voor regeldruk",
    "competitiveness": "gevolgen voor concurrentiekracht en geopolitieke aspecten",
    "national_regulation": "consequenties voor nationale regelgeving",
    "delegated_acts": "gedelegeerde en/of uitvoeringshandelingen",
    "implementation_deadline": "implementatietermijn",
    "evaluation_clause": "evaluatie-/horizonbepaling",
    "implementation": "implicaties voor uitvoering en/of handhaving",
    "developing_countries": "implicaties voor ontwikkelingslanden",
}

DOCUMENT_NUMBER = re.compile(
    r"\b(COM|JOIN|SWD|SEC|C)\s*\(\s*(\d{4})\s*\)\s*(\d{1,5})(\s+(?:final|def(?:initief)?\.?))?",
    re.IGNORECASE,
)
COUNCIL_NUMBER = re.compile(r"(?<![\d/])(\d{4,5}/\d{2}(?:\d{2})?)(?![\d/])")
FOOTNOTE_REF = re.compile(r"\[\^\w+\]")
URL = re.compile(r"https?://[^\s)\]>]+")
MARKDOWN_LINK = re.compile(r"\[((?:\\.|[^\]\\])*)\]\((https?://[^)\s]+)\)")
SENTENCE_END = re.compile(r"(?<=[\w)”’\"][.!?])[ \t]+(?=[A-ZÀ-Ý])")
_LIST_START = re.compile(r"^(?:[-+*>]|\d{1,3}[.)])(?=\s|$)|^(?:#|=|\||~~~|```)")
EURLEX_URL = "https://eur-lex.europa.eu/legal-content/NL/TXT/?uri={kind}:{year}:{number}:FIN"

VERDICT_SENTENCE = re.compile(
    r"^\s*(?:De\s+)?grondhouding(?:\s+van\s+het\s+kabinet)?(?:\s+ten\s+aanzien\s+van\s+de\s+\w+)?"
    r"\s+is\s+([^.]{1,60})\.\s*",
    re.IGNORECASE,
)
VERDICT_WORDS = (
    (
        re.compile(r"positief[,]? met (een )?(kanttekening|voorbehoud)", re.I),
        Verdict.POSITIVE_WITH_RESERVATIONS,
    ),
    (
        re.compile(r"nog niet (te )?(beoordelen|vast te stellen)|niet te beoordelen", re.I),
        Verdict.NOT_YET_ASSESSABLE,
    ),
    (re.compile(r"\bnegatief\b", re.I), Verdict.NEGATIVE),
    (re.compile(r"\bpositief\b", re.I), Verdict.POSITIVE),
)
STOCK_VERDICT = {
    Verdict.POSITIVE: "positief",
    Verdict.POSITIVE_WITH_RESERVATIONS: "positief met kanttekeningen",
    Verdict.NEGATIVE: "negatief",
    Verdict.NOT_YET_ASSESSABLE: "nog niet te beoordelen",
}


# Fiche text, so Dutch whatever the language of the messages.
PLACEHOLDER = "[INVULLEN: {what} (niet gevonden in de overgenomen fiche)]"
MARKER = (
    "[INVULLEN: overgenomen tekst onder '{label}', waarvoor de fiche geen veld heeft; "
    "verplaats of verwijder de tekst en daarna deze markering]"
)


@dataclass
class Notice:
    """A warning for the user about one imported fiche: what was guessed or kept aside."""

    message: str
    line: int = 0


@dataclass
class MappedFiche:
    """One fiche's fields, ready to be written as a positions file."""

    tree: dict[str, Any]
    notices: list[Notice] = field(default_factory=list)

    @property
    def title(self) -> str:
        return str(self.tree.get("title", ""))

    @property
    def com_numbers(self) -> list[str]:
        return list(self.tree.get("general", {}).get("com_numbers", []))


@dataclass
class _Bucket:
    blocks: list[Block] = field(default_factory=list)
    value: str = ""
    line: int = 0


def map_fiche(document: Document, metadata: dict[str, str] | None = None) -> MappedFiche:
    """The positions-file tree of one fiche's document (`document` holds that fiche only)."""
    mapper = _Mapper(document)
    return mapper.run(metadata or {})


class _Mapper:
    def __init__(self, document: Document):
        self.document = document
        self.buckets: dict[str, _Bucket] = {}
        self.extra: list[tuple[str, str, _Bucket]] = []  # (after field, label, text)
        self.notices: list[Notice] = [Notice(w) for w in document.warnings]
        self.title = ""
        self.section_headings: dict[str, str] = {}

    def note(self, message: str, line: int = 0) -> None:
        self.notices.append(Notice(message, line))

    # -- sorting blocks into fields ------------------------------------------------

    def sort(self) -> None:
        current: _Bucket | None = None
        preamble = _Bucket()
        section = ""
        last_field = ""
        pending = ""  # footnote references on a heading's label, for the text after it
        for block in self.document.blocks:
            heading = None
            if block.kind is Kind.HEADING:
                bare = FOOTNOTE_REF.sub("", block.text)
                heading = labels.recognise(bare, in_general=section in ("", "general"))
                if heading is not None:
                    pending += "".join(FOOTNOTE_REF.findall(block.text))
            if heading is None:
                if pending:
                    block = Block(_after_first_line(block.text, pending), block.kind, block.line)
                    pending = ""
                (current or preamble).blocks.append(block)
                if current is None and not preamble.line:
                    preamble.line = block.line
                continue
            if heading.kind == "fiche":
                self.title = heading.label
                current = None
                continue
            if heading.kind == "section":
                section = heading.key
                self.section_headings[section] = heading.label
                key = SECTION_DEFAULT.get(section, "")
                if not key and section not in ("general",):
                    current = self._aside(last_field, heading.label, block.line)
                    continue
                current = self._bucket(key, block.line) if key else None
                if key:
                    last_field = key
                continue
            key = heading.key
            if (key == "essence" and section == "summary") or (
                key == "dutch_position" and section in ("summary", "general")
            ):
                key = ""
            if key == "functional_test":
                current = (
                    None
                    if not heading.value
                    else self._aside(last_field, heading.label, block.line)
                )
            elif key == "council_date":
                current = self._bucket(key, block.line)
            elif key in TARGETS:
                current = self._bucket(key, block.line)
                last_field = key
            else:
                current = self._aside(last_field, heading.label, block.line)
            if current is not None and heading.value:
                current.blocks.append(Block(heading.value, Kind.PARAGRAPH, block.line))
        if preamble.blocks:
            self.extra.insert(0, ("", "tekst voor de eerste sectie", preamble))

    def _bucket(self, key: str, line: int) -> _Bucket:
        key = ALIASES.get(key, key)
        bucket = self.buckets.get(key)
        if bucket is None:
            bucket = self.buckets[key] = _Bucket(line=line)
        return bucket

    def _aside(self, after: str, label: str, line: int) -> _Bucket:
        bucket = _Bucket(line=line)
        self.extra.append((after, label, bucket))
        return bucket

    # -- building the tree ---------------------------------------------------------

    def run(self, metadata: dict[str, str]) -> MappedFiche:
        self.sort()
        known = sum(1 for key in self.buckets if key in ORDER)
        if known < 3:
            from fichegen.read.errors import not_a_fiche

            raise not_a_fiche(self.document.source)
        council_date = self.buckets.pop("council_date", None)
        if council_date is not None and "date_received" not in self.buckets:
            self.buckets["date_received"] = council_date
            self.note(_("no date of receipt; the date of the Council document is used"))
        elif council_date is not None:
            self.extra.append(("date_received", "Datum Raadsdocument", council_date))
        fiche_type = self.fiche_type()
        texts: dict[str, str] = {}
        for key, bucket in self.buckets.items():
            texts[key] = prose(bucket.blocks)
        # Text for which this type has no field joins the nearest field before it.
        for key in list(texts):
            if fiche_type is FicheType.COMMUNICATION and key in LEGISLATIVE_ONLY:
                bucket = self.buckets[key]
                self.extra.append((_previous(key, fiche_type), WHAT[key], bucket))
                del texts[key]
        for after, label, bucket in self.extra:
            text = prose(bucket.blocks)
            if not text.strip():
                continue
            target = after if after in ORDER and _applies(after, fiche_type) else ""
            target = target or _first_prose(fiche_type)
            target = _prose_target(target, fiche_type)
            marker = MARKER.format(label=label)
            texts[target] = (texts.get(target, "").rstrip() + f"\n\n{marker}\n{text}").strip()
            self.note(
                _(
                    "text under '{label}' has no field in the fiche; kept in '{field}' with a "
                    "marker"
                ).format(label=label, field=target),
                bucket.line,
            )
        tree: dict[str, Any] = {"type": fiche_type.value}
        tree["title"] = self.title or self._title_from(texts)
        tree["general"] = self.general(texts, fiche_type)
        tree["essence"] = self.text(texts, "essence")
        if fiche_type is FicheType.LEGISLATIVE and texts.get("impact_assessment_summary"):
            tree["impact_assessment_summary"] = texts["impact_assessment_summary"]
        tree["dutch_position"] = {
            key: self.text(texts, key) for key in ("dutch_policy", "assessment", "force_field")
        }
        grounds: dict[str, Any] = {}
        for key in ("competence", "subsidiarity", "proportionality"):
            grounds[key] = self.judgement(texts, key)
        grounds["financial"] = self.text(texts, "financial")
        grounds["regulatory_burden"] = self.text(texts, "regulatory_burden")
        if fiche_type is FicheType.LEGISLATIVE:
            grounds["competitiveness"] = self.text(texts, "competitiveness")
        tree["grounds"] = grounds
        if fiche_type is FicheType.LEGISLATIVE:
            tree["legal"] = {
                key: self.text(texts, key)
                for key in (
                    "national_regulation",
                    "delegated_acts",
                    "implementation_deadline",
                    "evaluation_clause",
                )
            }
            tree["implementation"] = self.text(texts, "implementation")
            tree["developing_countries"] = self.text(texts, "developing_countries")
        elif texts.get("developing_countries"):
            tree["developing_countries"] = texts["developing_countries"]
        self.recognise_items(tree, fiche_type)
        footnotes = {key: prose([Block(text)]) for key, text in self.document.footnotes.items()}
        if footnotes:
            tree["footnotes"] = footnotes
        publication = dict(metadata)
        if publication.get("number"):
            tree["kamerstuk"] = publication.pop("number")
        if publication:
            tree["publication"] = publication
        return MappedFiche(tree, self.notices)

    def recognise_items(self, tree: dict[str, Any], fiche_type: FicheType) -> None:
        """Actions (communication) or articles (legislative) where sections 2 and 3b name them."""
        from fichegen.read.actions import split_items

        kind = "action" if fiche_type is FicheType.COMMUNICATION else "article"
        split = split_items(tree["essence"], tree["dutch_position"]["assessment"], kind)
        if split is None:
            return
        tree["essence"] = split.essence
        tree["dutch_position"]["assessment"] = split.assessment
        items = []
        areas = []
        for area in split.areas:
            actions = []
            for item in area.items:
                action = {
                    "id": int(item.id),
                    "title": item.title,
                    "summary": item.summary,
                    "stance": item.stance,
                    "position": item.position,
                }
                actions.append(action)
                items.append(action)
            entry: dict[str, Any] = {"id": int(area.id), "title": area.title}
            if area.summary:
                entry["summary"] = area.summary
            if area.position:
                entry["position"] = area.position
            entry["actions"] = actions
            areas.append(entry)
        if fiche_type is FicheType.COMMUNICATION:
            tree["areas"] = areas
        else:
            tree["elements"] = items
        self.note(
            _(
                "{count} actions or articles recognised; check the stance of each "
                "(only plain support is recognised, the rest is no_position)"
            ).format(count=len(items))
        )

    def fiche_type(self) -> FicheType:
        score = 0
        for key in ("legal_basis", "decision_procedure", "parliament_role"):
            bucket = self.buckets.get(key)
            if bucket and not _not_applicable(prose(bucket.blocks)):
                score += 1
        for key in (
            "national_regulation",
            "delegated_acts",
            "implementation_deadline",
            "legal",
            "implementation",
            "impact_assessment_summary",
        ):
            if key in self.buckets:
                score += 2
        heading = self.section_headings.get("dutch_position", "").lower()
        if "mededeling" in heading or "aanbeveling" in heading:
            score -= 5
        elif "voorstel" in heading:
            score += 1
        title = (
            prose(self.buckets["proposal_title"].blocks) if "proposal_title" in self.buckets else ""
        )
        if re.match(r"\s*(Voorstel|Proposal)\b", title, re.I):
            score += 2
        elif re.match(
            r"\s*(Mededeling|Gezamenlijke mededeling|Communication|Aanbeveling)", title, re.I
        ):
            score -= 2
        return FicheType.LEGISLATIVE if score >= 2 else FicheType.COMMUNICATION

    def text(self, texts: dict[str, str], key: str) -> str:
        value = texts.get(key, "").strip()
        if value:
            return value
        line = self.buckets[key].line if key in self.buckets else 0
        self.note(
            _("'{what}' was not found in the source; a placeholder stands in its place").format(
                what=WHAT[key]
            ),
            line,
        )
        return PLACEHOLDER.format(what=WHAT[key])

    def judgement(self, texts: dict[str, str], key: str) -> dict[str, Any]:
        text = texts.get(key, "").strip()
        verdict, reasoning = split_verdict(text)
        if verdict is None:
            if text:
                self.note(
                    _(
                        "no grondhouding (positief, negatief, ...) found under '{what}'; "
                        "set to not_yet_assessable"
                    ).format(what=WHAT[key]),
                    self.buckets[key].line if key in self.buckets else 0,
                )
            verdict = Verdict.NOT_YET_ASSESSABLE
        if not reasoning.strip():
            reasoning = text or self.text({}, key)
        return {"verdict": verdict.value, "reasoning": reasoning}

    def general(self, texts: dict[str, str], fiche_type: FicheType) -> dict[str, Any]:
        general: dict[str, Any] = {}
        general["proposal_title"] = self.text(texts, "proposal_title")
        general["date_received"] = " ".join(self.text(texts, "date_received").split())
        numbers_text = texts.get("com_numbers", "")
        numbers = document_numbers(numbers_text)
        if not numbers:
            numbers = document_numbers(texts.get("proposal_title", ""))
        if numbers:
            rest = _without(numbers_text, numbers)
            if rest:
                # Words beside the numbers ('herziening van ...') are kept, marked, in 1e.
                marker = MARKER.format(label="Nr. Commissiedocument")
                texts["impact_assessment"] = (
                    f"{texts.get('impact_assessment', '').rstrip()}\n\n{marker}\n{numbers_text}"
                ).strip()
                self.note(
                    _(
                        "text beside the document numbers is kept in '{field}' with a marker: "
                        "{text!r}"
                    ).format(field="impact_assessment", text=rest)
                )
        elif numbers_text.strip():
            numbers = [_first_line(numbers_text)]
            self.note(
                _("no COM, JOIN, SWD or Council number recognised in {text!r}").format(
                    text=numbers_text.strip()
                )
            )
        else:
            numbers = [self.text(texts, "com_numbers")]
        general["com_numbers"] = numbers
        general["eurlex"] = self.eurlex(texts.get("eurlex", ""), numbers)
        for key in ("impact_assessment", "council_formation", "lead_ministry"):
            general[key] = self.text(texts, key)
        if fiche_type is FicheType.LEGISLATIVE:
            for key in ("legal_basis", "decision_procedure", "parliament_role"):
                general[key] = self.text(texts, key)
        return general

    def eurlex(self, text: str, numbers: list[str]) -> list[dict[str, str]]:
        links: list[dict[str, str]] = []
        for label, url in MARKDOWN_LINK.findall(text):
            shown = _unescape(label).strip()
            links.append({"url": url, "label": shown} if shown not in ("", url) else {"url": url})
        bare = MARKDOWN_LINK.sub("", text)
        for url in URL.findall(bare):
            links.append({"url": url.rstrip(".,;")})
        label = URL.sub("", bare).strip(" \n.;,")
        if not links:
            page = [url for url in self.document.links if "eur-lex" in url.lower()]
            for url in page:
                self.document.links.remove(url)
            links = [{"url": url} for url in page]
            if not links:
                for number in numbers:
                    match = DOCUMENT_NUMBER.match(number)
                    if match and match.group(1).upper() in ("COM", "JOIN"):
                        kind, year, serial = match.group(1).upper(), match.group(2), match.group(3)
                        links.append(
                            {"url": EURLEX_URL.format(kind=kind, year=year, number=serial)}
                        )
                if links:
                    self.note(_("no EUR-Lex link in the source; made from the document number"))
        if label and len(links) == 1 and "label" not in links[0] and not _not_applicable(label):
            links[0]["label"] = " ".join(label.split())
        elif label and not _not_applicable(label) and not links:
            self.note(_("EUR-Lex item without an address: {text!r}").format(text=label))
        if not links:
            links = [{"url": PLACEHOLDER.format(what=WHAT["eurlex"])}]
        return links

    def _title_from(self, texts: dict[str, str]) -> str:
        self.note(_("no 'Fiche: <title>' heading found; the title is taken from 'Titel voorstel'"))
        title = texts.get("proposal_title", "").split("\n")[0]
        return title[:120] or PLACEHOLDER.format(what="korte titel")


def _after_first_line(text: str, refs: str) -> str:
    """A label's footnote references after the first sentence of the value below it."""
    match = SENTENCE_END.search(text)
    if match is None:
        return text.rstrip() + refs
    return text[: match.start()] + refs + text[match.start() :]


def _previous(key: str, fiche_type: FicheType) -> str:
    index = ORDER.index(key)
    for candidate in reversed(ORDER[:index]):
        if _applies(candidate, fiche_type):
            return candidate
    return ""


def _applies(key: str, fiche_type: FicheType) -> bool:
    return fiche_type is FicheType.LEGISLATIVE or key not in LEGISLATIVE_ONLY


def _first_prose(fiche_type: FicheType) -> str:
    return "essence"


def _prose_target(key: str, fiche_type: FicheType) -> str:
    """Fields that are no free prose (numbers, links, dates) pass extra text on to the next."""
    if key in ("com_numbers", "eurlex", "date_received"):
        return "impact_assessment"
    return key


def split_verdict(text: str) -> tuple[Verdict | None, str]:
    """The grondhouding in a text and the text without its stock sentence."""
    match = VERDICT_SENTENCE.match(text)
    if match:
        phrase = match.group(1).strip()
        verdict = _verdict_of(phrase)
        if verdict is not None:
            rest = text[match.end() :].lstrip()
            if phrase.lower() == STOCK_VERDICT[verdict]:
                return verdict, rest
            return verdict, text
    first = re.split(r"(?<=[.!?])\s|\n", text.strip(), maxsplit=1)
    head = first[0] if first else ""
    verdict = _verdict_of(head[:200])
    if verdict is not None and len(head) < 40:
        return verdict, first[1].strip() if len(first) > 1 else ""  # 'Positief.' as in 2007
    if verdict is None:
        verdict = _verdict_of(text[:300])
    return verdict, text


def _verdict_of(text: str) -> Verdict | None:
    for pattern, verdict in VERDICT_WORDS:
        if pattern.search(text):
            return verdict
    return None


def document_numbers(text: str) -> list[str]:
    """COM, JOIN, SWD and Council document numbers in a text, in order, each once."""
    found: list[tuple[int, str]] = []
    plain = MARKDOWN_LINK.sub(r"\1", text)
    for match in DOCUMENT_NUMBER.finditer(plain):
        kind, year, serial, final = match.groups()
        number = f"{kind.upper()}({year}) {serial}"
        if final:
            number += " " + final.strip()
        found.append((match.start(), number))
    for match in COUNCIL_NUMBER.finditer(plain):
        found.append((match.start(), match.group(1)))
    numbers: list[str] = []
    rank = {"COM": 0, "JOIN": 0, "SWD": 1, "SEC": 1, "C": 1}
    found.sort(key=lambda entry: (rank.get(entry[1].split("(")[0], 2), entry[0]))
    for _position, number in found:
        if number not in numbers:
            numbers.append(number)
    return numbers


def _without(text: str, numbers: list[str]) -> str:
    rest = DOCUMENT_NUMBER.sub("", MARKDOWN_LINK.sub(r"\1", text))
    rest = COUNCIL_NUMBER.sub("", rest)
    rest = re.sub(r"[,;.:&()\-–/\\]", " ", rest)
    words = [word for word in rest.split() if word.lower() not in _NUMBER_WORDS]
    return " ".join(words)


# Words that stand beside document numbers without saying anything of their own.
_NUMBER_WORDS = {
    "en", "and", "final", "def", "definitief", "nr", "nrs", "nummer", "nummers", "zie", "ook",
    "raadsdocument", "raadsdocumenten", "commissiedocument", "commissiedocumenten", "document",
    "documenten", "bijlage", "bijlagen", "annex", "annexes", "st", "com", "join", "swd",
    "sec", "met", "de", "het", "inclusief", "plus",
}  # fmt: skip


def _not_applicable(text: str) -> bool:
    return bool(re.match(r"^\s*(n\.?v\.?t\.?|niet van toepassing|geen|-)\s*\.?\s*$", text, re.I))


def _first_line(text: str) -> str:
    return " ".join(text.strip().split("\n\n")[0].split())


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def prose(blocks: list[Block]) -> str:
    """Blocks as Markdown prose: one sentence a line, a blank line between paragraphs."""
    parts: list[str] = []
    previous: Kind | None = None
    for block in blocks:
        text = " ".join(block.text.split())
        if not text:
            continue
        if block.kind is Kind.ITEM:
            item = "- " + "\n  ".join(_sentences(text))
            if previous is Kind.ITEM:
                parts[-1] += "\n" + item
            else:
                parts.append(item)
        else:
            parts.append("\n".join(_sentences(text)))
        previous = block.kind
    return "\n\n".join(parts)


def _sentences(text: str) -> list[str]:
    lines = SENTENCE_END.split(text)
    return [("\\" + line) if _LIST_START.match(line) else line for line in lines]
