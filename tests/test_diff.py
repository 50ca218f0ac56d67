"""`fichegen diff`: two versions of a fiche -> the exact changes a reviewer needs to see.

The versions are the seed fiche and copies of it edited through ruamel's
round trip (as a person would edit the file), read from files or from a
temporary git repository.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import LiteralScalarString

from diffcorpus import action, area
from fichegen.cli import main
from fichegen.diff.changes import (
    ActionAdded,
    ActionMoved,
    ActionRef,
    ActionRemoved,
    AreaAdded,
    AreaRef,
    AreaRemoved,
    Change,
    FieldChanged,
    FootnoteAdded,
    FootnoteChanged,
    FootnoteRemoved,
    ItemAdded,
    ItemRemoved,
    StanceChanged,
    TextChanged,
    VerdictChanged,
    compare,
    count_changed_sentences,
)
from fichegen.diff.report import Naming, format_markdown, format_text
from fichegen.diff.versions import VersionSpec, parse_spec
from fichegen.load import parse_source
from fichegen.model import Fiche, Stance, Status, Verdict
from fichegen.render.markdown import TEMPLATES, load_labels
from fichegen.validate import validate
from samples import git, git_as_anna

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "positions" / "com-2025-744-actieplan-drugshandel.yaml"
SEED_TEXT = SEED.read_text(encoding="utf-8")

Tree = Any


def edit(text: str, change: Callable[[Tree], None]) -> str:
    """The positions file text after `change` edited its tree, comments and layout kept."""
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.preserve_quotes = True
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


def ref(action_id: str, version: Fiche | None = None) -> ActionRef:
    """An action as the seed (or another version) names it."""
    source = version or fiche(SEED_TEXT)
    found = next(a for a in source.iter_actions() if a.id == action_id)
    return ActionRef(action_id, found.title)


def changes_after(change: Callable[[Tree], None]) -> list[Change]:
    return compare(fiche(SEED_TEXT), fiche(edit(SEED_TEXT, change)))


def rewrite_lines(node: Tree, key: str, lines: dict[int, str]) -> None:
    """Replace some lines (sentences) of a block text."""
    text = str(node[key]).splitlines()
    for index, line in lines.items():
        text[index] = line
    node[key] = LiteralScalarString("\n".join(text) + "\n")


# -- the cases of the issue --------------------------------------------------------------------


def test_identical_versions_have_no_changes() -> None:
    assert compare(fiche(SEED_TEXT), fiche(SEED_TEXT)) == []


def test_comments_and_layout_are_no_changes() -> None:
    def retouch(tree: Tree) -> None:
        tree.yaml_set_comment_before_after_key("title", before="een opmerking")
        action(tree, "8")["position"] = LiteralScalarString(
            str(action(tree, "8")["position"]).rstrip("\n") + "   \n\n"
        )

    assert changes_after(retouch) == []


def test_stance_changed_with_a_condition_added() -> None:
    def change(tree: Tree) -> None:
        item = action(tree, "5")
        item["stance"] = "support_with_conditions"
        item["conditions"] = ["onderzoek naar een verbod op go-fast boten"]

    assert changes_after(change) == [
        StanceChanged(ref("5"), Stance.SUPPORT, Stance.SUPPORT_WITH_CONDITIONS),
        ItemAdded(ref("5"), "conditions", "onderzoek naar een verbod op go-fast boten"),
    ]


def test_condition_added_and_removed() -> None:
    def change(tree: Tree) -> None:
        conditions = action(tree, "2")["conditions"]
        removed = conditions.pop(0)
        conditions.append("Evaluatie na twee jaar")
        assert removed.startswith("Uitbreiding")

    removed = fiche(SEED_TEXT)
    first = next(a for a in removed.iter_actions() if a.id == "2").conditions[0]
    assert changes_after(change) == [
        ItemRemoved(ref("2"), "conditions", first),
        ItemAdded(ref("2"), "conditions", "Evaluatie na twee jaar"),
    ]


def test_action_moved_to_another_area_is_a_move() -> None:
    def change(tree: Tree) -> None:
        moved = area(tree, "routes")["actions"].pop(2)
        area(tree, "prevention")["actions"].insert(0, moved)

    assert changes_after(change) == [ActionMoved(ref("3"), "routes", "prevention", 3, 1)]


def test_action_moved_within_its_area_is_a_move_of_that_action_only() -> None:
    def change(tree: Tree) -> None:
        actions = area(tree, "routes")["actions"]
        actions.append(actions.pop(0))

    count = len(fiche(SEED_TEXT).areas[0].actions)
    assert changes_after(change) == [ActionMoved(ref("1"), "routes", "routes", 1, count)]


def test_paragraph_rewritten_counts_the_changed_sentences() -> None:
    def change(tree: Tree) -> None:
        rewrite_lines(
            action(tree, "8"), "position", {0: "Een nieuwe eerste zin.", 2: "Een nieuwe derde zin."}
        )

    [changed] = changes_after(change)
    assert isinstance(changed, TextChanged)
    assert (changed.field, changed.sentences, changed.owner) == ("position", 2, ref("8"))
    assert changed.new.startswith("Een nieuwe eerste zin.\n")
    assert not changed.old.startswith("Een nieuwe") and not changed.old.endswith("\n")


def test_footnote_changed() -> None:
    def change(tree: Tree) -> None:
        tree["footnotes"]["maocn"] = str(tree["footnotes"]["maocn"]) + "\nEen extra zin."

    [changed] = changes_after(change)
    assert isinstance(changed, FootnoteChanged)
    assert (changed.key, changed.sentences) == ("maocn", 1)
    assert changed.new == changed.old + "\n\nEen extra zin."


def test_footnote_added_and_removed() -> None:
    def change(tree: Tree) -> None:
        tree["footnotes"]["nieuw"] = "Een nieuwe voetnoot."
        tree["general"]["impact_assessment"] = "Niet opgesteld.[^nieuw]"

    assert changes_after(change) == [
        FieldChanged("general.impact_assessment", "Niet opgesteld.", "Niet opgesteld.[^nieuw]"),
        FootnoteAdded("nieuw", "Een nieuwe voetnoot."),
    ]
    old, new = fiche(SEED_TEXT), fiche(edit(SEED_TEXT, change))
    assert compare(new, old)[-1] == FootnoteRemoved("nieuw", "Een nieuwe voetnoot.")


def test_action_deleted() -> None:
    def change(tree: Tree) -> None:
        actions = area(tree, "international")["actions"]
        del actions[len(actions) - 1]

    [removed] = changes_after(change)
    assert isinstance(removed, ActionRemoved)
    assert removed == ActionRemoved(
        ref("19"), "international", Stance.CRITICAL, removed.summary
    ) and removed.summary.startswith("Actie 19 ziet ten slotte")


def test_action_added() -> None:
    def change(tree: Tree) -> None:
        area(tree, "research")["actions"].append(
            {
                "id": 20,
                "title": "Nieuwe actie",
                "summary": "Iets nieuws (actie 20).",
                "stance": "support",
            }
        )

    assert changes_after(change) == [
        ActionAdded(
            ActionRef("20", "Nieuwe actie"), "research", Stance.SUPPORT, "Iets nieuws (actie 20)."
        )
    ]


def test_verdict_and_metadata_changes() -> None:
    def change(tree: Tree) -> None:
        tree["grounds"]["subsidiarity"]["verdict"] = "positive_with_reservations"
        tree["title"] = "Actieplan drugshandel"
        tree["status"] = "draft"
        tree["general"]["com_numbers"].append("COM(2025) 745")

    old = fiche(SEED_TEXT)
    assert changes_after(change) == [
        FieldChanged("title", old.title, "Actieplan drugshandel"),
        FieldChanged("status", Status.FINAL, Status.DRAFT),
        FieldChanged("general.com_numbers", ("COM(2025) 744",), ("COM(2025) 744", "COM(2025) 745")),
        VerdictChanged(
            "grounds.subsidiarity", Verdict.POSITIVE, Verdict.POSITIVE_WITH_RESERVATIONS
        ),
    ]


def test_areas_added_and_removed_with_their_actions() -> None:
    def change(tree: Tree) -> None:
        research = area(tree, "research")
        tree["areas"].remove(research)
        tree["areas"].remove(area(tree, "international"))
        tree["areas"].append({"id": "extra", "title": "Extra", "actions": research["actions"]})

    titles: dict[str, str] = {a.id: a.title for a in fiche(SEED_TEXT).areas}
    assert [bare(c) for c in changes_after(change)] == [
        AreaAdded(AreaRef("extra", "Extra")),
        ActionMoved(ref("16"), "research", "extra", 1, 1),
        AreaRemoved(AreaRef("research", titles["research"])),
        AreaRemoved(AreaRef("international", titles["international"])),
        ActionRemoved(ref("17"), "international"),
        ActionRemoved(ref("18"), "international"),
        ActionRemoved(ref("19"), "international"),
    ]


def bare(change: Change) -> Change:
    """An added or removed action without the stance and summary it carries along."""
    if isinstance(change, ActionAdded | ActionRemoved):
        return dataclasses.replace(change, stance=None, summary="")
    return change


def test_area_renamed() -> None:
    def change(tree: Tree) -> None:
        area(tree, "research")["title"] = "Onderzoek en innovatie"

    old = next(a for a in fiche(SEED_TEXT).areas if a.id == "research")
    assert changes_after(change) == [
        FieldChanged(
            "title",
            old.title,
            "Onderzoek en innovatie",
            AreaRef("research", "Onderzoek en innovatie"),
        ),
    ]


@pytest.mark.parametrize(
    ("old", "new", "count"),
    [
        ("Een.\nTwee.\nDrie.", "Een.\nTwee.\nDrie.", 0),
        ("Een.\nTwee.\nDrie.", "Een.\nTwee!\nDrie.", 1),
        ("Een.\nTwee.\nDrie.", "Een.\nDrie.", 1),
        ("Een.\nTwee.", "Een.\nTwee.\nDrie.\nVier.", 2),
        ("Een.\nTwee.", "Een.\n\nTwee.", 0),
        (None, "Een.\nTwee.", 2),
        ("Een.\nTwee.\nDrie.", "Nul.\nTwee.\nVijf.", 2),
    ],
)
def test_changed_sentences_are_counted_per_line(old: str | None, new: str, count: int) -> None:
    assert count_changed_sentences(old, new) == count


# -- reports --------------------------------------------------------------------------------


def issue_example() -> tuple[Fiche, Fiche]:
    def change(tree: Tree) -> None:
        item = action(tree, "5")
        item["stance"] = "support_with_conditions"
        item["conditions"] = ["onderzoek naar een verbod op go-fast boten"]
        rewrite_lines(action(tree, "8"), "position", {0: "Nieuw.", 1: "Ook nieuw."})
        tree["grounds"]["subsidiarity"]["verdict"] = "positive_with_reservations"
        tree["footnotes"]["maocn"] = str(tree["footnotes"]["maocn"]) + " Extra."

    return fiche(SEED_TEXT), fiche(edit(SEED_TEXT, change))


def naming(version: Fiche) -> Naming:
    return Naming(load_labels(TEMPLATES), version.type)


def test_text_report_reads_like_the_issue() -> None:
    old, new = issue_example()
    text = format_text(compare(old, new), naming(new))
    assert "\x1b[" not in text
    assert text == (
        "Actie 5 (Go-fast boten): stance steun -> steun onder voorwaarden\n"
        '  + condition: "onderzoek naar een verbod op go-fast boten"\n'
        f"Actie 8 ({ref('8').title}): position: text changed (2 sentences)\n"
        "    [-Het doel van actie 8, verbetering van samenwerking tussen rechtshandhaving, "
        "justitie en douane is in lijn met het kabinetsstandpunt. De Commissie stelt dat de "
        "informatie-uitwisseling en samenwerking op zowel nationaal als op EU-niveau moet "
        "worden versterkt binnen de bestaande juridische kaders-]{+Nieuw. Ook nieuw+}.\n"
        "4b Subsidiariteit: verdict positief -> positief met kanttekeningen\n"
        "Footnote 'maocn': text changed (1 sentence)\n"
        "    {+Extra.+}\n"
    )


def test_text_report_in_colour_marks_words_without_brackets() -> None:
    old, new = issue_example()
    text = format_text(compare(old, new), naming(new), color=True)
    assert "\x1b[31m\x1b[9m" in text  # red, struck through
    assert "[-" not in text and "{+" not in text
    assert click.unstyle(text).count("Nieuw. Ook nieuw") == 1


def test_markdown_report_for_a_merge_request() -> None:
    old, new = issue_example()
    text = format_markdown(compare(old, new), naming(new), "x.yaml@main", "x.yaml")
    assert text.splitlines()[:8] == [
        "### Changes from `x.yaml@main` to `x.yaml`",
        "",
        "#### 3b Beoordeling + inzet",
        "",
        "| Actie | old | new |",
        "| --- | --- | --- |",
        "| 5 Go-fast boten | steun | steun onder voorwaarden |",
        "",
    ]
    assert '  - added: condition: "onderzoek naar een verbod op go-fast boten"' in text
    assert "#### 4b Subsidiariteit\n\n- verdict positief → positief met kanttekeningen" in text
    assert "kaders~~ **Nieuw. Ook nieuw**." in text
    assert text.endswith("- **Footnote 'maocn'**: text changed (1 sentence)\n  - **Extra.**\n")


# -- the command, with files and with git ----------------------------------------------------


def write_pair(folder: Path, change: Callable[[Tree], None]) -> tuple[Path, Path]:
    old, new = folder / "old.yaml", folder / "new.yaml"
    old.write_text(SEED_TEXT, encoding="utf-8")
    new.write_text(edit(SEED_TEXT, change), encoding="utf-8")
    return old, new


def go_fast(tree: Tree) -> None:
    item = action(tree, "5")
    item["stance"] = "support_with_conditions"
    item["conditions"] = ["onderzoek naar een verbod op go-fast boten"]


def test_command_prints_changes_without_colour_when_not_a_terminal(tmp_path: Path) -> None:
    old, new = write_pair(tmp_path, go_fast)
    result = CliRunner().invoke(main, ["diff", str(old), str(new)])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Actie 5 (Go-fast boten): stance steun -> steun onder voorwaarden\n"
        '  + condition: "onderzoek naar een verbod op go-fast boten"\n'
    )


def test_exit_code_says_whether_versions_differ(tmp_path: Path) -> None:
    old, new = write_pair(tmp_path, go_fast)
    differs = CliRunner().invoke(main, ["diff", str(old), str(new), "--exit-code"])
    same = CliRunner().invoke(main, ["diff", str(old), str(old), "--exit-code"])
    assert (differs.exit_code, same.exit_code) == (1, 0)
    assert "no changes" in same.stderr


def test_json_carries_the_raw_values(tmp_path: Path) -> None:
    old, new = write_pair(tmp_path, go_fast)
    result = CliRunner().invoke(main, ["diff", str(old), str(new), "-f", "json"])
    data = json.loads(result.stdout)
    assert data["version"] == 1
    [comparison] = data["comparisons"]
    assert comparison["old"] == str(old)
    assert comparison["changes"][0] == {
        "change": "stance_changed",
        "path": "actions[5].stance",
        "action": {"id": "5", "title": "Go-fast boten"},
        "old": "support",
        "new": "support_with_conditions",
    }
    assert comparison["changes"][1]["change"] == "item_added"
    assert comparison["changes"][1]["path"] == "actions[5].conditions"


def test_invalid_version_reports_its_problems(tmp_path: Path) -> None:
    old, new = write_pair(tmp_path, go_fast)
    new.write_text(SEED_TEXT.replace("stance: support\n", "stance: stuen\n", 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", str(old), str(new)])
    assert result.exit_code == 2  # a version that does not match the format: nothing to compare
    assert f"{new}:" in result.stderr and "stuen" in result.stderr
    assert "Traceback" not in result.output


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository with positions/x.yaml committed twice: the seed, then go_fast."""
    folder = tmp_path / "repo"
    (folder / "positions").mkdir(parents=True)
    git_as_anna(monkeypatch, tmp_path)
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2025-12-04T10:00:00+01:00")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2025-12-04T10:00:00+01:00")
    git(folder, "init", "-q")
    target = folder / "positions" / "x.yaml"
    target.write_text(SEED_TEXT, encoding="utf-8")
    git(folder, "add", ".")
    git(folder, "commit", "-q", "-m", "seed")
    target.write_text(edit(SEED_TEXT, go_fast), encoding="utf-8")
    git(folder, "commit", "-q", "-a", "-m", "go-fast")
    monkeypatch.chdir(folder)
    return folder


def test_git_revision_against_the_work_tree(repo: Path) -> None:
    result = CliRunner().invoke(main, ["diff", "positions/x.yaml@HEAD~1", "positions/x.yaml"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Actie 5 (Go-fast boten): stance steun -> steun onder")


def test_git_reads_revisions_without_touching_the_work_tree(repo: Path) -> None:
    work = (repo / "positions" / "x.yaml").read_text(encoding="utf-8")
    (repo / "positions" / "x.yaml").write_text(
        work.replace("title: Go-fast boten", "title: Snelle boten")
    )
    result = CliRunner().invoke(main, ["diff", "positions/x.yaml@HEAD~1", "positions/x.yaml@HEAD"])
    assert result.exit_code == 0, result.output
    assert "Snelle" not in result.stdout
    assert git(repo, "status", "--porcelain") == " M positions/x.yaml\n"


def test_git_path_from_a_subfolder_and_one_argument(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo / "positions")
    result = CliRunner().invoke(main, ["diff", "x.yaml@HEAD~1", "--exit-code"])
    assert result.exit_code == 1
    assert "Actie 5 (Go-fast boten)" in result.stdout
    same = CliRunner().invoke(main, ["diff", "x.yaml", "--exit-code"])  # HEAD vs work tree
    assert same.exit_code == 0, same.output


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        (
            "positions/x.yaml@HEAD~7",
            "positions/x.yaml@HEAD~7: error: unknown git revision 'HEAD~7'",
        ),
        (
            "positions/y.yaml@HEAD",
            "positions/y.yaml@HEAD: error: 'positions/y.yaml' is not a file in revision HEAD",
        ),
        ("positions@HEAD", "positions@HEAD: error: 'positions' is not a file in revision HEAD"),
        ("positions/x.yaml@--output=z", "error: unknown git revision '--output=z'"),
    ],
)
def test_git_errors_are_one_line(repo: Path, argument: str, message: str) -> None:
    result = CliRunner().invoke(main, ["diff", argument, "positions/x.yaml"])
    assert result.exit_code == 1
    assert message in result.stderr
    assert len([line for line in result.stderr.splitlines() if "error" in line]) == 1
    assert "Traceback" not in result.output


def test_not_a_git_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    (tmp_path / "x.yaml").write_text(SEED_TEXT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["diff", "x.yaml@HEAD", "x.yaml"])
    assert result.exit_code == 1
    assert result.stderr.startswith("x.yaml@HEAD: error: x.yaml is not in a git repository")


@pytest.mark.parametrize(
    ("text", "path", "revision"),
    [
        ("positions/x.yaml", "positions/x.yaml", None),
        ("positions/x.yaml@HEAD~3", "positions/x.yaml", "HEAD~3"),
        ("x.yaml@HEAD@{1}", "x.yaml", "HEAD@{1}"),
        ("team@ezk/x.yaml@main", "team@ezk/x.yaml", "main"),
        ("x@v1.0", "x", "v1.0"),
    ],
)
def test_version_arguments(text: str, path: str, revision: str | None) -> None:
    assert parse_spec(text) == VersionSpec(Path(path), revision)


@pytest.mark.parametrize("arguments", [["x.yaml@"], ["@HEAD"], ["a", "b", "c"]])
def test_bad_usage_exits_2(tmp_path: Path, arguments: list[str]) -> None:
    result = CliRunner().invoke(main, ["diff", *arguments])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_git_missing_is_a_clear_error(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(repo / "nowhere"))
    result = CliRunner().invoke(main, ["diff", "positions/x.yaml@HEAD~1"])
    assert result.exit_code == 1
    assert "git is not installed" in result.stderr


def test_a_changed_internal_note_is_not_a_public_change(tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    new = tmp_path / "new.yaml"
    text = SEED.read_text("utf-8")
    assert "Illustratief voorbeeld:" in text
    old.write_text(text, encoding="utf-8")
    new.write_text(
        text.replace("Illustratief voorbeeld:", "Illustratief voorbeeld (herzien):"),
        encoding="utf-8",
    )
    runner = CliRunner()
    public = runner.invoke(main, ["diff", str(old), str(new), "--exit-code"])
    internal = runner.invoke(
        main, ["diff", str(old), str(new), "--exit-code", "--audience", "internal"]
    )
    assert public.exit_code == 0, public.output
    assert internal.exit_code == 1
    assert "internal_notes" in internal.output
