"""The small things a civil servant trips over: formats, folders, what is left to do."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from fichegen.cli import main
from samples import MINIMAL


def repo(tmp_path: Path, text: str = MINIMAL) -> Path:
    (tmp_path / "positions").mkdir()
    (tmp_path / "positions" / "x.yaml").write_text(text, "utf-8")
    return tmp_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_the_extension_of_the_output_decides_the_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo(tmp_path))
    from fichegen.render import pdf

    made: list[bytes] = []

    def convert(word: bytes, moment: object, stem: str = "fiche") -> bytes:
        made.append(word)
        return b"%PDF-1.7 converted"

    monkeypatch.setattr(pdf, "word_to_pdf", convert)
    assert run("render", "positions/x.yaml", "-o", "fiche.pdf")[0] == 0
    assert (tmp_path / "fiche.pdf").read_bytes() == b"%PDF-1.7 converted"
    assert made and made[0].startswith(b"PK")  # LibreOffice was given the Word fiche
    assert run("render", "positions/x.yaml", "-o", "fiche.md")[0] == 0
    assert "\n# Fiche: Test\n" in (tmp_path / "fiche.md").read_text("utf-8")


def test_a_format_contradicting_the_extension_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo(tmp_path))
    code, output = run("render", "positions/x.yaml", "-o", "fiche.pdf", "--format", "md")
    assert code == 2
    assert "--format md contradicts the extension of fiche.pdf" in output
    assert "hint: leave out --format, or name the file .md" in output
    assert not (tmp_path / "fiche.pdf").exists()


def test_an_extension_fichegen_does_not_write_is_an_error_unless_the_format_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo(tmp_path))
    code, output = run("render", "positions/x.yaml", "-o", "fiche.odt")
    assert code == 2
    assert output.startswith("fiche.odt: error: the extension .odt is not a format fichegen writes")
    assert not (tmp_path / "fiche.odt").exists()
    assert run("render", "positions/x.yaml", "-o", "fiche.txt", "-f", "md")[0] == 0
    assert "# Fiche: Test" in (tmp_path / "fiche.txt").read_text("utf-8")


def test_render_inside_positions_writes_to_the_repository_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo(tmp_path) / "positions")
    assert run("render", "x.yaml", "-f", "md")[0] == 0
    assert (tmp_path / "output" / "x.md").is_file()
    assert not (tmp_path / "positions" / "output").exists()


def test_render_ends_with_the_number_of_placeholders_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dutch: None
) -> None:
    text = MINIMAL.replace("Beleid.", "'[INVULLEN: beleid]'").replace("Geen.", "'[INVULLEN: x]'")
    monkeypatch.chdir(repo(tmp_path, text))
    code, output = run("render", "positions/x.yaml", "-f", "md")
    assert code == 0
    assert output.rstrip().endswith("nog 3 plekken [INVULLEN: ...] in te vullen")
    (tmp_path / "positions" / "x.yaml").write_text(MINIMAL, "utf-8")
    assert "INVULLEN" not in run("render", "positions/x.yaml", "-f", "md")[1]


def test_check_without_arguments_checks_positions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo(tmp_path, MINIMAL.replace("stance: support", "stance: suport")))
    code, output = run("check")
    assert code == 1
    assert output.startswith(str(Path("positions") / "x.yaml") + ":")


def test_check_without_arguments_outside_a_repository_says_what_to_give(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, output = run("check")
    assert code == 2
    assert "no positions/ here" in output


def test_check_of_a_folder_skips_yaml_that_is_not_a_fiche(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo(tmp_path))
    (tmp_path / ".gitlab-ci.yml").write_text("stages: [test]\n", "utf-8")
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "ci.yml").write_text("on: push\n", "utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", "utf-8")
    code, output = run("check", ".")
    assert code == 0, output
    assert output == "no problems in 1 file\n"
    # a file named on the command line is always checked
    assert run("check", "mkdocs.yml")[0] == 1


def test_a_tab_inside_a_text_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = MINIMAL.replace("essence: Essentie.", 'essence: "Essentie\\tmet tab."')
    monkeypatch.chdir(repo(tmp_path, text))
    code, output = run("check")
    assert code == 0
    assert ":11:19: warning: 'essence' contains a tab" in output
    assert "[tab-in-text]" in output


def test_help_mentions_pdf_and_the_language_option() -> None:
    output = run("--help")[1]
    assert "PDF" in output and "--lang" in output
    assert "pdf" in run("render", "--help")[1]


def test_shell_completion_as_the_guide_documents_it(monkeypatch: pytest.MonkeyPatch) -> None:
    guide = (Path(__file__).parent.parent / "docs" / "handleiding.md").read_text("utf-8")
    assert 'eval "$(_FICHEGEN_COMPLETE=bash_source fichegen)"' in guide
    monkeypatch.setenv("_FICHEGEN_COMPLETE", "bash_complete")
    monkeypatch.setenv("COMP_WORDS", "fichegen render --for")
    monkeypatch.setenv("COMP_CWORD", "2")
    result = CliRunner().invoke(main, [], prog_name="fichegen")
    assert result.stdout.splitlines() == ["plain,--format"]
