"""The YAML mistakes people make are explained in Dutch, at the line where they are, with a fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fichegen.errors import InputError, Problem
from fichegen.load import parse_source
from fichegen.pipeline import check_file
from fichegen.syntax import explain
from samples import MINIMAL

ROOT = Path(__file__).resolve().parents[1]


def problem_of(text: str) -> Problem:
    with pytest.raises(InputError) as caught:
        parse_source(text.encode("utf-8"), "x.yaml")
    (problem,) = caught.value.problems
    assert problem.code == "syntax" or problem.code == "duplicate-key"
    return problem


# (what, the YAML, line, column, words of the Dutch message, words of the Dutch hint)
CASES = [
    (
        "tab",
        "type: communication\ngeneral:\n\ttitle: x\n",
        3,
        1,
        "een tab in de inspringing",
        "vervang de tab door spaties",
    ),
    (
        "key one space too little",
        "general:\n  title: x\n date: y\n  lead: z\n",
        3,
        2,
        "het veld 'date' springt 1 spatie in, terwijl de velden eromheen er 2 hebben",
        "geef het 2 spaties, net als 'title'",
    ),
    (
        "key one space too many",
        "general:\n  title: x\n   date: y\n  lead: z\n",
        3,
        4,
        "het veld 'date' springt 3 spaties in, meer dan het veld erboven",
        "geef het 2 spaties",
    ),
    (
        "the first key of a part one space off, the next ones right",
        "general:\n  title: x\ngrounds:\n competence:\n    verdict: positive\n"
        "  subsidiarity:\n    verdict: positive\n",
        4,
        2,
        "het veld 'competence' springt 1 spatie in, terwijl de velden erna er 2 hebben",
        "geef het 2 spaties",
    ),
    (
        "the second key of a part one space off, the first right",
        "grounds:\n  competence:\n    verdict: positive\n   reasoning: x\n  subsidiarity: y\n",
        4,
        4,
        "het veld 'reasoning' springt 3 spaties in",
        "geef het 4 spaties, net als 'verdict'",
    ),
    (
        "a sentence of a | text indented too little",
        "essence: |\n  Een zin.\n  Twee zin.\n Drie zin.\n  Vier.\ntitle: x\n",
        4,
        2,
        "deze regel van de tekst onder 'essence' springt 1 spatie in, minder dan de 2",
        "geef deze regel 2 spaties",
    ),
    (
        "a sentence of a | text at its key's level",
        "areas:\n  - id: 1\n    summary: |\n      Een zin.\n    Twee zin.\n      Drie.\n"
        "    position: x\n",
        5,
        5,
        "tekst onder 'summary' springt 4 spaties in, minder dan de 6",
        "geef deze regel 6 spaties",
    ),
    (
        "apostrophe inside single quotes",
        "title: 'Platform (via 't EDA)'\ntype: communication\n",
        1,
        23,
        "de tekst tussen aanhalingstekens eindigt bij dit aanhalingsteken",
        "apostrof twee keer (''t)",
    ),
    (
        "double quotes at the start of a longer text",
        'title: "Platform" voor de uitwisseling\ntype: communication\n',
        1,
        17,
        "er volgt nog tekst: voor de uitwisseling",
        "zet de hele tekst tussen enkele aanhalingstekens: '\"Platform\" voor de uitwisseling'",
    ),
    (
        "brackets at the start of a value",
        "title: [voorlopig] Platform\ntype: communication\n",
        1,
        8,
        "een waarde die met '[' begint wordt gelezen als een lijst",
        "zet de hele tekst tussen aanhalingstekens: '[voorlopig] Platform'",
    ),
    (
        "text after |",
        "type: communication\nimplementation: | Het voorstel gaat.\n  verder\n",
        2,
        19,
        "tekst achter '|' op dezelfde regel",
        "na '|' begint de tekst op de volgende regel",
    ),
    (
        "a non-breaking space pasted from Word before a key",
        "general:\n  title: x\n\u00a0 date: y\n  lead: z\n",
        3,
        1,
        "onzichtbaar teken U+00A0 (harde spatie)",
        "uit Word of een pdf",
    ),
    (
        "a zero-width space in the indentation",
        "general:\n  title: x\n \u200bdate: y\n",
        3,
        2,
        "U+200B (spatie zonder breedte)",
        "verwijder het",
    ),
    (
        "a colon inside a value",
        "title: Actie 3: versterken\ntype: communication\n",
        1,
        15,
        "een dubbele punt met een spatie erna midden in een waarde",
        "zet de hele tekst tussen aanhalingstekens: 'Actie 3: versterken'",
    ),
    (
        "a list item among keys",
        "dutch_position:\n  dutch_policy: x\n  - force_field: y\n",
        3,
        3,
        "een opsommingsteken ('- ') tussen de velden van 'dutch_position'",
        "haal de '- ' weg",
    ),
    (
        "a quote that is never closed",
        'type: communication\ntitle: "Actieplan\ngeneral:\n  title: x\n',
        2,
        8,
        "de '\"' aan het begin van deze waarde wordt nergens gesloten",
        "sluit de waarde af met '\"'",
    ),
    (
        "a bracket that is never closed",
        "general:\n  com_numbers: [COM(2025) 744\n  eurlex: x\n",
        2,
        16,
        "de '[' aan het begin van deze waarde wordt nergens gesloten",
        "sluit de waarde af met ']'",
    ),
    (
        "a duplicate key",
        "title: a\ntype: communication\ntitle: b\n",
        3,
        1,
        "het veld 'title' staat er twee keer (eerst op regel 1)",
        "voeg de twee samen",
    ),
]


@pytest.mark.parametrize(
    ("text", "line", "column", "message", "hint"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_a_yaml_mistake_is_explained_in_dutch_where_it_is(
    dutch: None, text: str, line: int, column: int, message: str, hint: str
) -> None:
    problem = problem_of(text)
    assert (problem.location.line, problem.location.column) == (line, column), problem.format()
    assert message in problem.message, problem.message
    assert hint in problem.hint, problem.hint
    assert problem.format().split("\n")[1].startswith("    tip: ")


def test_the_location_line_keeps_its_format_for_tools_in_dutch(dutch: None) -> None:
    problem = problem_of("general:\n  title: x\n date: y\n")
    assert problem.format().startswith("x.yaml:3:2: error: het veld 'date' springt")
    assert problem.format().split("\n")[0].endswith(" [syntax]")


def test_english_on_request() -> None:
    problem = problem_of("type: communication\nimplementation: | Het voorstel.\n")
    assert problem.message == "text after '|' on the same line"
    assert problem.format().split("\n")[1].startswith("    hint: ")


def test_a_colon_in_a_list_item_is_named_as_the_cause(dutch: None, tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "stance: support",
        "stance: support_with_conditions\n        conditions:\n          - Voorwaarde: deelname",
    )
    path = tmp_path / "x.yaml"
    path.write_text(text, "utf-8")
    problems = [p for p in check_file(path).problems if p.code == "wrong-type"]
    assert problems, check_file(path).problems
    assert "door de ': ' na 'Voorwaarde' leest YAML een veld met een waarde" in problems[0].hint


def test_an_invisible_character_in_a_key_is_named(dutch: None, tmp_path: Path) -> None:
    text = MINIMAL.replace("essence: Essentie.", "\u00a0essence: Essentie.")
    path = tmp_path / "x.yaml"
    path.write_text(text, "utf-8")
    (problem,) = [p for p in check_file(path).problems if p.code == "unknown-key"]
    assert "U+00A0 (harde spatie)" in problem.hint


def test_a_fiche_that_parses_has_nothing_to_explain() -> None:
    for path in sorted((ROOT / "positions").glob("*.yaml")):
        text = path.read_text("utf-8")
        assert explain(text, path.name, len(text.split("\n")), 0) is None, path


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=" \t\n-:|>'\"[]{}#a\u00a0", max_size=60))
def test_explain_never_fails_and_points_inside_the_file(text: str) -> None:
    lines = text.split("\n")
    problem = explain(text, "x.yaml", len(lines), 0)
    if problem is not None:
        assert 1 <= problem.location.line <= len(lines)
        assert 1 <= problem.location.column <= len(lines[problem.location.line - 1]) + 1
