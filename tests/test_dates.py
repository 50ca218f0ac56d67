"""Dates are dates, and Commission numbers look like the Commission's."""

from __future__ import annotations

from pathlib import Path

import pytest

from fichegen.pipeline import check_file, read_fiche, render_fiche
from samples import MINIMAL


def write(tmp_path: Path, date: str = "juni 2023", com: str = "COM(2023) 1") -> Path:
    path = tmp_path / "x.yaml"
    text = MINIMAL.replace("date_received: juni 2023", f"date_received: {date}")
    path.write_text(text.replace('"COM(2023) 1"', f'"{com}"'), "utf-8")
    return path


def test_a_yaml_date_renders_as_a_dutch_date(tmp_path: Path) -> None:
    fiche = read_fiche(write(tmp_path, "2025-12-04"))
    markdown = render_fiche(fiche, "md").decode("utf-8")
    assert "4 december 2025" in markdown
    assert "2025-12-04" not in markdown
    assert not check_file(write(tmp_path, "2025-12-04")).problems


@pytest.mark.parametrize(
    ("date", "message", "hint"),
    [
        ("4 December 2025", "kleine letter: 'december'", "schrijf: 4 december 2025"),
        ("4 March 2026", "'March' is Engels", "schrijf: 4 maart 2026"),
        ("'2026-03-04'", "leest niet als een datum", "schrijf: 4 maart 2026"),
        ("ergens volgende week", "leest niet als een datum", "4 december 2025"),
    ],
)
def test_a_free_text_date_is_checked(
    dutch: None, tmp_path: Path, date: str, message: str, hint: str
) -> None:
    (problem,) = check_file(write(tmp_path, date)).problems
    assert (problem.code, problem.severity.value) == ("date", "warning")
    assert (problem.location.line, problem.location.column) == (5, 18 + date.startswith("'"))
    assert message in problem.message and hint in problem.hint


@pytest.mark.parametrize("date", ["4 december 2025", "december 2025", "[INVULLEN: datum]"])
def test_a_dutch_date_or_a_placeholder_passes(tmp_path: Path, date: str) -> None:
    assert not [p for p in check_file(write(tmp_path, date)).problems if p.code == "date"]


@pytest.mark.parametrize(
    ("number", "fix"),
    [
        ("COM (2026) 210", "COM(2026) 210"),
        ("com(2026)210 final", "COM(2026) 210"),
        ("JOIN(2026) 7 def.", "JOIN(2026) 7"),
        ("2026/210", "COM(2026) 210"),
    ],
)
def test_a_commission_number_unlike_the_commission_s_is_a_warning(
    dutch: None, tmp_path: Path, number: str, fix: str
) -> None:
    (problem,) = check_file(write(tmp_path, com=number)).problems
    assert (problem.code, problem.severity.value) == ("com-number", "warning")
    assert fix in problem.hint


@pytest.mark.parametrize("number", ["COM(2026) 210", "JOIN(2025) 12", "SWD(2025) 400"])
def test_a_commission_number_as_the_commission_writes_it_passes(
    tmp_path: Path, number: str
) -> None:
    assert not check_file(write(tmp_path, com=number)).problems
