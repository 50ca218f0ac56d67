"""Importing the Commission's action list: the annex's PDF text, CSV and YAML, and bad input.

The ground truth for the PDF-text reader is the annex of the EU drugs action
plan 2021-2025 in tests/data/; the expected texts below were read off
that file by hand, undoing the page breaks, footnotes and flattened columns.
Bad inputs are files in tests/importers/ beside the exact error output
(`invalid-*.expected`); FICHEGEN_REGENERATE=1 rewrites those.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fichegen.errors import InputError
from fichegen.importers import import_actions
from fichegen.importers.pdftext import parse_pdftext
from fichegen.importers.tabular import SUMMARY_TO_WRITE, TITLE_LIMIT, build_areas, make_title
from fichegen.model import Action, Area, Stance

FIXTURES = Path(__file__).parent / "importers"
DATA = Path(__file__).parent / "data"
ANNEX = DATA / "bijlage-eu-actieplan-drugs-2021-2025.txt"
REGENERATE = bool(os.environ.get("FICHEGEN_REGENERATE"))


def by_id(areas: list[Area]) -> dict[str, Action]:
    return {action.id: action for area in areas for action in area.actions}


def import_text(tmp_path: Path, text: str, name: str = "bijlage.txt") -> list[Area]:
    path = tmp_path / name
    text = textwrap.dedent(text).replace("<separator>", " " * 60)  # dedent empties it
    path.write_text(text, encoding="utf-8")
    return import_actions(path)


def error_of(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        import_actions(path)
    return str(caught.value).replace(str(path), path.name)


# --------------------------------------------------------------------------- the annex


@pytest.fixture(scope="module")
def annex() -> list[Area]:
    return import_actions(ANNEX)


POLICY_A = "A) MEER VEILIGHEID – DE DRUGSMARKTEN ONTWRICHTEN"

ANNEX_SUMMARIES = {
    # priority 1; footnote markers after 'Socta' and 'EWDD'
    "1": "Verdere versterking: i) van de EU-beleidscyclus voor georganiseerde en zware "
    "internationale criminaliteit (Empact) op basis van de Empact-evaluatie 2020 en rekening "
    "houdend met de Socta 2021, ii) van de bevindingen en aanbevelingen als opgenomen in de "
    "jaarlijkse Europese drugsverslagen van het EWDD en het rapport van het EWDD en Europol "
    "over de drugsmarkten in de EU, iii) rekening houdend met de lessen die zijn getrokken "
    "uit de impact van de COVID-19-pandemie op de drugsmarkten. Opvoeren van de coördinatie "
    "en samenwerking om tot meer tastbare onderzoeksresultaten te komen, onder meer via "
    "Empact, opvoeren van de uitwisseling van informatie over drugsgerelateerde "
    "misdaadorganisaties, zowel intern als internationaal, en intensiveren van het gebruik "
    "van de applicatie voor veilige informatie-uitwisseling (Secure Information Exchange "
    "Network Application – Siena).",
    # crosses a page: the text goes on after the footnotes, with a body on the same line
    "2": "Versterking van de uitwisseling en de analyse van informatie over de relatie tussen "
    "criminaliteit die verband houdt met de drugsmarkten (productie, handel en distributie) "
    "en i) andere vormen van zware criminaliteit, waaronder mensenhandel, migrantensmokkel, "
    "illegale handel in vuurwapens en terrorisme, ii) het faciliteren van drugsgerelateerde "
    "zware criminaliteit, zoals geweld/moord, corruptie en witwaspraktijken.",
    # 'financiële-' + 'inlichtingeneenheden' keeps its hyphen
    "4": "Ervoor zorgen dat de lidstaten de rechtshandhavingsinstanties snel toegang geven tot "
    "de financiële informatie die deze instanties nodig hebben om doeltreffende financiële "
    "onderzoeken naar drugsgerelateerde misdaadorganisaties uit te voeren, onder meer door: "
    "i) optimaal gebruik te maken van de informatie waarover de "
    "financiële-inlichtingeneenheden (FIE’s) beschikken overeenkomstig de in Richtlijn (EU) "
    "2019/1153 vastgestelde voorwaarden (richtlijn betreffende het gebruik van financiële "
    "informatie), ii) doeltreffender gebruik te maken van de informatie die door de bureaus "
    "voor de ontneming van vermogensbestanddelen is verzameld om met de drugshandel verband "
    "houdende winsten te identificeren en te traceren met het oog op eventuele bevriezing en "
    "confiscatie. Meer opleiding geven aan rechtshandhavers en gerechtelijke rechercheurs en "
    "aan de lokale en regionale eenheden die gespecialiseerd zijn in de inbeslagneming van "
    "crimineel vermogen.",
    # the text goes on after the cells, on a new page
    "5": "De samenwerking intensiveren en betere contacten leggen tussen de belasting- en "
    "douaneautoriteiten en de rechtshandhavers om i) het onderzoek te verbeteren, ii) op "
    "handel gebaseerde witwasactiviteiten op te sporen, iii) criminele activiteiten te "
    "ontwrichten en iv) te beletten dat de op drugsmarkten gemaakte winst wordt ingezet voor "
    "de bevordering van criminele activiteiten of in de legale economie. De lidstaten worden "
    "aangemoedigd om meer expertise te verwerven en meer middelen beschikbaar te stellen op "
    "het gebied van alternatieve bank- en geldovermakingssystemen die worden gebruikt door "
    "drugsgerelateerde misdaadorganisaties (zoals Hawala).",
    "9": "Ervoor zorgen dat wereldwijd relevante EU-programma’s voor samenwerking inzake drugs "
    "worden uitgevoerd met derde landen en regio’s. De gezamenlijke strategische en "
    "operationele analyse intensiveren door middel van i) de medewerking van relevante "
    "EU-agentschappen zoals het EWDD en Europol en ii) regelmatige en tijdige rapportage van "
    "relevante en operationele informatie tussen de samenwerkingsprogramma’s en deze "
    "EU-agentschappen.",
    # priority 2; 'douane-' + 'informatie'
    "13": "Verbeteren van de gestructureerde coördinatie en samenwerking tussen de douane en "
    "Frontex, Europol en het EWDD, alsook van de uitwisseling van douane-informatie die "
    "interoperabel en combineerbaar is met de informatie van de instanties voor "
    "rechtshandhaving en grenstoezicht. Het aantal douanedeskundigen binnen Europol verhogen "
    "en de capaciteit van de Frontex-grenswachten voor het opsporen van drugshandel aan de "
    "EU-grenzen versterken.",
    # a body after 'EU. ' on the last line of text
    "16": "Binnen Europol een gezamenlijk platform voor de verzameling van inlichtingen op het "
    "gebied van drugs oprichten waarin vertegenwoordigers van de lidstaten zitting hebben en "
    "dat contactpunten met een beveiligde informatie-uitwisselingscapaciteit heeft in derde "
    "landen en regio’s die als draaischijf voor de drugshandel fungeren. Zorgen voor realtime "
    "uitwisseling van inlichtingen, analyse en ondersteuning bij operaties voor het aanpakken "
    "van internationale misdaadorganisaties die actief zijn in de drugshandel en een impact "
    "hebben in de EU.",
    # priority 3; footnote markers right before '.'
    "18": "De marktplaatsen voor drugs op het internet en het dark web monitoren door de "
    "voorbereidende actie uit te voeren die het Europees Parlement heeft voorgesteld in "
    "verband met permanente monitoring van het dark web – met het oog op volledige "
    "resultaten. De capaciteit van het EWDD en Europol op dit gebied versterken.",
    "19": "Analyseren hoe post- en koerierdiensten op een operationeel haalbare manier de "
    "distributie van illegale stoffen via postzendingen kunnen opsporen en voorkomen. "
    "Memoranda van overeenstemming sluiten om de samenwerking tussen "
    "rechtshandhavingsinstanties, douanediensten, post- en koerierdiensten en aanbieders van "
    "elektronische betalingsdiensten te versterken.",
    # two footnotes, some of them two lines long, between the parts of the text
    "20": "Stimuleren van de ontwikkeling, het gebruik en de uitwisseling van beste praktijken "
    "en apparatuur tussen de lidstaten op het gebied van monitoring van verdachte "
    "postzendingen met behulp van oplossingen zoals speurhonden en/of röntgenapparatuur. Met "
    "name de rol van nieuwe technologieën – in het bijzonder kunstmatige intelligentie – moet "
    "worden onderzocht.",
    # priority 4
    "22": "Met betrekking tot de bestrijding van milieucriminaliteit als gevolg van de "
    "drugsproductie en -handel: een impuls geven aan de operationele activiteiten van de "
    "rechtshandhavingsinstanties en hun samenwerking met de administratieve autoriteiten en "
    "andere relevante partijen. Opsporingstechnologie, informatie-uitwisseling en "
    "gecoördineerd onderzoek ontwikkelen door, ter ondersteuning van de lidstaten, de "
    "relevante EU-agentschappen bij deze activiteiten te betrekken.",
    "25": "Overwegen een studie uit te voeren naar de doeltreffendheid van Kaderbesluit "
    "2004/757/JBZ van de Raad van 25 oktober 2004 betreffende de vaststelling van "
    "minimumvoorschriften met betrekking tot de bestanddelen van strafbare feiten en met "
    "betrekking tot straffen op het gebied van de illegale drugshandel, met als doel dit "
    "besluit te wijzigen waar het achterhaald is en te versterken waar het nodig is.",
    # priority 5; code, timeframe and body on the action's first line
    "29": "De op het EWDD-portaal voor beste praktijken beschikbare informatie over "
    "preventiemodellen en andere praktische en betrouwbare informatie op het gebied van "
    "preventie uitbreiden en de ruimere vaststelling van doeltreffend gebleken "
    "preventieprogramma’s stimuleren.",
    # priority 6; a body name over two lines
    "32": "Ontwikkelen en verbeteren van de toegang tot doeltreffende diensten voor "
    "behandeling, schadebeperking en rehabilitatie, met inbegrip van diensten voor mensen met "
    "comorbiditeit, met het oog op het terugdringen van i) het gebruik van drugs en nieuwe "
    "psychoactieve stoffen (NPS), ii) problematisch drugsgebruik, iii) de prevalentie van "
    "drugsverslaving en drugsgerelateerde gezondheids- en sociale risico's en schade, en iv) "
    "met het oog op de ondersteuning van het herstel en de sociale (re-)integratie van "
    "problematische en verslaafde drugsgebruikers.",
    "37": "Voortzetting en verdere ontwikkeling van de toepassing van de "
    "EU-minimumkwaliteitsnormen die de Raad in 2015 heeft vastgesteld, en van empirisch "
    "onderbouwde richtsnoeren in het kader van het nationale drugsbeleid en de nationale "
    "drugsprogramma’s.",
    # priority 7; 'niet-' + 'fatale'
    "43": "Maatregelen invoeren en aanscherpen om het aantal gevallen van fatale en "
    "niet-fatale overdoses te verminderen. Onder meer de beschikbaarheid, het gebruik en de "
    "toegankelijkheid van opiaatantagonisten (naloxon) en andere schadebeperkings- en "
    "beleidsmaatregelen op gemeenschapsniveau verbeteren, en de evaluatie van doeltreffende "
    "benaderingen en de uitwisseling van beste praktijken op dit gebied ondersteunen.",
    # priority 8
    "45": "Richtsnoeren voor de lidstaten beschikbaar stellen om de ontwikkeling van een "
    "evenwichtige en brede beleidsreactie op het drugsgebruik in gevangenissen te "
    "vergemakkelijken.",
    # governance: the text goes on after the timeframe and the first body
    "48": "Krachtiger reageren en beter voorbereid zijn op toekomstige uitdagingen door lessen "
    "te trekken uit de COVID-19-pandemie en door te monitoren welke gevolgen deze op de "
    "korte, middellange en lange termijn heeft voor de dienstverlening, de drugsmarkten, de "
    "gebruikspatronen en de daarmee verbonden schadelijke gevolgen.",
    "49": "Bevorderen en versterken van de dialoog met en de betrokkenheid van het "
    "maatschappelijk middenveld bij het uitvoeren en evalueren van het drugsbeleid op "
    "lidstaat-, EU- en internationaal niveau en bij het verstrekken van input voor de "
    "ontwikkeling van dit beleid.",
    "52": "Het mandaat van het EWDD herzien naar aanleiding van de evaluatie die in 2019 is "
    "afgerond.",
    # the last: text, timeframe and body on one line, then the last page's footnote
    "53": "De EU-agenda inzake drugs en het EU-actieplan inzake drugs evalueren.",
}

ANNEX_META = {
    "1": ("1.1", "2021-2025", "Europese Commissie, Lidstaten, Europol, EWDD"),
    "2": ("1.1, 1.2", "2021-2025", "Europese Commissie, Lidstaten, Europol, EWDD, Frontex"),
    "5": ("1.2", "2021-2025", "Europese Commissie, Lidstaten, Europol, Frontex"),
    "9": ("1.3", "2021-2025", "Europese Commissie, EDEO, Europol, EWDD"),
    "13": ("2.1", "2021", "Europese Commissie, Lidstaten, Frontex, Europol, EWDD"),
    "15": ("2.2", "2021", "Europese Commissie, Lidstaten, MAOC-N, Europol, Frontex, EWDD"),
    "16": ("2.2", "2021", "Europese Commissie, Lidstaten, Europol, Frontex, EWDD"),
    "17": ("2.2", "2021", "Europese Commissie"),
    "20": ("3.2", "2021-2025", "Europese Commissie, Lidstaten"),
    "22": ("4.1", "2021", "Europese Commissie, Lidstaten, Europol, EWDD"),
    "24": ("4.1", "2021-2025", "Lidstaten, Europol, EWDD"),
    "29": ("5.1", "2022-2025", "Lidstaten, EWDD"),
    "31": ("5.2", "2021-2025", "Europese Commissie, Lidstaten, ENCP"),
    "32": (
        "6.1, 6.2, 6.3",
        "2021-2025",
        "Europese Commissie, Lidstaten, EWDD, Europees Geneesmiddelenbureau",
    ),
    "39": ("7.1", "2021", "Europese Commissie, Lidstaten, EWDD, ECDC"),
    "43": ("7.2, 7.6", "2021", "Lidstaten, EWDD"),
    "45": ("8.1, 8.2", "2024", "Europese Commissie, EWDD"),
    "46": ("8.2", "2023", "Lidstaten, Cepol, EWDD, Eurojust"),
    "47": (None, "Lopend", "Europese Commissie, EWDD, Europol"),
    "49": (
        None,
        "Lopend",
        "Europese Commissie, Lidstaten, Drugsforum van het maatschappelijk middenveld",
    ),
    "50": (None, "Lopend", "Europese Commissie, EEAS"),
    "53": (None, "2024", "Europese Commissie"),
}

ANNEX_AREAS = [
    ("1", 1, 10),
    ("2", 11, 17),
    ("3", 18, 21),
    ("4", 22, 26),
    ("5", 27, 31),
    ("6", 32, 37),
    ("7", 38, 44),
    ("8", 45, 46),
    ("governance", 47, 53),
]


def test_annex_has_53_actions_numbered_1_to_53_in_order(annex: list[Area]) -> None:
    ids = [action.id for area in annex for action in area.actions]
    assert ids == [str(n) for n in range(1, 54)]


def test_annex_groups_each_action_under_its_strategic_priority(annex: list[Area]) -> None:
    found = [(area.id, [a.id for a in area.actions]) for area in annex]
    expected = [(id_, [str(n) for n in range(first, last + 1)]) for id_, first, last in ANNEX_AREAS]
    assert found == expected


def test_annex_area_titles_are_the_full_headings(annex: list[Area]) -> None:
    titles: dict[str, str] = {area.id: area.title for area in annex}
    assert titles["1"] == (
        "Ontwrichten en ontmantelen van belangrijke misdaadorganisaties die op het gebied van "
        "drugsgerelateerde criminaliteit een hoog risico vormen en actief zijn in, afkomstig "
        "zijn uit of gericht zijn op de EU-lidstaten van de EU, en aanpakken van verbanden met "
        "andere veiligheidsdreigingen"
    )
    assert titles["2"] == (
        "De opsporing van illegale groothandel in drugs en "
        "drugsprecursoren opvoeren bij de in- en uitvoerpunten in de EU"
    )
    assert titles["7"] == (
        "Risico- en schadebeperkende maatregelen ter bescherming van de "
        "gezondheid van drugsgebruikers en het publiek doeltreffender maken"
    )
    assert titles["8"] == (
        "Een evenwichtige en brede aanpak voor het drugsgebruik in "
        "gevangenissen ontwikkelen (vermindering van de vraag en beperking "
        "van het aanbod)"
    )
    assert titles["governance"] == (
        "Governance, uitvoering en monitoring van de EU-agenda inzake drugs"
    )
    for title in titles.values():
        assert "Acties" not in title and "Tijdsche" not in title and "Bevoegdheid" not in title


@pytest.mark.parametrize("action_id", ANNEX_SUMMARIES)
def test_annex_summary_is_the_full_text(annex: list[Area], action_id: str) -> None:
    assert by_id(annex)[action_id].summary == ANNEX_SUMMARIES[action_id]


@pytest.mark.parametrize("action_id", ANNEX_META)
def test_annex_priority_timeframe_and_bodies(annex: list[Area], action_id: str) -> None:
    priority, timeframe, bodies = ANNEX_META[action_id]
    meta = by_id(annex)[action_id].meta
    assert meta.get("priority") == priority
    assert meta["timeframe"] == timeframe
    assert meta["bodies"] == bodies


def test_annex_summaries_hold_no_headers_footnotes_or_markers(annex: list[Area]) -> None:
    furniture = [
        "Prioriteit Tijdschema",
        "Tijdsche",
        "Bevoegdheid",
        "Acties ",
        "Dreigingsevaluatie",
        "Waarnemingscentrum voor drugs",
        "Postzending",
        "Voor nadere bijzonderheden",
        "Conclusies van de Raad",
        "Voor meer informatie",
        "https://",
        "Strategische prioriteit",
        "Bijlage",
        "Prestatie-indicator",
    ]
    for action in by_id(annex).values():
        for text in furniture:
            assert text not in action.summary, (action.id, text)
        # A footnote marker would be a number of its own or one glued to a word ('Socta1').
        numbers = re.findall(r"(?<!\S)\d{1,2}(?=[\s.,;:]|$)", action.summary)
        assert numbers == (["25"] if action.id == "25" else []), action.id  # '25 oktober'
        assert not re.search(r"[a-z]\d", action.summary), action.id
        # Every action ends a sentence: no body name or code left at its end.
        assert action.summary.endswith("."), action.id
        assert "  " not in action.summary


def test_annex_footnotes_go_to_the_meta_of_the_action_citing_them(annex: list[Area]) -> None:
    actions = by_id(annex)
    assert actions["1"].meta["footnotes"] == (
        "[1] Dreigingsevaluatie van de zware en georganiseerde criminaliteit. "
        "[2] Europees Waarnemingscentrum voor drugs en drugsverslaving."
    )
    assert actions["19"].meta["footnotes"] == (
        "[4] Postzending: geadresseerde zending in de definitieve vorm die een aanbieder van "
        "postdiensten verzorgt. Naast brievenpost worden bijvoorbeeld als postzending "
        "aangemerkt: boeken, catalogi, kranten, tijdschriften en postpakketten die goederen "
        "met of zonder handelswaarde bevatten."
    )
    # A URL broken over lines joins; the PDF's repeats of the link are dropped.
    assert (
        actions["52"]
        .meta["footnotes"]
        .endswith(
            "https://ec.europa.eu/info/law/better-regulation/have-your-say/initiatives/"
            "12432-Revision-of-the-mandate-of-the-European-Monitoring-Centre-for-Drugs-and-"
            "Drug-Addiction"
        )
    )
    assert actions["52"].meta["footnotes"].count("https://") == 1
    assert {a.id for a in actions.values() if "footnotes" in a.meta} == {
        "1",
        "18",
        "19",
        "37",
        "52",
    }


def test_annex_policy_area_is_in_the_meta(annex: list[Area]) -> None:
    actions = by_id(annex)
    assert actions["1"].meta["policy_area"] == POLICY_A
    assert actions["26"].meta["policy_area"] == POLICY_A
    assert actions["27"].meta["policy_area"] == "B) PREVENTIE EN BEWUSTMAKING"
    assert actions["46"].meta["policy_area"] == "C) DRUGSGERELATEERDE SCHADE AANPAKKEN"
    assert "policy_area" not in actions["47"].meta  # governance is outside the policy areas


def test_annex_actions_have_no_position_and_short_titles(annex: list[Area]) -> None:
    actions = by_id(annex)
    for action in actions.values():
        assert action.stance is Stance.NO_POSITION
        assert 0 < len(action.title) <= TITLE_LIMIT + 13
        assert action.title.rstrip("…") in action.summary or action.summary.startswith("i) ")
    assert actions["10"].title == (
        "Verbetering van de EU-drugsdialogen over specifieke drugshandelsroutes"
    )
    assert actions["33"].title == "Ondersteuning van innovatieve behandelingen"
    assert actions["53"].title == (
        "De EU-agenda inzake drugs en het EU-actieplan inzake drugs evalueren"
    )
    assert actions["1"].title == (
        "Verdere versterking: i) van de EU-beleidscyclus voor georganiseerde en zware…"
    )


# --------------------------------------------------------------------------- PDF text, small cases


def test_pdftext_header_broken_over_lines_is_not_text(tmp_path: Path) -> None:
    areas = import_text(
        tmp_path,
        """\
        Strategische prioriteit 5. Drugsgebruik voorkomen
        Acties  Prioriteit Tijdsche
        ma
        Bevoegdheid
        Actie 27. Campagnes voeren.
        5.1 2021-2025 Lidstaten
        """,
    )
    assert [(a.id, a.title) for a in areas] == [("5", "Drugsgebruik voorkomen")]
    assert areas[0].actions[0].summary == "Campagnes voeren."


def test_pdftext_marker_and_footnote_between_page_parts(tmp_path: Path) -> None:
    areas = import_text(
        tmp_path,
        """\
        Actie 1: Rekening houdend met de Socta
        1
         2021 en het EWDD
        2
        . Tweede zin van de actie die
        1.1
        2021  Europese Commissie
        Lidstaten
        <separator>
        1
          Dreigingsevaluatie van de zware en
        georganiseerde criminaliteit.
        2
         Europees Waarnemingscentrum.
         over de pagina loopt.  EWDD
        Frontex
        Actie 2. Volgende.
        """,
    )
    first, second = areas[0].actions
    assert first.summary == (
        "Rekening houdend met de Socta 2021 en het EWDD. Tweede zin van "
        "de actie die over de pagina loopt."
    )
    assert first.meta["bodies"] == "Europese Commissie, Lidstaten, EWDD, Frontex"
    assert first.meta["footnotes"] == (
        "[1] Dreigingsevaluatie van de zware en georganiseerde "
        "criminaliteit. [2] Europees Waarnemingscentrum."
    )
    assert second.summary == "Volgende."


def test_pdftext_tolerates_unknown_bodies_on_lines_of_their_own(tmp_path: Path) -> None:
    areas = import_text(
        tmp_path,
        """\
        Actie 1. Iets doen.
        1.1 2022 Europese Commissie
        Nationaal Rapporteur
        Europees
        Geneesmiddelenbureau
        Actie 2. Iets anders doen.
        2023 Onbekend Agentschap
        """,
    )
    first, second = areas[0].actions
    assert first.meta["bodies"] == (
        "Europese Commissie, Nationaal Rapporteur, Europees Geneesmiddelenbureau"
    )
    assert second.meta == {"timeframe": "2023", "bodies": "Onbekend Agentschap"}


def test_pdftext_keeps_compound_hyphens_and_suspended_ones(tmp_path: Path) -> None:
    areas = import_text(
        tmp_path,
        """\
        Actie 1. De uitwisseling van douane-
        informatie en de gezondheids-
        en sociale risico's.
        """,
    )
    assert areas[0].actions[0].summary == (
        "De uitwisseling van douane-informatie en de gezondheids- en sociale risico's."
    )


def test_pdftext_cells_on_the_first_line_of_an_action(tmp_path: Path) -> None:
    areas = import_text(
        tmp_path,
        """\
        Actie 29. De informatie over 5.1 2022-2025 Lidstaten
         preventiemodellen uitbreiden.
        EWDD
        Actie 53. Evalueren.  2024 Europese Commissie
        """,
    )
    first, last = areas[0].actions
    assert first.summary == "De informatie over preventiemodellen uitbreiden."
    assert first.meta == {"priority": "5.1", "timeframe": "2022-2025", "bodies": "Lidstaten, EWDD"}
    assert last.summary == "Evalueren."
    assert last.meta == {"timeframe": "2024", "bodies": "Europese Commissie"}


def test_pdftext_text_that_only_looks_like_cells_stays_text(tmp_path: Path) -> None:
    areas = import_text(
        tmp_path,
        """\
        Actie 1. Het besluit dat in
        2019 is afgerond en de periode 2021-2025 met Europol
        evalueren.
        2021 Europese Commissie
        """,
    )
    action = areas[0].actions[0]
    assert action.summary == (
        "Het besluit dat in 2019 is afgerond en de periode 2021-2025 met Europol evalueren."
    )
    assert action.meta == {"timeframe": "2021", "bodies": "Europese Commissie"}


def test_pdftext_body_name_ending_a_sentence_before_the_cells_is_text(tmp_path: Path) -> None:
    areas = import_text(
        tmp_path,
        """\
        Actie 1. Samenwerken met de Commissie.  Europol
        zal helpen.
        2021 Lidstaten
        """,
    )
    action = areas[0].actions[0]
    assert action.summary == "Samenwerken met de Commissie. Europol zal helpen."
    assert action.meta == {"timeframe": "2021", "bodies": "Lidstaten"}


def test_pdftext_header_repeated_on_a_new_page_changes_nothing(tmp_path: Path) -> None:
    areas = import_text(
        tmp_path,
        """\
        Strategische prioriteit 1. Voorkomen
        Acties  Prioriteit Tijdschema Bevoegdheid
        Actie 1. Een tekst die
        1.1 2021 Lidstaten
        Acties  Prioriteit Tijdschema Bevoegdheid
         over de pagina loopt.
        Nationaal Rapporteur
        Acties  Prioriteit Tijdschema Bevoegdheid
        Actie 2. Twee.
        1.1 2022 Europol
        """,
    )
    assert [(a.id, [x.id for x in a.actions]) for a in areas] == [("1", ["1", "2"])]
    first = areas[0].actions[0]
    assert first.summary == "Een tekst die over de pagina loopt."
    assert first.meta["bodies"] == "Lidstaten, Nationaal Rapporteur"


def test_pdftext_heading_above_a_table_is_an_area(tmp_path: Path) -> None:
    areas = import_text(
        tmp_path,
        """\
        A) PREVENTIE
        Strategische prioriteit 1. Voorkomen
        Acties  Prioriteit Tijdschema Bevoegdheid
        Actie 1. Een.
        1.1 2021 Lidstaten
        Governance en monitoring
        Acties  Tijdschema Bevoegdheid
        Actie 2. Twee.
        Lopend Europese Commissie
        Bijlage 2
        Actie 3. Hoort niet bij de actielijst.
        """,
    )
    assert [(a.id, a.title, [x.id for x in a.actions]) for a in areas] == [
        ("1", "Voorkomen", ["1"]),
        ("governance", "Governance en monitoring", ["2"]),
    ]
    assert areas[0].actions[0].meta["policy_area"] == "A) PREVENTIE"
    assert "policy_area" not in areas[1].actions[0].meta


def test_pdftext_without_headings_puts_actions_in_one_area(tmp_path: Path) -> None:
    path = tmp_path / "acties.txt"
    path.write_bytes(b"Actie 1. Een.\r\n2021 Lidstaten\r\n\x0cActie 2. Twee.\r\n")
    areas = import_actions(path)
    assert [(a.id, [x.summary for x in a.actions]) for a in areas] == [
        ("acties", ["Een.", "Twee."])
    ]


def test_pdftext_reports_where_actions_start() -> None:
    rows, problems = parse_pdftext("intro\n  Actie 7. Zeven.\n", "x.txt")
    assert problems == []
    assert (rows[0].location.line, rows[0].location.column) == (2, 3)


# --------------------------------------------------------------------------- CSV and YAML


def test_csv_with_commas_puts_extra_columns_in_meta() -> None:
    areas = import_actions(FIXTURES / "actions-comma.csv")
    assert [(a.id, a.title, [x.id for x in a.actions]) for a in areas] == [
        ("1", "Smokkelroutes en logistiek", ["1", "2"]),
        ("Preventie", "Preventie", ["3"]),
    ]
    first = areas[0].actions[0]
    assert first.title == "Informatie over vervoersbewegingen"
    assert first.summary.startswith("De Commissie wil beter gebruikmaken")
    assert first.meta == {
        "priority": "1.1",
        "timeframe": "2026-2027",
        "bodies": "Europese Commissie, Lidstaten",
    }
    assert areas[1].actions[0].meta == {"bodies": "EUDA"}
    assert all(x.stance is Stance.NO_POSITION for a in areas for x in a.actions)


def test_csv_with_semicolons_bom_and_dutch_headers() -> None:
    areas = import_actions(FIXTURES / "actions-semicolon-bom.csv")
    actions = by_id(areas)
    assert [(a.id, a.title) for a in areas] == [("1", "1"), ("2", "2")]
    assert actions["1"].summary == "Verdere versterking; met een puntkomma in de tekst."
    assert actions["1"].meta == {"Prioriteit": "1.1", "Tijdschema": "2021-2025"}
    assert actions["2"].summary == "Tekst over\ntwee regels."
    assert actions["2"].meta["Prioriteit"] == "1.1, 1.2"
    assert actions["3"].title == "Opsporing bij in- en uitvoerpunten"
    assert actions["3"].summary == SUMMARY_TO_WRITE  # not a copy of the title


def test_csv_long_title_without_summary_becomes_the_summary(tmp_path: Path) -> None:
    text = (
        "Ervoor zorgen dat de lidstaten snel toegang geven tot de financiële informatie. "
        "Tweede zin."
    )
    path = tmp_path / "acties.csv"
    path.write_text(f'id,title\n4,"{text}"\n', encoding="utf-8")
    action = import_actions(path)[0].actions[0]
    assert action.summary == text
    assert action.title == (
        "Ervoor zorgen dat de lidstaten snel toegang geven tot de financiële informatie"
    )


def test_yaml_list_of_actions() -> None:
    areas = import_actions(FIXTURES / "actions-list.yaml")
    assert [(a.id, [x.id for x in a.actions]) for a in areas] == [
        ("veiligheid", ["1", "2"]),
        ("acties", ["3"]),
    ]
    first, second = areas[0].actions
    assert first.meta == {"bodies": "Europese Commissie, Lidstaten", "timeframe": "2026"}
    assert second.title == "Versterking MAOC-N"
    assert second.summary == "Het MAOC-N krijgt een sterkere rol.\nOok financieel."


def test_yaml_areas_with_actions() -> None:
    areas = import_actions(FIXTURES / "actions-areas.yaml")
    assert [(a.id, a.title, [x.id for x in a.actions]) for a in areas] == [
        ("routes", "Smokkelroutes en logistieke knooppunten", ["1", "2"]),
        ("preventie", "Preventie", ["7"]),
    ]
    first, second = areas[0].actions
    assert first.meta == {"priority": "1.1"}
    assert first.title == "Informatie over vervoersbewegingen"
    assert first.summary == SUMMARY_TO_WRITE  # not a copy of the title
    assert second.title == (
        "Het Maritiem Analyse- en Operatiecentrum blijven financieren en dit centrum…"
    )


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Kort en goed. Tweede zin.", "Kort en goed"),
        (
            "i) Ondersteuning van innovatieve behandelingen, ii) verbetering en bevordering van "
            "het gebruik van elektronische en mobiele vormen van zorgverlening",
            "Ondersteuning van innovatieve behandelingen",
        ),
        (
            "Ervoor zorgen dat het multidisciplinaire zorgpersoneel (zowel bij de gespecialiseerde "
            "diensten als bij de afdelingen) bijscholing krijgt.",
            "Ervoor zorgen dat het multidisciplinaire zorgpersoneel…",
        ),
        (
            "Nagaan waar kan worden samengewerkt met landen die op het gebied van de productie en "
            "smokkel van drugs een groot risico vormen.",
            "Nagaan waar kan worden samengewerkt met landen die op het gebied…",
        ),
    ],
)
def test_make_title(text: str, title: str) -> None:
    assert make_title(text) == title


# --------------------------------------------------------------------------- bad input

INVALID = sorted(p for p in FIXTURES.glob("invalid-*") if p.suffix != ".expected")


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_input_gives_the_expected_errors(path: Path) -> None:
    expected = path.with_name(path.name + ".expected")
    output = error_of(path) + "\n"
    if REGENERATE:
        expected.write_text(output, encoding="utf-8")
    assert output == expected.read_text(encoding="utf-8")


def test_duplicate_ids_are_reported_with_both_lines() -> None:
    with pytest.raises(InputError) as caught:
        import_actions(FIXTURES / "invalid-duplicate-ids.csv")
    [problem] = caught.value.problems
    assert problem.location.line == 4
    assert "first at line 2" in problem.message


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(InputError) as caught:
        import_actions(FIXTURES / "invalid-rows.csv")
    assert [(p.location.line, p.code) for p in caught.value.problems] == [
        (2, "csv-row"),
        (3, "missing-id"),
        (4, "csv-syntax"),
    ]


def test_missing_id_column_is_reported_on_the_header() -> None:
    with pytest.raises(InputError) as caught:
        import_actions(FIXTURES / "invalid-no-id-column.csv")
    assert any(
        "no 'id' column" in p.message and p.location.line == 1 for p in caught.value.problems
    )


def test_unknown_extension(tmp_path: Path) -> None:
    path = tmp_path / "acties.docx"
    path.write_bytes(b"PK")
    assert "cannot import actions from a '.docx' file" in error_of(path)


@pytest.mark.parametrize("name", ["missing.csv", "missing.txt", "missing.yaml"])
def test_missing_file(tmp_path: Path, name: str) -> None:
    assert "cannot read file" in error_of(tmp_path / name)


def test_directory_is_unreadable(tmp_path: Path) -> None:
    folder = tmp_path / "map.csv"
    folder.mkdir()
    assert "cannot read file" in error_of(folder)


@pytest.mark.parametrize("name", ["leeg.csv", "leeg.yaml", "leeg.yml", "leeg.txt"])
@pytest.mark.parametrize("content", ["", " \n\n", "\ufeff"])
def test_empty_file(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert "file is empty" in error_of(path)


def test_yaml_with_only_comments_has_no_actions(tmp_path: Path) -> None:
    path = tmp_path / "acties.yaml"
    path.write_text("# nog niets\n", encoding="utf-8")
    assert "file is empty" in error_of(path)


# --------------------------------------------------------------------------- properties

WORDS = st.text(alphabet="abcdeéfghijklmnopqrstuvwxyz", min_size=1, max_size=12)
SENTENCES = st.lists(WORDS, min_size=1, max_size=40).map(
    lambda words: " ".join(words).capitalize() + "."
)


@given(st.lists(SENTENCES, min_size=1, max_size=3).map(" ".join))
def test_a_title_is_a_short_start_of_the_text(text: str) -> None:
    title = make_title(text)
    assert title
    assert len(title) <= TITLE_LIMIT + 13
    assert text.startswith(title.rstrip("…"))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(SENTENCES, st.sampled_from(["", "1.1", "2021-2025"])), min_size=1, max_size=8
    ),
    st.sampled_from([",", ";"]),
    st.booleans(),
)
def test_csv_round_trip(rows: list[tuple[str, str]], delimiter: str, bom: bool) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["nr", "titel", "samenvatting", "extra"])
    for number, (text, extra) in enumerate(rows, start=1):
        writer.writerow([number, make_title(text), text, extra])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "acties.csv"
        path.write_text(("\ufeff" if bom else "") + buffer.getvalue(), encoding="utf-8")
        [area] = import_actions(path)
    assert [(a.id, a.summary, a.meta.get("extra", "")) for a in area.actions] == [
        (str(n), text, extra) for n, (text, extra) in enumerate(rows, start=1)
    ]


PIECES = [
    *"Actie 1.2:;,\"'-\n\t\f AB)éx2021",
    "Actie 1. ",
    "Strategische prioriteit 2. ",
    "Acties  Prioriteit Tijdsche\n",
    "ma\n",
    "\n" + " " * 30 + "\n",
    "\n1\n",
    "A) KOP\n",
    "Bijlage 2\n",
    "Europees\n",
    "- id: 1\n",
    "areas:\n",
    "  title: x\n",
    "id,title\n",
    "Lopend Europese Commissie\n",
    "1.1 2021 Lidstaten\n",
]


@settings(max_examples=300)
@given(st.lists(st.sampled_from(PIECES)).map("".join), st.sampled_from([".txt", ".csv", ".yaml"]))
def test_any_text_gives_areas_or_an_input_error(text: str, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"acties{suffix}"
        path.write_text(text, encoding="utf-8")
        try:
            areas = import_actions(path)
        except InputError as exc:
            assert exc.problems
            return
    ids = [action.id for area in areas for action in area.actions]
    assert ids and len(ids) == len(set(ids))


def test_build_areas_keeps_the_order_of_first_appearance() -> None:
    rows, _ = parse_pdftext("Actie 2. Twee.\nActie 1. Een.\n", "x.txt")
    areas, problems = build_areas(rows)
    assert problems == []
    assert [a.id for a in areas[0].actions] == ["2", "1"]
