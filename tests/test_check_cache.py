"""`fichegen check` keeps what it found: an unchanged file is not checked again, a changed one is.

Each test has a cache folder of its own (FICHEGEN_CACHE_DIR, set in conftest).
Whether a file was checked again is seen by counting the checks made
(`pipeline.check_bytes`), never by timing.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from fichegen import pipeline
from fichegen.cli import main
from fichegen.validate import Validation
from fuzzing import EXAMPLES, FUZZ, dump_yaml, fiches, markup_prose
from samples import MINIMAL

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "positions" / "com-2025-744-actieplan-drugshandel.yaml"

# Two problems the team may configure: a placeholder (warning) and an unused footnote.
DRAFT = MINIMAL.replace("Niet opgesteld.", "'[INVULLEN: impact assessment]'") + (
    "footnotes:\n  ongebruikt: Een voetnoot die niemand aanroept.\n"
)


def check(*args: str) -> Result:
    return CliRunner().invoke(main, ["check", *args])


def cache_entries() -> list[Path]:
    return sorted((Path(os.environ["FICHEGEN_CACHE_DIR"]) / "check-v1").glob("*.json"))


@pytest.fixture
def checks_made(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the files actually checked (not answered from the cache)."""
    made: list[str] = []
    real = pipeline.check_bytes

    def counting(data: bytes, name: str) -> Validation:
        made.append(name)
        return real(data, name)

    monkeypatch.setattr(pipeline, "check_bytes", counting)
    yield made


def test_an_unchanged_file_is_not_checked_again_and_gives_the_same_output(
    tmp_path: Path, checks_made: list[str]
) -> None:
    fiche = tmp_path / "fiche.yaml"
    fiche.write_text(DRAFT, encoding="utf-8")
    first = check(str(fiche))
    assert checks_made == [str(fiche)]
    second = check(str(fiche))
    assert checks_made == [str(fiche)]  # the second answer came from the cache
    assert "[placeholder]" in first.output
    assert (second.output, second.exit_code) == (first.output, first.exit_code)


def test_a_changed_file_is_checked_again(tmp_path: Path, checks_made: list[str]) -> None:
    fiche = tmp_path / "fiche.yaml"
    fiche.write_text(DRAFT, encoding="utf-8")
    check(str(fiche))
    fiche.write_text(DRAFT.replace("'[INVULLEN: impact assessment]'", "Niet opgesteld."), "utf-8")
    result = check(str(fiche))
    assert len(checks_made) == 2
    assert "[placeholder]" not in result.output
    assert result.output == check("--no-cache", str(fiche)).output


def test_the_configuration_applies_to_cached_results_too(tmp_path: Path) -> None:
    fiche = tmp_path / "fiche.yaml"
    fiche.write_text(DRAFT, encoding="utf-8")
    assert check(str(fiche)).exit_code == 0  # a placeholder in a draft is a warning
    (tmp_path / "fichegen.toml").write_text(
        '[check]\nerror = ["placeholder"]\ndisable = ["footnote-unused"]\n', encoding="utf-8"
    )
    result = check(str(fiche))
    assert result.exit_code == 1
    assert "error: " in result.output and "[placeholder]" in result.output
    assert "[footnote-unused]" not in result.output
    assert result.output == check("--no-cache", str(fiche)).output


def test_the_messages_follow_the_language_not_the_cache(tmp_path: Path) -> None:
    fiche = tmp_path / "fiche.yaml"
    fiche.write_text(DRAFT, encoding="utf-8")
    english = check(str(fiche)).output
    dutch = CliRunner().invoke(main, ["--lang", "nl", "check", str(fiche)]).output
    assert "still has the placeholder" in english
    assert "still has the placeholder" not in dutch
    assert "bevat nog de invulplek" in dutch


def test_a_file_shown_under_another_name_is_located_under_that_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "positions").mkdir()
    fiche = tmp_path / "positions" / "fiche.yaml"
    fiche.write_text(DRAFT, encoding="utf-8")
    check(str(fiche))
    monkeypatch.chdir(tmp_path)
    result = check("positions/fiche.yaml")
    assert result.output.startswith("positions/fiche.yaml:")


def test_without_the_cache_nothing_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fiche = tmp_path / "fiche.yaml"
    fiche.write_text(DRAFT, encoding="utf-8")
    check("--no-cache", str(fiche))
    monkeypatch.setenv("FICHEGEN_NO_CACHE", "1")
    check(str(fiche))
    assert cache_entries() == []


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"{not json",
        b"[]",
        b'{"key": 1}',
        b'{"key": "KEY", "problems": [["x", 1]]}',
        b'{"key": "KEY", "problems": [["x", -1, 1, "m", "error", "c", ""]]}',
        b'{"key": "KEY", "problems": [["x", 1, 1, "m", "fatal", "c", ""]]}',
        b'{"key": "KEY", "problems": [["x", 1, 1, null, "error", "c", ""]]}',
        b"\xff\xfe",
    ],
)
def test_a_damaged_entry_is_passed_over_and_written_anew(tmp_path: Path, damage: bytes) -> None:
    fiche = tmp_path / "fiche.yaml"
    fiche.write_text(DRAFT, encoding="utf-8")
    expected = check(str(fiche)).output
    [entry] = cache_entries()
    key = json.loads(entry.read_text(encoding="utf-8"))["key"]
    entry.write_bytes(damage.replace(b"KEY", key.encode()))
    assert check(str(fiche)).output == expected
    assert json.loads(entry.read_text(encoding="utf-8"))["key"] == key


def test_a_cache_that_cannot_be_written_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fiche = tmp_path / "fiche.yaml"
    fiche.write_text(DRAFT, encoding="utf-8")
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("FICHEGEN_CACHE_DIR", str(blocked))
    result = check(str(fiche))
    assert "Traceback" not in result.output
    assert (result.output, result.exit_code) == (
        check("--no-cache", str(fiche)).output,
        check("--no-cache", str(fiche)).exit_code,
    )


def test_a_file_that_cannot_be_read_is_reported_as_without_the_cache(tmp_path: Path) -> None:
    missing = tmp_path / "weg.yaml"
    first = check(str(missing))
    assert first.exit_code == 1
    assert first.output == check("--no-cache", str(missing)).output
    assert cache_entries() == []


def test_a_whole_repository_is_answered_from_the_cache_without_a_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 40 files and more are checked in worker processes (see check.PARALLEL_FROM),
    # which fill the cache; the second run is answered from it.
    folder = tmp_path / "positions"
    folder.mkdir()
    for number in range(40):
        shutil.copyfile(SEED, folder / f"fiche-{number:02d}.yaml")
    (folder / "fiche-07.yaml").write_text(DRAFT, encoding="utf-8")
    first = check(str(folder))
    assert len(cache_entries()) == 40

    def no_check(data: bytes, name: str) -> Validation:
        raise AssertionError(f"{name} was checked again")

    real = pipeline.check_bytes
    monkeypatch.setattr(pipeline, "check_bytes", no_check)  # workers fork with it too
    second = check(str(folder))
    assert second.exception is None
    assert (second.output, second.exit_code) == (first.output, first.exit_code)
    monkeypatch.setattr(pipeline, "check_bytes", real)
    assert second.output == check("--no-cache", str(folder)).output


@settings(FUZZ, max_examples=max(EXAMPLES // 4, 25))
@given(
    versions=st.lists(
        st.one_of(
            fiches().map(dump_yaml),
            markup_prose.map(lambda text: DRAFT.replace("Niet opgesteld.", text).encode()),
            st.binary(max_size=200),
        ),
        min_size=1,
        max_size=4,
    ),
    back=st.integers(min_value=0, max_value=3),
)
def test_a_cached_result_is_always_the_result_of_a_fresh_check(
    tmp_path_factory: pytest.TempPathFactory, versions: list[bytes], back: int
) -> None:
    # A file edited several times, and then saved again as one of its earlier versions.
    fiche = tmp_path_factory.mktemp("edits") / "fiche.yaml"
    for data in [*versions, versions[back % len(versions)]]:
        fiche.write_bytes(data)
        cached = check(str(fiche))
        fresh = check("--no-cache", str(fiche))
        assert (cached.output, cached.exit_code) == (fresh.output, fresh.exit_code)
        again = check(str(fiche))
        assert (again.output, again.exit_code) == (fresh.output, fresh.exit_code)
