"""The fiches of a repository as the preview sees them: each file's latest check and rendering.

A `Workspace` knows which files are fiches (positions/**/*.yaml under the
folder served, or the folder's own YAML files, or the one file given), keeps
per file the problems of its latest version and the last rendering without
errors, and wakes everyone waiting (`wait_for`) when a file changed. Its
watcher polls the files' stat: a fiche open in a browser every few
milliseconds, the rest once a second.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fichegen.errors import FichegenError, Location, Problem
from fichegen.i18n import _

if TYPE_CHECKING:
    from fichegen.model import Fiche

SUFFIXES = (".yaml", ".yml")
PLACEHOLDER_RULES = ("placeholder", "final-placeholder")
WATCHED_INTERVAL = 0.005
"""Seconds between two looks at a fiche open in a browser (a stat call each)."""
EMPTY_GRACE = 0.2
"""Seconds a file just emptied is taken to be in the middle of a save, not emptied for good."""
SCAN_INTERVAL = 1.0
"""Seconds between two looks for new, removed or changed fiches that nobody has open."""


@dataclass(frozen=True)
class Settings:
    root: Path
    audience: str = "public"
    templates: Path | None = None
    reference: Path | None = None


@dataclass(frozen=True)
class Summary:
    """One fiche as the overview shows it."""

    title: str
    type: str
    status: str
    errors: int
    warnings: int
    placeholders: int
    stances: dict[str, int]


@dataclass(frozen=True)
class Rendering:
    """A rendering without errors: what the preview shows until the next one."""

    version: int
    fiche: Fiche
    html: str


@dataclass
class FicheFile:
    key: str
    """The path relative to the folder served, with '/': the fiche's name in URLs."""
    path: Path
    version: int = 0
    """Counts the file's changes since the server started; 0: not read yet."""
    problems: list[Problem] = field(default_factory=list)
    summary: Summary | None = None
    good: Rendering | None = None
    watched: bool = False
    """Someone opened the preview: render every new version, and look often."""
    stamp: tuple[int, int, int] | None = None
    digest: bytes = b""
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def has_errors(self) -> bool:
        return _has_errors(self.problems)


class Workspace:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.root = settings.root.resolve()
        self.files: dict[str, FicheFile] = {}
        self.generation = 0
        """Counts the changes to any fiche (or to the list of fiches)."""
        self.run = str(time.time_ns())
        """This server's start: versions count from 1 again in the next one, and a page still
        open from before must not take the next one's version 2 for the one it shows."""
        self.changed = threading.Condition()
        self.stopping = False
        self._lock = threading.Lock()
        self._gone: dict[str, FicheFile] = {}
        """Fiches whose file went: a page still open on one follows it when it comes back."""
        self.discover()

    # -- which files are fiches -------------------------------------------------

    def discover(self) -> bool:
        """Bring the list of fiches up to date; whether it changed."""
        found = {self._key(path): path for path in self._iter_fiche_paths()}
        with self._lock:
            if found.keys() == self.files.keys():
                return False
            gone = [fiche for key, fiche in self.files.items() if key not in found]
            self.files = {
                key: self.files.get(key) or self._gone.pop(key, None) or FicheFile(key, path)
                for key, path in found.items()
            }
            self._gone.update((fiche.key, fiche) for fiche in gone)
        for fiche in gone:  # a page still showing it says so
            with fiche.lock:
                fiche.problems = [
                    Problem(
                        Location(fiche.key),
                        _("the file is gone (moved or deleted)"),
                        hint=_(
                            "open the fiche again from the overview, under its new name if it "
                            "was renamed; this page follows again if the file comes back"
                        ),
                    )
                ]
                fiche.stamp, fiche.digest = None, b""
                fiche.version += 1
        return True

    def _iter_fiche_paths(self) -> Iterator[Path]:
        root = self.settings.root
        if root.is_file():
            yield root.resolve()
            return
        positions = root / "positions"
        candidates = positions.rglob("*") if positions.is_dir() else root.glob("*")
        for path in sorted(candidates):
            if path.suffix not in SUFFIXES or not path.is_file():
                continue
            resolved = path.resolve()
            # a link pointing out of the folder is not one of its fiches
            if resolved.is_relative_to(self.root) or self.root.is_file():
                yield resolved

    def _key(self, path: Path) -> str:
        if self.root.is_file():
            return path.name
        return path.relative_to(self.root).as_posix()

    def find(self, key: str) -> FicheFile | None:
        """The fiche of that name, only if it is one of the fiches found: nothing else is served."""
        with self._lock:
            return self.files.get(key)

    def all(self) -> list[FicheFile]:
        with self._lock:
            return list(self.files.values())

    # -- reading a fiche --------------------------------------------------------

    def ensure_read(self, fiche: FicheFile, *, render: bool = False) -> None:
        """Read the file when it was never read, or render it when it never was."""
        if render and not fiche.watched:
            fiche.watched = True
        elif fiche.summary is not None:
            return
        if self.refresh(fiche, force=True):
            self.notify()

    def refresh(self, fiche: FicheFile, *, force: bool = False) -> bool:
        """Read the file again when it changed on disk; whether anything changed.

        What the pages read (problems, summary, rendering) is replaced before the
        version is counted up, so whoever sees the new version sees all of it.
        """
        with fiche.lock:
            stamp = _stamp(fiche.path)
            if stamp == fiche.stamp and not force:
                return False
            fiche.stamp = stamp
            try:
                content = fiche.path.read_bytes()
            except OSError:
                content = b""
            if not content and stamp and time.time() - stamp[0] / 1e9 < EMPTY_GRACE:
                # an editor saving in place empties the file first: look again shortly
                fiche.stamp = None
                return False
            digest = hashlib.blake2b(content, digest_size=16).digest()
            stale_rendering = fiche.watched and fiche.good is None
            if digest == fiche.digest and fiche.summary is not None and not stale_rendering:
                return False
            fiche.digest = digest
            version = fiche.version + 1
            parsed, problems, summary = self._read(fiche.path)
            good = fiche.good
            if fiche.watched and parsed is not None and not _has_errors(problems):
                rendering, problems = self._render(parsed, version, problems)
                good = rendering or good
            fiche.problems, fiche.summary, fiche.good = problems, summary, good
            fiche.version = version
            return True

    def _read(self, path: Path) -> tuple[Fiche | None, list[Problem], Summary]:
        """Check the file as `check` does: its fiche if it could be built, problems, summary."""
        from fichegen.config import ConfigFinder
        from fichegen.pipeline import check_file

        result = check_file(path)
        try:
            config = ConfigFinder().for_file(path)
        except FichegenError as exc:
            problems = [*exc.problems, *result.problems]
        else:
            problems = [
                adjusted
                for problem in result.problems
                if (adjusted := config.adjust(problem)) is not None
            ]
        placeholders = sum(1 for problem in result.problems if problem.code in PLACEHOLDER_RULES)
        return result.fiche, problems, _summarise(result.fiche, problems, placeholders)

    def _render(
        self, parsed: Fiche, version: int, problems: list[Problem]
    ) -> tuple[Rendering | None, list[Problem]]:
        from fichegen.pipeline import render_fiche
        from fichegen.serve.html import markdown_to_html

        settings = self.settings
        try:
            markdown = render_fiche(
                parsed, "md", audience=settings.audience, templates=settings.templates
            ).decode("utf-8")
        except FichegenError as exc:
            return None, [*problems, *exc.problems]
        labels = self.labels()
        notes: tuple[str, ...] = ()
        if settings.audience == "internal":
            notes = tuple(
                str(labels.get(key, "")) for key in ("internal_note", "internal_review_note")
            )
        html = markdown_to_html(markdown, self.stance_classes(), notes)
        return Rendering(version, parsed, html), problems

    def labels(self) -> dict[str, Any]:
        from fichegen.render.markdown import template_labels

        return template_labels(self.settings.templates)

    def stance_classes(self) -> dict[str, str]:
        """Stance label (as the fiche shows it) -> the CSS class that colours its cell."""
        return {
            str(entry["label"]): f"stance-{key}" for key, entry in self.labels()["stances"].items()
        }

    def render_docx(self, rendering: Rendering, fiche: FicheFile) -> bytes:
        """The Word document of a rendering the preview shows."""
        from fichegen.pipeline import render_fiche

        settings = self.settings
        return render_fiche(
            rendering.fiche,
            "docx",
            reference=settings.reference,
            source_path=fiche.key,
            audience=settings.audience,
            templates=settings.templates,
        )

    # -- watching ---------------------------------------------------------------

    def notify(self) -> None:
        with self.changed:
            self.generation += 1
            self.changed.notify_all()

    def wait_for(self, ready: Callable[[], bool], timeout: float) -> bool:
        """Wait until `ready()` or the server stops; False on timeout."""
        with self.changed:
            return self.changed.wait_for(lambda: self.stopping or ready(), timeout)

    def wait_for_change(self, current: Callable[[], int], seen: int, timeout: float) -> bool:
        """Wait until `current()` is no longer `seen` or the server stops; False on timeout."""
        return self.wait_for(lambda: current() != seen, timeout)

    def stop(self) -> None:
        with self.changed:
            self.stopping = True
            self.changed.notify_all()

    def watch(self) -> None:
        """Until `stop`: read each fiche again as soon as it changes, and tell the waiters."""
        last_scan = 0.0
        while not self.stopping:
            started = time.monotonic()
            scan = started - last_scan >= SCAN_INTERVAL
            changed = False
            if scan:
                last_scan = started
                changed = self.discover()
            for fiche in self.all():
                if self.stopping:
                    return
                if (fiche.watched or scan) and self._refresh_quietly(fiche):
                    changed = True
            if changed:
                self.notify()
            with self.changed:
                if self.stopping:
                    return
                self.changed.wait(WATCHED_INTERVAL)

    def _refresh_quietly(self, fiche: FicheFile) -> bool:
        try:
            return self.refresh(fiche)
        except Exception:  # the watcher must outlive any one file; the page shows the rest
            return False


def _has_errors(problems: list[Problem]) -> bool:
    return any(problem.is_error for problem in problems)


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


def _summarise(fiche: Fiche | None, problems: list[Problem], placeholders: int) -> Summary:
    errors = sum(1 for problem in problems if problem.is_error)
    if fiche is None:
        return Summary("", "", "", errors, len(problems) - errors, placeholders, {})
    stances = Counter(str(action.stance.value) for action in fiche.iter_actions())
    return Summary(
        fiche.title,
        str(fiche.type.value),
        str(fiche.status.value),
        errors,
        len(problems) - errors,
        placeholders,
        dict(stances),
    )
