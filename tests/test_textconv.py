"""`fichegen textconv FILE`: the text git compares for a .docx or a positions file."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from fichegen.audience import for_audience
from fichegen.cli import main
from fichegen.pipeline import read_fiche, render_fiche
from fichegen.render.docx.dump import dump_docx
from fichegen.render.markdown import render_markdown
from samples import git as run_git

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "positions" / "com-2025-744-actieplan-drugshandel.yaml"


def test_positions_file_is_shown_as_its_markdown() -> None:
    result = CliRunner().invoke(main, ["textconv", str(SEED)])
    assert result.exit_code == 0, result.output
    assert result.stdout == render_markdown(for_audience(read_fiche(SEED), "public"))
    assert "## 3. Nederlandse positie" in result.stdout


def test_word_file_is_shown_as_styled_paragraphs_and_footnotes(tmp_path: Path) -> None:
    docx = render_fiche(read_fiche(SEED), "docx")
    # git hands textconv a temporary copy; its name need not end in .docx
    path = tmp_path / "XXXXXX_x-wijzigingen"
    path.write_bytes(docx)
    result = CliRunner().invoke(main, ["textconv", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == dump_docx(docx)
    assert "Heading 1: 2. Essentie voorstel" in result.stdout
    assert "Maritime Analysis and Operation Centre" in result.stdout  # a footnote


def test_invalid_positions_file_shows_nothing_of_its_content(tmp_path: Path) -> None:
    broken = tmp_path / "x.yaml"
    broken.write_text("type: communication\ntitle: [unclosed\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["textconv", str(broken)])
    assert result.exit_code == 0
    assert result.stdout.startswith("[fichegen: x.yaml cannot be shown as text; fingerprint ")
    assert "communication" not in result.stdout
    assert result.stderr.startswith(f"{broken}: warning: not shown because ")


def test_invalid_positions_file_is_shown_as_is_to_the_internal_audience(tmp_path: Path) -> None:
    broken = tmp_path / "x.yaml"
    broken.write_text("type: communication\ntitle: [unclosed\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["textconv", "--audience", "internal", str(broken)])
    assert result.exit_code == 0
    assert result.stdout == "type: communication\ntitle: [unclosed\n"
    assert result.stderr.startswith(f"{broken}: warning: not shown as a fiche because")


def test_unreadable_word_file_is_a_warning_not_a_failed_git_diff(tmp_path: Path) -> None:
    broken = tmp_path / "x.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    result = CliRunner().invoke(main, ["textconv", str(broken)])
    assert result.exit_code == 0
    assert result.stdout.startswith("[fichegen: x.docx cannot be shown as text")
    assert result.stderr.startswith(f"{broken}: warning: not shown because it is not a readable")
    assert "Traceback" not in result.output


def test_missing_file_is_a_warning(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["textconv", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 0
    assert "cannot read file" in result.stderr


def test_git_diff_shows_the_fiche_through_textconv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's set-up: .gitattributes and diff.fichegen.textconv."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    repo = tmp_path / "repo"
    (repo / "positions").mkdir(parents=True)
    command = f"{shlex.quote(sys.executable)} -m fichegen.cli textconv"

    def git(*args: str) -> str:
        return run_git(repo, *args)

    git("init", "-q")
    git("config", "user.name", "Test")
    git("config", "user.email", "test@example.org")
    git("config", "diff.fichegen.textconv", command)
    (repo / ".gitattributes").write_text("*.docx diff=fichegen\npositions/*.yaml diff=fichegen\n")
    fiche = repo / "positions" / "x.yaml"
    text = SEED.read_text(encoding="utf-8")
    fiche.write_text(text, encoding="utf-8")
    (repo / "x.docx").write_bytes(render_fiche(read_fiche(fiche), "docx"))
    git("add", ".")
    git("commit", "-q", "-m", "one")
    fiche.write_text(
        text.replace("verdict: positive\n", "verdict: negative\n", 1), encoding="utf-8"
    )
    (repo / "x.docx").write_bytes(render_fiche(read_fiche(fiche), "docx"))

    shown = git("diff", "--", "positions/x.yaml")
    assert "-De grondhouding van het kabinet is positief." in shown
    assert "+De grondhouding van het kabinet is negatief." in shown
    word = git("diff", "--", "x.docx")
    assert "-Normal: De grondhouding van het kabinet is positief." in word
    assert "Binary files" not in word


def test_internal_notes_are_shown_only_to_the_internal_audience() -> None:
    runner = CliRunner()
    public = runner.invoke(main, ["textconv", str(SEED)])
    internal = runner.invoke(main, ["textconv", "--audience", "internal", str(SEED)])
    assert public.exit_code == internal.exit_code == 0
    assert "Illustratief voorbeeld" not in public.output
    assert "Illustratief voorbeeld" in internal.output
