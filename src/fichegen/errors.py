"""Where a problem is, what it is, and the one exception that carries problems out.

Every layer raises or collects `Problem`s; only the CLI prints them, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from fichegen.i18n import _


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file; line and column are 1-based, 0 means unknown."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.path
        if not self.column:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.column}"


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, with the fix where we know it."""

    location: Location
    message: str
    severity: Severity = Severity.ERROR
    code: str = ""
    hint: str = ""

    def format(self) -> str:
        line = f"{self.location}: {self.severity.value}: {_one_line(self.message)}"
        if self.code:
            line += f" [{self.code}]"
        if self.hint:
            # "hint" is translated (tip): tools read the first line only, whose
            # "error"/"warning" and [rule-id] stay as they are in every language.
            label = _("hint")
            line += f"\n    {label}: {_one_line(self.hint)}"
        return line

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def _one_line(text: str) -> str:
    """A message quoting the user's text stays one line, and cannot steer the terminal."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


class FichegenError(Exception):
    """Base of every error fichegen reports to a user; the CLI shows it and exits."""

    exit_code = 1

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem(Location("fichegen"), problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = problems
        super().__init__("\n".join(p.format() for p in problems))


class InputError(FichegenError):
    """The user's file cannot be turned into a valid fiche."""


class UsageError(FichegenError):
    """The command line asks for something that cannot be done."""

    exit_code = 2


class ToolError(FichegenError):
    """An outside tool (git, LibreOffice) is missing or failed."""
