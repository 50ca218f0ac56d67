"""`fichegen check`: every problem in every file, as the team configured the rules.

`run_check` validates each file (a folder stands for the YAML files under
it), adjusts each problem to the settings that apply to that file, and
returns a `CheckReport`; `format_text` and `format_json` show it. Nothing
here prints.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from fichegen.config import ConfigFinder
from fichegen.errors import Location, Problem
from fichegen.i18n import _, ngettext
from fichegen.pipeline import check_file
from fichegen.rules import RULES

SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class FileResult:
    path: str
    problems: list[Problem]


@dataclass(frozen=True)
class CheckReport:
    files: list[FileResult]

    @property
    def problems(self) -> Iterator[Problem]:
        for result in self.files:
            yield from result.problems

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.is_error)

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if not p.is_error)

    @property
    def exit_code(self) -> int:
        """0 when nothing fails the check (warnings alone do not), 1 otherwise."""
        return 1 if self.errors else 0

    def summary(self) -> str:
        files = len(self.files)
        in_files = ngettext("{count} file", "{count} files", files).format(count=files)
        if not self.errors and not self.warnings:
            return _("no problems in {files}").format(files=in_files)
        counts = [
            ngettext("{count} error", "{count} errors", self.errors).format(count=self.errors),
            ngettext("{count} warning", "{count} warnings", self.warnings).format(
                count=self.warnings
            ),
        ]
        counts = [text for text, n in zip(counts, (self.errors, self.warnings), strict=True) if n]
        troubled = sum(1 for result in self.files if result.problems)
        where = (
            in_files
            if troubled == files
            else _("{troubled} of {files} files").format(troubled=troubled, files=files)
        )
        return _("{counts} in {where}").format(counts=", ".join(counts), where=where)


def run_check(paths: Iterable[Path], *, strict: bool = False, cached: bool = True) -> CheckReport:
    """Check every file; each file's problems sorted by place, files in the order given.

    With `cached`, a file checked before and unchanged since is not checked
    again: its problems come from the user's cache (`fichegen.checkcache`).
    Either way, the configuration that applies to each file is applied here.
    """
    finder = ConfigFinder()
    items = list(_expand(paths))
    pending = [path for path, problems in items if problems is None]
    found: dict[Path, list[Problem]] = {}
    if cached:
        from fichegen.checkcache import CheckCache

        cache = CheckCache()
        found = {path: problems for path in pending if (problems := cache.get(path)) is not None}
        unknown = [path for path in pending if path not in found]
        found.update(zip(unknown, _check_all(unknown, cache.check), strict=True))
    else:
        found.update(zip(pending, _check_all(pending, _problems_of), strict=True))
    results = []
    for path, problems in items:
        if problems is None:
            config = finder.for_file(path)
            problems = [
                adjusted
                for problem in found[path]
                if (adjusted := config.adjust(problem, strict=strict)) is not None
            ]
        results.append(FileResult(str(path), problems))
    return CheckReport(results)


PARALLEL_FROM = 40
"""Below this many files, starting worker processes costs more than it saves."""


def _check_all(
    paths: list[Path], problems_of: Callable[[Path], list[Problem]]
) -> list[list[Problem]]:
    """The problems of each file, over all cores when there are many files (a whole repository)."""
    jobs = min(os.cpu_count() or 1, len(paths) // (PARALLEL_FROM // 2))
    if jobs <= 1:
        return [problems_of(path) for path in paths]
    import multiprocessing  # only a whole repository needs it (12 ms of start-up)
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    if "fork" not in multiprocessing.get_all_start_methods():
        return [problems_of(path) for path in paths]
    # fork: the workers inherit the imported modules, so they start in milliseconds
    context = multiprocessing.get_context("fork")
    chunk = max(1, len(paths) // (jobs * 4))
    pool = ProcessPoolExecutor(jobs, mp_context=context)
    try:
        return list(pool.map(problems_of, paths, chunksize=chunk))
    except BrokenProcessPool:  # a worker was killed (out of memory?): check here, never hang
        return [problems_of(path) for path in paths]
    finally:  # on Ctrl-C too: leave at once, the workers stop with the same signal
        pool.shutdown(wait=False, cancel_futures=True)


def _problems_of(path: Path) -> list[Problem]:
    return check_file(path).problems


def _expand(paths: Iterable[Path]) -> Iterator[tuple[Path, list[Problem] | None]]:
    """Each file to check once; a folder stands for the YAML files under it."""
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.suffix in SUFFIXES and p.is_file() and _may_be_a_fiche(p, path)
            )
            if not files:
                yield (
                    path,
                    [
                        Problem(
                            Location(str(path)),
                            _("folder has no .yaml or .yml files"),
                            code="unreadable",
                        )
                    ],
                )
        else:
            files = [path]
        for file in files:
            if file not in seen:
                seen.add(file)
                yield file, None


FICHE_KEYS = re.compile(rb"^(?:type|title|general|essence|areas|elements)[ \t]*:", re.MULTILINE)
"""A top-level key only a fiche has; a folder's other YAML files (CI, tools) are skipped."""


def _may_be_a_fiche(path: Path, folder: Path) -> bool:
    """Whether a YAML file found in a folder is a positions file (named files always are)."""
    if any(part.startswith(".") for part in path.relative_to(folder).parts):
        return False  # .gitlab-ci.yml, .github/, .pre-commit-config.yaml
    try:
        with path.open("rb") as stream:
            head = stream.read(65536)
    except OSError:
        return True  # let the check say what is wrong with it
    return not head.strip() or bool(FICHE_KEYS.search(head))


def format_text(report: CheckReport) -> str:
    """One line per problem (and its hint), then the summary line."""
    lines = [problem.format() for problem in report.problems]
    lines.append(report.summary())
    return "\n".join(lines) + "\n"


def format_json(report: CheckReport) -> str:
    """The problems and the counts as JSON, for editors and CI annotations."""
    data = {
        "problems": [
            {
                "path": problem.location.path,
                "line": problem.location.line or None,
                "column": problem.location.column or None,
                "severity": problem.severity.value,
                "rule": problem.code or None,
                "message": problem.message,
                "hint": problem.hint or None,
            }
            for problem in report.problems
        ],
        "summary": {
            "files": len(report.files),
            "files_with_problems": sum(1 for result in report.files if result.problems),
            "errors": report.errors,
            "warnings": report.warnings,
        },
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def format_rules() -> str:
    """Every rule id with its default severity and what it guards."""
    width = max(len(rule_id) for rule_id in RULES)
    lines = []
    for rule in RULES.values():
        kind = rule.severity.value + ("*" if rule.fixed else "")
        lines.append(f"{rule.id:<{width}}  {kind:<7}  {_(rule.summary)}")
    lines.append(_("* always an error: without it the fiche cannot be read"))
    return "\n".join(lines) + "\n"
