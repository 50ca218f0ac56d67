"""Build a whole positions repository: every fiche into output/, only what changed, in parallel.

A build is planned before anything heavy is imported: the content hashes of
each source, of the templates, of the reference document and of fichegen's own
code are compared with those recorded in a small state file under the output
folder. Only the fiches whose inputs changed (or whose output is missing) are
rendered, in worker processes that import the renderers once. PDFs are made
from the Word files in one LibreOffice run at the end. A fiche that fails is
reported with its located problems; the others still build.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import fichegen
from fichegen import __version__
from fichegen.errors import FichegenError, Location, Problem, Severity, UsageError
from fichegen.files import write_atomic
from fichegen.i18n import N_, _, ngettext, os_reason

if TYPE_CHECKING:
    from fichegen.pipeline import Format

FORMATS: tuple[Format, ...] = ("md", "docx", "pdf")
DEFAULT_FORMATS: tuple[Format, ...] = ("md", "docx")
"""Markdown to review in diffs, Word to send; PDF only on request (it needs LibreOffice)."""

STATE_NAME = ".fichegen-build.json"
STATE_VERSION = 1
SOURCE_SUFFIXES = (".yaml", ".yml")

PACKAGE = Path(__file__).resolve().parent
TEMPLATES = fichegen.TEMPLATES

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Settings:
    """What a build is asked to do."""

    sources: tuple[Path, ...] = (Path("positions"),)
    output: Path = Path("output")
    formats: tuple[Format, ...] = DEFAULT_FORMATS
    reference: Path | None = None
    templates: Path | None = None
    """The user's own templates, which replace bundled files of the same name."""
    audience: str = "public"
    jobs: int = 0
    """Worker processes; 0 means one per available core."""
    force: bool = False
    prune: bool = False
    """Remove outputs whose fiche is gone or failed; otherwise a notice names them."""


@dataclass(frozen=True)
class Task:
    """One fiche to render: the formats whose output is out of date, and why."""

    source: Path
    targets: tuple[tuple[Format, Path], ...]
    reason: str


@dataclass
class Plan:
    """Which fiches a build renders and which it leaves alone."""

    tasks: list[Task]
    unchanged: list[Path]
    failed: list[Outcome]
    """Fiches that cannot even be planned (two sources writing the same output)."""
    digests: dict[str, dict[str, str]]
    """Output (relative to the output folder) -> the input hashes to record once it is built."""
    state: dict[str, Any]


@dataclass(frozen=True)
class Outcome:
    """What building one fiche did: the files written, or the problems that stopped it."""

    source: Path
    written: tuple[Path, ...] = ()
    problems: tuple[Problem, ...] = ()
    pdf_input: tuple[Path, Path] | None = None
    """The Word file written for PDF conversion, and where its PDF goes."""

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Report:
    """The result of a build, for the one-line summary and the exit code."""

    built: list[Outcome] = field(default_factory=list)
    unchanged: int = 0
    failed: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)
    """Problems of the build itself (the state file could not be written): a failure too."""
    notices: list[Problem] = field(default_factory=list)
    """Outputs left from fiches that are gone or failed, or the ones pruned."""

    def summary(self) -> str:
        return _("built {built}, unchanged {unchanged}, failed {failed} in {seconds} s").format(
            built=len(self.built),
            unchanged=self.unchanged,
            failed=len(self.failed),
            seconds=f"{self.seconds:.2f}",
        )

    def iter_problems(self) -> Iterator[Problem]:
        """Every problem of every failed fiche; one fault shared by many fiches only once."""
        first: dict[str, Problem] = {}
        count: dict[str, int] = {}
        for outcome in self.failed:
            for problem in outcome.problems:
                # An internal error names its fiche but is the same bug for all of them.
                key = problem.message if problem.code == "internal" else problem.format()
                first.setdefault(key, problem)
                count[key] = count.get(key, 0) + 1
        for key, problem in first.items():
            if count[key] > 1:
                more = count[key] - 1
                problem = dataclasses.replace(
                    problem,
                    message=problem.message
                    + ngettext(
                        " (and {count} more fiche)", " (and {count} more fiches)", more
                    ).format(count=more),
                )
            yield problem
        yield from self.problems
        yield from self.notices

    @property
    def ok(self) -> bool:
        return not self.failed and not self.problems


# -- planning ----------------------------------------------------------------------------


def parse_formats(text: str) -> tuple[Format, ...]:
    """`md,docx,pdf` -> the formats in that order; an unknown name is a usage error."""
    names = [name.strip().lower() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in FORMATS]
    if unknown or not names:
        message = (
            _("unknown format '{format}'").format(format=",".join(unknown))
            if unknown
            else _("no format given")
        )
        raise UsageError(
            Problem(
                Location("--format"),
                message,
                code="usage",
                hint=_("choose from {formats}, separated by commas").format(
                    formats=", ".join(FORMATS)
                ),
            )
        )
    return tuple(dict.fromkeys(names))  # type: ignore[arg-type]


def plan_build(settings: Settings) -> Plan:
    """Compare every source's inputs with the state file: what must be rendered, and why."""
    state = read_state(settings.output)
    records: dict[str, Any] = state["outputs"]
    shared = {"templates": hash_templates(settings.templates), "fichegen": hash_fichegen()}
    if settings.reference is not None:
        shared["reference"] = hash_file(settings.reference)
    tasks: list[Task] = []
    unchanged: list[Path] = []
    failed: list[Outcome] = []
    digests: dict[str, dict[str, str]] = {}
    owners: dict[Path, Path] = {}
    for source, target_stem in iter_sources(settings.sources):
        try:
            source_digest = hash_file(source)
        except OSError as exc:
            failed.append(
                Outcome(
                    source,
                    problems=(
                        Problem(
                            Location(str(source)),
                            _("cannot read file: {reason}").format(reason=os_reason(exc)),
                            code="unreadable",
                        ),
                    ),
                )
            )
            continue
        stale: list[tuple[Format, Path]] = []
        reasons: list[str] = []
        clash = None
        for fmt in settings.formats:
            target = settings.output / f"{target_stem}{_suffix(settings.audience)}.{fmt}"
            if owners.setdefault(target, source) != source:
                clash = target
                break
            wanted = {"source": source_digest, **_relevant(shared, fmt)}
            key = _state_key(target, settings.output)
            digests[key] = wanted
            reason = explain_rebuild(records.get(key), wanted, target, settings.force)
            if reason:
                stale.append((fmt, target))
                reasons.append(reason)
        if clash is not None:
            failed.append(
                Outcome(
                    source,
                    problems=(
                        Problem(
                            Location(str(source)),
                            _("{path} is also the output of {other}").format(
                                path=clash, other=owners[clash]
                            ),
                            code="output-clash",
                            hint=_("rename one of the two positions files"),
                        ),
                    ),
                )
            )
        elif stale:
            tasks.append(Task(source, tuple(stale), reasons[0]))
        else:
            unchanged.append(source)
    return Plan(tasks, unchanged, failed, digests, state)


def explain_rebuild(
    record: dict[str, Any] | None, wanted: dict[str, str], target: Path, force: bool
) -> str:
    """Why an output must be rendered again, or "" when it is up to date."""
    if force:
        return _("forced")
    if not record:
        return _("new")
    if not target.exists():
        return _("output missing")
    recorded = record.get("inputs", {})
    for name, changed in (
        ("source", N_("source changed")),
        ("templates", N_("templates changed")),
        ("reference", N_("reference changed")),
        ("fichegen", N_("fichegen changed")),
    ):
        if recorded.get(name) != wanted.get(name):
            return _(changed)
    return ""


def iter_sources(paths: Iterable[Path]) -> Iterator[tuple[Path, str]]:
    """Each positions file under the given files and folders, with the output name it gets.

    A file in a subfolder keeps its subfolder in output/ (positions/2024/x.yaml ->
    output/2024/x.docx), so an archive sorted by year cannot collide by name.
    """
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.suffix in SOURCE_SUFFIXES and p.is_file() and not _hidden(p.relative_to(path))
            )
            for source in found:
                if source not in seen:
                    seen.add(source)
                    yield source, source.relative_to(path).with_suffix("").as_posix()
        elif path.is_file():
            if path not in seen:
                seen.add(path)
                yield path, path.stem
        else:
            raise UsageError(
                Problem(
                    Location(str(path)),
                    _("no such file or folder"),
                    code="usage",
                    hint=_(
                        "give positions files (.yaml) or "
                        "folders holding them; by default positions/ is built"
                    ),
                )
            )


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def _suffix(audience: str) -> str:
    """The internal version beside the public one, named as `fichegen render` names it."""
    return "-intern" if audience == "internal" else ""


def _relevant(shared: dict[str, str], fmt: Format) -> dict[str, str]:
    """The shared inputs an output of this format depends on (Markdown ignores the reference)."""
    if fmt == "md":
        return {k: v for k, v in shared.items() if k != "reference"}
    return shared


def _state_key(target: Path, output: Path) -> str:
    return target.relative_to(output).as_posix()


# -- hashing and the state file ---------------------------------------------------------


def hash_file(path: Path) -> str:
    """The hash of a regular file's content (a pipe given as --reference-docx is refused)."""
    from fichegen.files import read_input

    return hashlib.blake2b(read_input(path, 64 * 1024 * 1024), digest_size=16).hexdigest()


def hash_tree(folder: Path, pattern: str = "*") -> str:
    """One hash over the names and contents of every file under a folder."""
    digest = hashlib.blake2b(digest_size=16)
    if folder.is_dir():
        for path in sorted(folder.rglob(pattern)):
            relative = path.relative_to(folder)
            if path.is_file() and not _hidden(relative) and "__pycache__" not in relative.parts:
                digest.update(relative.as_posix().encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def hash_templates(own: Path | None = None) -> str:
    """The Jinja templates, the labels and the bundled reference document, and the user's."""
    if own is None:
        return hash_tree(TEMPLATES)
    if not own.is_dir():
        raise UsageError(
            Problem(
                Location(str(own)),
                _("templates folder not found"),
                code="usage",
                hint=_("give a folder holding e.g. communication.md.j2"),
            )
        )
    return hash_tree(TEMPLATES) + hash_tree(own)


def hash_fichegen() -> str:
    """fichegen's version and code: an editable install changes its code, not its version."""
    return hashlib.blake2b(
        f"{__version__}:{hash_tree(PACKAGE, '*.py')}".encode(), digest_size=16
    ).hexdigest()


def read_state(output: Path) -> dict[str, Any]:
    """The hashes recorded by the last build; a missing or damaged file means 'build all'."""
    try:
        state = json.loads((output / STATE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return _empty_state()
    if (
        not isinstance(state, dict)
        or state.get("version") != STATE_VERSION
        or not isinstance(state.get("outputs"), dict)
    ):
        return _empty_state()
    return state


def write_state(output: Path, state: dict[str, Any]) -> None:
    text = json.dumps(state, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    write_atomic(output / STATE_NAME, text.encode("utf-8"), folder=output)


def _empty_state() -> dict[str, Any]:
    return {"version": STATE_VERSION, "outputs": {}}


# -- running ----------------------------------------------------------------------------


def run_build(
    settings: Settings, *, plan: Plan | None = None, progress: Progress | None = None
) -> Report:
    """Render what the plan says, convert PDFs in one go, record what was built."""
    started = time.perf_counter()
    plan = plan or plan_build(settings)
    report = Report(unchanged=len(plan.unchanged), failed=list(plan.failed))
    if plan.tasks:
        outcomes: list[Outcome] = []
        with tempfile.TemporaryDirectory(prefix="fichegen-build-") as folder:
            try:
                render_tasks(plan.tasks, settings, Path(folder), outcomes, progress)
            except KeyboardInterrupt:
                # What finished is kept, so the next build carries on where this one stopped.
                record_outcomes(
                    plan,
                    settings.output,
                    [outcome for outcome in outcomes if not outcome.pdf_input],
                )
                raise
            if any(outcome.pdf_input for outcome in outcomes):
                outcomes = convert_pdfs(outcomes, Path(folder), settings.output)
        for outcome in outcomes:
            (report.built if outcome.ok else report.failed).append(outcome)
        try:  # every failed fiche is reported even when the record cannot be written
            record_outcomes(plan, settings.output, outcomes)
        except FichegenError as exc:
            report.problems += exc.problems
    report.notices += leftover_outputs(settings, plan, report)
    report.seconds = time.perf_counter() - started
    return report


def render_tasks(
    tasks: Sequence[Task],
    settings: Settings,
    scratch: Path,
    done: list[Outcome],
    progress: Progress | None = None,
) -> None:
    """Render each task into `done`, in worker processes when there are tasks to share.

    Outcomes are appended as they arrive (in any order), so an interrupted build
    still knows what it finished.
    """
    jobs = min(settings.jobs or available_cores(), len(tasks))
    if jobs <= 1:
        for index, task in enumerate(tasks):
            done.append(build_fiche(task, settings, scratch, index))
            if progress:
                progress(1)
        return

    import multiprocessing

    # Forking after the first fiche is rendered here hands every worker the imported
    # renderers and compiled templates for free; elsewhere each worker imports once.
    rest = list(enumerate(tasks))
    if sys.platform == "linux":
        context = multiprocessing.get_context("fork")
        done.append(build_fiche(tasks[0], settings, scratch, 0))
        if progress:
            progress(1)
        rest = rest[1:]
    else:
        context = multiprocessing.get_context()
    chunk = max(1, min(16, len(rest) // (jobs * 4)))
    # multiprocessing.Pool forks its workers before it starts its own threads.
    with context.Pool(jobs, initializer=start_worker, initargs=(settings.formats,)) as pool:
        arguments = [(task, settings, scratch, index) for index, task in rest]
        for outcome in pool.imap_unordered(_build_one, arguments, chunksize=chunk):
            done.append(outcome)
            if progress:
                progress(1)
    order = {task.source: index for index, task in enumerate(tasks)}
    done.sort(key=lambda outcome: order[outcome.source])


def available_cores() -> int:
    """The cores this process may use (a CI container often gets fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on macOS or Windows
        return os.cpu_count() or 1


def start_worker(formats: Sequence[Format]) -> None:
    """Import what rendering needs, once per worker process; leave Ctrl-C to the parent.

    The parent stops the pool on Ctrl-C; a worker that took the interrupt itself
    would print a traceback of wherever it happened to be.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import_renderers(formats)


def import_renderers(formats: Sequence[Format]) -> None:
    """Import what rendering needs."""
    import fichegen.pipeline
    import fichegen.render.markdown

    if set(formats) & {"docx", "pdf"}:
        import fichegen.render.docx  # noqa: F401


def _build_one(arguments: tuple[Task, Settings, Path, int]) -> Outcome:
    return build_fiche(*arguments)


def build_fiche(task: Task, settings: Settings, scratch: Path, index: int) -> Outcome:
    """Read, validate and render one fiche into each of its out-of-date formats."""
    from fichegen import dates, pipeline

    written: list[Path] = []
    pdf_input = None
    try:
        # Word and PDF carry a date: git finds it while the fiche is read.
        fiche = pipeline.read_fiche(
            task.source, date_ahead=any(fmt != "md" for fmt, _target in task.targets)
        )
        options: dict[str, Any] = {
            "reference": settings.reference,
            "audience": settings.audience,
            "templates": settings.templates,
            "source_path": str(task.source),
        }
        guard: dict[str, Any] = {"inputs": (task.source,), "folder": settings.output}
        for fmt, target in task.targets:
            if fmt in ("md", "docx"):
                # A Word fiche carries the anchors `fichegen absorb` reads its edits back by.
                data = pipeline.render_fiche(fiche, fmt, anchors=fmt == "docx", **options)
                write_atomic(target, data, **guard)
                written.append(target)
            else:
                # Numbered so that x.yaml in two subfolders cannot meet in the scratch folder.
                intermediate = scratch / f"{index:06d}-{target.stem}.docx"
                intermediate.write_bytes(pipeline.word_for_pdf(fiche, **options))
                pdf_input = (intermediate, target)
    except FichegenError as exc:
        return Outcome(task.source, tuple(written), tuple(exc.problems))
    except Exception as exc:  # a bug on one fiche must not stop the other 199
        if os.environ.get("FICHEGEN_DEBUG"):
            raise
        return Outcome(
            task.source,
            tuple(written),
            (
                Problem(
                    Location(str(task.source)),
                    _("internal error: {error}").format(error=f"{type(exc).__name__}: {exc}"),
                    code="internal",
                    hint=_(
                        "this is a bug in fichegen; run 'fichegen render' on this "
                        "file with FICHEGEN_DEBUG=1 and report the traceback"
                    ),
                ),
            ),
        )
    finally:
        dates.cancel(task.source)  # a lookup nobody read (the render failed) is stopped
    return Outcome(task.source, tuple(written), pdf_input=pdf_input)


def convert_pdfs(outcomes: list[Outcome], scratch: Path, output: Path) -> list[Outcome]:
    """Every PDF of the build from one LibreOffice run rather than one start-up per fiche."""
    from fichegen.dates import fiche_date
    from fichegen.render.pdf import convert_to_pdf, finish_pdf

    waiting = [outcome for outcome in outcomes if outcome.ok and outcome.pdf_input]
    folder = scratch / "pdf"
    folder.mkdir()
    problem: Problem | None = None
    try:
        convert_to_pdf([outcome.pdf_input[0] for outcome in waiting if outcome.pdf_input], folder)
    except FichegenError as exc:
        problem = exc.problems[0] if exc.problems else Problem(Location("soffice"), str(exc))
    finished: dict[Path, Outcome] = {}
    for outcome in waiting:
        assert outcome.pdf_input is not None
        word, target = outcome.pdf_input
        pdf = folder / f"{word.stem}.pdf"
        written = None
        if problem is None and pdf.is_file():
            try:
                pdf_bytes = finish_pdf(pdf.read_bytes(), fiche_date(outcome.source))
                write_atomic(target, pdf_bytes, folder=output)
                written = target
            except FichegenError as exc:
                problem = exc.problems[0]
        if written is not None:
            finished[outcome.source] = Outcome(outcome.source, (*outcome.written, target))
        else:
            finished[outcome.source] = Outcome(
                outcome.source,
                outcome.written,
                (
                    problem
                    or Problem(
                        Location(str(outcome.source)),
                        _("LibreOffice made no PDF for {path}").format(path=target),
                        code="pdf",
                    ),
                ),
            )
    return [finished.get(outcome.source, outcome) for outcome in outcomes]


def record_outcomes(plan: Plan, output: Path, outcomes: Iterable[Outcome]) -> None:
    """Write the state file once: the hashes of what was built, none for what failed."""
    records: dict[str, Any] = plan.state["outputs"]
    targets = {task.source: task.targets for task in plan.tasks}
    changed = False
    for outcome in outcomes:
        for target in outcome.written:
            key = _state_key(target, output)
            records[key] = {"source": outcome.source.as_posix(), "inputs": plan.digests[key]}
            changed = True
        if not outcome.ok:
            # A failed fiche keeps no record, so the next build tries it again.
            for _, target in targets.get(outcome.source, ()):
                changed |= records.pop(_state_key(target, output), None) is not None
    if changed:
        write_state(output, plan.state)


def leftover_outputs(settings: Settings, plan: Plan, report: Report) -> list[Problem]:
    """Outputs of fiches that are gone or failed: removed with `prune`, else named.

    Only files this build wrote before (recorded in the state file) or the
    outputs a failed fiche would have written are considered; anything else in
    the folder is the user's and stays.
    """
    from fichegen.i18n import _

    output = settings.output
    records: dict[str, Any] = plan.state["outputs"]
    current = {source.as_posix() for source, _name in iter_sources(settings.sources)}
    stale: list[tuple[Path, str]] = []
    for key, record in list(records.items()):
        source = str(record.get("source", "")) if isinstance(record, dict) else ""
        if source and source not in current and not Path(source).exists():
            stale.append((output / key, source))
    failed = {outcome.source for outcome in report.failed}
    for task in plan.tasks:
        if task.source in failed:
            stale += [(target, task.source.as_posix()) for _fmt, target in task.targets]
    notices: list[Problem] = []
    changed = False
    for target, source in stale:
        if not target.is_file() or target.is_symlink():
            changed |= records.pop(_state_key(target, output), None) is not None
            continue
        gone = not Path(source).exists()
        if settings.prune:
            with contextlib.suppress(OSError):
                target.unlink()
                changed |= records.pop(_state_key(target, output), None) is not None
                notices.append(
                    Problem(
                        Location(str(target)),
                        _("removed: its fiche {source} is gone").format(source=source)
                        if gone
                        else _("removed: its fiche {source} failed to build").format(source=source),
                        Severity.WARNING,
                        code="prune",
                    )
                )
            continue
        notices.append(
            Problem(
                Location(str(target)),
                _("left over: its fiche {source} is gone").format(source=source)
                if gone
                else _("out of date: its fiche {source} failed to build").format(source=source),
                Severity.WARNING,
                code="leftover",
                hint=_("remove it, or run 'fichegen build --prune' to remove such files"),
            )
        )
    if changed:
        with contextlib.suppress(FichegenError):
            write_state(output, plan.state)
    return notices
