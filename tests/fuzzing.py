"""Hypothesis strategies for fiches: valid ones, nasty prose, and YAML garbage.

Shared by tests/test_properties.py and tests/test_audience.py. A fiche is
generated as plain Python data and dumped to YAML, so every test goes through
the same load -> validate -> render path a user's file takes.
"""

from __future__ import annotations

import io
import os
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("FICHEGEN_FUZZ_EXAMPLES", "200"))
"""Examples per property test; CI runs the default, a long fuzz run sets e.g. 5000."""

FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 200, print_blob=True)
"""The settings of every property test: reproducible in CI, random in a long run."""

# Text a civil servant might paste: letters, accents, punctuation, quotes,
# right-to-left and zero-width marks, and the odd control character.
NASTY_CHARACTERS = (
    "\u202e\u202d\u200f\u200e\u200b\u2028\u2029\ufeff\u00a0\t\x85\x01\x07\x1b\x7f\ufffe\uffff"
)

# Lines that mean something to Markdown, HTML or Jinja when they reach a template.
MARKUP_LINES = [
    "# Kop",
    "## 5. Nieuwe sectie",
    "---",
    "***",
    "* * *",
    "===",
    "<script>alert(1)</script>",
    "<!-- open commentaar",
    "<div>blok</div>",
    "[^x]: een eigen voetnoot",
    "[link]: https://example.org",
    "| a | b |",
    "|---|---|",
    "a | b",
    "--- | ---",
    "```",
    "~~~python",
    "    ingesprongen code",
    "> citaat",
    "- lijst",
    "1. genummerd",
    "- # kop in lijst",
    "{{ fiche.title }}",
    "{% for x in range(10) %}x{% endfor %}",
    "{# commentaar #}",
    "\\",
    "*niet gesloten",
    "[niet gesloten](",
    "&amp; &#0; &lt;",
    "<https://example.org>",
    "![beeld](https://example.org/x.png)",
    "tekst met [^fn] verwijzing",
]

plain_text = (
    st.text(
        st.one_of(
            st.characters(codec="utf-8", categories=("L", "M", "N", "Zs")),
            st.sampled_from(".,;:'\"()-?%€/"),
        ),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)
"""Words in any script with ordinary punctuation: text a fiche holds as it is."""

odd_text = (
    st.text(
        st.one_of(
            st.characters(codec="utf-8", categories=("L", "M", "N", "Zs", "Cf", "Co", "So")),
            st.sampled_from(NASTY_CHARACTERS[:11]),
        ),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)
"""Unicode a fiche may hold: any script, symbols, right-to-left and zero-width marks."""

nasty_text = st.text(
    st.one_of(
        st.characters(codec="utf-8", exclude_categories=["Cs"]), st.sampled_from(NASTY_CHARACTERS)
    ),
    min_size=1,
    max_size=30,
)

markup_prose = (
    st.lists(
        st.one_of(st.sampled_from(MARKUP_LINES), plain_text, st.just("")),
        min_size=1,
        max_size=8,
    )
    .map("\n".join)
    .filter(lambda s: s.strip())
)

prose = st.one_of(plain_text, markup_prose)

identifiers = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,6}", fullmatch=True)


@st.composite
def fiches(
    draw: st.DrawFn,
    text: st.SearchStrategy[str] = prose,
    notes: st.SearchStrategy[Any] | None = None,
) -> dict[str, Any]:
    """A valid communication fiche as plain data; `notes` fills internal notes.

    Texts are drawn once into a small pool and then picked per field: drawing
    forty texts per example would make every example slow for no extra reach.
    """
    pool = draw(st.lists(text, min_size=2, max_size=6))
    names = draw(st.lists(plain_text, min_size=1, max_size=3))

    def any_text() -> str:
        return draw(st.sampled_from(pool))

    def name() -> str:
        return draw(st.sampled_from(names))

    def note() -> Any:
        assert notes is not None
        return draw(notes)

    with_notes = notes is not None
    areas = []
    count = 0
    for area_index in range(draw(st.integers(1, 3))):
        actions = []
        for _ in range(draw(st.integers(1, 3))):
            count += 1
            action: dict[str, Any] = {
                "id": count,
                "title": name(),
                "summary": any_text(),
                "stance": draw(
                    st.sampled_from(
                        ["support", "support_with_conditions", "critical", "oppose", "no_position"]
                    )
                ),
                "conditions": [any_text()],
                "concerns": [any_text()],
            }
            if draw(st.booleans()):
                action["position"] = any_text()
            if with_notes and draw(st.booleans()):
                action["internal_notes"] = note()
            actions.append(action)
        area: dict[str, Any] = {"id": area_index + 1, "title": name(), "actions": actions}
        if draw(st.booleans()):
            area["position"] = any_text()
        if with_notes and draw(st.booleans()):
            area["internal_notes"] = note()
        areas.append(area)
    fiche: dict[str, Any] = {
        "type": "communication",
        "title": name(),
        "general": {
            "proposal_title": any_text(),
            "date_received": name(),
            "com_numbers": [name()],
            "eurlex": [{"url": "https://eur-lex.europa.eu/x", "label": name()}],
            "impact_assessment": any_text() + " [^ia]",
            "council_formation": any_text(),
            "lead_ministry": any_text(),
        },
        "essence": any_text(),
        "areas": areas,
        "dutch_position": {
            "dutch_policy": any_text(),
            "assessment": any_text(),
            "force_field": any_text(),
        },
        "grounds": {
            "competence": {"verdict": "positive", "reasoning": any_text()},
            "subsidiarity": {"verdict": "negative", "reasoning": any_text()},
            "proportionality": {"verdict": "not_yet_assessable", "reasoning": any_text()},
            "financial": any_text(),
            "regulatory_burden": any_text(),
        },
        "footnotes": {"ia": any_text()},
        "annex": ["stance_overview"],
    }
    if with_notes:
        fiche["internal_notes"] = note()
        fiche["internal_section_notes"] = {key: note() for key in SECTION_NOTE_KEYS}
        fiche["internal_review_notes"] = [
            review_note(draw, note, areas) for _ in range(draw(st.integers(0, 3)))
        ]
    return fiche


def review_note(draw: st.DrawFn, note: Any, areas: list[dict[str, Any]]) -> dict[str, Any]:
    """A co-reader's comment as `absorb` keeps it: on a field in the text, or anywhere else."""
    area = draw(st.integers(0, len(areas) - 1))
    action = draw(st.integers(0, len(areas[area]["actions"]) - 1))
    places = [
        "title",
        "essence",
        "dutch_position.assessment",
        "grounds.competence.reasoning",
        "general.lead_ministry",
        f"areas.{area}.position",
        f"areas.{area}.actions.{action}.summary",
        f"areas.{area}.actions.{action}.conditions.0",
        "footnotes.ia",
        "areas.9.actions.9.position",  # an action removed since
        "",
    ]
    field = note() if draw(st.booleans()) else draw(st.sampled_from(places))
    result: dict[str, Any] = {"author": note(), "text": note(), "field": field}
    if draw(st.booleans()):
        result["date"] = draw(st.sampled_from(["2026-11-30T10:00:00Z", note()]))
    if draw(st.booleans()):
        result["quote"] = note()
    if draw(st.booleans()):
        result["replies"] = [{"author": note(), "text": note()}]
    return result


SECTION_NOTE_KEYS = (
    "general",
    "essence",
    "dutch_policy",
    "assessment",
    "force_field",
    "competence",
    "subsidiarity",
    "proportionality",
    "financial",
    "regulatory_burden",
    "developing_countries",
)


def _scalars() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        nasty_text,
        st.sampled_from(["communication", "support", "positive", "draft"]),
    )


FICHE_KEYS = [
    "type",
    "title",
    "general",
    "essence",
    "areas",
    "actions",
    "id",
    "stance",
    "dutch_position",
    "grounds",
    "footnotes",
    "annex",
    "internal_notes",
    "competence",
    "verdict",
    "reasoning",
    "conditions",
    "summary",
]

garbage_trees = st.recursive(
    _scalars(),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(FICHE_KEYS), nasty_text), children, max_size=5),
    ),
    max_leaves=25,
)
"""Random YAML-shaped data with the fiche's own keys sprinkled in."""


def dump_yaml(data: Any) -> bytes:
    """Plain data as YAML text the way a person could have written it."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue().encode("utf-8")
