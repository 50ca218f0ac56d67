"""`fichegen build`: a whole positions folder into output/, rendering only what changed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from fichegen import build
from fichegen.cli import main
from samples import MINIMAL


def titled(title: str) -> str:
    """The minimal fiche under another title, so each built fiche is its own."""
    return MINIMAL.replace("title: Test", f"title: {title}")


NAMES = ("alpha", "beta", "gamma")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A positions repository of three valid fiches, as the current folder."""
    positions = tmp_path / "positions"
    positions.mkdir()
    for name in NAMES:
        (positions / f"{name}.yaml").write_text(titled(name.title()), "utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["build", "--format", "md", "--jobs", "1", *args])


def mtimes(folder: Path) -> dict[str, int]:
    return {path.name: path.stat().st_mtime_ns for path in folder.glob("*.md")}


def test_build_renders_every_fiche_and_says_how_many(repo: Path) -> None:
    result = run()
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (repo / "output").glob("*.md")) == [
        "alpha.md",
        "beta.md",
        "gamma.md",
    ]
    assert "# " in (repo / "output" / "beta.md").read_text("utf-8")
    assert "Beta" in (repo / "output" / "beta.md").read_text("utf-8")
    assert result.output.startswith("built 3, unchanged 0, failed 0 in ")


def test_second_build_renders_nothing_and_says_so(repo: Path) -> None:
    run()
    before = mtimes(repo / "output")
    result = run()
    assert result.exit_code == 0
    assert "built 0, unchanged 3, failed 0" in result.output
    assert mtimes(repo / "output") == before


def test_changing_one_fiche_rebuilds_only_that_one(repo: Path) -> None:
    run()
    before = mtimes(repo / "output")
    source = repo / "positions" / "beta.yaml"
    source.write_text(source.read_text("utf-8").replace("title: Beta", "title: Bèta"), "utf-8")
    result = run("--verbose")
    assert "built 1, unchanged 2" in result.output
    assert "positions/beta.yaml: source changed" in result.output
    after = mtimes(repo / "output")
    assert [name for name in after if after[name] != before[name]] == ["beta.md"]
    assert "Bèta" in (repo / "output" / "beta.md").read_text("utf-8")


def test_touching_a_fiche_without_changing_it_rebuilds_nothing(repo: Path) -> None:
    run()
    source = repo / "positions" / "alpha.yaml"
    source.write_text(source.read_text("utf-8"), "utf-8")
    assert "built 0, unchanged 3" in run().output


def test_changing_a_template_rebuilds_every_fiche(repo: Path) -> None:
    own = repo / "templates"
    own.mkdir()
    labels = own / "labels.yaml"
    shutil.copyfile(build.TEMPLATES / "labels.yaml", labels)
    run("--templates", "templates")
    assert "built 0, unchanged 3" in run("--templates", "templates").output
    labels.write_text(labels.read_text("utf-8") + "\n# a new comment\n", "utf-8")
    result = run("--templates", "templates", "-v")
    assert "built 3, unchanged 0" in result.output
    assert "positions/alpha.yaml: templates changed" in result.output


def test_a_changed_bundled_template_rebuilds_every_fiche(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = repo / "bundle"
    shutil.copytree(build.TEMPLATES, bundle)
    monkeypatch.setattr(build, "TEMPLATES", bundle)  # what the hash reads, not what renders
    run()
    (bundle / "communication.md.j2").write_text("changed", "utf-8")
    assert "built 3, unchanged 0" in run().output


def test_bundled_templates_are_where_the_renderer_finds_them() -> None:
    from fichegen.render import markdown

    assert build.TEMPLATES == markdown.TEMPLATES


def test_the_internal_version_is_built_beside_the_public_one(repo: Path) -> None:
    run()
    result = run("--audience", "internal")
    assert "built 3, unchanged 0" in result.output
    assert (repo / "output" / "alpha-intern.md").is_file()
    assert (repo / "output" / "alpha.md").is_file()
    assert "built 0, unchanged 3" in run().output


def test_a_new_fichegen_rebuilds_every_fiche(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run()
    monkeypatch.setattr(build, "__version__", "99.0")
    assert "built 3, unchanged 0" in run().output


def test_a_missing_output_is_rendered_again(repo: Path) -> None:
    run()
    (repo / "output" / "gamma.md").unlink()
    result = run("-v")
    assert "built 1, unchanged 2" in result.output
    assert "positions/gamma.yaml: output missing" in result.output
    assert (repo / "output" / "gamma.md").is_file()


def test_a_broken_fiche_is_located_and_the_others_still_build(repo: Path) -> None:
    (repo / "positions" / "beta.yaml").write_text("type: communication\ntitle: [\n", "utf-8")
    result = run()
    assert result.exit_code == 1
    assert "positions/beta.yaml:2:8: error: the '[' at the start" in result.output
    assert "built 2, unchanged 0, failed 1" in result.output
    assert sorted(p.name for p in (repo / "output").glob("*.md")) == ["alpha.md", "gamma.md"]
    # The failure is not remembered as done: the next build reports it again.
    again = run()
    assert again.exit_code == 1
    assert "built 0, unchanged 2, failed 1" in again.output


def test_an_invalid_fiche_reports_every_problem_with_its_line(repo: Path) -> None:
    source = repo / "positions" / "gamma.yaml"
    source.write_text(
        source.read_text("utf-8").replace("stance: support", "stance: maybe"), "utf-8"
    )
    result = run()
    assert result.exit_code == 1
    line = MINIMAL.splitlines().index("        stance: support") + 1
    assert f"positions/gamma.yaml:{line}:" in result.output
    assert "'maybe'" in result.output


def test_deleting_the_state_file_rebuilds_every_fiche(repo: Path) -> None:
    run()
    (repo / "output" / build.STATE_NAME).unlink()
    assert "built 3, unchanged 0" in run().output


def test_a_damaged_state_file_rebuilds_every_fiche(repo: Path) -> None:
    run()
    (repo / "output" / build.STATE_NAME).write_text("{not json", "utf-8")
    assert "built 3, unchanged 0" in run().output
    assert "built 0, unchanged 3" in run().output


def test_force_rebuilds_every_fiche(repo: Path) -> None:
    run()
    result = run("--force", "-v")
    assert "built 3, unchanged 0" in result.output
    assert "positions/alpha.yaml: forced" in result.output


def test_given_files_build_only_those(repo: Path) -> None:
    result = run("positions/alpha.yaml")
    assert "built 1, unchanged 0" in result.output
    assert [p.name for p in (repo / "output").glob("*.md")] == ["alpha.md"]
    # The others are still unknown, the one built is remembered.
    assert "built 2, unchanged 1" in run().output


def test_subfolders_keep_their_place_in_output(repo: Path) -> None:
    archive = repo / "positions" / "2019"
    archive.mkdir()
    (archive / "alpha.yaml").write_text(titled("Oud"), "utf-8")
    result = run()
    assert "built 4" in result.output
    assert "Oud" in (repo / "output" / "2019" / "alpha.md").read_text("utf-8")
    assert "Alpha" in (repo / "output" / "alpha.md").read_text("utf-8")


def test_output_folder_can_be_chosen(repo: Path) -> None:
    assert run("--output", "site").exit_code == 0
    assert (repo / "site" / "alpha.md").is_file()
    assert json.loads((repo / "site" / build.STATE_NAME).read_text("utf-8"))["outputs"]


def test_unknown_format_is_a_usage_error(repo: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--format", "md,odt"])
    assert result.exit_code == 2
    assert "unknown format 'odt'" in result.output


def test_missing_positions_folder_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 2
    assert "positions: error: no such file or folder" in result.output


def test_markdown_and_word_in_worker_processes(repo: Path) -> None:
    import fichegen.render.docx

    if not hasattr(fichegen.render.docx, "render_docx"):
        pytest.skip("the Word writer is not there yet")
    result = CliRunner().invoke(main, ["build", "--format", "md,docx", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert "built 3, unchanged 0, failed 0" in result.output
    for name in NAMES:
        assert (repo / "output" / f"{name}.md").is_file()
        assert (repo / "output" / f"{name}.docx").read_bytes().startswith(b"PK")
    # Deleting only a Word file renders only that Word file.
    (repo / "output" / "beta.docx").unlink()
    before = mtimes(repo / "output")
    assert (
        "built 1, unchanged 2" in CliRunner().invoke(main, ["build", "--format", "md,docx"]).output
    )
    assert mtimes(repo / "output") == before
    assert (repo / "output" / "beta.docx").is_file()


def test_no_op_build_imports_no_renderer(repo: Path) -> None:
    import subprocess
    import sys

    run()
    code = (
        "import sys; from click.testing import CliRunner; from fichegen.cli import main; "
        "r = CliRunner().invoke(main, ['build', '--format', 'md']); print(r.output); "
        "print(sorted(m for m in ('jinja2', 'docx', 'lxml', 'markdown_it', 'ruamel') "
        "if m in sys.modules))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "built 0, unchanged 3" in output
    assert output.rstrip().endswith("[]")


def test_one_fault_shared_by_every_fiche_is_reported_once(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fichegen.pipeline

    def broken(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("renderer exploded")

    monkeypatch.setattr(fichegen.pipeline, "render_fiche", broken)
    result = run()
    assert result.exit_code == 1
    assert result.output.count("error: internal error: RuntimeError: renderer exploded") == 1
    assert "renderer exploded (and 2 more fiches) [internal]" in result.output
    assert "built 0, unchanged 0, failed 3" in result.output


def test_every_pdf_comes_from_one_libreoffice_run(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pikepdf

    import fichegen.render.pdf

    calls: list[list[Path]] = []

    def convert(paths: list[Path], outdir: Path) -> list[Path]:
        calls.append(list(paths))
        for path in paths:
            assert path.read_bytes().startswith(b"PK")
            pikepdf.new().save(outdir / f"{path.stem}.pdf")
        return [outdir / f"{path.stem}.pdf" for path in paths]

    monkeypatch.setattr(fichegen.render.pdf, "convert_to_pdf", convert)
    result = run("--format", "pdf")
    assert result.exit_code == 0, result.output
    assert [len(paths) for paths in calls] == [3]
    for name in NAMES:
        assert (repo / "output" / f"{name}.pdf").read_bytes().startswith(b"%PDF")
    assert not (repo / "output" / "alpha.docx").exists()  # the Word file was only a means
    assert "built 0, unchanged 3" in run("--format", "pdf").output
    assert len(calls) == 1


def test_a_failed_pdf_conversion_fails_those_fiches(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fichegen.render.pdf
    from fichegen.errors import Location, Problem, ToolError

    def convert(paths: list[Path], outdir: Path) -> list[Path]:
        raise ToolError(Problem(Location("soffice"), "LibreOffice is not installed"))

    monkeypatch.setattr(fichegen.render.pdf, "convert_to_pdf", convert)
    result = run("--format", "md,pdf")
    assert result.exit_code == 1
    assert "soffice: error: LibreOffice is not installed (and 2 more fiches)\n" in result.output
    assert "built 0, unchanged 0, failed 3" in result.output
    # The Markdown was written, but the fiche failed, so all of it is tried again.
    assert (repo / "output" / "alpha.md").is_file()
    assert "failed 3" in run("--format", "md,pdf").output


def test_an_interrupted_build_keeps_what_it_finished(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fichegen.pipeline

    real = fichegen.pipeline.read_fiche

    def interrupt_at_gamma(path: Path | str, **options: bool) -> object:
        if "gamma" in str(path):
            raise KeyboardInterrupt
        return real(path, **options)

    monkeypatch.setattr(fichegen.pipeline, "read_fiche", interrupt_at_gamma)
    assert run().exit_code == 130
    monkeypatch.setattr(fichegen.pipeline, "read_fiche", real)
    result = run("-v")
    assert "built 1, unchanged 2" in result.output
    assert "positions/gamma.yaml: new" in result.output
