"""The public version never holds an internal note; the internal one shows each in place."""

from __future__ import annotations

import dataclasses
import io
import re
import textwrap
import typing
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from fichegen import model
from fichegen.audience import for_audience, iter_internal_notes, strip_internal
from fichegen.cli import main
from fichegen.errors import UsageError
from fichegen.load import parse_source
from fichegen.pipeline import render_fiche
from fichegen.validate import validate
from fuzzing import FUZZ, SECTION_NOTE_KEYS, dump_yaml, fiches, plain_text

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "positions" / "com-2025-744-actieplan-drugshandel.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

NOTES = textwrap.dedent("""\
    type: communication
    title: Test
    general:
      proposal_title: Titel
      date_received: juni 2023
      com_numbers: ["COM(2023) 1"]
      eurlex: [{url: "https://eur-lex.europa.eu/x"}]
      impact_assessment: Niet opgesteld.
      council_formation: Raad JBZ
      lead_ministry: Ministerie van Justitie en Veiligheid
    essence: Essentie.
    areas:
      - id: 1
        title: Gebied
        position: Het kabinet ziet het gebied positief.
        internal_notes: GEHEIM-GEBIED
        actions:
          - id: 1
            title: Actie een
            summary: De Commissie wil iets.
            stance: critical
            concerns: [het mandaat]
            internal_notes: |
              GEHEIM-ACTIE: onderhandelingsruimte.
              EZK heeft nog bezwaar.
    dutch_position:
      dutch_policy: Beleid.
      assessment: Beoordeling.
      force_field: Krachtenveld.
    grounds:
      competence: {verdict: positive, reasoning: Bevoegd.}
      subsidiarity: {verdict: positive, reasoning: Subsidiair.}
      proportionality: {verdict: negative, reasoning: Niet proportioneel.}
      financial: Geen.
      regulatory_burden: Geen.
    internal_notes: GEHEIM-FICHE
    internal_section_notes:
      assessment: GEHEIM-BEOORDELING
      subsidiarity: GEHEIM-SUBSIDIARITEIT
    """)

MARKERS = [
    "GEHEIM-FICHE",
    "GEHEIM-BEOORDELING",
    "GEHEIM-GEBIED",
    "GEHEIM-ACTIE",
    "GEHEIM-SUBSIDIARITEIT",
]


def load(text: str | bytes) -> model.Fiche:
    data = text.encode("utf-8") if isinstance(text, str) else text
    result = validate(parse_source(data, "x.yaml"))
    assert result.fiche is not None and not result.errors, result.errors
    return result.fiche


def every_part(docx: bytes) -> dict[str, str]:
    """Every member of the .docx zip as text: body, comments, footnotes, properties, all."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return {name: archive.read(name).decode("utf-8", "replace") for name in archive.namelist()}


def comment_anchors(docx: bytes) -> dict[str, tuple[str, str]]:
    """Comment id -> (the text it is anchored to, the comment's text)."""
    parts = every_part(docx)
    body = etree.fromstring(parts["word/document.xml"].encode())
    comments = etree.fromstring(parts["word/comments.xml"].encode())
    open_ranges: dict[str, list[str]] = {}
    anchored: dict[str, str] = {}
    for element in body.iter():
        if element.tag == W + "commentRangeStart":
            open_ranges[element.get(W + "id", "")] = []
        elif element.tag == W + "commentRangeEnd":
            number = element.get(W + "id", "")
            anchored[number] = "".join(open_ranges.pop(number))
        elif element.tag == W + "t":
            for texts in open_ranges.values():
                texts.append(element.text or "")
    references = {el.get(W + "id") for el in body.iter(W + "commentReference")}
    result = {}
    for comment in comments.iter(W + "comment"):
        number = comment.get(W + "id", "")
        assert number in references
        result[number] = (anchored[number], "".join(t.text or "" for t in comment.iter(W + "t")))
    return result


# -- the model filter ------------------------------------------------------------------------


def test_public_fiche_has_no_internal_field_left() -> None:
    fiche = load(NOTES)
    assert {text.split(":")[0] for _, text in iter_internal_notes(fiche)} == set(MARKERS)
    public = for_audience(fiche, "public")
    assert list(iter_internal_notes(public)) == []
    assert public.areas[0].actions[0].concerns == ["het mandaat"]
    assert for_audience(fiche, "internal") is fiche


def test_every_internal_field_of_the_model_can_be_stripped() -> None:
    """A field named internal_* anywhere in the model is removed by name, so it needs a default."""
    seen: set[str] = set()

    def walk(cls: type) -> None:
        hints = typing.get_type_hints(cls, vars(model))
        for field in dataclasses.fields(cls):
            if field.name.startswith("internal"):
                seen.add(f"{cls.__name__}.{field.name}")
                assert (
                    field.default is not dataclasses.MISSING
                    or field.default_factory is not dataclasses.MISSING
                )
            for inner in _classes(hints[field.name]):
                walk(inner)

    walk(model.Fiche)
    assert {
        "Fiche.internal_notes",
        "Fiche.internal_section_notes",
        "Area.internal_notes",
        "Action.internal_notes",
    } <= seen


def _classes(hint: object) -> list[type]:
    found = [hint] if dataclasses.is_dataclass(hint) and isinstance(hint, type) else []
    for argument in typing.get_args(hint):
        found += _classes(argument)
    return found


def test_strip_internal_leaves_a_fiche_without_notes_untouched() -> None:
    fiche = load(
        NOTES.split("internal_notes: GEHEIM-FICHE")[0]
        .replace("    internal_notes: GEHEIM-GEBIED\n", "")
        .replace(
            "        internal_notes: |\n          GEHEIM-ACTIE: onderhandelingsruimte.\n"
            "          EZK heeft nog bezwaar.\n",
            "",
        )
    )
    assert strip_internal(fiche) is fiche


def test_unknown_audience_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as caught:
        for_audience(load(NOTES), "kamer")
    assert "unknown audience 'kamer'" in caught.value.problems[0].message


# -- Markdown --------------------------------------------------------------------------------


def test_public_markdown_holds_no_note() -> None:
    markdown = render_fiche(load(NOTES), "md").decode("utf-8")
    for marker in [*MARKERS, "EZK", "Interne notitie"]:
        assert marker not in markdown


def test_internal_markdown_shows_each_note_as_a_marked_block_after_its_text() -> None:
    markdown = render_fiche(load(NOTES), "md", audience="internal").decode("utf-8")
    assert markdown.startswith(
        "**CONCEPT · INTERN - NIET VOOR DE KAMER**\n\n"
        "# Fiche: Test\n\n> **Interne notitie:** GEHEIM-FICHE\n\n"
    )
    assert (
        "### b) Beoordeling + inzet ten aanzien van dit voorstel\n\n"
        "> **Interne notitie:** GEHEIM-BEOORDELING\n\nBeoordeling.\n"
    ) in markdown
    assert (
        "Het kabinet ziet het gebied positief.\n\n> **Interne notitie:** GEHEIM-GEBIED\n"
    ) in markdown
    assert (
        "- het mandaat\n\n> **Interne notitie:** GEHEIM-ACTIE: onderhandelingsruimte.\n"
        "> EZK heeft nog bezwaar.\n"
    ) in markdown
    assert "### b) Subsidiariteit\n\n> **Interne notitie:** GEHEIM-SUBSIDIARITEIT\n" in markdown


def test_cli_audience_switch(tmp_path: Path) -> None:
    source = tmp_path / "x.yaml"
    source.write_text(NOTES, encoding="utf-8")
    runner = CliRunner()
    for audience, expected in (("public", False), ("internal", True)):
        target = tmp_path / f"{audience}.md"
        result = runner.invoke(
            main, ["render", str(source), "-f", "md", "-o", str(target), "--audience", audience]
        )
        assert result.exit_code == 0, result.output
        assert ("GEHEIM-ACTIE" in target.read_text("utf-8")) is expected
    result = runner.invoke(
        main, ["render", str(source), "-f", "md", "-o", str(tmp_path / "default.md")]
    )
    assert result.exit_code == 0
    assert "GEHEIM" not in (tmp_path / "default.md").read_text("utf-8")


# -- Word ------------------------------------------------------------------------------------


def test_public_word_file_holds_no_note_in_any_part() -> None:
    parts = every_part(render_fiche(load(NOTES), "docx", source_path="x.yaml"))
    assert "word/comments.xml" not in parts
    for name, text in parts.items():
        for marker in [*MARKERS, "EZK heeft", "Interne notitie"]:
            assert marker not in text, f"{marker} leaked into {name}"
        assert "commentReference" not in text and "commentRangeStart" not in text


def test_internal_word_file_has_each_note_as_a_comment_on_its_text() -> None:
    docx = render_fiche(load(NOTES), "docx", audience="internal", source_path="x.yaml")
    anchors = sorted(comment_anchors(docx).values(), key=lambda pair: pair[1])
    assert anchors == [
        (
            "Het kabinet is kritisch over actie 1 (Actie een). De zorg van het kabinet betreft:"
            "het mandaat",
            "GEHEIM-ACTIE: onderhandelingsruimte. EZK heeft nog bezwaar.",
        ),
        ("b) Beoordeling + inzet ten aanzien van dit voorstel", "GEHEIM-BEOORDELING"),
        ("Fiche: Test", "GEHEIM-FICHE"),
        ("Het kabinet ziet het gebied positief.", "GEHEIM-GEBIED"),
        ("b) Subsidiariteit", "GEHEIM-SUBSIDIARITEIT"),
    ]
    parts = every_part(docx)
    assert "GEHEIM" not in parts["word/document.xml"]  # in comments only, not in the text
    assert "comments.xml" in parts["word/_rels/document.xml.rels"]
    assert "/word/comments.xml" in parts["[Content_Types].xml"]


def test_internal_word_file_opens_with_python_docx() -> None:
    import docx

    document = docx.Document(io.BytesIO(render_fiche(load(NOTES), "docx", audience="internal")))
    assert sorted(c.text.split(":")[0] for c in document.comments) == sorted(MARKERS)
    assert all(c.author == "Interne notitie" for c in document.comments)


_BLOCK_LINES = st.lists(
    st.sampled_from(
        [
            *("", "tekst", "tekst[^1]", "> citaat", ">", "- punt", "  - punt", "1. punt", "# Kop"),
            *("===", "---", "| a | b |", "|---|---|", "[^1]: noot", "    code", "```", "<div>"),
        ]
    ),
    max_size=30,
).map("\n".join)


@FUZZ
@given(_BLOCK_LINES)
def test_notes_are_placed_by_the_blocks_the_word_writer_sees(markdown: str) -> None:
    """`mark_notes` finds blocks with a parser that skips inline content: the same blocks."""
    from fichegen.render.docx import word_parser

    def blocks(parser: typing.Any) -> list[tuple[str, typing.Any]]:
        tokens = parser.parse(markdown)
        return [(t.type, t.map) for t in tokens if t.level == 0 and t.map is not None]

    assert blocks(word_parser(blocks_only=True)) == blocks(word_parser())


def test_seed_example_keeps_its_illustrative_notes_internal() -> None:
    fiche = load(EXAMPLE.read_bytes())
    notes = [text for _, text in iter_internal_notes(fiche)]
    if not notes:
        pytest.skip("the example has no internal notes yet")
    public = render_fiche(fiche, "md").decode("utf-8") + "".join(
        every_part(render_fiche(fiche, "docx")).values()
    )
    internal_md = render_fiche(fiche, "md", audience="internal").decode("utf-8")
    internal_docx = every_part(render_fiche(fiche, "docx", audience="internal"))
    assert "Illustratief voorbeeld" not in public
    assert internal_md.count("> **Interne notitie:** Illustratief voorbeeld") == len(notes)
    assert internal_docx["word/comments.xml"].count("Illustratief voorbeeld") == len(notes)


# -- for every fiche and every note -----------------------------------------------------------

secret_notes = st.builds(
    lambda n, text: f"GEHEIM{n:05d}X {text}", st.integers(0, 99_999), plain_text
)


@FUZZ
@given(fiches(text=plain_text, notes=secret_notes))
def test_public_version_never_contains_a_note_and_internal_shows_them_all(data: dict) -> None:
    result = validate(parse_source(dump_yaml(data), "x.yaml"))
    if result.errors or result.fiche is None:
        return  # a note the validator refuses (e.g. looks like a heading) is reported
    fiche = result.fiche
    public = render_fiche(fiche, "md").decode("utf-8")
    public += "".join(every_part(render_fiche(fiche, "docx")).values())
    assert "GEHEIM" not in public
    shown = [
        found.group()
        for path, text in iter_internal_notes(fiche)
        if not path.endswith(f".{SECTION_NOTE_KEYS[-1]}")  # a note on an absent section
        # a review note's field and date may be plain ("essence", a date Word wrote)
        and (found := re.match(r"GEHEIM\d{5}X", text)) is not None
    ]
    internal_md = render_fiche(fiche, "md", audience="internal").decode("utf-8")
    comments = every_part(render_fiche(fiche, "docx", audience="internal"))["word/comments.xml"]
    for marker in shown:
        assert marker in internal_md
        assert marker in comments
