"""`fichegen diff --format docx`: the new fiche with every difference as a Word revision.

The property that matters: accepting every revision gives exactly the new
render, rejecting every one exactly the old render, paragraph by paragraph
(style, list, formatted text, footnotes). It is checked for the edits of the
issue on the seed fiche, and for generated edits of a small fiche.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import io
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import LiteralScalarString

from fichegen.cli import main
from fichegen.diff.ooxml import W_NS
from fichegen.diff.revisions import accept_all, count_revisions, paragraphs, reject_all
from fichegen.diff.tracked import track_changes
from fichegen.load import parse_source
from fichegen.model import Fiche, Stance
from fichegen.pipeline import render_fiche
from fichegen.validate import validate

ROOT = Path(__file__).resolve().parents[1]
SEED_TEXT = (ROOT / "positions" / "com-2025-744-actieplan-drugshandel.yaml").read_text("utf-8")
MINI_TEXT = (ROOT / "tests" / "diff" / "mini.yaml").read_text("utf-8")
WHEN = datetime.datetime(2025, 12, 4, 9, 30, tzinfo=datetime.UTC)
Tree = Any


def edit(text: str, change: Callable[[Tree], None]) -> str:
    yaml = YAML(typ="rt")
    yaml.width = 4096
    tree = yaml.load(text)
    change(tree)
    out = io.StringIO()
    yaml.dump(tree, out)
    return out.getvalue()


@functools.cache
def fiche(text: str) -> Fiche:
    """The fiche of a positions text (cached: the versions are parsed again and again)."""
    result = validate(parse_source(text.encode("utf-8"), "test.yaml"))
    assert not result.errors, [p.format() for p in result.errors]
    assert result.fiche is not None
    return result.fiche


def action(tree: Tree, action_id: str) -> Tree:
    return next(
        item for area in tree["areas"] for item in area["actions"] if str(item["id"]) == action_id
    )


def area(tree: Tree, area_id: str) -> Tree:
    return next(a for a in tree["areas"] if a["id"] == area_id)


def stance_changed(tree: Tree) -> None:
    item = action(tree, "5")
    item["stance"] = "support_with_conditions"
    item["conditions"] = ["onderzoek naar een verbod op go-fast boten"]


def action_moved(tree: Tree) -> None:
    area(tree, "prevention")["actions"].insert(0, area(tree, "routes")["actions"].pop(2))


def condition_added(tree: Tree) -> None:
    action(tree, "2")["conditions"].insert(0, "Evaluatie na twee jaar")


def paragraph_rewritten(tree: Tree) -> None:
    lines = str(action(tree, "8")["position"]).splitlines()
    lines[0] = lines[0].replace("douane", "de douane en de politie", 1)
    lines[2] = "Een geheel nieuwe zin over *samenwerking*."
    action(tree, "8")["position"] = LiteralScalarString("\n".join(lines) + "\n")


def footnote_changed(tree: Tree) -> None:
    text = str(tree["footnotes"]["maocn"]).rstrip("\n")
    tree["footnotes"]["maocn"] = LiteralScalarString(text + "\nEen extra zin.\n")


def action_deleted(tree: Tree) -> None:
    actions = area(tree, "international")["actions"]
    del actions[len(actions) - 1]


def verdict_changed(tree: Tree) -> None:
    tree["grounds"]["subsidiarity"]["verdict"] = "positive_with_reservations"


def link_changed(tree: Tree) -> None:
    tree["general"]["eurlex"][0]["url"] = "https://eur-lex.europa.eu/eli/com/2025/744"


def footnote_removed(tree: Tree) -> None:
    key = "maocn"
    del tree["footnotes"][key]
    summary = action(tree, "2")
    summary["summary"] = str(summary["summary"]).replace(f"[^{key}]", "")


def annex_removed(tree: Tree) -> None:
    del tree["annex"]


def section_added_at_the_end(tree: Tree) -> None:
    tree["developing_countries"] = "Geen gevolgen.\nOok niet indirect."


def everything(tree: Tree) -> None:
    for change in (
        stance_changed,
        action_moved,
        condition_added,
        paragraph_rewritten,
        footnote_changed,
        action_deleted,
        verdict_changed,
        link_changed,
    ):
        change(tree)


EDITS: dict[str, Callable[[Tree], None]] = {
    f.__name__: f
    for f in (
        stance_changed,
        action_moved,
        condition_added,
        paragraph_rewritten,
        footnote_changed,
        action_deleted,
        verdict_changed,
        link_changed,
        footnote_removed,
        annex_removed,
        section_added_at_the_end,
        everything,
    )
}


@functools.cache
def seed_render() -> bytes:
    return render_fiche(fiche(SEED_TEXT), "docx")


def renders(change: Callable[[Tree], None]) -> tuple[bytes, bytes]:
    return seed_render(), render_fiche(fiche(edit(SEED_TEXT, change)), "docx")


def assert_round_trip(old: bytes, new: bytes, tracked: bytes) -> None:
    assert paragraphs(accept_all(tracked)) == paragraphs(new)
    assert paragraphs(reject_all(tracked)) == paragraphs(old)


@pytest.mark.parametrize("name", list(EDITS))
def test_accept_all_gives_new_and_reject_all_gives_old(name: str) -> None:
    old, new = renders(EDITS[name])
    tracked = track_changes(old, new, "Tester", WHEN)
    assert count_revisions(tracked), "no revisions for a change"
    assert_round_trip(old, new, tracked)


def test_identical_versions_have_no_revisions() -> None:
    old = seed_render()
    tracked = track_changes(old, old, "Tester", WHEN)
    assert count_revisions(tracked) == {}
    assert paragraphs(tracked) == paragraphs(old)


def tracked_lines(change: Callable[[Tree], None]) -> list[str]:
    old, new = renders(change)
    return paragraphs(track_changes(old, new, "Tester", WHEN))


def test_a_changed_word_is_a_revision_inside_its_paragraph() -> None:
    lines = tracked_lines(verdict_changed)
    assert any(
        "De grondhouding van het kabinet is positief{+ met kanttekeningen+}." in line
        for line in lines
    )


def test_a_rewritten_sentence_is_deleted_and_inserted_words_not_a_new_paragraph() -> None:
    changed = [line for line in tracked_lines(paragraph_rewritten) if "{+" in line]
    assert len(changed) == 1
    line = changed[0]
    assert line.startswith("Normal: ")  # the paragraph itself stays, only words change
    first, rewritten = line.split("[-", 1)
    assert "{+de +}douane" in first and "en de politie" in first
    assert "{+Een geheel nieuwe zin over +}{+«i:samenwerking»+}" in rewritten


def test_changed_footnote_is_revised_inside_the_footnote() -> None:
    old, new = renders(footnote_changed)
    tracked = track_changes(old, new, "Tester", WHEN)
    with zipfile.ZipFile(io.BytesIO(tracked)) as archive:
        notes = etree.fromstring(archive.read("word/footnotes.xml"))
    inserted = ["".join(el.itertext()) for el in notes.iter(f"{{{W_NS}}}ins")]
    assert inserted == [" Een extra zin."]
    assert "[^FootnoteText: «rStyle=FootnoteReference:[#]» Maritime" in "".join(paragraphs(tracked))


def test_deleted_action_is_deleted_paragraphs_and_a_deleted_table_row() -> None:
    counts = count_revisions(track_changes(*renders(action_deleted), "Tester", WHEN))
    assert counts["row-del"] == 1
    # Its summary in section 2; in 3b its position, the lead-in to its concerns and the four.
    assert counts["paragraph-del"] == 7
    assert "paragraph-ins" not in counts and "ins" not in counts


def test_every_revision_has_author_date_and_its_own_id() -> None:
    old, new = renders(everything)
    tracked = track_changes(old, new, "Anna de Vries", WHEN)
    ids = []
    with zipfile.ZipFile(io.BytesIO(tracked)) as archive:
        for name in ("word/document.xml", "word/footnotes.xml"):
            root = etree.fromstring(archive.read(name))
            for tag in ("ins", "del", "pPrChange", "tcPrChange"):
                for el in root.iter(f"{{{W_NS}}}{tag}"):
                    assert el.get(f"{{{W_NS}}}author") == "Anna de Vries"
                    assert el.get(f"{{{W_NS}}}date") == "2025-12-04T09:30:00Z"
                    ids.append(el.get(f"{{{W_NS}}}id"))
    assert len(ids) > 20
    assert len(ids) == len(set(ids))


# -- generated edits of a small fiche ----------------------------------------------------------

WORDS = [
    "het",
    "kabinet",
    "steunt",
    "de",
    "actie",
    "EU",
    "*nadruk*",
    "**sterk**",
    "niet",
    "[link](https://example.org/a)",
    "[ander](https://example.org/b)",
    "[^a]",
    "[^b]",
    "lidstaten",
    "`code`",
    "—",
    "(actie",
    "1)",
]
sentences = st.lists(st.sampled_from(WORDS), min_size=1, max_size=7).map(
    lambda words: " ".join(words) + "."
)
lines = st.lists(sentences, min_size=1, max_size=3)
blocks = (
    lines.map("\n".join)
    | lines.map(lambda items: "\n".join(f"- {i}" for i in items))
    | lines.map(lambda items: "\n".join(f"{n}. {i}" for n, i in enumerate(items, 1)))
)
texts = st.lists(blocks, min_size=1, max_size=3).map("\n\n".join)
items = st.lists(sentences, max_size=3)
notes = st.lists(
    st.sampled_from([w for w in WORDS if not w.startswith("[^")]), min_size=1, max_size=7
).map(lambda words: " ".join(words) + ".")


@st.composite
def version_pairs(draw: st.DrawFn) -> tuple[Fiche, Fiche]:
    """Two versions of the small fiche: each text the same or changed, at random."""
    base = fiche(MINI_TEXT)

    def vary(old: Any, strategy: st.SearchStrategy[Any]) -> Any:
        return old if draw(st.booleans()) else draw(strategy)

    old_values = {
        "essence": draw(texts),
        "assessment": draw(texts),
        "position": draw(texts | st.none()),
        "conditions": draw(items),
        "note": draw(notes),
        "keep_area": draw(st.booleans()),
        "order": draw(st.permutations([0, 1])),
    }
    new_values = {
        key: vary(
            value,
            {
                "essence": texts,
                "assessment": texts,
                "position": texts | st.none(),
                "conditions": items,
                "note": notes,
                "keep_area": st.booleans(),
                "order": st.permutations([0, 1]),
            }[key],
        )
        for key, value in old_values.items()
    }
    return build(base, old_values), build(base, new_values)


def build(base: Fiche, values: dict[str, Any]) -> Fiche:
    first, second = base.areas[0].actions
    conditional = dataclasses.replace(
        second,
        conditions=values["conditions"],
        position=values["position"],
        stance=Stance.SUPPORT_WITH_CONDITIONS if values["conditions"] else Stance.SUPPORT,
    )
    actions = [first, conditional]
    areas = [dataclasses.replace(base.areas[0], actions=[actions[i] for i in values["order"]])]
    if values["keep_area"]:
        areas.append(base.areas[1])
    return dataclasses.replace(
        base,
        essence=values["essence"],
        areas=areas,
        dutch_position=dataclasses.replace(base.dutch_position, assessment=values["assessment"]),
        footnotes={"a": values["note"], "b": base.footnotes["b"]},
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(version_pairs())
def test_accept_and_reject_hold_for_generated_edits(pair: tuple[Fiche, Fiche]) -> None:
    old, new = (render_fiche(version, "docx") for version in pair)
    assert_round_trip(old, new, track_changes(old, new, "Tester", WHEN))


# -- the command and LibreOffice ---------------------------------------------------------------


def test_command_writes_the_tracked_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "old.yaml").write_text(SEED_TEXT, encoding="utf-8")
    (tmp_path / "x.yaml").write_text(edit(SEED_TEXT, everything), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["diff", "old.yaml", "x.yaml", "-f", "docx", "--author", "Bert"]
    )
    assert result.exit_code == 0, result.output
    written = tmp_path / "output" / "x-wijzigingen.docx"
    assert result.stderr.startswith(f"wrote {Path('output') / 'x-wijzigingen.docx'}")
    new = render_fiche(fiche(edit(SEED_TEXT, everything)), "docx")
    assert paragraphs(accept_all(written.read_bytes())) == paragraphs(new)
    assert b'w:author="Bert"' in zipfile.ZipFile(written).read("word/document.xml")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_document_with_its_revisions(tmp_path: Path) -> None:
    old, new = renders(everything)
    source = tmp_path / "x-wijzigingen.docx"
    source.write_bytes(track_changes(old, new, "Tester", WHEN))
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--convert-to",
            "fodt",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    content = (tmp_path / "x-wijzigingen.fodt").read_text(encoding="utf-8")
    assert "<text:tracked-changes" in content
    assert content.count("<text:insertion") >= 5
    assert content.count("<text:deletion") >= 5
    assert "<dc:creator>Tester</dc:creator>" in content
    assert "onderzoek naar een verbod op go-fast boten" in content


def test_tracked_changes_are_valid_word() -> None:
    from wordcheck import assert_valid_docx

    assert_valid_docx(seed_render())
    old, new = renders(everything)
    assert_valid_docx(new)
    assert_valid_docx(track_changes(old, new, "Tester", WHEN))


def test_tracked_changes_of_the_internal_version_are_valid_word() -> None:
    from wordcheck import assert_valid_docx

    internal_old = render_fiche(fiche(SEED_TEXT), "docx", audience="internal")
    internal_new = render_fiche(fiche(edit(SEED_TEXT, everything)), "docx", audience="internal")
    assert_valid_docx(internal_old)
    assert_valid_docx(track_changes(internal_old, internal_new, "Tester", WHEN))
