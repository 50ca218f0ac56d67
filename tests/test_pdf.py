"""Word -> PDF through LibreOffice: a real conversion when soffice is there, and failures."""

from __future__ import annotations

import shutil
import stat
import subprocess
import textwrap
from pathlib import Path

import pytest

from fichegen.errors import InputError, ToolError
from fichegen.render.docx import DocumentInfo, render_docx
from fichegen.render.pdf import convert_to_pdf, find_soffice

SAMPLES = Path(__file__).parent / "docx_samples"
INFO = DocumentInfo("Fiche: Mededeling over het EU actieplan tegen drugshandel", "COM(2025) 744")

needs_soffice = pytest.mark.skipif(
    find_soffice() is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) and poppler's pdftotext are needed for a real conversion",
)


def write_docx(path: Path, markdown: str) -> Path:
    path.write_bytes(render_docx(markdown, INFO))
    return path


def pdf_text(pdf: Path) -> str:
    result = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True)
    return " ".join(result.stdout.split())  # lines wrap wherever the page does


def fake_soffice(folder: Path, script: str) -> str:
    """An executable standing in for soffice, to make it fail in controlled ways."""
    path = folder / "soffice"
    path.write_text("#!/bin/sh\n" + textwrap.dedent(script))
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


@needs_soffice
def test_converts_fiches_in_one_run_with_headings_and_footnotes(tmp_path: Path) -> None:
    small = write_docx(tmp_path / "small.docx", (SAMPLES / "small.md").read_text())
    other = write_docx(tmp_path / "other.docx", "# Fiche: Tweede\n\nTekst[^x].\n\n[^x]: Noot.\n")
    outdir = tmp_path / "pdf"
    pdfs = convert_to_pdf([small, other], outdir)
    assert pdfs == [outdir / "small.pdf", outdir / "other.pdf"]
    text = pdf_text(pdfs[0])
    for expected in (
        "Fiche: Mededeling over het EU actieplan tegen drugshandel",
        "1. Algemene gegevens",
        "a) Titel voorstel",
        "e) Nr. impact assessment Commissie en Opinie Raad voor Regelgevingstoetsing",
        "2. Essentie voorstel",
        "Bijlage: overzicht kabinetspositie per actie",
        "Zie de brief over impact assessments.",
        "BNC fiche EU drugsstrategie",
        "Maritime Analysis and Operations Centre – Narcotics.",
        "steun onder voorwaarden",
        "Pagina 1 van 1",
    ):
        assert expected in text
    assert "Noot." in pdf_text(pdfs[1])


def test_missing_soffice_is_a_tool_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docx = write_docx(tmp_path / "f.docx", "Tekst.\n")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(ToolError, match="LibreOffice \\(soffice\\) is not installed"):
        convert_to_pdf([docx], tmp_path)
    with pytest.raises(ToolError, match="not installed or not on PATH"):
        convert_to_pdf([docx], tmp_path, soffice="/bestaat/niet/soffice")


def test_failing_soffice_is_a_tool_error_with_its_message(tmp_path: Path) -> None:
    docx = write_docx(tmp_path / "f.docx", "Tekst.\n")
    soffice = fake_soffice(tmp_path, "echo 'Error: source file could not be loaded' >&2\nexit 1\n")
    with pytest.raises(ToolError) as caught:
        convert_to_pdf([docx], tmp_path / "out", soffice=soffice)
    message = str(caught.value)
    assert "LibreOffice failed with exit code 1" in message
    assert "hint: Error: source file could not be loaded" in message


def test_soffice_that_writes_no_pdf_is_a_tool_error(tmp_path: Path) -> None:
    docx = write_docx(tmp_path / "f.docx", "Tekst.\n")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "f.pdf").write_bytes(b"stale PDF from an earlier run")
    soffice = fake_soffice(tmp_path, "exit 0\n")
    with pytest.raises(ToolError, match="wrote no PDF for 1 of 1 file"):
        convert_to_pdf([docx], tmp_path / "out", soffice=soffice)


def test_hanging_soffice_is_killed_after_the_timeout(tmp_path: Path) -> None:
    docx = write_docx(tmp_path / "f.docx", "Tekst.\n")
    soffice = fake_soffice(tmp_path, "sleep 30\n")
    with pytest.raises(ToolError, match=r"did not finish converting within 0\.5 s"):
        convert_to_pdf([docx], tmp_path, timeout=0.5, soffice=soffice)


def test_soffice_gets_a_private_profile_that_is_removed_afterwards(tmp_path: Path) -> None:
    docx = write_docx(tmp_path / "f.docx", "Tekst.\n")
    args = tmp_path / "args.txt"
    soffice = fake_soffice(
        tmp_path,
        f"""\
        printf '%s\\n' "$@" > {args}
        printf '%%PDF-1.4' > "{tmp_path}/out/f.pdf"
        """,
    )
    assert convert_to_pdf([docx], tmp_path / "out", soffice=soffice) == [tmp_path / "out/f.pdf"]
    given = args.read_text().splitlines()
    profile = [a for a in given if a.startswith("-env:UserInstallation=file:///")]
    assert len(profile) == 1
    assert not Path(profile[0].removeprefix("-env:UserInstallation=file://")).exists()
    assert given[-3:] == ["--outdir", str(tmp_path / "out"), str(docx)]


def test_inputs_are_checked_before_starting_libreoffice(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no such \.docx file"):
        convert_to_pdf([tmp_path / "weg.docx"], tmp_path)
    (tmp_path / "a").mkdir()
    one = write_docx(tmp_path / "f.docx", "Een.\n")
    two = write_docx(tmp_path / "a" / "f.docx", "Twee.\n")
    with pytest.raises(InputError, match="both are named 'f'"):
        convert_to_pdf([one, two], tmp_path / "out")
    assert convert_to_pdf([], tmp_path / "out") == []
