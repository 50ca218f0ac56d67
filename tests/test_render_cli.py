"""`fichegen render`: what a civil servant sees when the file is right, and when it is not."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from fichegen.cli import main
from samples import MINIMAL

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "positions" / "com-2025-744-actieplan-drugshandel.yaml"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write(folder: Path, text: str, name: str = "x.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_render_markdown_writes_to_output_folder_by_default(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, MINIMAL)
    result = runner.invoke(main, ["render", "x.yaml", "--format", "md"])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "output" / "x.md").read_text("utf-8")
    assert text.startswith("**CONCEPT**\n\n# Fiche: Test\n")  # a draft says so
    assert "De grondhouding van het kabinet is negatief." in text
    assert "Het kabinet steunt actie 1 (Actie een)." in text


def test_render_output_option_writes_elsewhere(runner: CliRunner, tmp_path: Path) -> None:
    source = write(tmp_path, MINIMAL)
    target = tmp_path / "sub" / "fiche.md"
    result = runner.invoke(main, ["render", str(source), "-f", "md", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text("utf-8").startswith("**CONCEPT**\n\n# Fiche: Test")


def test_yaml_syntax_error_is_located_and_nothing_is_written(
    runner: CliRunner, tmp_path: Path
) -> None:
    source = write(tmp_path, MINIMAL.replace("essence: Essentie.", "essence: [Essentie."))
    target = tmp_path / "out.md"
    result = runner.invoke(main, ["render", str(source), "-f", "md", "-o", str(target)])
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert first.startswith(f"{source}:"), first
    assert ": error: the '[' at the start of this value is never closed [syntax]" in first
    assert "Traceback" not in result.output
    assert not target.exists()


def test_wrong_type_is_located_at_the_value(runner: CliRunner, tmp_path: Path) -> None:
    source = write(tmp_path, MINIMAL.replace('com_numbers: ["COM(2023) 1"]', "com_numbers: {a: 1}"))
    result = runner.invoke(main, ["render", str(source), "-f", "md", "-o", str(tmp_path / "o.md")])
    assert result.exit_code == 1
    assert f"{source}:6:16: error: 'com_numbers' of 'general' must be a list" in result.output
    assert not (tmp_path / "o.md").exists()


def test_all_problems_are_reported_at_once(runner: CliRunner, tmp_path: Path) -> None:
    broken = MINIMAL.replace("stance: support", "stance: suport").replace(
        "title: Test", "titel: Test"
    )
    source = write(tmp_path, broken)
    result = runner.invoke(main, ["render", str(source), "-f", "md", "-o", str(tmp_path / "o.md")])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert (
        f"{source}:2:1: error: unknown key 'titel' in the fiche (did you mean 'title'?) "
        "[unknown-key]" in errors
    )
    assert any(
        ":19:17: error: 'stance' of action 1 must be one of" in e
        and "(did you mean 'support'?)" in e
        for e in errors
    )
    # The typo explains the missing 'title'; saying it twice would be noise.
    assert not any("missing required key 'title'" in e for e in errors)
    assert len(errors) == 2


def test_failed_render_keeps_the_previous_output(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "o.md"
    target.write_text("previous version", encoding="utf-8")
    source = write(tmp_path, MINIMAL.replace("stance: support", "stance: ja"))
    result = runner.invoke(main, ["render", str(source), "-f", "md", "-o", str(target)])
    assert result.exit_code == 1
    assert target.read_text("utf-8") == "previous version"


def test_missing_file_is_one_error_line(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["render", str(tmp_path / "nope.yaml"), "-f", "md"])
    assert result.exit_code == 1
    assert (
        result.output.strip() == f"{tmp_path / 'nope.yaml'}: error: cannot read file: "
        "No such file or directory [unreadable]"
    )


def test_bundled_example_renders_to_markdown(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "seed.md"
    result = runner.invoke(main, ["render", str(EXAMPLE), "-f", "md", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "## Bijlage: overzicht kabinetspositie per actie" in target.read_text("utf-8")


def test_a_rule_the_team_switched_off_does_not_stop_a_render(
    runner: CliRunner, tmp_path: Path
) -> None:
    conditional = MINIMAL.replace("stance: support", "stance: support_with_conditions")
    source = write(tmp_path, conditional)
    target = tmp_path / "o.md"
    refused = runner.invoke(main, ["render", str(source), "-f", "md", "-o", str(target)])
    assert refused.exit_code == 1
    assert "[stance-conditions]" in refused.output
    (tmp_path / "fichegen.toml").write_text('[check]\ndisable = ["stance-conditions"]\n', "utf-8")
    result = runner.invoke(main, ["render", str(source), "-f", "md", "-o", str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_text("utf-8")
    assert "Het kabinet steunt actie 1 (Actie een) onder voorwaarden.\n" in text
    assert "voorwaarden:" not in text  # no list announced that never comes
