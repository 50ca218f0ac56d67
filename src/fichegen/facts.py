"""What the validating walk found besides the fiche: texts, records, and where each stands.

The reviewer's rules (`fichegen.rules`, `fichegen.prose`) read these facts
instead of the fiche, so they can check every part of a file that has the
right shape even when another part is wrong, and point at the line and
column of what they find.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fichegen.errors import Location

Path = tuple[str | int, ...]
"""Where a value stands in the tree: keys and list indexes from the top, e.g. ('areas', 0)."""


@dataclass(frozen=True)
class Text:
    """A text value as found in the file, for the rules that read prose."""

    value: str
    location: Location
    block: bool
    context: str
    path: Path
    markdown: bool = True

    @property
    def in_footnote(self) -> bool:
        return self.path[:1] == ("footnotes",)


@dataclass
class Facts:
    """What the walk saw besides the fiche: every Markdown text and where things stand."""

    name: str
    lines: list[str]
    texts: list[Text] = field(default_factory=list)
    places: dict[Path, Location] = field(default_factory=dict)
    """Where each value stands (a mapping: its first key), by path."""
    keys: dict[Path, Location] = field(default_factory=dict)
    """Where the key of each value in a mapping stands, by the value's path."""
    records: dict[Path, Any] = field(default_factory=dict)
    """Every record (Action, Area...) that could be built, in file order, even when another
    part of the file is wrong: the reviewer's rules check what they can."""
    final: bool = False
    """The file says `status: final`."""

    def at(self, path: Path) -> Location:
        """Where the value at `path` stands, or the file when unknown."""
        return self.places.get(path, Location(self.name))

    def key_at(self, path: Path) -> Location:
        """Where the key of the value at `path` stands, else the value."""
        return self.keys.get(path) or self.at(path)

    def locate(self, text: Text, offset: int) -> Location:
        """The file location of `text.value[offset]`, for problems inside a text."""
        where = text.location
        if not where.line:
            return where
        value = text.value
        start = value.rfind("\n", 0, offset) + 1
        end = value.find("\n", offset)
        piece = value[start : end if end >= 0 else len(value)]
        line = where.line + value.count("\n", 0, offset) + (1 if text.block else 0)
        if text.block and line <= len(self.lines):
            # A block scalar holds its lines verbatim after the indentation.
            source = self.lines[line - 1]
            if source.endswith(piece):
                return Location(where.path, line, len(source) - len(piece) + offset - start + 1)
        # Plain and quoted scalars: find the text before the offset on the line, or
        # on the next lines when the scalar is folded over several.
        before = value[max(start, offset - 30) : offset].split(" ")[-1]
        after = value[offset : offset + 20].split("\n")[0]
        for candidate in range(line, min(line + 8, len(self.lines) + 1)):
            source = self.lines[candidate - 1]
            from_column = where.column - 1 if candidate == where.line else 0
            found = source.find(before + after, from_column)
            if found >= 0 and (before or after):
                return Location(where.path, candidate, found + len(before) + 1)
        # Escapes in a quoted scalar ('\\x01') differ from the value: the text before will do.
        found = -1
        if line == where.line <= len(self.lines) and len(before) > 3:
            found = self.lines[line - 1].find(before, where.column - 1)
        if found >= 0:
            return Location(where.path, line, found + len(before) + 1)
        return where
