"""fichegen letter: the covering letter to the Tweede Kamer, as Markdown, Word and one PDF."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import docx
import pikepdf
import pytest
from click.testing import CliRunner

from fichegen.cli import main
from fichegen.render.pdf import find_soffice
from wordcheck import assert_valid_docx

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture
def batch(tmp_path: Path) -> list[Path]:
    """The two examples, the first final with a Kamerstuk number, the second a draft without."""
    seed = (GOLDEN / "communication-seed/input.yaml").read_text("utf-8")
    first = tmp_path / "drugshandel.yaml"
    first.write_text(
        seed.replace("\nstatus: final\n", "\nstatus: final\nkamerstuk: 22 112, nr. 4321\n"), "utf-8"
    )
    second = tmp_path / "precursoren.yaml"
    shutil.copy(GOLDEN / "legislative-precursoren/input.yaml", second)
    return [first, second]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["letter", *args])
    return result.exit_code, result.output


def test_letter_lists_each_fiche_with_its_kamerstuk(batch: list[Path], tmp_path: Path) -> None:
    target = tmp_path / "brief.md"
    code, output = run(
        *map(str, batch), "-f", "md", "-o", str(target),
        "--date", "15 januari 2026", "--minister", "D.M. van Weel", "--number", "4400",
    )  # fmt: skip
    assert code == 0, output
    text = target.read_text("utf-8")
    assert text.startswith("**CONCEPT**\n\n")  # one fiche of the batch is still a draft
    for line in [
        "**22 112 Nieuwe Commissievoorstellen en initiatieven van de lidstaten"
        " van de Europese Unie**",
        "**Nr. 4400 BRIEF VAN DE MINISTER VAN BUITENLANDSE ZAKEN**",
        "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal",
        "Den Haag, 15 januari 2026",
        "Overeenkomstig de bestaande afspraken ontvangt u hierbij 2 fiches die werden opgesteld "
        "door de werkgroep Beoordeling Nieuwe Commissievoorstellen (BNC).",
        "Fiche: Mededeling over het EU actieplan tegen drugshandel (Kamerstuk 22 112, nr. 4321)",
        "Fiche: Verordening inzake drugsprecursoren",
        "De Minister van Buitenlandse Zaken,",
        "D.M. van Weel",
    ]:
        assert f"\n{line}\n" in f"\n{text}", line


def test_letter_in_word_takes_date_and_minister_from_the_config(
    batch: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "fichegen.toml").write_text(
        '[letter]\ndate = "3 maart 2026"\nminister = "C.C.J. Veldkamp"\n', "utf-8"
    )
    code, output = run(str(batch[0]))
    assert code == 0, output
    word = (tmp_path / "output" / "brief.docx").read_bytes()
    assert_valid_docx(word)
    document = docx.Document(io.BytesIO(word))
    texts = [p.text for p in document.paragraphs]
    assert "Den Haag, 3 maart 2026" in texts
    assert texts[-1] == "C.C.J. Veldkamp"
    assert "hierbij 1 fiche die werd opgesteld" in " ".join(texts)
    assert (
        document.core_properties.title
        == "Brief van de Minister van Buitenlandse Zaken, 3 maart 2026"
    )
    assert not any("CONCEPT" in t for t in texts)  # a batch of final fiches is not marked


def test_letter_without_date_or_minister_is_a_usage_error(
    batch: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, output = run(str(batch[0]), "--date", "1 april 2026")
    assert code != 0
    assert "--minister" in output
    assert not (tmp_path / "output").exists()


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) is needed for a PDF")
def test_letter_pdf_is_the_letter_then_each_fiche_with_bookmarks(
    batch: list[Path], tmp_path: Path
) -> None:
    target = tmp_path / "brief.pdf"
    code, output = run(
        *map(str, batch), "-f", "pdf", "-o", str(target),
        "--date", "15 januari 2026", "--minister", "D.M. van Weel",
    )  # fmt: skip
    assert code == 0, output
    with pikepdf.open(target) as pdf:
        with pdf.open_outline() as outline:
            items = [(item.title, item.destination) for item in outline.root]
        pages = {page.objgen: number for number, page in enumerate(pdf.pages)}
        titles = [title for title, _ in items]
        starts = [pages[destination[0].objgen] for _, destination in items]  # type: ignore[index]
        assert titles == [
            "Aanbiedingsbrief",
            "Fiche: Mededeling over het EU actieplan tegen drugshandel",
            "Fiche: Verordening inzake drugsprecursoren",
        ]
        assert starts[0] == 0 and starts[0] < starts[1] < starts[2] < len(pdf.pages)
        assert str(pdf.Root.Lang) == "nl-NL"


def test_letter_of_a_batch_with_a_draft_is_marked_and_valid_word(
    batch: list[Path], tmp_path: Path
) -> None:
    target = tmp_path / "brief.docx"
    code, output = run(
        *map(str, batch), "-o", str(target), "--date", "1 april 2026", "--minister", "X"
    )
    assert code == 0, output
    word = target.read_bytes()
    assert_valid_docx(word)
    document = docx.Document(io.BytesIO(word))
    assert document.sections[0].header.paragraphs[0].text == "CONCEPT"
    assert document.paragraphs[0].text.startswith("22 112 Nieuwe Commissievoorstellen")
