"""The PDFs that leave the building: marks, internal notes, PDF/A-2b, tags, language, dates.

LibreOffice is slow on a shared machine, so every PDF of this module comes
from one conversion (a module fixture); the tests read them back with
pdftotext and pikepdf.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pikepdf
import pytest

from fichegen.pipeline import read_fiche, word_for_pdf
from fichegen.render.pdf import convert_to_pdf, find_soffice, finish_pdf

GOLDEN = Path(__file__).parent / "golden"
SEED = GOLDEN / "communication-seed" / "input.yaml"  # final
DRAFT = GOLDEN / "legislative-precursoren" / "input.yaml"  # draft, with internal notes
MOMENT = datetime(2026, 2, 3, 4, 5, 6, tzinfo=UTC)

pytestmark = pytest.mark.skipif(
    find_soffice() is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) and poppler's pdftotext are needed for a real conversion",
)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("pdf")
    words = {
        "final-public": word_for_pdf(read_fiche(SEED)),
        "draft-internal": word_for_pdf(read_fiche(DRAFT), audience="internal"),
        "draft-public": word_for_pdf(read_fiche(DRAFT)),
    }
    words["draft-internal-again"] = words["draft-internal"]
    paths = []
    for name, data in words.items():
        paths.append(folder / f"{name}.docx")
        paths[-1].write_bytes(data)
    converted = convert_to_pdf(paths, folder / "out")
    return {path.stem: finish_pdf(path.read_bytes(), MOMENT) for path in converted}


def pages_text(data: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "x.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    return [" ".join(page.split()) for page in out.split("\f") if page.strip()]


def test_a_draft_says_concept_on_every_page(pdfs: dict[str, bytes], tmp_path: Path) -> None:
    pages = pages_text(pdfs["draft-public"], tmp_path)
    assert len(pages) > 1
    for page in pages:
        assert "CONCEPT" in page
        assert "INTERN" not in page


def test_the_internal_version_says_intern_on_every_page_and_shows_the_notes(
    pdfs: dict[str, bytes], tmp_path: Path
) -> None:
    fiche = read_fiche(DRAFT)
    pages = pages_text(pdfs["draft-internal"], tmp_path)
    for page in pages:
        assert "CONCEPT · INTERN - NIET VOOR DE KAMER" in page
    text = " ".join(pages)
    candidates = [fiche.internal_notes, *(e.internal_notes for e in fiche.elements)]
    notes = [str(n) for n in candidates if n]
    assert notes
    for note in notes:
        assert " ".join(note.split())[:60] in text
    assert "Interne notitie" not in " ".join(pages_text(pdfs["draft-public"], tmp_path))


def test_a_final_public_fiche_carries_no_mark(pdfs: dict[str, bytes], tmp_path: Path) -> None:
    text = " ".join(pages_text(pdfs["final-public"], tmp_path))
    assert "CONCEPT" not in text and "INTERN" not in text and "Interne notitie" not in text


@pytest.mark.parametrize("name", ["final-public", "draft-internal"])
def test_pdf_is_pdfa_2b_tagged_titled_and_dutch(pdfs: dict[str, bytes], name: str) -> None:
    import io

    with pikepdf.open(io.BytesIO(pdfs[name])) as pdf:
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "2"
        assert meta["pdfaid:conformance"] == "B"
        assert meta["dc:title"].startswith("Fiche: ")
        assert str(pdf.docinfo["/Title"]) == meta["dc:title"]
        assert "/StructTreeRoot" in pdf.Root
        assert bool(pdf.Root.MarkInfo.Marked)
        assert str(pdf.Root.Lang) == "nl-NL"
        assert str(pdf.docinfo["/CreationDate"]) == "D:20260203040506+00'00'"
        assert meta["xmp:CreateDate"] == "2026-02-03T04:05:06+00:00"


def test_the_same_fiche_gives_the_same_pdf_bytes(pdfs: dict[str, bytes]) -> None:
    assert pdfs["draft-internal"] == pdfs["draft-internal-again"]
