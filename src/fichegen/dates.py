"""The date a rendered fiche carries (Word's File > Info, the PDF's creation date).

Reproducible: the same fiche gives the same date, so the same bytes. In order:
SOURCE_DATE_EPOCH when set (reproducible-builds.org), the date of the file's
last git commit, the file's modification time, and 1980-01-01 for a fiche
that has no file.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from fichegen.errors import Location, Problem, UsageError
from fichegen.i18n import _

EPOCH = datetime(1980, 1, 1, tzinfo=UTC)
"""The earliest date a zip entry can hold."""


def fiche_date(path: Path | str | None) -> datetime:
    """When the fiche was last changed, as reproducibly as we can tell (see the module)."""
    from_environment = source_date_epoch()
    if from_environment is not None:
        return from_environment
    if not path:
        return EPOCH
    path = Path(path)
    committed = _last_commit(path)
    if committed is not None:
        return committed
    try:
        return _clamp(int(path.stat().st_mtime))
    except (OSError, OverflowError, ValueError):
        return EPOCH


def source_date_epoch() -> datetime | None:
    """SOURCE_DATE_EPOCH as a UTC datetime, None when unset; a wrong value is an error."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    try:
        return _clamp(int(raw))
    except (ValueError, OverflowError, OSError) as exc:
        raise UsageError(
            Problem(
                Location("SOURCE_DATE_EPOCH"),
                _("SOURCE_DATE_EPOCH is {raw!r}, not a number of seconds since 1970").format(
                    raw=raw
                ),
                hint=_("unset it or set it to e.g. 1735689600"),
            )
        ) from exc


def _clamp(seconds: int) -> datetime:
    return max(datetime.fromtimestamp(seconds, UTC), EPOCH)


_started: dict[str, subprocess.Popen[bytes]] = {}
"""`git log` processes started ahead by `start`, by path, each waited for once."""


def start(path: Path | str) -> None:
    """Start finding the date of `path` now, so that git runs while the fiche is read.

    The next `fiche_date(path)` takes the answer (or `cancel(path)` drops it);
    the date is the same as without this head start.
    """
    if not path or source_date_epoch_set() or str(Path(path)) in _started:
        return
    with contextlib.suppress(OSError):  # no git: `fiche_date` falls back as before
        _started[str(Path(path))] = _git_log(Path(path))


def cancel(path: Path | str) -> None:
    """Stop a `git log` that `start` began and nobody will read."""
    process = _started.pop(str(Path(path)), None) if path else None
    if process is not None:
        process.kill()
        process.communicate()


def source_date_epoch_set() -> bool:
    return bool(os.environ.get("SOURCE_DATE_EPOCH", "").strip())


def _git_log(path: Path) -> subprocess.Popen[bytes]:
    folder = path.parent if str(path.parent) else Path(".")
    return subprocess.Popen(
        ["git", "log", "-1", "--format=%ct", "--", path.name],
        cwd=folder,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )


def _last_commit(path: Path) -> datetime | None:
    """The committer date of the last commit that touched `path`, None outside git."""
    try:
        process = _started.pop(str(path), None) or _git_log(path)
    except OSError:
        return None
    try:
        output, _errors = process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return None
    text = output.decode("ascii", "replace").strip()
    if process.returncode != 0 or not text.isdigit():
        return None
    try:
        return _clamp(int(text))
    except (OverflowError, OSError, ValueError):
        return None
