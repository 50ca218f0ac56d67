"""Typography and document properties of the Word output, read back with python-docx."""

from __future__ import annotations

import io
import itertools
import os
import subprocess
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.shared import Pt
from lxml import etree

from fichegen.pipeline import read_fiche, render_fiche
from fichegen.render.docx.oxml import qn
from samples import MINIMAL
from wordcheck import assert_valid_docx

SEED = Path(__file__).parent / "golden" / "communication-seed" / "input.yaml"


@pytest.fixture(scope="module")
def seed_word() -> bytes:
    return render_fiche(read_fiche(SEED), "docx")


def size_of(style: Any, default: float) -> float:
    while style is not None:
        if style.font.size is not None:
            return float(style.font.size.pt)
        style = style.base_style
    return default


def style_name(paragraph: Any) -> str:
    return str(paragraph.style.name) if paragraph.style is not None else ""


def test_headings_are_never_smaller_than_body_text(seed_word: bytes) -> None:
    document = docx.Document(io.BytesIO(seed_word))
    styles = etree.fromstring(document.styles.element.xml.encode())
    default = styles.find(f".//{qn('w:rPrDefault')}//{qn('w:sz')}")
    body = int(default.get(qn("w:val"), "22")) / 2 if default is not None else 11
    body = size_of(document.styles["Normal"], body)
    names = [style_name(p) for p in document.paragraphs]
    used = {name for name in names if name.startswith("Heading")}
    assert used >= {"Heading 1", "Heading 2"}
    for name in [*used, "Heading 3", "Heading 4", "Heading 5"]:
        assert size_of(document.styles[name], body) >= body, name


def test_a_list_is_followed_by_space(seed_word: bytes) -> None:
    document = docx.Document(io.BytesIO(seed_word))
    paragraphs = document.paragraphs
    ends = [
        p
        for p, after in itertools.pairwise(paragraphs)
        if style_name(p).startswith("List") and not style_name(after).startswith("List")
    ]
    assert ends
    for p in ends:
        assert p.paragraph_format.space_after is not None, p.text
        assert p.paragraph_format.space_after >= Pt(6), p.text


def test_the_body_never_ends_with_a_table(seed_word: bytes) -> None:
    body = docx.Document(io.BytesIO(seed_word)).element.body
    blocks = [el for el in body if el.tag != qn("w:sectPr")]
    assert blocks[-2].tag == qn("w:tbl")  # the annex table ...
    assert blocks[-1].tag == qn("w:p")  # ... and a paragraph closing the body


def core_dates(data: bytes) -> tuple[datetime, datetime]:
    properties = docx.Document(io.BytesIO(data)).core_properties
    return properties.created, properties.modified


def test_dates_come_from_source_date_epoch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "x.yaml"
    source.write_text(MINIMAL, "utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    word = render_fiche(read_fiche(source), "docx", source_path=str(source))
    expected = datetime(2026, 1, 1, tzinfo=UTC)
    assert [d.replace(tzinfo=UTC) for d in core_dates(word)] == [expected, expected]


def test_dates_come_from_the_last_commit_and_renders_are_reproducible(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    source = tmp_path / "x.yaml"
    source.write_text(MINIMAL, "utf-8")
    git = ["git", "-C", str(tmp_path), "-c", "user.name=T", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "x.yaml"], check=True)
    env = {"GIT_COMMITTER_DATE": "2025-12-04T10:30:00Z", "GIT_AUTHOR_DATE": "2025-12-04T10:30:00Z"}

    subprocess.run([*git, "commit", "-qm", "x"], check=True, env={**os.environ, **env})
    first = render_fiche(read_fiche(source), "docx", source_path=str(source))
    second = render_fiche(read_fiche(source), "docx", source_path=str(source))
    assert first == second
    expected = datetime(2025, 12, 4, 10, 30, tzinfo=UTC)
    assert [d.replace(tzinfo=UTC) for d in core_dates(first)] == [expected, expected]
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert archive.infolist()[0].date_time == (2025, 12, 4, 10, 30, 0)
    # `render` and `build` start git while the fiche is checked: the same date, the same bytes
    ahead = render_fiche(read_fiche(source, date_ahead=True), "docx", source_path=str(source))
    assert ahead == first


def test_a_date_looked_up_ahead_for_a_fiche_with_errors_is_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fichegen import dates
    from fichegen.errors import InputError

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    source = tmp_path / "x.yaml"
    source.write_text("title: [\n", "utf-8")
    with pytest.raises(InputError):
        read_fiche(source, date_ahead=True)
    assert str(source) not in dates._started


def test_a_reference_documents_footnote_settings_are_kept(tmp_path: Path) -> None:
    reference = docx.Document()
    settings = reference.settings.element
    pr = etree.SubElement(settings, qn("w:footnotePr"))
    etree.SubElement(pr, qn("w:numFmt")).set(qn("w:val"), "lowerRoman")
    etree.SubElement(pr, qn("w:numStart")).set(qn("w:val"), "3")
    # footnotePr belongs before w:compat and what follows it
    compat = settings.find(qn("w:compat"))
    if compat is not None:
        compat.addprevious(pr)
    path = tmp_path / "huisstijl.docx"
    reference.save(str(path))
    word = render_fiche(read_fiche(SEED), "docx", reference=path)
    assert_valid_docx(word)
    with zipfile.ZipFile(io.BytesIO(word)) as archive:
        written = etree.fromstring(archive.read("word/settings.xml")).find(qn("w:footnotePr"))
    assert written is not None
    children = [(etree.QName(c).localname, c.get(qn("w:val")), c.get(qn("w:id"))) for c in written]
    assert children == [
        ("numFmt", "lowerRoman", None),
        ("numStart", "3", None),
        ("footnote", None, "-1"),
        ("footnote", None, "0"),
    ]
