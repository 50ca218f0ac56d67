"""A team's settings for `fichegen check`: which rules are off, which are warnings or errors.

The settings of a file come from the nearest `fichegen.toml` (table `[check]`)
or `pyproject.toml` (table `[tool.fichegen.check]`), looking from the file's
folder upwards; in one folder `fichegen.toml` wins, and a `pyproject.toml`
without a `[tool.fichegen]` table is passed over. For example:

    [tool.fichegen.check]
    disable = ["footnote-unused"]       # not reported at all
    warn = ["markdown-html"]            # reported, but does not fail the check
    error = ["placeholder"]             # fails the check, also in a draft

A setting that names an unknown rule, or switches off a rule without which
the fiche cannot be read, is a usage error: the check would not mean what
the team thinks.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fichegen.errors import Location, Problem, Severity, UsageError
from fichegen.i18n import _, os_reason
from fichegen.rules import RULES

LISTS = ("disable", "warn", "error")


@dataclass(frozen=True)
class CheckConfig:
    """Rule ids by what a team wants done with them; empty means the defaults."""

    source: str = ""
    disable: frozenset[str] = frozenset()
    warn: frozenset[str] = frozenset()
    error: frozenset[str] = frozenset()

    def adjust(self, problem: Problem, *, strict: bool = False) -> Problem | None:
        """The problem as this team wants it reported, or None when its rule is off."""
        if problem.code in self.disable:
            return None
        severity = problem.severity
        if problem.code in self.warn:
            severity = Severity.WARNING
        if problem.code in self.error or strict:
            severity = Severity.ERROR
        if severity is problem.severity:
            return problem
        return dataclasses.replace(problem, severity=severity)

    def blocking(self, problems: Iterable[Problem]) -> list[Problem]:
        """The errors among `problems` that stop a render, as this team counts them."""
        return [
            adjusted
            for problem in problems
            if (adjusted := self.adjust(problem)) is not None and adjusted.is_error
        ]


DEFAULT = CheckConfig()


class ConfigFinder:
    """Finds the settings for each checked file, reading each config file once."""

    def __init__(self) -> None:
        self._folders: dict[Path, CheckConfig] = {}

    def for_file(self, path: Path) -> CheckConfig:
        return self.for_folder(path.absolute().parent)

    def for_folder(self, folder: Path) -> CheckConfig:
        if folder not in self._folders:
            config = read_config(folder)
            if config is None:
                config = DEFAULT if folder.parent == folder else self.for_folder(folder.parent)
            self._folders[folder] = config
        return self._folders[folder]


def read_config(folder: Path) -> CheckConfig | None:
    """The settings defined in this folder itself, or None when it defines none."""
    own = folder / "fichegen.toml"
    if own.is_file():
        return _parse(own, ("check",))
    project = folder / "pyproject.toml"
    if project.is_file():
        return _parse(project, ("tool", "fichegen", "check"))
    return None


def _parse(path: Path, keys: tuple[str, ...]) -> CheckConfig | None:
    import tomllib  # only when there is a configuration file to read

    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
        data: Any = tomllib.loads(text)
    except OSError as exc:
        raise UsageError(
            Problem(
                Location(name),
                _("cannot read configuration: {reason}").format(reason=os_reason(exc)),
                code="config",
            )
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(_toml_problem(name, exc)) from None
    if keys[0] == "tool" and "fichegen" not in data.get("tool", {}):
        return None
    table_name = ".".join(keys)
    for key in keys:
        data = data.get(key, {}) if isinstance(data, dict) else None
    if not isinstance(data, dict):
        raise UsageError(
            Problem(
                _find(name, text, f"[{table_name}]"),
                _("'{table}' must be a table").format(table=table_name),
                code="config",
            )
        )
    problems = list(_table_problems(name, text, table_name, data))
    if problems:
        raise UsageError(problems)
    return CheckConfig(name, **{key: frozenset(data.get(key, [])) for key in LISTS})


def _table_problems(name: str, text: str, table_name: str, data: dict[str, Any]) -> list[Problem]:
    problems = []
    seen: dict[str, str] = {}
    for key, value in data.items():
        if key not in LISTS:
            problems.append(
                Problem(
                    _find(name, text, key),
                    _("unknown setting '{key}' in [{table}]").format(key=key, table=table_name)
                    + _suggest(key, LISTS),
                    code="config",
                    hint=_("the settings are: {settings}").format(settings=", ".join(LISTS)),
                )
            )
            continue
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(
                Problem(
                    _find(name, text, key),
                    _("'{key}' in [{table}] must be a list of rule ids").format(
                        key=key, table=table_name
                    ),
                    code="config",
                    hint=_("for example: {example}").format(example=f'{key} = ["footnote-unused"]'),
                )
            )
            continue
        for rule_id in value:
            at = _find(name, text, f'"{rule_id}"', f"'{rule_id}'", after=key)
            rule = RULES.get(rule_id)
            if rule is None:
                problems.append(
                    Problem(
                        at,
                        _("unknown rule '{rule}' in '{key}' of [{table}]").format(
                            rule=rule_id, key=key, table=table_name
                        )
                        + _suggest(rule_id, RULES),
                        code="config",
                        hint=_("'fichegen check --list-rules' shows every rule"),
                    )
                )
            elif rule.fixed and key != "error":
                problems.append(
                    Problem(
                        at,
                        _("rule '{rule}' cannot be switched off or made a warning").format(
                            rule=rule_id
                        ),
                        code="config",
                        hint=_("without it fichegen cannot read the fiche; fix the file instead"),
                    )
                )
            elif rule_id in seen:
                problems.append(
                    Problem(
                        at,
                        _("rule '{rule}' is in both '{first}' and '{key}' of [{table}]").format(
                            rule=rule_id, first=seen[rule_id], key=key, table=table_name
                        ),
                        code="config",
                        hint=_("keep it in one of them"),
                    )
                )
            else:
                seen[rule_id] = key
    return problems


def _find(name: str, text: str, *needles: str, after: str = "") -> Location:
    """Where a setting stands in the file (first occurrence, from the line of `after` on)."""
    lines = text.splitlines()
    start = next(
        (i for i, line in enumerate(lines) if after and line.lstrip().startswith(after)), 0
    )
    for number, line in enumerate(lines[start:], start=start + 1):
        for needle in needles:
            column = line.find(needle)
            if column >= 0:
                return Location(name, number, column + 1)
    return Location(name)


def _toml_problem(name: str, exc: Exception) -> Problem:
    message = str(exc)
    match = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
    location = Location(name)
    if match:
        location = Location(name, int(match.group(1)), int(match.group(2)))
        message = message[: match.start()]
    return Problem(location, _("invalid TOML: {error}").format(error=message), code="config")


def _suggest(word: str, options: Any) -> str:
    import difflib

    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return _(" (did you mean '{close}'?)").format(close=close[0]) if close else ""
