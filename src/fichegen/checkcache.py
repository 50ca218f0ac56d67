"""What `fichegen check` found before, kept so that an unchanged file is not checked again.

Like ruff's and eslint's `--cache`. Each checked file has one entry in the
user's cache folder: the problems found in it, and the key they belong to, a
hash of everything the problems depend on:

- the file's bytes and its name as shown in the messages;
- the language of the messages;
- fichegen itself: its version, its code, its templates (the Dutch labels)
  and message catalogs, the YAML and Markdown parsers it uses, and Python.

Any change to one of them gives another key, so an entry is either exactly
what a check would find now, or not used. The problems are kept as found,
before a team's configuration switches rules off or changes their severity
(`check.run_check` applies it to cached and fresh problems alike), so the
configuration is not part of the key.

The cache is a convenience: an entry that cannot be read, is damaged or
cannot be written is passed over, and the folder may be deleted at any time.
`fichegen check --no-cache` (or FICHEGEN_NO_CACHE=1) does without it;
FICHEGEN_CACHE_DIR puts it elsewhere.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from functools import cache
from pathlib import Path
from typing import Any

import fichegen
from fichegen.errors import InputError, Location, Problem, Severity
from fichegen.files import cache_folder
from fichegen.i18n import current_language
from fichegen.load import MAX_BYTES

ENTRIES = "check-v1"
"""The entries' folder: a new layout of an entry gets a new name."""


class CheckCache:
    """The cached problems of checked files, in one folder."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = (folder or cache_folder()) / ENTRIES
        self.identity = f"{fichegen_identity()}\0{current_language()}"

    def get(self, path: Path) -> list[Problem] | None:
        """The problems of a file as it is now, when it was checked before; else None."""
        if not self._entry(path).is_file():
            return None  # never checked (a first run): not worth reading and hashing the file
        data = _read(path)
        if data is None:
            return None
        return self._load(path, self._key(path, data))

    def check(self, path: Path) -> list[Problem]:
        """The problems of a file: from the cache, or checked now and kept."""
        from fichegen.pipeline import check_bytes, check_file

        data = _read(path)
        if data is None:  # unreadable, not a regular file or too large: the check says why
            return check_file(path).problems
        key = self._key(path, data)
        problems = self._load(path, key)
        if problems is None:
            problems = check_bytes(data, str(path)).problems
            self._store(path, key, problems)
        return problems

    def _key(self, path: Path, data: bytes) -> str:
        digest = hashlib.blake2b(digest_size=16)
        for part in (self.identity.encode(), str(path).encode("utf-8", "surrogateescape"), data):
            digest.update(len(part).to_bytes(8, "little"))
            digest.update(part)
        return digest.hexdigest()

    def _entry(self, path: Path) -> Path:
        """One entry per file (its absolute path and its name as shown): a new check replaces it."""
        name = f"{path.absolute()}\0{path}".encode("utf-8", "surrogateescape")
        return self.folder / (hashlib.blake2b(name, digest_size=16).hexdigest() + ".json")

    def _load(self, path: Path, key: str) -> list[Problem] | None:
        try:
            entry = json.loads(self._entry(path).read_bytes())
            if entry["key"] != key:
                return None
            return [_problem(item) for item in entry["problems"]]
        except (OSError, ValueError, TypeError, KeyError, IndexError):
            return None  # none yet, or damaged: checked again and written anew

    def _store(self, path: Path, key: str, problems: list[Problem]) -> None:
        entry = self._entry(path)
        text = json.dumps({"key": key, "problems": [_item(p) for p in problems]})
        temporary = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, entry)  # a reader sees the old entry or the new one
        except OSError:  # no cache today: the check itself is unaffected
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)


def _read(path: Path) -> bytes | None:
    """The bytes a check would read, or None when the check would refuse the file."""
    from fichegen.files import read_input

    try:
        data = read_input(path, MAX_BYTES)
    except InputError:
        return None
    return data if len(data) <= MAX_BYTES else None


def _item(problem: Problem) -> list[Any]:
    where = problem.location
    return [
        where.path,
        where.line,
        where.column,
        problem.message,
        problem.severity.value,
        problem.code,
        problem.hint,
    ]


def _problem(item: Any) -> Problem:
    """A stored problem; anything but exactly what `_item` writes is refused (ValueError)."""
    path, line, column, message, severity, code, hint = item
    if not all(isinstance(text, str) for text in (path, message, code, hint)):
        raise ValueError("damaged entry")
    if not all(type(number) is int and number >= 0 for number in (line, column)):
        raise ValueError("damaged entry")
    return Problem(Location(path, line, column), message, Severity(severity), code, hint)


@cache
def fichegen_identity() -> str:
    """A hash of what fichegen's problems depend on besides the file: fichegen and its parsers.

    The package's files (code, templates, catalogs; about 1 MB, 15 ms), the
    versions of ruamel.yaml and its C parser, markdown-it (read from its
    package, not imported: a check that needs no Markdown parse never loads
    it) and Python.
    """
    import importlib.util

    import ruamel.yaml

    digest = hashlib.blake2b(digest_size=16)
    package = Path(fichegen.__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        relative = path.relative_to(package)
        if "__pycache__" in relative.parts or not path.is_file():
            continue
        digest.update(relative.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    parts = [fichegen.__version__, ruamel.yaml.__version__, sys.version]
    for module in ("markdown_it", "_ruamel_yaml"):
        spec = importlib.util.find_spec(module)
        origin = Path(spec.origin) if spec and spec.origin else None
        if origin is not None and origin.is_file():
            status = origin.stat()
            parts.append(f"{origin}:{status.st_size}:{status.st_mtime_ns}")
    digest.update("\0".join(parts).encode())
    return digest.hexdigest()
