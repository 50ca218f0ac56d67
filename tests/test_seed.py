"""The seed fiche as data reproduces the published fiche (COM(2025) 744).

The ground truth is the text extracted from the published PDF in
tests/data/. These tests compare the rendered Markdown with it word by
word, after undoing what the PDF did to the text (page breaks, hyphenation,
footnotes sitting where the page ended).
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from pathlib import Path

import pytest

from fichegen.model import Action, Fiche, Markdown, Stance
from fichegen.pipeline import read_fiche
from fichegen.render.markdown import render_markdown

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "positions" / "com-2025-744-actieplan-drugshandel.yaml"
SEED = ROOT / "tests" / "data" / "fiche-com-2025-744-actieplan-drugshandel.txt"

COMMUNICATION_HEADINGS = [
    "Fiche: ",
    "1. Algemene gegevens",
    "a) Titel voorstel",
    "b) Datum ontvangst Commissiedocument",
    "c) Nr. Commissiedocument",
    "d) EUR-Lex",
    "e) Nr. impact assessment Commissie en Opinie Raad voor Regelgevingstoetsing",
    "f) Behandelingstraject Raad",
    "g) Eerstverantwoordelijk ministerie",
    "2. Essentie voorstel",
    "3. Nederlandse positie ten aanzien van de mededeling/aanbeveling",
    "a) Essentie Nederlands beleid op dit terrein",
    "b) Beoordeling + inzet ten aanzien van dit voorstel",
    "c) Eerste inschatting van krachtenveld",
    "4. Grondhouding ten aanzien van bevoegdheid, subsidiariteit, proportionaliteit, financiële "
    "gevolgen en gevolgen voor regeldruk, concurrentiekracht en geopolitieke aspecten",
    "a) Bevoegdheid",
    "b) Subsidiariteit",
    "c) Proportionaliteit",
    "d) Financiële gevolgen",
    "e) Gevolgen voor regeldruk, concurrentiekracht en geopolitieke aspecten",
]

# The cabinet's line per action as the published text words it; the cue is a
# phrase of the seed that carries the verdict.
PUBLISHED_STANCES = {
    "1": (Stance.SUPPORT, "steunt het kabinet het initiatief"),
    "2": (Stance.SUPPORT_WITH_CONDITIONS, "mag echter niet ten koste gaan"),
    "3": (Stance.SUPPORT_WITH_CONDITIONS, "met inachtneming van het specifieke mandaat"),
    "4": (Stance.SUPPORT_WITH_CONDITIONS, "Realisme is echter geboden"),
    "5": (Stance.SUPPORT, "is voorstander van de initiatieven"),
    "6": (Stance.SUPPORT, "kan op steun van het kabinet rekenen"),
    "7": (Stance.SUPPORT, "is ook voor het kabinet een prioriteit"),
    "9": (Stance.SUPPORT, "Het kabinet steunt het ontwikkelen"),
    "12": (Stance.SUPPORT, "Het kabinet steunt een grondige evaluatie"),
    "17": (Stance.SUPPORT_WITH_CONDITIONS, "zolang deze geen afbreuk doen"),
    "19": (Stance.CRITICAL, "geen competentie van de EU"),
}


@pytest.fixture(scope="module")
def fiche() -> Fiche:
    return read_fiche(EXAMPLE)


@pytest.fixture(scope="module")
def rendered(fiche: Fiche) -> str:
    return render_markdown(fiche)


def seed_words(text: str) -> list[str]:
    """The published words in reading order: footnotes, links and page breaks taken out."""
    lines = text.split("\n")
    kept: list[str] = []
    in_footnote = False
    blank_run = 0
    for line in lines:
        stripped = line.strip()
        blank_run = blank_run + 1 if not stripped else 0
        if in_footnote:
            if blank_run >= 2:
                in_footnote = False
            continue
        if re.match(r"^\d{1,2} \S", stripped) and kept and not kept[-1].strip():
            in_footnote = True  # a footnote text at the foot of a page
            continue
        if stripped.startswith("http"):
            continue
        kept.append(line)
    body = "\n".join(kept)
    body = re.sub(r"(?<=[A-Za-z),.])\d(?=\s)", "", body)  # footnote markers: "drugsstrategie1"
    body = re.sub(r"-\s*\n\s*", "-", body)  # hyphenation at line ends keeps the hyphen
    return words(body)


def markdown_words(markdown: str) -> list[str]:
    """The words a reader sees in the rendered Markdown, without the footnote texts."""
    body = re.split(r"^\[\^", markdown, maxsplit=1, flags=re.M)[0]
    body = re.sub(r"\[\^[^\]]+\]", "", body)
    body = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", body)
    body = re.sub(r"^#+ ", "", body, flags=re.M)
    return words(body)


def words(text: str) -> list[str]:
    tokens = (token.strip(".,;:()[]*_’'\"").lower() for token in text.split())
    return [token for token in tokens if token]


def similarity(a: list[str], b: list[str]) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def as_published(fiche: Fiche) -> Fiche:
    """The fiche without annex, and without the lists fichegen adds after an action's own text.

    The published fiche words an action's conditions and concerns inside its
    position text; fichegen lists them after that text as well (so none can
    be lost), which the published text does not have.
    """
    areas = [
        dataclasses.replace(
            area,
            actions=[
                dataclasses.replace(action, conditions=[], concerns=[])
                if action.position
                else action
                for action in area.actions
            ],
        )
        for area in fiche.areas
    ]
    return dataclasses.replace(fiche, annex=[], areas=areas)


def test_rendered_fiche_reproduces_the_published_words_in_order(fiche: Fiche) -> None:
    without_annex = render_markdown(as_published(fiche))
    ratio = similarity(markdown_words(without_annex), seed_words(SEED.read_text("utf-8")))
    assert ratio >= 0.97, f"word similarity with the published fiche is {ratio:.4f}"


def test_similarity_measure_notices_a_missing_section(fiche: Fiche) -> None:
    # The measure must be able to fail: dropping section 4's reasoning costs
    # far more than the 3% the real render may differ.
    grounds = fiche.grounds
    x = Markdown("x")
    gutted = dataclasses.replace(
        grounds,
        regulatory_burden=x,
        financial=x,
        proportionality=dataclasses.replace(grounds.proportionality, reasoning=x),
    )
    text = render_markdown(dataclasses.replace(fiche, annex=[], grounds=gutted))
    assert similarity(markdown_words(text), seed_words(SEED.read_text("utf-8"))) < 0.97


def test_every_heading_of_the_communication_format_in_order(rendered: str) -> None:
    headings = [line.lstrip("# ") for line in rendered.splitlines() if line.startswith("#")]
    position = 0
    for expected in COMMUNICATION_HEADINGS:
        found = [i for i, h in enumerate(headings[position:], position) if h.startswith(expected)]
        assert found, f"heading {expected!r} missing or out of order"
        position = found[0] + 1


def test_every_footnote_of_the_seed_is_rendered(rendered: str) -> None:
    seed = " ".join(SEED.read_text("utf-8").split())
    definitions = re.findall(r"^\[\^([^\]]+)\]: (.+)$", rendered, flags=re.M)
    assert len(definitions) == 6
    for _key, text in definitions:
        first_words = " ".join(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text).split()[:4])
        assert first_words in seed, f"footnote {first_words!r} is not in the published fiche"


def test_all_19_actions_in_6_areas(fiche: Fiche) -> None:
    assert len(fiche.areas) == 6
    assert [a.id for a in fiche.iter_actions()] == [str(n) for n in range(1, 20)]


def test_every_action_appears_in_section_2_and_3b(fiche: Fiche, rendered: str) -> None:
    section_2 = rendered.split("## 2. Essentie voorstel")[1].split("## 3.")[0]
    section_3b = rendered.split("### b) Beoordeling")[1].split("### c) Eerste inschatting")[0]
    for action in fiche.iter_actions():
        assert action.summary.strip().splitlines()[0] in section_2, f"action {action.id}"
        assert action.position, f"action {action.id} has no position text"
        assert action.position.strip().splitlines()[-1] in section_3b, f"action {action.id}"


def test_stances_match_the_published_wording(fiche: Fiche) -> None:
    actions: dict[str, Action] = {action.id: action for action in fiche.iter_actions()}
    for action_id, (stance, cue) in PUBLISHED_STANCES.items():
        action = actions[action_id]
        assert action.stance is stance, f"action {action_id}"
        assert cue in " ".join((action.position or "").split()), f"action {action_id}: {cue!r}"


def test_section_4_verdicts_are_written_as_the_grondhouding_sentence(rendered: str) -> None:
    assert rendered.count("De grondhouding van het kabinet is positief.") == 3
