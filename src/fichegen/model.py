"""The fiche as plain typed data: no I/O, no YAML, no templates.

The dataclasses below are the single definition of a positions file. The
validator walks them to turn YAML into a `Fiche`, the JSON Schema and the
skeleton of `fichegen new` are generated from them, and every field's `doc`
is the Dutch help text an editor shows. Add a field here and all of those
follow.

No `from __future__ import annotations` here, unlike elsewhere: the
validator reads these annotations with `typing.get_type_hints`, and as real
objects they cost nothing at first use, as strings they are compiled and
evaluated again (6 ms). A forward reference must therefore be quoted.
"""

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Any, NewType

Markdown = NewType("Markdown", str)
"""Prose in Markdown: emphasis, lists, links and footnote references `[^key]`."""

FOOTNOTE_REF = re.compile(r"(?=[\\\[])((?<!\\)(?:\\\\)*)\[\^([^\]\s\[]+)\]")
"""A footnote reference `[^key]` (key in group 2); an escaped `\\[^key]` is text.

Linear in the text: a key stops at the first bracket or space, and a run of
backslashes is only tried from its start. The leading lookahead lets the engine
pass over ordinary characters at once (4x faster on a fiche's texts).
"""

Id = NewType("Id", str)
"""A stable identifier: a number or a short name (letters, digits, `.`, `_`, `-`)."""


class FicheType(str, Enum):
    COMMUNICATION = "communication"
    LEGISLATIVE = "legislative"


class Status(str, Enum):
    DRAFT = "draft"
    FINAL = "final"


class Stance(str, Enum):
    """The cabinet's verdict on one action or element."""

    SUPPORT = "support"
    SUPPORT_WITH_CONDITIONS = "support_with_conditions"
    CRITICAL = "critical"
    OPPOSE = "oppose"
    NO_POSITION = "no_position"


class Verdict(str, Enum):
    """The grondhouding on competence, subsidiarity or proportionality."""

    POSITIVE = "positive"
    POSITIVE_WITH_RESERVATIONS = "positive_with_reservations"
    NEGATIVE = "negative"
    NOT_YET_ASSESSABLE = "not_yet_assessable"


class Annex(str, Enum):
    """An annex that can follow the fiche."""

    STANCE_OVERVIEW = "stance_overview"


COMMUNICATION = frozenset({FicheType.COMMUNICATION})
LEGISLATIVE = frozenset({FicheType.LEGISLATIVE})


def spec(
    doc: str,
    *,
    default: Any = dataclasses.MISSING,
    only: frozenset[FicheType] | None = None,
    required_for: frozenset[FicheType] = frozenset(),
) -> Any:
    """A field with its Dutch help text.

    A field without a default is required wherever it applies; `only` limits
    a field to some fiche types, and `required_for` makes a field that has a
    default required in a fiche of those types (section 5 of a legislative
    fiche is required there and absent elsewhere).
    """
    metadata = {"doc": doc, "only": only, "required_for": required_for}
    if isinstance(default, list | dict):
        factory = type(default)
        return dataclasses.field(default_factory=factory, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


@dataclass(frozen=True)
class Link:
    url: str = spec("Het webadres, beginnend met https://.")
    label: str = spec("De tekst van de link; leeg laten om het adres te tonen.", default="")


@dataclass(frozen=True)
class General:
    """Section 1, Algemene gegevens."""

    proposal_title: Markdown = spec(
        "a) De volledige titel van het Commissiedocument, zoals in het document zelf; "
        "bij meerdere documenten elke titel op een eigen regel."
    )
    date_received: str = spec(
        "b) Datum waarop het Commissiedocument is ontvangen, bijvoorbeeld '4 december 2025'."
    )
    com_numbers: list[str] = spec(
        "c) Nummer(s) van het Commissiedocument, bijvoorbeeld 'COM(2025) 744'."
    )
    eurlex: list[Link] = spec("d) Link(s) naar het document op EUR-Lex.")
    impact_assessment: Markdown = spec(
        "e) Nummer van de impact assessment en de opinie van de Raad voor "
        "Regelgevingstoetsing, of 'Niet opgesteld.' met een toelichting in een voetnoot."
    )
    council_formation: Markdown = spec(
        "f) De Raadsformatie die het voorstel behandelt, bijvoorbeeld "
        "'Raad Justitie en Binnenlandse Zaken'."
    )
    lead_ministry: Markdown = spec(
        "g) Het eerstverantwoordelijke ministerie, eventueel 'in nauwe samenwerking met' "
        "andere ministeries."
    )
    legal_basis: Markdown | None = spec(
        "h) De rechtsbasis van het voorstel, bijvoorbeeld 'Artikel 114 VWEU'.",
        default=None,
        only=LEGISLATIVE,
        required_for=LEGISLATIVE,
    )
    decision_procedure: Markdown | None = spec(
        "i) Besluitvormingsprocedure in de Raad, bijvoorbeeld 'Gekwalificeerde meerderheid'.",
        default=None,
        only=LEGISLATIVE,
        required_for=LEGISLATIVE,
    )
    parliament_role: Markdown | None = spec(
        "j) Rol van het Europees Parlement, bijvoorbeeld 'Medebeslissing'.",
        default=None,
        only=LEGISLATIVE,
        required_for=LEGISLATIVE,
    )


@dataclass(frozen=True)
class Action:
    """One action of a communication, or one element (article, part) of a legislative proposal.

    `summary` feeds section 2 (what the Commission proposes) and the stance
    fields feed section 3b (what the cabinet thinks of it).
    """

    id: Id = spec("Vast kenmerk van de actie, meestal het nummer uit het Commissiedocument.")
    title: str = spec("Korte titel van de actie, voor het overzicht en de verschillenlijst.")
    summary: Markdown = spec(
        "Wat de Commissie voorstelt, in eigen woorden (komt in sectie 2, Essentie voorstel)."
    )
    stance: Stance = spec(
        "Het oordeel van het kabinet: support (steun), support_with_conditions (steun onder "
        "voorwaarden), critical (kritisch), oppose (afwijzend) of no_position (nog geen positie). "
        "De Nederlandse term tussen haakjes mag ook."
    )
    conditions: list[Markdown] = spec(
        "De voorwaarden waaronder het kabinet steunt; verplicht bij support_with_conditions.",
        default=[],
    )
    concerns: list[Markdown] = spec(
        "De bezwaren of zorgen van het kabinet; verplicht bij critical en oppose.", default=[]
    )
    position: Markdown | None = spec(
        "De tekst van de kabinetspositie (sectie 3b). Leeg laten om een zin te laten maken "
        "uit het oordeel, de voorwaarden en de zorgen.",
        default=None,
    )
    meta: dict[str, str] = spec(
        "Overige gegevens uit het Commissiedocument, zoals prioriteit, tijdschema en "
        "verantwoordelijke organen. Worden niet in de fiche opgenomen.",
        default={},
    )
    internal_notes: Markdown | None = spec(
        "Interne notitie bij deze actie, bijvoorbeeld onderhandelingsruimte. Komt nooit in "
        "de versie voor het parlement.",
        default=None,
    )


@dataclass(frozen=True)
class Area:
    """A thematic area of a communication, grouping its actions."""

    id: Id = spec("Vast kenmerk van het gebied, bijvoorbeeld '1' of 'routes'.")
    title: str = spec("Titel van het gebied zoals de Commissie het noemt.")
    actions: list[Action] = spec("De acties in dit gebied, in de volgorde van de Commissie.")
    summary: Markdown | None = spec(
        "Inleiding op het gebied in sectie 2, voor de samenvattingen van de acties.", default=None
    )
    position: Markdown | None = spec(
        "Inleiding op het gebied in sectie 3b, voor de posities per actie.", default=None
    )
    internal_notes: Markdown | None = spec(
        "Interne notitie bij dit gebied. Komt nooit in de versie voor het parlement.", default=None
    )


@dataclass(frozen=True)
class DutchPosition:
    """Section 3, Nederlandse positie."""

    dutch_policy: Markdown = spec("a) Essentie van het Nederlandse beleid op dit terrein.")
    assessment: Markdown = spec(
        "b) Beoordeling en inzet: de algemene lijn van het kabinet. De posities per actie "
        "volgen hierna vanzelf uit de acties."
    )
    force_field: Markdown = spec(
        "c) Eerste inschatting van het krachtenveld: andere lidstaten, het Europees Parlement."
    )


@dataclass(frozen=True)
class Judgement:
    """A grondhouding (verdict) with its reasoning."""

    verdict: Verdict = spec(
        "De grondhouding: positive (positief), positive_with_reservations (positief met "
        "kanttekeningen), negative (negatief) of not_yet_assessable (nog niet te beoordelen). "
        "De Nederlandse term tussen haakjes mag ook."
    )
    reasoning: Markdown = spec("De onderbouwing van de grondhouding.")


@dataclass(frozen=True)
class Grounds:
    """Section 4, grondhouding on competence, subsidiarity and proportionality, and consequences."""

    competence: Judgement = spec("a) Bevoegdheid: heeft de EU de bevoegdheid, op welke grond?")
    subsidiarity: Judgement = spec(
        "b) Subsidiariteit: kan het doel beter op EU-niveau worden bereikt?"
    )
    proportionality: Judgement = spec(
        "c) Proportionaliteit: is het optreden geschikt en gaat het niet verder dan nodig?"
    )
    financial: Markdown = spec(
        "d) Financiële gevolgen voor de EU-begroting en de nationale begroting, met de "
        "standaardtekst over budgetdiscipline."
    )
    regulatory_burden: Markdown = spec(
        "e) Gevolgen voor regeldruk (bij mededelingen ook concurrentiekracht en geopolitieke "
        "aspecten; bij wetgeving: regeldruk en administratieve lasten)."
    )
    competitiveness: Markdown | None = spec(
        "f) Gevolgen voor concurrentiekracht en geopolitieke aspecten.",
        default=None,
        only=LEGISLATIVE,
        required_for=LEGISLATIVE,
    )


@dataclass(frozen=True)
class LegalImplications:
    """Section 5 of a legislative fiche, Implicaties juridisch."""

    national_regulation: Markdown = spec(
        "a) Consequenties voor nationale en decentrale regelgeving en/of sanctionering "
        "beleid (inclusief toepassing van de lex silencio positivo)."
    )
    delegated_acts: Markdown = spec("b) Gedelegeerde en/of uitvoeringshandelingen.")
    implementation_deadline: Markdown = spec(
        "c) Voorgestelde implementatietermijn of datum van inwerkingtreding, met commentaar "
        "over de haalbaarheid."
    )
    evaluation_clause: Markdown = spec("d) Wenselijkheid van een evaluatie- of horizonbepaling.")


@dataclass(frozen=True)
class SectionNotes:
    """Internal notes per section, each shown beside the text it concerns (audience internal).

    One optional note per section key; like every `internal_*` field they
    never reach the version for parliament.
    """

    general: Markdown | None = spec("Interne notitie bij 1. Algemene gegevens.", default=None)
    essence: Markdown | None = spec("Interne notitie bij 2. Essentie voorstel.", default=None)
    impact_assessment_summary: Markdown | None = spec(
        "Interne notitie bij 2b) Impact assessment Commissie.", default=None, only=LEGISLATIVE
    )
    dutch_policy: Markdown | None = spec(
        "Interne notitie bij 3a) Essentie Nederlands beleid.", default=None
    )
    assessment: Markdown | None = spec(
        "Interne notitie bij 3b) Beoordeling + inzet, bijvoorbeeld welk ministerie nog "
        "bezwaar heeft.",
        default=None,
    )
    force_field: Markdown | None = spec(
        "Interne notitie bij 3c) Krachtenveld, bijvoorbeeld onderhandelingsruimte.", default=None
    )
    competence: Markdown | None = spec("Interne notitie bij 4a) Bevoegdheid.", default=None)
    subsidiarity: Markdown | None = spec("Interne notitie bij 4b) Subsidiariteit.", default=None)
    proportionality: Markdown | None = spec(
        "Interne notitie bij 4c) Proportionaliteit.", default=None
    )
    financial: Markdown | None = spec("Interne notitie bij 4d) Financiële gevolgen.", default=None)
    regulatory_burden: Markdown | None = spec(
        "Interne notitie bij 4e) Gevolgen voor regeldruk.", default=None
    )
    competitiveness: Markdown | None = spec(
        "Interne notitie bij 4f) Concurrentiekracht en geopolitieke aspecten.",
        default=None,
        only=LEGISLATIVE,
    )
    legal: Markdown | None = spec(
        "Interne notitie bij 5. Implicaties juridisch.", default=None, only=LEGISLATIVE
    )
    implementation: Markdown | None = spec(
        "Interne notitie bij 6. Implicaties voor uitvoering en/of handhaving.",
        default=None,
        only=LEGISLATIVE,
    )
    developing_countries: Markdown | None = spec(
        "Interne notitie bij Implicaties voor ontwikkelingslanden.", default=None
    )


@dataclass(frozen=True)
class Publication:
    """The covering letter with which the fiche went to parliament (for an imported fiche)."""

    letter: str = spec(
        "Het Kamerstuknummer van de aanbiedingsbrief, bijvoorbeeld '22 112, nr. 4120'.",
        default="",
    )
    letter_date: str = spec("De datum van de aanbiedingsbrief.", default="")
    minister: str = spec("De minister die de aanbiedingsbrief ondertekende.", default="")


@dataclass(frozen=True)
class ReviewReply:
    """An answer to a co-reader's comment, as `fichegen absorb` found it in Word."""

    author: str = spec("Wie antwoordde.")
    text: Markdown = spec("Het antwoord.")
    date: str = spec("Wanneer (datum en tijd uit Word).", default="")


@dataclass(frozen=True)
class ReviewNote:
    """A co-reader's Word comment, kept by `fichegen absorb`; never in the public fiche."""

    author: str = spec("Wie de opmerking maakte.")
    text: Markdown = spec("De opmerking.")
    date: str = spec("Wanneer (datum en tijd uit Word).", default="")
    field: str = spec("Het veld van de fiche waar de opmerking bij staat.", default="")
    quote: str = spec("De tekst in Word waar de opmerking bij staat.", default="")
    replies: list[ReviewReply] = spec("Antwoorden op de opmerking.", default=[])


@dataclass(frozen=True)
class Fiche:
    """A BNC fiche: the cabinet's first assessment of a Commission document."""

    type: FicheType = spec(
        "Soort fiche: communication (mededeling of aanbeveling) of legislative "
        "(wet- en regelgeving)."
    )
    title: str = spec("Korte titel; de fiche heet 'Fiche: <titel>'.")
    general: General = spec("1. Algemene gegevens.")
    essence: Markdown = spec(
        "2. Essentie voorstel: inleiding. De samenvattingen van de acties volgen hierna vanzelf."
    )
    dutch_position: DutchPosition = spec("3. Nederlandse positie.")
    grounds: Grounds = spec(
        "4. Grondhouding ten aanzien van bevoegdheid, subsidiariteit, proportionaliteit, "
        "financiële gevolgen en gevolgen voor regeldruk."
    )
    status: Status = spec(
        "draft (concept) of final (klaar voor de ministerraad); een definitieve fiche mag "
        "geen open plekken of acties zonder positie hebben.",
        default=Status.DRAFT,
    )
    kamerstuk: str | None = spec(
        "Het Kamerstuknummer van de fiche zodra het bekend is, bijvoorbeeld '22 112, nr. 4321'; "
        "de aanbiedingsbrief (fichegen letter) noemt het.",
        default=None,
    )
    areas: list[Area] = spec(
        "De gebieden van de mededeling met hun acties.", default=[], only=COMMUNICATION
    )
    elements: list[Action] = spec(
        "De onderdelen van het wetsvoorstel (artikelen, onderwerpen) met het oordeel van het "
        "kabinet per onderdeel.",
        default=[],
        only=LEGISLATIVE,
    )
    impact_assessment_summary: Markdown | None = spec(
        "2b) Samenvatting van de impact assessment van de Commissie.",
        default=None,
        only=LEGISLATIVE,
    )
    legal: LegalImplications | None = spec(
        "5. Implicaties juridisch.", default=None, only=LEGISLATIVE, required_for=LEGISLATIVE
    )
    implementation: Markdown | None = spec(
        "6. Implicaties voor uitvoering en/of handhaving.",
        default=None,
        only=LEGISLATIVE,
        required_for=LEGISLATIVE,
    )
    developing_countries: Markdown | None = spec(
        "Implicaties voor ontwikkelingslanden (sectie 7 bij wetgeving; bij mededelingen "
        "een optionele sectie 5).",
        default=None,
        required_for=LEGISLATIVE,
    )
    footnotes: dict[str, Markdown] = spec(
        "Voetnoten per sleutel; verwijs ernaar in elke tekst met [^sleutel].", default={}
    )
    annex: list[Annex] = spec(
        "Bijlagen achter de fiche; 'stance_overview' geeft een tabel met het oordeel per actie.",
        default=[],
    )
    internal_notes: Markdown | None = spec(
        "Interne notitie bij de hele fiche. Komt nooit in de versie voor het parlement.",
        default=None,
    )
    publication: Publication | None = spec(
        "De aanbiedingsbrief waarmee de fiche naar de Kamer ging (bij een overgenomen fiche): "
        "Kamerstuknummer van de brief, datum en minister. Komen niet in de fiche zelf.",
        default=None,
    )
    internal_section_notes: SectionNotes | None = spec(
        "Interne notities per sectie, bijvoorbeeld 'assessment: ...' of 'subsidiarity: ...'. "
        "Komen nooit in de versie voor het parlement.",
        default=None,
    )

    internal_review_notes: list[ReviewNote] = spec(
        "Opmerkingen van meelezers uit Word (fichegen absorb). Komen nooit in de versie "
        "voor het parlement.",
        default=[],
    )

    def iter_actions(self) -> Iterator[Action]:
        """Every stance-bearing item: the actions of all areas, or the elements."""
        for area in self.areas:
            yield from area.actions
        yield from self.elements

    @property
    def com_number(self) -> str:
        return ", ".join(self.general.com_numbers)


def applies(field: dataclasses.Field[Any], fiche_type: FicheType | None) -> bool:
    """Whether a field belongs in a fiche of the given type (unknown type: every field does)."""
    only = field.metadata.get("only")
    return only is None or fiche_type is None or fiche_type in only


def is_required(field: dataclasses.Field[Any], fiche_type: FicheType | None) -> bool:
    """Whether a fiche of the given type must have this field."""
    if not applies(field, fiche_type):
        return False
    if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
        return True
    return fiche_type in field.metadata.get("required_for", frozenset())
