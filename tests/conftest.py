"""Shared test switches.

Golden files (expected outputs kept beside their inputs) are compared with
`golden(path, actual)`. Run `pytest --update-goldens` (or set
FICHEGEN_UPDATE_GOLDENS=1) to rewrite them from the current output instead,
then review the diff of the rewritten files like code.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

Golden = Callable[[Path, str], None]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite golden files from the current output instead of comparing",
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    """Whether golden files are being rewritten in this run."""
    return bool(
        request.config.getoption("--update-goldens")
        or os.environ.get("FICHEGEN_UPDATE_GOLDENS") == "1"
    )


@pytest.fixture
def golden(update_goldens: bool) -> Golden:
    """Compare a text with a golden file, or rewrite the file when updating."""

    def compare(path: Path, actual: str) -> None:
        if update_goldens:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8", newline="\n")
            return
        assert path.is_file(), f"{path} is missing; run pytest --update-goldens to create it"
        expected = path.read_text(encoding="utf-8")
        assert actual == expected, (
            f"output differs from {path}; if the change is intended, "
            "run pytest --update-goldens and review the diff"
        )

    return compare


@pytest.fixture(autouse=True)
def english_messages(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tests read messages in English unless they ask for Dutch (`dutch`), whatever the locale."""
    from fichegen import i18n

    monkeypatch.setenv("FICHEGEN_LANG", "en")
    i18n.set_language(None)
    yield
    i18n.set_language(None)


@pytest.fixture(autouse=True)
def own_check_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Each test's `fichegen check` keeps its results in a folder of its own, not the user's."""
    monkeypatch.setenv("FICHEGEN_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("FICHEGEN_NO_CACHE", raising=False)


@pytest.fixture
def dutch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages in Dutch, as a civil servant reads them by default."""
    from fichegen import i18n

    monkeypatch.setenv("FICHEGEN_LANG", "nl")
    i18n.set_language(None)


# -- a test skipped for missing data is a failure ------------------------------------
#
# Every file a test reads is in the repository (tests/data/, positions/); a skip
# whose reason says something is missing would hide tests a fresh clone must run.

_MISSING_DATA = ("not found", "not present", "missing", "not beside", "not there", "seed")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    data = Path(__file__).parent / "data"
    needed = [
        data / "fiche-com-2025-744-actieplan-drugshandel.txt",
        data / "bijlage-eu-actieplan-drugs-2021-2025.txt",
    ]
    absent = [str(path) for path in needed if not path.is_file()]
    if absent:
        raise pytest.UsageError(f"test data missing: {', '.join(absent)}")


_skipped_for_data: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and isinstance(report.longrepr, tuple):
        reason = str(report.longrepr[2]).lower()
        if any(word in reason for word in _MISSING_DATA):
            _skipped_for_data.append(f"{report.nodeid}: {report.longrepr[2]}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _skipped_for_data:
        for line in _skipped_for_data:
            print(f"\nskipped for missing data (not allowed): {line}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
