# ruff: noqa: E501
# (the fiches below are data: their lines are as long as the fiches have them)
"""Write the import test corpus: fiches as other ministries make them, not as fichegen does.

Run from the repository root after changing it, and commit what it writes:

    python tests/data/import/make_corpus.py

The Word files are made with python-docx in the official layout (numbered
section headings, lettered items, real footnotes added to the package by
hand, since python-docx has no footnote API); the text files imitate what
pdftotext makes of a published Kamerstuk (page headers, hyphenation,
footnotes at page bottoms); the HTML imitates the parliament's web page.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from pathlib import Path

import docx
import docx.opc.constants
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

HERE = Path(__file__).resolve().parent

COMMUNICATION = {
    "title": "Mededeling over een Europese strategie voor waterweerbaarheid",
    "general": [
        (
            "a) Titel voorstel",
            [
                "Mededeling van de Commissie aan het Europees Parlement, de Raad, "
                "het Europees Economisch en Sociaal Comité en het Comité van de "
                "Regio's: Europese strategie voor waterweerbaarheid"
            ],
        ),
        ("b) Datum ontvangst Commissiedocument", ["4 juni 2025"]),
        ("c) Nr. Commissiedocument", ["COM(2025) 280 final en SWD(2025) 140"]),
        ("d) EUR-Lex", ["https://eur-lex.europa.eu/legal-content/NL/TXT/?uri=CELEX:52025DC0280"]),
        (
            "e) Nr. impact assessment Commissie en Opinie Raad voor Regelgevingstoetsing",
            ["Niet opgesteld.{1}"],
        ),
        ("f) Behandelingstraject Raad", ["Milieuraad"]),
        (
            "g) Eerstverantwoordelijk ministerie",
            [
                "Ministerie van Infrastructuur en Waterstaat, in nauwe samenwerking met het "
                "Ministerie van Landbouw, Visserij, Voedselzekerheid en Natuur."
            ],
        ),
    ],
    "sections": [
        (
            "2. Essentie voorstel",
            None,
            [
                "Op 4 juni 2025 heeft de Commissie de strategie voor waterweerbaarheid gepubliceerd. "
                "De strategie heeft drie doelen: het herstel van de watercyclus, een **slimme** "
                "watereconomie en schoon en betaalbaar water voor iedereen.{2}",
                "- Het herstel van de watercyclus.",
                "- Een watereconomie die water *efficiënt* gebruikt.",
                "De Commissie kondigt daartoe dertig acties aan.",
            ],
        ),
        (
            "3. Nederlandse positie ten aanzien van de mededeling/aanbeveling",
            [
                (
                    "a) Essentie Nederlands beleid op dit terrein",
                    ["Nederland werkt met het Deltaprogramma aan waterveiligheid en zoetwater."],
                ),
                (
                    "b) Beoordeling + inzet ten aanzien van dit voorstel",
                    [
                        "Het kabinet verwelkomt de strategie. Het kabinet steunt de inzet op "
                        "waterefficiëntie, maar wil geen nieuwe wetgeving."
                    ],
                ),
                (
                    "c) Eerste inschatting van krachtenveld",
                    [
                        "Veel lidstaten verwelkomen de strategie. De positie van het Europees Parlement "
                        "is nog niet bekend."
                    ],
                ),
            ],
            None,
        ),
        (
            "4. Grondhouding ten aanzien van bevoegdheid, subsidiariteit, proportionaliteit, "
            "financiële gevolgen en gevolgen voor regeldruk, concurrentiekracht en geopolitieke "
            "aspecten",
            [
                (
                    "a) Bevoegdheid",
                    [
                        "De grondhouding van het kabinet is positief. De mededeling "
                        "raakt aan milieu, een gedeelde bevoegdheid (artikel 4 VWEU)."
                    ],
                ),
                (
                    "b) Subsidiariteit",
                    [
                        "De grondhouding van het kabinet is positief met "
                        "kanttekeningen. Waterbeheer is in de eerste plaats "
                        "nationaal."
                    ],
                ),
                (
                    "c) Proportionaliteit",
                    [
                        "De grondhouding van het kabinet is nog niet te "
                        "beoordelen. De acties zijn nog niet uitgewerkt."
                    ],
                ),
                (
                    "d) Financiële gevolgen",
                    ["De mededeling heeft geen directe gevolgen voor de EU-begroting."],
                ),
                (
                    "e) Gevolgen voor regeldruk, concurrentiekracht en geopolitieke aspecten",
                    ["Geen directe gevolgen."],
                ),
            ],
            None,
        ),
        (
            "5. Implicaties voor ontwikkelingslanden",
            None,
            ["De strategie noemt waterdiplomatie met derde landen."],
        ),
    ],
    "footnotes": {
        "1": "De Commissie heeft geen impact assessment opgesteld, omdat het een mededeling is.",
        "2": "Zie ook de Europese Green Deal, COM(2019) 640.",
    },
}

LEGISLATIVE = {
    "title": "Verordening over de digitale productpaspoorten",
    "general": [
        (
            "a) Titel voorstel",
            [
                "Voorstel voor een verordening van het Europees Parlement en de Raad tot vaststelling "
                "van een kader voor digitale productpaspoorten"
            ],
        ),
        ("b) Datum ontvangst Commissiedocument", ["juni 2023"]),
        (
            "c) Nr. Commissiedocument",
            ["COM(2023) 312", "JOIN(2023) 17 final", "Raadsdocument 9736/23"],
        ),
        (
            "d) EUR-Lex",
            [
                "https://eur-lex.europa.eu/legal-content/NL/TXT/?uri=COM:2023:312:FIN",
                "http://eur-lex.europa.eu/legal-content/EN/TXT/PDF/?uri=CELEX:52023JC0017",
            ],
        ),
        (
            "e) Nr. impact assessment Commissie en Opinie Raad voor Regelgevingstoetsing",
            ["SWD(2023) 313 en SEC(2023) 314"],
        ),
        ("f) Behandelingstraject Raad", ["Raad Concurrentievermogen"]),
        ("g) Eerstverantwoordelijk ministerie", ["Ministerie van Economische Zaken en Klimaat"]),
        (
            "h) Rechtsbasis",
            ["Artikel 114 van het Verdrag betreffende de werking van de Europese Unie (VWEU)"],
        ),
        ("i) Besluitvormingsprocedure Raad", ["Gekwalificeerde meerderheid"]),
        ("j) Rol Europees Parlement", ["Medebeslissing"]),
    ],
    "sections": [
        (
            "2. Essentie voorstel",
            [
                (
                    "a) Inhoud voorstel",
                    [
                        "Het voorstel verplicht fabrikanten een digitaal "
                        "productpaspoort bij te houden.{1}",
                        "Artikel 3 regelt de gegevensdragers. "
                        "Artikel 9 geeft de Commissie toegang tot het register.",
                    ],
                ),
                ("b) Impact assessment Commissie", ["De Commissie heeft drie opties onderzocht."]),
            ],
            None,
        ),
        (
            "3. Nederlandse positie ten aanzien van het voorstel",
            [
                (
                    "a) Essentie Nederlands beleid op dit terrein",
                    ["Nederland zet in op een circulaire economie."],
                ),
                (
                    "b) Beoordeling + inzet ten aanzien van dit voorstel",
                    [
                        "Het kabinet vindt een paspoort nuttig.",
                        "Het kabinet steunt artikel 3 over de gegevensdragers. "
                        "Over artikel 9 is het kabinet kritisch.",
                    ],
                ),
                (
                    "c) Eerste inschatting van krachtenveld",
                    ["Een meerderheid van de lidstaten steunt het doel."],
                ),
            ],
            None,
        ),
        (
            "4. Grondhouding ten aanzien van bevoegdheid, subsidiariteit, proportionaliteit, "
            "financiële gevolgen en gevolgen voor regeldruk, concurrentiekracht en geopolitieke "
            "aspecten",
            [
                (
                    "a) Bevoegdheid",
                    [
                        "De grondhouding van het kabinet is positief. Artikel 114 VWEU is de juiste rechtsbasis."
                    ],
                ),
                (
                    "b) Subsidiariteit",
                    [
                        "De grondhouding van het kabinet is positief. Een EU-brede aanpak voorkomt versnippering."
                    ],
                ),
                (
                    "c) Proportionaliteit",
                    [
                        "De grondhouding van het kabinet is negatief. Het voorstel gaat verder dan nodig."
                    ],
                ),
                ("d) Financiële gevolgen", ["Geen gevolgen voor de EU-begroting."]),
                (
                    "e) Gevolgen voor regeldruk en administratieve lasten",
                    ["De lasten voor bedrijven nemen toe."],
                ),
                (
                    "f) Gevolgen voor concurrentiekracht en geopolitieke aspecten",
                    ["Het gelijke speelveld verbetert."],
                ),
            ],
            None,
        ),
        (
            "5. Implicaties juridisch",
            [
                (
                    "a) Consequenties voor nationale en decentrale regelgeving en/of sanctionering beleid "
                    "(inclusief toepassing van de lex silencio positivo)",
                    ["De Warenwet moet worden aangepast."],
                ),
                (
                    "b) Gedelegeerde en/of uitvoeringshandelingen",
                    [
                        "Artikel 10 geeft de Commissie de bevoegdheid gedelegeerde handelingen vast te stellen."
                    ],
                ),
                (
                    "c) Voorgestelde implementatietermijn (bij richtlijnen), dan wel voorgestelde datum "
                    "inwerkingtreding (bij verordeningen en besluiten) met commentaar t.a.v. haalbaarheid",
                    ["Twintig dagen na publicatie; dat is kort."],
                ),
                (
                    "d) Wenselijkheid evaluatie-/horizonbepaling",
                    ["Een evaluatie na vijf jaar is wenselijk."],
                ),
            ],
            None,
        ),
        ("6. Implicaties voor uitvoering en/of handhaving", None, ["De NVWA houdt toezicht."]),
        (
            "7. Implicaties voor ontwikkelingslanden",
            None,
            ["Exporteurs uit ontwikkelingslanden krijgen met het paspoort te maken."],
        ),
    ],
    "footnotes": {"1": "Zie ook de Ecodesignverordening, (EU) 2024/1781."},
}

# The 2007-2012 template: 'Label: value' lines, financial consequences and the Dutch
# position in sections of their own, Pre-lex, the Impact-assessment Board.
OLD_2009 = """\
Fiche 2: Richtlijn inzake de rechten van passagiers bij busvervoer

1. Algemene gegevens

Titel voorstel: Voorstel voor een verordening van het Europees Parlement en de Raad betreffende de rechten van autobus- en touringcarpassagiers
Datum Raadsdocument: 10 december 2008
Nr. Raadsdocument: 17247/08
Nr. Commissiedocument: COM(2008) 817
Pre-lex: http://ec.europa.eu/prelex/detail_dossier_real.cfm?CL=nl&DosId=197695
Nr. impact-assessment Commissie en Opinie Impact-assessment Board: SEC(2008) 2954
Behandelingstraject Raad: Vervoersraad
Eerstverantwoordelijk ministerie: Ministerie van Verkeer en Waterstaat
Betrokken ministeries: Ministerie van Economische Zaken
Rechtsbasis: Artikel 71 EG-Verdrag
Besluitvormingsprocedure Raad: Gekwalificeerde meerderheid
Rol Europees Parlement: Medebeslissing
Comitologie: Niet van toepassing

2. Samenvatting voorstel

Inhoud voorstel: Het voorstel geeft passagiers van bussen rechten bij annulering en vertraging.
Impact Assessment Commissie: De Commissie koos voor een verordening.

3. Bevoegdheidsvraag, subsidiariteit en proportionaliteit

a) Bevoegdheid: De EG is bevoegd op grond van artikel 71 EG-Verdrag.
b) Functionele toets:
Subsidiariteit: positief
Het grensoverschrijdend busvervoer vraagt om gemeenschappelijke regels.
Proportionaliteit: positief met kanttekeningen
De regels voor stadsvervoer gaan te ver.

4. Implicaties financieel

Geen gevolgen voor de EU-begroting.

5. Implicaties voor administratieve lasten

De lasten voor vervoerders nemen toe.

6. Implicaties juridisch

Consequenties voor nationale en decentrale regelgeving en/of sanctionering beleid: De Wet personenvervoer 2000 moet worden aangepast.

7. Implicaties voor uitvoering en/of handhaving

De Inspectie Verkeer en Waterstaat wordt toezichthouder.

8. Implicaties voor ontwikkelingslanden

Geen.

9. Nederlandse positie

Nederland steunt het voorstel in beginsel, maar wil het stadsvervoer uitzonderen.
"""

# Three fiches in a covering letter, as pdftotext gives a published Kamerstuk.
LETTER = """\
Tweede Kamer der Staten-Generaal 2
Vergaderjaar 2024–2025

22 112 Nieuwe Commissievoorstellen en initiatieven van de
lidstaten van de Europese Unie

Nr. 4010 BRIEF VAN DE MINISTER VAN BUITENLANDSE ZAKEN

Aan de Voorzitter van de Tweede Kamer der Staten-Generaal

Den Haag, 14 maart 2025

Overeenkomstig de bestaande afspraken ontvangt uw Kamer hierbij 3 fiches
die werden opgesteld door de werkgroep Beoordeling Nieuwe Commissievoorstellen (BNC).

Fiche: Mededeling over de Europese havenstrategie (Kamerstuk 22 112, nr. 4011)
Fiche: Verordening over kritieke geneesmiddelen (Kamerstuk 22 112, nr. 4012)
Fiche: Aanbeveling over vaardigheden (Kamerstuk 22 112, nr. 4013)

De Minister van Buitenlandse Zaken,
C.C.J. Veldkamp


Tweede Kamer, vergaderjaar 2024–2025, 22 112, nr. 4010 1



Fiche: Mededeling over de Europese havenstrategie

1. Algemene gegevens

a) Titel voorstel
Mededeling van de Commissie: een Europese havenstrategie voor
veilige en concurrerende havens

b) Datum ontvangst Commissiedocument
12 februari 2025

c) Nr. Commissiedocument
COM(2025) 50

d) EUR-Lex
https://eur-lex.europa.eu/legal-content/NL/TXT/?uri=COM:2025:50:FIN

e) Nr. impact assessment Commissie en Opinie Raad voor Regelgevingstoetsing
Niet opgesteld

f) Behandelingstraject Raad
Transportraad

g) Eerstverantwoordelijk ministerie
Ministerie van Infrastructuur en Waterstaat

2. Essentie voorstel
De Commissie wil de havens beter beschermen tegen drugssmokkel en sabo-
tage.1 Zij stelt daarvoor een havenalliantie voor.

3. Nederlandse positie ten aanzien van de mededeling/aanbeveling
a) Essentie Nederlands beleid op dit terrein
Rotterdam en Amsterdam werken met de douane aan weerbare havens.

b) Beoordeling + inzet ten aanzien van dit voorstel
Het kabinet steunt de strategie. Het kabinet vraagt aandacht voor de kosten van
extra controles voor het bedrijfsleven, die niet tot vertraging mo-


1 Zie ook het Actieplan drugshandel, COM(2025) 744.


Tweede Kamer, vergaderjaar 2024–2025, 22 112, nr. 4010 2



gen leiden.

c) Eerste inschatting van krachtenveld
De havenlidstaten steunen de strategie.

4. Grondhouding ten aanzien van bevoegdheid, subsidiariteit,
proportionaliteit, financiële gevolgen en gevolgen voor regeldruk,
concurrentiekracht en geopolitieke aspecten
a) Bevoegdheid
De grondhouding van het kabinet is positief. Vervoer is een gedeelde bevoegdheid.

b) Subsidiariteit
De grondhouding van het kabinet is positief. Havens zijn de buitengrens van de Unie.

c) Proportionaliteit
De grondhouding van het kabinet is positief. De strategie bindt de lidstaten niet.

d) Financiële gevolgen
Geen.

e) Gevolgen voor regeldruk, concurrentiekracht en geopolitieke aspecten
Geen directe gevolgen.


Tweede Kamer, vergaderjaar 2024–2025, 22 112, nr. 4010 3



Fiche: Verordening over kritieke geneesmiddelen

1. Algemene gegevens

a) Titel voorstel
Voorstel voor een verordening tot vaststelling van een kader voor de beschikbaarheid van kritieke geneesmiddelen

b) Datum ontvangst Commissiedocument
11 maart 2025

c) Nr. Commissiedocument
COM(2025) 102 en COM(2025) 103

d) EUR-Lex
https://eur-lex.europa.eu/legal-content/NL/TXT/?uri=COM:2025:102:FIN

e) Nr. impact assessment Commissie en Opinie Raad voor Regelgevingstoetsing
SWD(2025) 60

f) Behandelingstraject Raad
Raad Werkgelegenheid, Sociaal Beleid, Volksgezondheid en Consumentenzaken

g) Eerstverantwoordelijk ministerie
Ministerie van Volksgezondheid, Welzijn en Sport

h) Rechtsbasis
Artikel 114 en artikel 168, lid 4, VWEU

i) Besluitvormingsprocedure Raad
Gekwalificeerde meerderheid

j) Rol Europees Parlement
Medebeslissing

2. Essentie voorstel
a) Inhoud voorstel
Het voorstel moet tekorten aan kritieke geneesmiddelen voorkomen.2

b) Impact assessment Commissie
De Commissie koos voor gezamenlijke inkoop.

3. Nederlandse positie ten aanzien van het voorstel
a) Essentie Nederlands beleid op dit terrein
Nederland werkt aan voorraden bij groothandels.

b) Beoordeling + inzet ten aanzien van dit voorstel
Het kabinet steunt het voorstel.

c) Eerste inschatting van krachtenveld
Veel lidstaten steunen het voorstel.


2 Critical Medicines Act.


Tweede Kamer, vergaderjaar 2024–2025, 22 112, nr. 4010 4



4. Grondhouding ten aanzien van bevoegdheid, subsidiariteit,
proportionaliteit, financiële gevolgen en gevolgen voor regeldruk,
concurrentiekracht en geopolitieke aspecten
a) Bevoegdheid
De grondhouding van het kabinet is positief. Artikel 114 VWEU is een juiste grondslag.

b) Subsidiariteit
De grondhouding van het kabinet is positief. Tekorten zijn grensoverschrijdend.

c) Proportionaliteit
De grondhouding van het kabinet is positief met kanttekeningen. De meldplicht is zwaar.

d) Financiële gevolgen
Het voorstel kost 80 miljoen euro uit het EU4Health-programma.

e) Gevolgen voor regeldruk en administratieve lasten
Groothandels krijgen een meldplicht.

f) Gevolgen voor concurrentiekracht en geopolitieke aspecten
Minder afhankelijkheid van derde landen.

5. Implicaties juridisch
a) Consequenties voor nationale en decentrale regelgeving en/of sanctionering
beleid (inclusief toepassing van de lex silencio positivo)
De Geneesmiddelenwet moet worden aangepast.

b) Gedelegeerde en/of uitvoeringshandelingen
Artikel 20 geeft de Commissie uitvoeringsbevoegdheden.

c) Voorgestelde implementatietermijn (bij richtlijnen), dan wel voorgestelde datum
inwerkingtreding (bij verordeningen en besluiten) met commentaar t.a.v. haalbaarheid
Een jaar na inwerkingtreding.

d) Wenselijkheid evaluatie-/horizonbepaling
Het voorstel bevat een evaluatie na vijf jaar.

6. Implicaties voor uitvoering en/of handhaving
De Inspectie Gezondheidszorg en Jeugd houdt toezicht.

7. Implicaties voor ontwikkelingslanden
Geen.


Tweede Kamer, vergaderjaar 2024–2025, 22 112, nr. 4010 5



Fiche: Aanbeveling over vaardigheden

1. Algemene gegevens

a) Titel voorstel
Voorstel voor een aanbeveling van de Raad over een unie van vaardigheden

b) Datum ontvangst Commissiedocument
5 maart 2025

c) Nr. Commissiedocument
COM(2025) 90

d) EUR-Lex
https://eur-lex.europa.eu/legal-content/NL/TXT/?uri=COM:2025:90:FIN

e) Nr. impact assessment Commissie en Opinie Raad voor Regelgevingstoetsing3
Niet opgesteld

f) Behandelingstraject Raad
Raad Onderwijs, Jeugd, Cultuur en Sport

g) Eerstverantwoordelijk ministerie
Ministerie van Onderwijs, Cultuur en Wetenschap

2. Essentie voorstel
De Commissie wil dat lidstaten meer investeren in vaardigheden.

3. Nederlandse positie ten aanzien van de mededeling/aanbeveling
a) Essentie Nederlands beleid op dit terrein
Nederland investeert in een leven lang ontwikkelen.

b) Beoordeling + inzet ten aanzien van dit voorstel
Het kabinet is kritisch over de streefcijfers.

c) Eerste inschatting van krachtenveld
De lidstaten zijn verdeeld.

4. Grondhouding ten aanzien van bevoegdheid, subsidiariteit,
proportionaliteit, financiële gevolgen en gevolgen voor regeldruk,
concurrentiekracht en geopolitieke aspecten
a) Bevoegdheid
De grondhouding van het kabinet is positief. Onderwijs is een ondersteunende bevoegdheid.

b) Subsidiariteit
De grondhouding van het kabinet is negatief. Onderwijs is een nationale zaak.

c) Proportionaliteit
De grondhouding van het kabinet is negatief. De streefcijfers gaan te ver.

d) Financiële gevolgen
Geen.

e) Gevolgen voor regeldruk, concurrentiekracht en geopolitieke aspecten
Geen.


3 Een aanbeveling heeft geen impact assessment nodig.


Tweede Kamer, vergaderjaar 2024–2025, 22 112, nr. 4010 6
"""


def write_docx(fiche: dict, path: Path) -> None:
    """A fiche in the official layout: bold numbered headings, lettered items, footnotes."""
    document = _new_document()
    document.add_paragraph().add_run(f"Fiche: {fiche['title']}").bold = True
    document.add_paragraph().add_run("1. Algemene gegevens").bold = True
    for label, values in fiche["general"]:
        document.add_paragraph().add_run(label).italic = True
        for value in values:
            _paragraph(document, value)
    for heading, items, text in fiche["sections"]:
        document.add_paragraph().add_run(heading).bold = True
        for label, values in items or []:
            document.add_paragraph().add_run(label).italic = True
            for value in values:
                _paragraph(document, value)
        for value in text or []:
            _paragraph(document, value)
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(_add_footnotes(buffer.getvalue(), fiche["footnotes"]))


def _paragraph(document: docx.document.Document, text: str) -> None:
    style = None
    if text.startswith("- "):
        text, style = text[2:], "List Bullet"
    paragraph = document.add_paragraph(style=style)
    for piece in re.split(r"(\*\*[^*]+\*\*|\*[^*]+\*|\{\d+\}|https?://\S+)", text):
        if not piece:
            continue
        if piece.startswith("**"):
            paragraph.add_run(piece[2:-2]).bold = True
        elif piece.startswith("*"):
            paragraph.add_run(piece[1:-1]).italic = True
        elif piece.startswith("{"):
            run = paragraph.add_run()
            reference = OxmlElement("w:footnoteReference")
            reference.set(qn("w:id"), piece[1:-1])
            run._r.append(reference)  # type: ignore[arg-type]
        elif piece.startswith("http"):
            _hyperlink(paragraph, piece)
        else:
            paragraph.add_run(piece)


def _hyperlink(paragraph: Paragraph, url: str) -> None:
    rel = paragraph.part.relate_to(
        url, docx.opc.constants.RELATIONSHIP_TYPE.HYPERLINK, is_external=True
    )
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = url
    run.append(text)
    link.append(run)
    paragraph._p.append(link)  # type: ignore[arg-type]


FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
FOOTNOTES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _add_footnotes(data: bytes, notes: dict[str, str]) -> bytes:
    """The footnotes part python-docx cannot write: separators and one note per id."""
    body = "".join(
        f'<w:footnote w:id="{key}"><w:p><w:r><w:footnoteRef/></w:r>'
        f'<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote>'
        for key, text in notes.items()
    )
    part = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{W}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        '</w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        f"<w:continuationSeparator/></w:r></w:p></w:footnote>{body}</w:footnotes>"
    )
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                content = content.replace(
                    b"</Types>",
                    f'<Override PartName="/word/footnotes.xml" ContentType="{FOOTNOTES_CT}"/>'
                    "</Types>".encode(),
                )
            elif info.filename == "word/_rels/document.xml.rels":
                content = content.replace(
                    b"</Relationships>",
                    f'<Relationship Id="rIdFootnotes" Type="{FOOTNOTES_REL}" '
                    'Target="footnotes.xml"/></Relationships>'.encode(),
                )
            info.date_time = (2025, 1, 1, 0, 0, 0)
            target.writestr(info, content)
        stamp = zipfile.ZipInfo("word/footnotes.xml", (2025, 1, 1, 0, 0, 0))
        target.writestr(stamp, part, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def write_old_docx(text: str, path: Path) -> None:
    """The 2007 template in Word: one paragraph per line, 'Label: value' in section 1."""
    document = _new_document()
    for line in text.splitlines():
        if line.strip():
            document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(_add_footnotes(buffer.getvalue(), {}))


def _new_document() -> docx.document.Document:
    """A document whose files do not change when the corpus is written again."""
    document = docx.Document()
    moment = datetime.datetime(2025, 1, 1)
    document.core_properties.created = moment
    document.core_properties.modified = moment
    document.core_properties.last_printed = moment
    return document


def write_html(fiche: dict, path: Path) -> None:
    """The parliament's web page: section 1 as a bulleted list, note anchors at the end."""
    out = [
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">',
        f"<title>Fiche: {fiche['title']}</title></head><body><nav>Menu Zoeken</nav>",
        '<div class="stuk">',
        f"<h2>Fiche: {fiche['title']}</h2>",
        "<h3>1. Algemene gegevens</h3><ul>",
    ]
    for label, values in fiche["general"]:
        out.append(f"<li><p>{label}</p>" + "".join(f"<p>{_html(v)}</p>" for v in values) + "</li>")
    out.append("</ul>")
    for heading, items, text in fiche["sections"]:
        out.append(f"<h3>{heading}</h3>")
        for label, values in items or []:
            out.append(f"<h4>{label}</h4>" + "".join(f"<p>{_html(v)}</p>" for v in values))
        out.extend(f"<p>{_html(v)}</p>" for v in text or [])
    out.append('</div><div class="noten"><ul>')
    for key, note in fiche["footnotes"].items():
        out.append(f'<li id="n{key}"><sup>{key}</sup> {note}</li>')
    out.append("</ul></div><footer>Officiële bekendmakingen</footer></body></html>")
    path.write_text("\n".join(out), encoding="utf-8")


def _html(text: str) -> str:
    if text.startswith("- "):
        return f"</p><ul><li>{_html(text[2:])}</li></ul><p>"
    text = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", text)
    text = re.sub(r"\*([^*]+)\*", r"<em>\1</em>", text)
    text = re.sub(r"\{(\d+)\}", r'<sup><a href="#n\1">\1</a></sup>', text)
    text = re.sub(r"(https?://\S+)", r'<a href="\1">\1</a>', text)
    return text


def write_web_copy(fiche: dict, path: Path) -> None:
    """The text a civil servant copies from the parliament's web page (select all, copy)."""
    out = ["Menu", "Zoeken", "", f"Fiche: {fiche['title']}", "", "1. Algemene gegevens"]
    for label, values in fiche["general"]:
        out.append(f"• {label}")
        out.extend(f"    {_plain(value)}" for value in values)
    for heading, items, text in fiche["sections"]:
        out += ["", heading]
        for label, values in items or []:
            out += ["", label]
            out.extend(_web_paragraphs(values))
        out.extend(_web_paragraphs(text or []))
    out += ["", "Noten"]
    for key, note in fiche["footnotes"].items():
        out += [key, note]
    out += ["", "Officiële bekendmakingen"]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def _web_paragraphs(values: list[str]) -> list[str]:
    lines = []
    for value in values:
        if not value.startswith("- "):
            lines.append("")
        lines.append(
            _plain(value).replace("- ", "• ", 1) if value.startswith("- ") else _plain(value)
        )
    return lines


def _plain(text: str) -> str:
    """What a copy from the browser keeps: the words, note numbers glued to the text."""
    text = re.sub(r"\*\*([^*]+)\*\*|\*([^*]+)\*", lambda m: m.group(1) or m.group(2), text)
    return re.sub(r"\{(\d+)\}", r"\1", text)


def write_bad(folder: Path) -> None:
    (folder / "leeg.txt").write_text("", encoding="utf-8")
    (folder / "geen-fiche.txt").write_text(
        "Boodschappenlijst\n\nMelk, brood en kaas.\n\nNiet vergeten: de fiets ophalen.\n",
        encoding="utf-8",
    )
    good = (folder / "mededeling-waterweerbaarheid.docx").read_bytes()
    (folder / "beschadigd.docx").write_bytes(good[: len(good) // 2])
    # What Word writes for a password-protected file: an OLE compound file, not a zip.
    (folder / "versleuteld.docx").write_bytes(
        bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504 + b"EncryptedPackage" + b"\x00" * 512
    )


def main() -> None:
    write_docx(COMMUNICATION, HERE / "mededeling-waterweerbaarheid.docx")
    write_docx(LEGISLATIVE, HERE / "wetgeving-productpaspoort.docx")
    write_old_docx(OLD_2009, HERE / "oud-2009-buspassagiers.docx")
    (HERE / "oud-2009-buspassagiers.txt").write_text(OLD_2009, encoding="utf-8")
    (HERE / "brief-drie-fiches.txt").write_text(LETTER, encoding="utf-8")
    write_html(COMMUNICATION, HERE / "mededeling-waterweerbaarheid.html")
    write_web_copy(COMMUNICATION, HERE / "mededeling-waterweerbaarheid-webkopie.txt")
    write_bad(HERE)


if __name__ == "__main__":
    main()
