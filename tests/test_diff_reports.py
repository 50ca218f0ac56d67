"""What a reviewer reads of a change: the words, the same in every format.

Golden files per case of the corpus (tests/diffcorpus.py) and per format, in
tests/diff/golden/<case>/: `diff.txt` (the terminal, Dutch, without colour),
`diff.md` (the merge request, Dutch), `diff.json` and `tracked.txt` (the
paragraphs of the Word document with revised words, `[-removed-]{+inserted+}`).
`pytest --update-goldens` rewrites them; review their diff like code.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from conftest import Golden
from diffcorpus import CORPUS, TEXT_CASES, action, edit, seed_text
from fichegen.cli import main
from fichegen.diff.operations import apply, marked_words, sentences, text_operations
from fichegen.diff.revisions import marked_paragraphs
from fichegen.diff.run import compare_versions, format_report, tracked_document
from fichegen.diff.tokens import tokenize_text
from fuzzing import FUZZ, plain_text
from samples import git, git_as_anna

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "diff" / "golden"
DIFF_SCHEMA = json.loads((ROOT / "schema" / "diff.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pairs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """Each case as two files: old.yaml (the bundled fiche) and <case>.yaml."""
    folder = tmp_path_factory.mktemp("corpus")
    old = folder / "old.yaml"
    old.write_text(seed_text(), encoding="utf-8")
    result = {}
    for name, change in CORPUS.items():
        new = folder / f"{name}.yaml"
        new.write_text(edit(seed_text(), change), encoding="utf-8")
        result[name] = (old, new)
    return result


@pytest.mark.parametrize("case", list(CORPUS))
def test_golden_reports(
    case: str,
    pairs: dict[str, tuple[Path, Path]],
    golden: Golden,
    dutch: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old, new = pairs[case]
    monkeypatch.chdir(old.parent)  # the reports name the files without a temporary folder
    outputs = {}
    for fmt, name in (("text", "diff.txt"), ("md", "diff.md"), ("json", "diff.json")):
        result = CliRunner().invoke(
            main, ["diff", old.name, new.name, "-f", fmt, "--color", "never"]
        )
        assert result.exit_code == 0, result.output
        assert result.stderr == ""
        outputs[name] = result.stdout
        golden(GOLDEN / case / name, result.stdout)
    comparison = compare_versions(str(old), str(new))
    document = tracked_document(comparison, author="Anna de Vries")
    golden(GOLDEN / case / "tracked.txt", "".join(f"{p}\n" for p in marked_paragraphs(document)))
    jsonschema.validate(json.loads(outputs["diff.json"]), DIFF_SCHEMA)


# -- every format marks the same words --------------------------------------------------------


def _words(text: str) -> list[str]:
    """Words as the engine cuts them; a footnote reference is one word whatever its key."""
    return [
        "[^]" if t.text.startswith("[^") else t.text for t in tokenize_text(text) if t.text.strip()
    ]


def json_marked(data: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The removed and inserted words of the JSON: word operations, and whole added texts."""
    removed: list[str] = []
    inserted: list[str] = []
    for change in data["comparisons"][0]["changes"]:
        for op in change.get("operations", []):
            if op["op"] == "delete":
                removed += _words(op["text"])
            elif op["op"] == "insert":
                inserted += _words(op["text"])
        if change["change"] == "footnote_added":
            inserted += _words(change["text"])
    return removed, inserted


def markdown_marked(text: str) -> tuple[list[str], list[str]]:
    """The words the Markdown strikes through and emboldens in its sentences, and added texts."""
    removed: list[str] = []
    inserted: list[str] = []
    for line in text.splitlines():
        # A subject (at the start of a line, never indented) is bold but not a word marked.
        line = re.sub(r"^- \*\*[^*]+\*\*", "", line).strip()
        unescaped = re.sub(r"\\(.)", r"\1", line)
        added = re.match(r'- added: "(.*)"$', unescaped)
        if added:
            inserted += _words(added.group(1))
            continue
        for found in re.findall(r"~~(.+?)~~", unescaped):
            removed += _words(found)
        for found in re.findall(r"\*\*(.+?)\*\*", unescaped):
            inserted += _words(found)
    return removed, inserted


def docx_marked(document: bytes) -> tuple[list[str], list[str]]:
    removed: list[str] = []
    inserted: list[str] = []
    for line in marked_paragraphs(document):
        line = line.replace("[^]", "[^ref]")  # Word's reference has no key
        for found in re.findall(r"\[-(.*?)-\]", line):
            removed += _words(found)
        for found in re.findall(r"\{\+(.*?)\+\}", line):
            inserted += _words(found)
    return removed, inserted


@pytest.mark.parametrize("case", TEXT_CASES)
def test_markdown_json_and_word_mark_the_same_words(
    case: str, pairs: dict[str, tuple[Path, Path]]
) -> None:
    old, new = pairs[case]
    comparison = compare_versions(str(old), str(new))
    in_word = docx_marked(tracked_document(comparison, author="x"))
    in_json = json_marked(json.loads(format_report([comparison], "json")))
    in_markdown = markdown_marked(format_report([comparison], "md"))
    assert in_word[0] or in_word[1]
    assert in_json == in_word
    assert in_markdown == in_word


# -- the word operations ----------------------------------------------------------------------

paragraphs = st.lists(st.lists(plain_text, min_size=1, max_size=4).map("\n".join), max_size=4)
texts = paragraphs.map("\n\n".join)


def edited(text: str, data: st.DataObject) -> str:
    """The text with a few lines replaced, dropped, duplicated or split off."""
    lines = text.split("\n")
    for _ in range(data.draw(st.integers(0, 3))):
        if not lines:
            break
        index = data.draw(st.integers(0, len(lines) - 1))
        kind = data.draw(st.sampled_from(["replace", "drop", "copy", "split", "words"]))
        if kind == "replace":
            lines[index] = data.draw(plain_text)
        elif kind == "drop":
            del lines[index]
        elif kind == "copy":
            lines.insert(data.draw(st.integers(0, len(lines))), lines[index])
        elif kind == "split":
            lines.insert(index, "")
        else:
            lines[index] = lines[index] + " " + data.draw(plain_text)
    return "\n".join(lines)


@FUZZ
@given(texts, st.data())
def test_applying_the_operations_to_the_old_text_gives_the_new(
    old: str, data: st.DataObject
) -> None:
    new = data.draw(st.one_of(texts, st.just(edited(old, data))))
    ops = text_operations(old, new)
    assert apply(ops, old) == new
    assert all(op.text for op in ops)
    assert all(a.op != b.op for a, b in itertools.pairwise(ops))
    removed, inserted = marked_words(ops)
    if old == new:
        assert all(op.op == "equal" for op in ops) and not removed and not inserted
    shown = [p for s in sentences(ops) for p in s.pieces]
    for piece in shown:
        assert "\n" not in piece.text


def test_applying_the_json_operations_of_the_corpus(pairs: dict[str, tuple[Path, Path]]) -> None:
    for old, new in pairs.values():
        data = json.loads(format_report([compare_versions(str(old), str(new))], "json"))
        for change in data["comparisons"][0]["changes"]:
            if "operations" in change:
                from fichegen.diff.operations import WordOp

                ops = [WordOp(op["op"], op["text"]) for op in change["operations"]]
                assert apply(ops, change["old"]) == change["new"]


def test_a_changed_number_marks_the_numbers_only() -> None:
    ops = text_operations("Het gaat om 40 tot 60 schepen.", "Het gaat om 70 tot 90 schepen.")
    assert marked_words(ops) == (["40", "60"], ["70", "90"])


# -- the command --------------------------------------------------------------------------------


def draft_with_violations() -> str:
    """A draft whose action 5 has a conditional stance without conditions, and a placeholder."""

    def change(tree: Any) -> None:
        tree["status"] = "draft"
        action(tree, "5")["stance"] = "support_with_conditions"
        action(tree, "6")["position"] = "[INVULLEN: de inzet van het kabinet]"

    return edit(seed_text(), change)


def test_a_draft_with_rule_violations_is_compared_with_warnings(tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    new = tmp_path / "new.yaml"
    old.write_text(seed_text(), encoding="utf-8")
    new.write_text(draft_with_violations(), encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", str(old), str(new)])
    assert result.exit_code == 0, result.output
    assert "stance steun -> steun onder voorwaarden" in result.stdout
    warnings = result.stderr.splitlines()
    assert any(": warning: " in w and "[stance-conditions]" in w for w in warnings)
    assert any("[placeholder]" in w for w in warnings)
    assert "error" not in result.stderr
    differs = CliRunner().invoke(main, ["diff", str(old), str(new), "--exit-code"])
    assert differs.exit_code == 1


def test_diff_follows_the_check_configuration(tmp_path: Path) -> None:
    (tmp_path / "fichegen.toml").write_text(
        '[check]\ndisable = ["placeholder"]\nerror = ["stance-conditions"]\n', encoding="utf-8"
    )
    old = tmp_path / "old.yaml"
    new = tmp_path / "new.yaml"
    old.write_text(seed_text(), encoding="utf-8")
    new.write_text(draft_with_violations(), encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", str(old), str(new)])
    assert result.exit_code == 0, result.output
    assert "[placeholder]" not in result.stderr  # switched off by the team
    assert "warning" in result.stderr and "[stance-conditions]" in result.stderr  # never a refusal


def test_a_version_that_does_not_parse_is_named_with_its_place(repo: Path) -> None:
    target = repo / "positions" / "x.yaml"
    broken = seed_text().replace("title: Go-fast boten", "title: [Go-fast boten", 1)
    target.write_text(broken, encoding="utf-8")
    git(repo, "commit", "-q", "-a", "-m", "broken")
    target.write_text(seed_text(), encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", "positions/x.yaml@HEAD"])
    assert result.exit_code == 2
    assert re.match(r"positions/x\.yaml@HEAD:\d+:\d+: error: ", result.stderr), result.stderr
    assert "Traceback" not in result.output


def test_an_added_internal_note_reads_added_and_never_reaches_the_public_diff(
    tmp_path: Path,
) -> None:
    def note(tree: Any) -> None:
        action(tree, "7")["internal_notes"] = (
            "VWS wil hier nog niet aan; marge: evaluatie na 2 jaar."
        )

    old = tmp_path / "old.yaml"
    new = tmp_path / "new.yaml"
    old.write_text(seed_text(), encoding="utf-8")
    new.write_text(edit(seed_text(), note), encoding="utf-8")
    internal = CliRunner().invoke(main, ["diff", str(old), str(new), "--audience", "internal"])
    assert "internal_notes: added\n" in internal.stdout
    assert "{+VWS wil hier nog niet aan; marge: evaluatie na 2 jaar.+}" in internal.stdout
    for fmt in ("text", "md", "json"):
        public = CliRunner().invoke(main, ["diff", str(old), str(new), "-f", fmt, "--exit-code"])
        assert public.exit_code == 0, public.output
        assert "VWS wil" not in public.output and "internal_notes" not in public.stdout


@pytest.mark.parametrize(
    ("arguments", "environment", "coloured"),
    [
        (["--color", "always"], {}, True),
        (["--color", "never"], {}, False),
        (["--color", "auto"], {}, False),  # not a terminal
        ([], {"NO_COLOR": "1"}, False),
    ],
)
def test_colour_is_asked_for_or_follows_the_terminal(
    pairs: dict[str, tuple[Path, Path]],
    arguments: list[str],
    environment: dict[str, str],
    coloured: bool,
) -> None:
    old, new = pairs["changed-number"]
    result = CliRunner(env=environment).invoke(main, ["diff", str(old), str(new), *arguments])
    assert ("\x1b[" in result.stdout) is coloured
    assert ("[-2021-2027-]{+2028-2034+}" in result.stdout) is not coloured


# -- git: every changed file, the index ---------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A git repository with positions/x.yaml and positions/y.yaml committed, the seed."""
    folder = tmp_path / "repo"
    (folder / "positions").mkdir(parents=True)
    git_as_anna(monkeypatch, tmp_path)
    git(folder, "init", "-q")
    for name in ("x.yaml", "y.yaml"):
        (folder / "positions" / name).write_text(seed_text(), encoding="utf-8")
    (folder / "notes.yaml").write_text("a: 1\n", encoding="utf-8")
    git(folder, "add", ".")
    git(folder, "commit", "-q", "-m", "seed")
    monkeypatch.chdir(folder)
    yield folder


def test_no_arguments_compares_every_changed_positions_file_with_head(repo: Path) -> None:
    (repo / "positions" / "x.yaml").write_text(
        edit(seed_text(), CORPUS["stance"]), encoding="utf-8"
    )
    (repo / "positions" / "y.yaml").write_text(
        edit(seed_text(), CORPUS["rewritten-sentence"]), encoding="utf-8"
    )
    (repo / "notes.yaml").write_text("a: 2\n", encoding="utf-8")  # not a positions file
    (repo / "positions" / "z.yaml").write_text(seed_text(), encoding="utf-8")
    git(repo, "add", "positions/z.yaml")
    result = CliRunner().invoke(main, ["diff", "--exit-code"])
    assert result.exit_code == 1, result.output
    assert result.stdout.startswith(
        "positions/x.yaml (positions/x.yaml@HEAD -> positions/x.yaml)\n"
    )
    assert "\npositions/y.yaml (positions/y.yaml@HEAD -> positions/y.yaml)\n" in result.stdout
    assert "Het kabinet [-is overwegend positief over-]{+verwelkomt+}" in result.stdout
    assert "notes" not in result.stdout
    assert "positions/z.yaml: warning: new file" in result.stderr
    data = json.loads(CliRunner().invoke(main, ["diff", "-f", "json"]).stdout)
    assert [c["new"] for c in data["comparisons"]] == ["positions/x.yaml", "positions/y.yaml"]


def test_staged_compares_the_index_with_head(repo: Path) -> None:
    target = repo / "positions" / "x.yaml"
    target.write_text(edit(seed_text(), CORPUS["stance"]), encoding="utf-8")
    git(repo, "add", "positions/x.yaml")
    target.write_text(edit(seed_text(), CORPUS["changed-number"]), encoding="utf-8")  # not staged
    staged = CliRunner().invoke(main, ["diff", "--staged"])
    assert staged.exit_code == 0, staged.output
    assert "stance steun -> kritisch" in staged.stdout
    assert "2028-2034" not in staged.stdout
    work = CliRunner().invoke(main, ["diff"])
    assert "2028-2034" in work.stdout and "kritisch" not in work.stdout


def test_no_arguments_without_changes_or_outside_git(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean = CliRunner().invoke(main, ["diff", "--exit-code"])
    assert clean.exit_code == 0
    assert "no changes" in clean.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.chdir(elsewhere)
    outside = CliRunner().invoke(main, ["diff"])
    assert outside.exit_code == 2
    assert "not in a git repository" in outside.stderr
    staged_with_files = CliRunner().invoke(main, ["diff", "--staged", "x.yaml"])
    assert staged_with_files.exit_code == 2


def test_the_placeholders_of_a_draft_are_one_warning_line(tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    new = tmp_path / "new.yaml"
    old.write_text(seed_text(), encoding="utf-8")

    def change(tree: Any) -> None:
        tree["status"] = "draft"
        for key in ("5", "6", "7"):
            action(tree, key)["position"] = "[INVULLEN: de inzet van het kabinet]"

    new.write_text(edit(seed_text(), change), encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", str(old), str(new)])
    assert result.exit_code == 0, result.output
    placeholders = [line for line in result.stderr.splitlines() if "[placeholder]" in line]
    assert len(placeholders) == 1
    assert (
        ": warning: 3 placeholders [INVULLEN: ...] still to fill in [placeholder]"
        in (placeholders[0])
    )
