"""Validation: the walk over the model's type hints, the reviewer's rules, the Markdown rules."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fichegen.errors import Problem, Severity
from fichegen.load import parse_source
from fichegen.model import Stance
from fichegen.prose import find_markdown_problems
from fichegen.rules import RULES
from fichegen.validate import Validation, dutch_labels, validate

NAME = "positions/x.yaml"

FICHE = textwrap.dedent("""\
    type: communication
    title: Test
    general:
      proposal_title: Titel
      date_received: 4 december 2025
      com_numbers: ["COM(2025) 744"]
      eurlex: [{url: "https://eur-lex.europa.eu/x"}]
      impact_assessment: Niet opgesteld.
      council_formation: Raad JBZ
      lead_ministry: Ministerie van Justitie en Veiligheid
    essence: Essentie.
    areas:
      - id: 1
        title: Gebied
        actions:
          - id: 1
            title: Actie een
            summary: De Commissie wil iets.
            stance: support
          - id: 2
            title: Actie twee
            summary: De Commissie wil meer.
            stance: critical
            concerns: [de kosten]
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
    """)


def run(text: str) -> Validation:
    return validate(parse_source(text.encode("utf-8"), NAME))


def shown(problems: list[Problem]) -> list[str]:
    """Each problem as 'line:column rule', the part a test is usually about."""
    return [f"{p.location.line}:{p.location.column} {p.code}" for p in problems]


def edit(*pairs: tuple[str, str]) -> str:
    text = FICHE
    for old, new in pairs:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def test_the_example_is_valid() -> None:
    result = run(FICHE)
    assert result.problems == []
    assert result.fiche is not None and [a.id for a in result.fiche.iter_actions()] == ["1", "2"]


def test_every_problem_in_a_file_is_reported_at_once() -> None:
    result = run(
        edit(
            ("title: Test", "title: [Test]"),
            ("stance: support", "stance: suport"),
            ("  force_field: Krachtenveld.\n", ""),
            ("{verdict: negative", "{verdict: negatif"),
        )
    )
    assert result.fiche is None
    assert shown(result.problems) == [
        "2:8 wrong-type",
        "19:17 wrong-value",
        "25:1 missing",
        "31:30 wrong-value",
    ]


def test_reviewer_rules_still_run_where_another_part_of_the_file_is_wrong() -> None:
    result = run(edit(("title: Test", "title: 2025"), ("concerns: [de kosten]", "position: Nee.")))
    assert result.fiche is None
    assert shown(result.problems) == ["2:8 wrong-type", "23:9 stance-concerns"]


def test_a_misspelt_key_is_reported_once_not_also_as_missing() -> None:
    result = run(edit(("stance: support", "stnace: support")))
    assert [p.format() for p in result.problems] == [
        f"{NAME}:19:9: error: unknown key 'stnace' in action 1 (did you mean 'stance'?) "
        "[unknown-key]\n    hint: the keys of action 1 are: id, title, summary, stance, "
        "conditions, concerns, position, meta, internal_notes"
    ]


def test_a_key_that_suggests_nothing_leaves_the_missing_key_reported() -> None:
    result = run(edit(("stance: support", "oordeel: support")))
    assert shown(result.problems) == ["16:9 missing", "19:9 unknown-key"]


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        ("'1.10'", True),
        ("1.10", False),
        ("2025", False),
        ("true", False),
        ("no", True),
        ("2025-12-04", True),
        ("[a, b]", False),
        ("{a: b}", False),
    ],
)
def test_text_is_text_numbers_and_yes_no_are_not(value: str, accepted: bool) -> None:
    result = run(edit(("date_received: 4 december 2025", f"date_received: {value}")))
    problems = [p for p in result.problems if p.code != "date"]  # accepted as text, not as date
    assert (problems == []) is accepted, [p.format() for p in problems]


def test_an_optional_field_left_empty_is_the_same_as_absent() -> None:
    result = run(
        edit(("stance: support", "stance: support\n        position: ''\n        conditions:"))
    )
    assert result.problems == []


def test_a_required_field_left_empty_is_missing_at_its_key() -> None:
    result = run(
        edit(
            ("  council_formation: Raad JBZ", "  council_formation:"),
            ('com_numbers: ["COM(2025) 744"]', "com_numbers: []"),
            ("proposal_title: Titel", "proposal_title: '  '"),
        )
    )
    assert [p.message for p in result.problems] == [
        "'proposal_title' of 'general' is empty",
        "'com_numbers' of 'general' is empty",
        "'council_formation' of 'general' is empty",
    ]
    assert shown(result.problems) == ["4:19 missing", "6:16 missing", "9:3 missing"]


def test_duplicate_ids_of_actions_and_areas() -> None:
    text = edit(
        ("      - id: 2\n", "      - id: 1\n"),
        (
            "areas:\n",
            "areas:\n  - id: 1\n    title: Eerder\n    actions:\n"
            "      - {id: 9, title: T, summary: S, stance: support}\n",
        ),
    )
    result = run(text)
    assert [f"{p.location.line}:{p.location.column} {p.message}" for p in result.problems] == [
        "17:5 area id 1 is used twice (first at line 13)",
        "24:9 action id 1 is used twice (first at line 20)",
    ]


def test_a_placeholder_is_a_warning_in_a_draft_and_an_error_in_a_final_fiche() -> None:
    text = edit(("assessment: Beoordeling.", "assessment: 'Het kabinet [INVULLEN: oordeel].'"))
    (draft,) = run(text).problems
    assert (draft.severity, draft.code, shown([draft])) == (
        Severity.WARNING,
        "placeholder",
        ["27:28 placeholder"],
    )
    (final,) = run("status: final\n" + text).problems
    assert (final.severity, final.code) == (Severity.ERROR, "final-placeholder")


def test_undecided_is_fine_in_a_draft_and_an_error_in_a_final_fiche() -> None:
    text = edit(("stance: support", "stance: no_position"))
    assert run(text).problems == []
    assert shown(run("status: final\n" + text).problems) == ["20:9 final-undecided"]


# -- where a problem inside a text is reported ---------------------------------------


@pytest.mark.parametrize(
    ("value", "where"),
    [
        ("Beleid [^x] hier.", "26:24"),  # plain scalar
        ("'Beleid, [^x] hier.'", "26:26"),  # single-quoted
        ('"Beleid\\t [^x] hier."', "26:27"),  # double-quoted with an escape
        ("|\n    Eerste regel.\n    Dan [^x] hier.", "28:9"),  # literal block
        (">\n    Eerste regel\n    dan [^x] hier.", "28:9"),  # folded block
        ("Eerste regel\n    dan [^x] hier.", "27:9"),  # plain scalar over two lines
    ],
)
def test_a_problem_inside_a_text_is_located_at_its_character(value: str, where: str) -> None:
    problems = run(edit(("dutch_policy: Beleid.", f"dutch_policy: {value}"))).problems
    (problem,) = [p for p in problems if p.code != "tab-in-text"]
    assert (problem.code, f"{problem.location.line}:{problem.location.column}") == (
        "footnote-undefined",
        where,
    )


def test_a_footnote_reference_inside_a_footnote_is_an_error() -> None:
    text = edit(("assessment: Beoordeling.", "assessment: Beoordeling.[^a]"))
    result = run(text + "footnotes:\n  a: Zie ook[^b].\n  b: Bron.\n")
    assert [(p.code, p.message) for p in result.problems] == [
        ("footnote-nested", "footnote reference [^b] inside footnote 'a'"),
        ("footnote-unused", "footnote 'b' is defined but never referenced"),
    ]


# -- Markdown that would render wrongly ----------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Gewone tekst.",
        "**vet** en *cursief* en _ook cursief_",
        "snake_case_naam en a_b_c",
        "5 * 3 = 15",
        "een \\*letterlijk sterretje",
        "`*code*` en `[x`",
        "zie [de site](https://x.nl)",
        "<https://eur-lex.europa.eu>",
        "noot[^ia] en nog een[^b]",
        "- een\n- twee *twee*",
        "1. een\n2. twee",
        "a < b en c > d",
        "Artikel 3, lid 2 [sic]",
        "#hashtag",
        "---\n",
        "tekst\n\n---\n\nmeer",
        "prijs: € 5,- per stuk",
        "een \\] en een \\[ letterlijk",
        "[geen link\\](want escaped)",
    ],
)
def test_markdown_that_renders_as_meant_is_not_reported(text: str) -> None:
    assert find_markdown_problems(text) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("een *open woord", "0:4 markdown-emphasis '*' starts italic text that is not closed"),
        ("**vet* nog", "0:0 markdown-emphasis '*' starts italic text that is not closed"),
        ("dicht** hier", "0:5 markdown-emphasis '**' ends bold text that was not started"),
        ("x _open", "0:2 markdown-emphasis '_' starts italic text that is not closed"),
        ("a*b", "0:1 markdown-emphasis '*' inside a word is not matched by another '*'"),
        ("regel een\nen *twee", "1:3 markdown-emphasis '*' starts italic text that is not closed"),
        ("- een\n- twee *open", "1:7 markdown-emphasis '*' starts italic text that is not closed"),
        ("[open", "0:0 markdown-link '[' is not closed by ']'"),
        ("dicht]", "0:5 markdown-link ']' has no '[' before it"),
        ("[tekst](https://a b)", "0:0 markdown-link this link is not valid"),
        (
            "# Kop",
            "0:0 markdown-heading a line starting with '#' would be a heading, which a text "
            "in a fiche cannot have",
        ),
        (
            "tekst\n===",
            "1:0 markdown-heading the line '===' under a text would make that text a "
            "heading, which a text in a fiche cannot have",
        ),
        ("a <br> b", "0:2 markdown-html HTML '<br>' is shown as it is, not as layout"),
        ("<div>\nx\n</div>", "0:0 markdown-html HTML '<div>' is shown as it is, not as layout"),
        (
            "alinea\n\n    code",
            "2:4 markdown-code a line indented by four spaces or more becomes a block of code",
        ),
    ],
)
def test_markdown_that_would_render_wrongly_is_found_at_its_character(
    text: str, found: str
) -> None:
    (finding,) = find_markdown_problems(text)
    assert f"{finding.line}:{finding.column} {finding.rule} {finding.message}" == found


def test_a_markdown_problem_seen_again_speaks_the_language_in_force(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from fichegen import i18n

    (english,) = find_markdown_problems("Dit is *open.")  # now kept for this text
    monkeypatch.setenv("FICHEGEN_LANG", "nl")
    i18n.set_language(None)
    (dutch,) = find_markdown_problems("Dit is *open.")
    assert (dutch.line, dutch.column, dutch.rule) == (english.line, english.column, english.rule)
    assert dutch.message != english.message
    assert "cursieve tekst" in dutch.message


def test_markdown_problems_are_located_in_the_file() -> None:
    text = edit(("assessment: Beoordeling.", "assessment: |\n    Eerste regel.\n    Dit is *open."))
    (problem,) = run(text).problems
    assert problem.format() == (
        f"{NAME}:29:12: error: '*' starts italic text that is not closed (in 'assessment' of "
        "'dutch_position') [markdown-emphasis]\n    hint: close it with '*' (no space before "
        "it), or write \\* for a literal '*'"
    )


def test_plain_text_fields_are_not_read_as_markdown() -> None:
    assert run(edit(("title: Test", "title: Test *met* [haken"))).problems == []


# -- the rule ids --------------------------------------------------------------------


def test_every_rule_printed_in_the_corpus_is_documented_and_every_rule_has_a_case() -> None:
    outputs = Path(__file__).parent.glob("invalid/*.out")
    printed = {
        rule
        for out in outputs
        for rule in re.findall(r" \[([a-z-]+)\]$", out.read_text("utf-8"), re.M)
    }
    assert printed <= set(RULES)
    # Each rule a team can configure has a case in the corpus.
    assert {rule_id for rule_id, rule in RULES.items() if not rule.fixed} <= printed


def test_an_escaped_footnote_reference_is_text() -> None:
    text = edit(("assessment: Beoordeling.", "assessment: 'Zie \\[^a] en [^b].'"))
    result = run(text + "footnotes:\n  a: Een.\n  b: Twee.\n")
    assert [p.message for p in result.problems] == ["footnote 'a' is defined but never referenced"]


# -- the Dutch labels of stances and verdicts ------------------------------------------

EXAMPLES = Path(__file__).parent.parent / "positions"
# A Dutch label for every id the examples use, written as a civil servant might.
AS_LABELS = {
    "stance: support_with_conditions": "stance: Steun onder  voorwaarden",
    "stance: support": "stance: steun",
    "stance: critical": "stance: KRITISCH",
    "stance: oppose": "stance: afwijzend ",
    "stance: no_position": "stance: nog geen positie",
    "verdict: positive_with_reservations": "verdict: positief met kanttekeningen",
    "verdict: positive": "verdict: Positief",
    "verdict: negative": "verdict: negatief",
}


def as_labels(text: str) -> str:
    for old, new in AS_LABELS.items():
        text = re.sub(rf"\b{re.escape(old)}$", new, text, flags=re.M)
    return text


@pytest.mark.parametrize(
    "example", ["com-2025-744-actieplan-drugshandel.yaml", "com-2026-123-precursoren.yaml"]
)
def test_dutch_labels_of_stances_and_verdicts_mean_their_ids(example: str) -> None:
    from fichegen.pipeline import render_fiche

    text = (EXAMPLES / example).read_text("utf-8")
    dutch = as_labels(text)
    assert dutch != text and "support" not in dutch.split("stance:")[1].split("\n")[0]
    with_ids, with_labels = run(text), run(dutch)
    assert with_labels.errors == []
    assert with_labels.fiche == with_ids.fiche
    assert with_ids.fiche is not None and with_labels.fiche is not None
    for fmt in ("md", "docx"):
        assert render_fiche(with_labels.fiche, fmt) == render_fiche(with_ids.fiche, fmt)


def test_a_near_miss_of_a_dutch_label_is_suggested_as_that_label() -> None:
    result = run(edit(("stance: critical", "stance: steun onder voorwaarde")))
    (problem,) = result.problems
    assert problem.message.endswith("(did you mean 'steun onder voorwaarden'?)")
    assert "support_with_conditions = steun onder voorwaarden" in problem.hint


def test_a_label_of_another_kind_is_not_accepted() -> None:
    # "positief" is a verdict, not a stance.
    result = run(edit(("stance: critical", "stance: positief")))
    assert [p.code for p in result.problems] == ["wrong-value"]


# What each stance needs beside it to be valid.
NEEDS = {
    "support_with_conditions": "        conditions: [een voorwaarde]\n",
    "critical": "        concerns: [de kosten]\n",
    "oppose": "        concerns: [de kosten]\n",
}


@settings(max_examples=50, deadline=None)
@given(
    stance=st.sampled_from(sorted(dutch_labels(Stance).items())),
    upper=st.lists(st.booleans(), min_size=30, max_size=30),
    spaces=st.lists(st.integers(min_value=1, max_value=3), min_size=4, max_size=4),
)
def test_any_casing_and_spacing_of_a_label_is_its_id(
    stance: tuple[str, str], upper: list[bool], spaces: list[int]
) -> None:
    ident, label = stance
    cased = "".join(c.upper() if up else c for c, up in zip(label, upper, strict=False))
    words = cased.split(" ")
    written = "".join(w + " " * n for w, n in zip(words, spaces[: len(words)], strict=True))
    line = f"        stance: '{written}'\n" + NEEDS.get(ident, "")
    result = run(edit(("        stance: support\n", line)))
    assert [p.format() for p in result.errors] == []
    assert result.fiche is not None
    assert result.fiche.areas[0].actions[0].stance == Stance(ident)
