"""Co-readers' Word comments (`internal_review_notes`) in the internal version.

`fichegen absorb` keeps each comment with the field it was on ("essence",
"elements.1.position"). The templates ask `ReviewNotes.at(key)` after each
block for the notes on that field or on anything inside it; a note is shown
once, at the first place that asks for it. The notes no place asked for (a
footnote, a heading, an action since removed) are shown by `rest()` in a block
at the end. The public version has no review note to begin with:
`fichegen.audience` removes them with every other `internal_*` field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fichegen.model import Fiche, ReviewNote

_ACTION = re.compile(r"(areas\.(\d+)\.actions|elements)\.(\d+)(?:\.(.*))?$")
_WORD_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?")


@dataclass
class ReviewNotes:
    """The review notes of one rendering, each handed out once (see the module)."""

    fiche: Fiche
    labels: Mapping[str, Any]
    shown: list[ReviewNote] = field(default_factory=list)

    def at(self, key: str) -> list[ReviewNote]:
        """The notes not yet shown on the field `key` or on a field inside it."""
        found = [
            note
            for note in self.fiche.internal_review_notes
            if _within(note.field, key) and not any(note is seen for seen in self.shown)
        ]
        self.shown.extend(found)
        return found

    def rest(self) -> list[ReviewNote]:
        """The notes no place in the template asked for, in the order of the file."""
        found = self.missing()
        self.shown.extend(found)
        return found

    def missing(self) -> list[ReviewNote]:
        """The notes the template did not show at all (a user's template without `rest`)."""
        return [n for n in self.fiche.internal_review_notes if not any(n is s for s in self.shown)]

    def field_name(self, path: str) -> str:
        """A field's path as a reader knows it: '3b Beoordeling + inzet', 'onderdeel 2'."""
        action = _ACTION.match(path)
        if action:
            found = self._action(action)
            if found is not None:
                noun, ident = found
                rest = action.group(4)
                return f"{noun} {ident}, {self._part(rest)}" if rest else f"{noun} {ident}"
        if path.startswith("footnotes."):
            return self._part(path)
        names = self.labels.get("fields", {}).get(self.fiche.type.value, {})
        if isinstance(names, Mapping):
            parts = path.split(".")
            for end in range(len(parts), 0, -1):
                label = names.get(".".join(parts[:end]))
                if label:
                    rest = ".".join(parts[end:])
                    return f"{label}, {rest}" if rest else str(label)
        return path

    def _part(self, rest: str) -> str:
        """'conditions.0' as 'voorwaarde 1', 'footnotes.x' as 'voetnoot x'."""
        words = self.labels.get("review_fields", {})
        if not isinstance(words, Mapping):
            return rest
        key, _dot, more = rest.partition(".")
        word = words.get(key)
        if not word:
            return rest
        if more.isdigit():  # a list item, counted from 1 as a reader counts
            return f"{word} {int(more) + 1}"
        return f"{word} {more}" if more else str(word)

    def _action(self, match: re.Match[str]) -> tuple[str, str] | None:
        try:
            if match.group(2) is not None:
                action = self.fiche.areas[int(match.group(2))].actions[int(match.group(3))]
            else:
                action = self.fiche.elements[int(match.group(3))]
        except IndexError:
            return None
        items = self.labels.get("items", {}).get(self.fiche.type.value, {})
        noun = items.get("singular", "") if isinstance(items, Mapping) else ""
        return str(noun), action.id


def _within(path: str, key: str) -> bool:
    return path == key or path.startswith(key + ".")


def word_date(value: str) -> str:
    """A date as Word writes it ('2026-11-30T10:00:00Z') as a reader writes it: 30-11-2026 10:00."""
    found = _WORD_DATE.match(value.strip())
    if found is None:
        return value
    year, month, day, hour, minute = found.groups()
    when = f"{day}-{month}-{year}"
    return f"{when} {hour}:{minute}" if hour is not None else when
