"""Golden cases: a positions file and exactly what fichegen makes of it.

Each folder in tests/golden/ holds `input.yaml`, the expected Markdown
(`expected.md`) and a readable dump of the Word file (`expected.docx.txt`).
Some inputs are themselves generated: a copy of an example in positions/, or
the output of `fichegen new`; those are checked first. Run
`pytest --update-goldens` to rewrite every golden file, then review the diff.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import docx
import pytest

from conftest import Golden
from fichegen.model import FicheType
from fichegen.new import make_skeleton
from fichegen.pipeline import check_file, render_fiche
from fichegen.render.docx.dump import dump_docx

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"

# Cases whose input is an example users copy from, kept here as a copy so the
# golden diff shows what changed in it.
EXAMPLES = {
    "legislative-precursoren": ROOT / "positions" / "com-2026-123-precursoren.yaml",
    "communication-seed": ROOT / "positions" / "com-2025-744-actieplan-drugshandel.yaml",
}

# Cases whose input is what `fichegen new` writes.
SKELETONS: dict[str, dict[str, Any]] = {
    "new-communication": {"fiche_type": FicheType.COMMUNICATION},
    "new-legislative": {
        "fiche_type": FicheType.LEGISLATIVE,
        "com": ["COM(2026) 123"],
        "title": "Verordening inzake drugsprecursoren",
    },
}

CASES = sorted(
    {p.name for p in GOLDEN.iterdir() if (p / "input.yaml").is_file()}
    | set(EXAMPLES)
    | set(SKELETONS)
)

# The legislative format of the team's BNC-FORMAT.md, as (level, heading): level 1 is
# the title, 2 a numbered section, 3 a lettered item.
LEGISLATIVE_HEADINGS = [
    (1, "Fiche: Verordening inzake drugsprecursoren"),
    (2, "1. Algemene gegevens"),
    (3, "a) Titel voorstel"),
    (3, "b) Datum ontvangst Commissiedocument"),
    (3, "c) Nr. Commissiedocument"),
    (3, "d) EUR-Lex"),
    (3, "e) Nr. impact assessment Commissie en Opinie Raad voor Regelgevingstoetsing"),
    (3, "f) Behandelingstraject Raad"),
    (3, "g) Eerstverantwoordelijk ministerie"),
    (3, "h) Rechtsbasis"),
    (3, "i) Besluitvormingsprocedure Raad"),
    (3, "j) Rol Europees Parlement"),
    (2, "2. Essentie voorstel"),
    (3, "a) Inhoud voorstel"),
    (3, "b) Impact assessment Commissie"),
    (2, "3. Nederlandse positie ten aanzien van het voorstel"),
    (3, "a) Essentie Nederlands beleid op dit terrein"),
    (3, "b) Beoordeling + inzet ten aanzien van dit voorstel"),
    (3, "c) Eerste inschatting van krachtenveld"),
    (
        2,
        "4. Grondhouding ten aanzien van bevoegdheid, subsidiariteit, proportionaliteit, "
        "financiële gevolgen en gevolgen voor regeldruk, concurrentiekracht en geopolitieke "
        "aspecten",
    ),
    (3, "a) Bevoegdheid"),
    (3, "b) Subsidiariteit"),
    (3, "c) Proportionaliteit"),
    (3, "d) Financiële gevolgen"),
    (3, "e) Gevolgen voor regeldruk en administratieve lasten"),
    (3, "f) Gevolgen voor concurrentiekracht en geopolitieke aspecten"),
    (2, "5. Implicaties juridisch"),
    (
        3,
        "a) Consequenties voor nationale en decentrale regelgeving en/of sanctionering beleid "
        "(inclusief toepassing van de lex silencio positivo)",
    ),
    (3, "b) Gedelegeerde en/of uitvoeringshandelingen"),
    (
        3,
        "c) Voorgestelde implementatietermijn (bij richtlijnen), dan wel voorgestelde datum "
        "inwerkingtreding (bij verordeningen en besluiten) met commentaar t.a.v. haalbaarheid",
    ),
    (3, "d) Wenselijkheid evaluatie-/horizonbepaling"),
    (2, "6. Implicaties voor uitvoering en/of handhaving"),
    (2, "7. Implicaties voor ontwikkelingslanden"),
]
WORD_STYLES = {1: "Title", 2: "Heading 1", 3: "Heading 2"}
ANNEX = "Bijlage"


def _render(case: str, fmt: str) -> bytes:
    """The case's fiche; a case named '...-intern' as the internal version."""
    result = check_file(GOLDEN / case / "input.yaml")
    assert result.fiche is not None and not result.errors, [p.format() for p in result.errors]
    audience = "internal" if case.endswith("-intern") else "public"
    return render_fiche(result.fiche, fmt, source_path="input.yaml", audience=audience)  # type: ignore[arg-type]


# -- generated inputs first, so that an update renders the fresh ones ------------------


@pytest.mark.parametrize("case", sorted(EXAMPLES))
def test_golden_input_is_the_current_example(case: str, golden: Golden) -> None:
    golden(GOLDEN / case / "input.yaml", EXAMPLES[case].read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", sorted(SKELETONS))
def test_golden_input_is_what_new_writes(case: str, golden: Golden) -> None:
    golden(GOLDEN / case / "input.yaml", make_skeleton(**SKELETONS[case]))


# -- the cases ----------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES)
def test_golden_markdown(case: str, golden: Golden) -> None:
    golden(GOLDEN / case / "expected.md", _render(case, "md").decode("utf-8"))


@pytest.mark.parametrize("case", CASES)
def test_golden_word(case: str, golden: Golden) -> None:
    golden(GOLDEN / case / "expected.docx.txt", dump_docx(_render(case, "docx")))


# -- the legislative format ---------------------------------------------------------


def test_legislative_example_is_clean() -> None:
    result = check_file(EXAMPLES["legislative-precursoren"])
    assert [p.format() for p in result.problems] == []


def test_legislative_example_markdown_has_every_heading_in_order() -> None:
    markdown = _render("legislative-precursoren", "md").decode("utf-8")
    headings = [
        (len(m.group(1)), m.group(2))
        for m in re.finditer(r"^(#{1,6}) (.+)$", markdown, re.MULTILINE)
    ]
    assert [h for h in headings if not h[1].startswith(ANNEX)] == LEGISLATIVE_HEADINGS


def test_legislative_example_word_has_every_heading_in_order() -> None:
    document = docx.Document(io.BytesIO(_render("legislative-precursoren", "docx")))
    headings = [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style is not None and p.style.name in WORD_STYLES.values()
    ]
    expected = [(WORD_STYLES[level], text) for level, text in LEGISLATIVE_HEADINGS]
    assert [h for h in headings if not h[1].startswith(ANNEX)] == expected


def test_legislative_section_2_is_one_text_without_impact_assessment_summary() -> None:
    text = (GOLDEN / "legislative-precursoren" / "input.yaml").read_text(encoding="utf-8")
    text = re.sub(r"\nimpact_assessment_summary: \|\n(  .*\n|\n)*", "\n", text)
    assert "impact_assessment_summary" not in text
    from fichegen.load import parse_source
    from fichegen.render.markdown import render_markdown
    from fichegen.validate import validate

    fiche = validate(parse_source(text.encode("utf-8"), "x.yaml")).fiche
    assert fiche is not None
    markdown = render_markdown(fiche)
    assert "## 2. Essentie voorstel\n\nOp 11 maart 2026" in markdown
    assert "Inhoud voorstel" not in markdown and "Impact assessment Commissie\n" not in markdown
