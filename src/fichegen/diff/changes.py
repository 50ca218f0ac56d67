"""Two fiches -> the list of what changed, as records a reviewer can read one by one.

The comparison follows the model: actions and areas are matched by their id
(so an action that moved to another area or place is a move, not a delete and
an add), stances and verdicts are compared as values, conditions and concerns
as lists of items, prose as sentences (one sentence per line, the convention of
a positions file), footnotes by key. Every other field is compared generically
along the dataclasses, so a field added to the model is diffed without code
here. Printing the records is `report.py`'s job.
"""

from __future__ import annotations

import dataclasses
import difflib
import types
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Any, Union, get_args, get_origin, get_type_hints

from fichegen import model
from fichegen.model import Action, Area, Fiche, Judgement, Stance, Verdict


@dataclass(frozen=True)
class ActionRef:
    """An action (or element of a legislative proposal) as the reader knows it."""

    id: str
    title: str


@dataclass(frozen=True)
class AreaRef:
    """An area of a communication."""

    id: str
    title: str


Owner = ActionRef | AreaRef | None
"""What a field belongs to: an action, an area, or (None) the fiche itself."""


# -- the change records -----------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChanged:
    """A value that is not prose changed: title, status, a section 1 field, an action's title.

    `field` is the dotted key path in the positions file, relative to the owner
    (`general.date_received`, `title`, `meta.priority`). Lists are tuples.
    """

    field: str
    old: Any
    new: Any
    owner: Owner = None


@dataclass(frozen=True)
class TextChanged:
    """A prose field changed; `sentences` counts changed lines (one sentence per line).

    Zero sentences means only paragraph breaks moved. A field that appears or
    disappears counts all its sentences. `old` and `new` are the texts as the
    renderer reads them (outer blank lines and trailing spaces dropped), empty
    for a field that is absent.
    """

    field: str
    sentences: int
    owner: Owner = None
    old: str = ""
    new: str = ""


@dataclass(frozen=True)
class VerdictChanged:
    """A grondhouding changed (`ground` is `grounds.competence` and the like)."""

    ground: str
    old: Verdict
    new: Verdict


@dataclass(frozen=True)
class StanceChanged:
    action: ActionRef
    old: Stance
    new: Stance


@dataclass(frozen=True)
class ItemAdded:
    """A condition or concern was added to an action (`field` is `conditions` or `concerns`)."""

    action: ActionRef
    field: str
    text: str


@dataclass(frozen=True)
class ItemRemoved:
    action: ActionRef
    field: str
    text: str


@dataclass(frozen=True)
class ActionAdded:
    """A new action; `area` is its area's id (None for the elements of a legislative fiche).

    Its stance and summary come along, so a reviewer reads what the action is.
    """

    action: ActionRef
    area: str | None
    stance: Stance | None = None
    summary: str = ""


@dataclass(frozen=True)
class ActionRemoved:
    action: ActionRef
    area: str | None
    stance: Stance | None = None
    summary: str = ""


@dataclass(frozen=True)
class ActionMoved:
    """An action now stands in another area or at another place among the others.

    Positions are 1-based within the area. Only actions whose order relative to
    the others changed are moves: inserting an action before others does not
    move them.
    """

    action: ActionRef
    old_area: str | None
    new_area: str | None
    old_position: int
    new_position: int


@dataclass(frozen=True)
class AreaAdded:
    area: AreaRef


@dataclass(frozen=True)
class AreaRemoved:
    area: AreaRef


@dataclass(frozen=True)
class AreaMoved:
    """An area stands at another place among the areas (1-based)."""

    area: AreaRef
    old_position: int
    new_position: int


@dataclass(frozen=True)
class FootnoteAdded:
    key: str
    text: str


@dataclass(frozen=True)
class FootnoteRemoved:
    key: str
    text: str


@dataclass(frozen=True)
class FootnoteChanged:
    key: str
    sentences: int
    old: str = ""
    new: str = ""


Change = (
    FieldChanged
    | TextChanged
    | VerdictChanged
    | StanceChanged
    | ItemAdded
    | ItemRemoved
    | ActionAdded
    | ActionRemoved
    | ActionMoved
    | AreaAdded
    | AreaRemoved
    | AreaMoved
    | FootnoteAdded
    | FootnoteRemoved
    | FootnoteChanged
)


# -- comparing two fiches -----------------------------------------------------------------------


_READING_ORDER = (
    "type",
    "title",
    "status",
    "general",
    "essence",
    "impact_assessment_summary",
    "dutch_position",
    "areas",
    "elements",
)
"""Fiche fields in the order a reader meets them: the actions' positions close section 3."""


def compare(old: Fiche, new: Fiche) -> list[Change]:
    """Every difference between two versions of a fiche, in the order a reader meets them.

    The changes of one action stand together, in the order of the newer
    version; removed actions follow the others of their area.
    """
    return list(_compare_fields(old, new, Fiche, "", None))


def _ordered(cls: type) -> list[dataclasses.Field[Any]]:
    fields = dataclasses.fields(cls)
    if cls is not Fiche:
        return list(fields)
    rank = {name: index for index, name in enumerate(_READING_ORDER)}
    return sorted(fields, key=lambda f: rank.get(f.name, len(rank)))


def _compare_fields(old: Any, new: Any, cls: type, prefix: str, owner: Owner) -> Iterator[Change]:
    for spec in _ordered(cls):
        path = prefix + spec.name
        before, after = getattr(old, spec.name, None), getattr(new, spec.name, None)
        handler = _SPECIAL.get((cls, spec.name))
        if handler is not None:
            yield from handler(before, after, path, owner)
        elif before != after:
            yield from _compare_value(before, after, _hints(cls)[spec.name], path, owner)


def _compare_value(old: Any, new: Any, hint: Any, path: str, owner: Owner) -> Iterator[Change]:
    nested = _dataclass_of(hint)
    if nested is not None:
        yield from _compare_fields(old, new, nested, path + ".", owner)
    elif _is_markdown(hint) and not path.startswith("general."):
        # Section 1 holds short facts (a date, a ministry): shown as values, not sentences.
        if _normalise(old) != _normalise(new):
            yield TextChanged(
                path, count_changed_sentences(old, new), owner, _normalise(old), _normalise(new)
            )
    elif isinstance(old, dict) or isinstance(new, dict):
        old, new = old or {}, new or {}
        for key in [*old, *(k for k in new if k not in old)]:
            if old.get(key) != new.get(key):
                yield FieldChanged(f"{path}.{key}", old.get(key), new.get(key), owner)
    else:
        yield FieldChanged(path, _frozen(old), _frozen(new), owner)


def _compare_verdict(old: Verdict, new: Verdict, path: str, owner: Owner) -> Iterator[Change]:
    if old != new:
        yield VerdictChanged(path.removesuffix(".verdict"), old, new)


def _compare_footnotes(
    old: dict[str, str], new: dict[str, str], path: str, owner: Owner
) -> Iterator[Change]:
    for key, text in old.items():
        if key not in new:
            yield FootnoteRemoved(key, text)
        elif new[key] != text and _normalise(new[key]) != _normalise(text):
            yield FootnoteChanged(
                key, count_changed_sentences(text, new[key]), _normalise(text), _normalise(new[key])
            )
    for key, text in new.items():
        if key not in old:
            yield FootnoteAdded(key, text)


def _compare_areas(old: list[Area], new: list[Area], path: str, owner: Owner) -> Iterator[Change]:
    old_by_id = {area.id: area for area in old}
    new_ids = {area.id for area in new}
    moved_areas = _moved([a.id for a in old], [a.id for a in new])
    old_positions = {area.id: index for index, area in enumerate(old, 1)}
    actions = _Actions(
        old_by_id={a.id: a for a in _actions(old)},
        old_places=_places(old),
        new_places=_places(new),
        moved=_moved([a.id for a in _actions(old)], [a.id for a in _actions(new)]),
    )
    for index, area in enumerate(new, 1):
        ref = AreaRef(area.id, area.title)
        before = old_by_id.get(area.id)
        if before is None:
            yield AreaAdded(ref)
        else:
            if area.id in moved_areas:
                yield AreaMoved(ref, old_positions[area.id], index)
            yield from _compare_fields(before, area, Area, "", ref)
        yield from actions.compare(before.actions if before else [], area.actions)
    for area in old:
        if area.id not in new_ids:
            yield AreaRemoved(AreaRef(area.id, area.title))
            yield from actions.compare(area.actions, [])


def _compare_elements(
    old: list[Action], new: list[Action], path: str, owner: Owner
) -> Iterator[Change]:
    actions = _Actions(
        old_by_id={a.id: a for a in old},
        old_places={a.id: (None, index) for index, a in enumerate(old, 1)},
        new_places={a.id: (None, index) for index, a in enumerate(new, 1)},
        moved=_moved([a.id for a in old], [a.id for a in new]),
    )
    yield from actions.compare(old, new)


Place = tuple[str | None, int]
"""Where an action stands: its area's id (None for elements) and its 1-based position there."""


@dataclass(frozen=True)
class _Actions:
    """Every action of both versions, so that one that moved between areas is still matched."""

    old_by_id: dict[str, Action]
    old_places: dict[str, Place]
    new_places: dict[str, Place]
    moved: set[str]

    def compare(self, old: Sequence[Action], new: Sequence[Action]) -> Iterator[Change]:
        """The changes of the actions of one area; `old` are its actions in the older version."""
        for action in new:
            ref = ActionRef(action.id, action.title)
            before = self.old_by_id.get(action.id)
            if before is None:
                yield ActionAdded(
                    ref, self.new_places[action.id][0], action.stance, _normalise(action.summary)
                )
                continue
            (old_area, old_position), (new_area, new_position) = (
                self.old_places[action.id],
                self.new_places[action.id],
            )
            if action.id in self.moved or old_area != new_area:
                yield ActionMoved(ref, old_area, new_area, old_position, new_position)
            yield from _compare_fields(before, action, Action, "", ref)
        for action in old:
            if action.id not in self.new_places:
                yield ActionRemoved(
                    ActionRef(action.id, action.title),
                    self.old_places[action.id][0],
                    action.stance,
                    _normalise(action.summary),
                )


def _compare_stance(old: Stance, new: Stance, path: str, owner: Owner) -> Iterator[Change]:
    if old != new and isinstance(owner, ActionRef):
        yield StanceChanged(owner, old, new)


def _compare_items(old: list[str], new: list[str], path: str, owner: Owner) -> Iterator[Change]:
    if old == new or not isinstance(owner, ActionRef):
        return
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("delete", "replace"):
            for text in old[i1:i2]:
                yield ItemRemoved(owner, path, text)
        if tag in ("insert", "replace"):
            for text in new[j1:j2]:
                yield ItemAdded(owner, path, text)


def _skip(old: Any, new: Any, path: str, owner: Owner) -> Iterator[Change]:
    return iter(())


# -- matching actions across areas ------------------------------------------------------------


def _actions(areas: Sequence[Area]) -> list[Action]:
    return [action for area in areas for action in area.actions]


def _places(areas: Sequence[Area]) -> dict[str, Place]:
    return {
        action.id: (area.id, index)
        for area in areas
        for index, action in enumerate(area.actions, 1)
    }


def _moved(old: list[str], new: list[str]) -> set[str]:
    """Ids present in both orders whose place relative to the others changed.

    The longest common subsequence of the two orders stands still; every
    common id outside it moved.
    """
    common = set(old) & set(new)
    old_common = [i for i in old if i in common]
    new_common = [i for i in new if i in common]
    matcher = difflib.SequenceMatcher(a=old_common, b=new_common, autojunk=False)
    still = {
        old_common[block.a + k]
        for block in matcher.get_matching_blocks()
        for k in range(block.size)
    }
    return common - still


# -- prose --------------------------------------------------------------------------------------


def count_changed_sentences(old: str | None, new: str | None) -> int:
    """How many sentences differ: a rewritten line counts once, an added or removed line once."""
    before, after = _sentences(old), _sentences(new)
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    count = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            count += max(i2 - i1, j2 - j1)
    return count


def _sentences(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _normalise(text: str | None) -> str:
    """The text as the renderer sees it: trailing spaces and outer blank lines do not count."""
    return "\n".join(line.rstrip() for line in (text or "").splitlines()).strip("\n")


# -- the field table ----------------------------------------------------------------------------

Handler = Callable[[Any, Any, str, Owner], Iterator[Change]]
"""Compares one field specially: (old value, new value, key path, owner) -> changes."""

_SPECIAL: dict[tuple[type, str], Handler] = {
    (Fiche, "areas"): _compare_areas,
    (Fiche, "elements"): _compare_elements,
    (Fiche, "footnotes"): _compare_footnotes,
    (Judgement, "verdict"): _compare_verdict,
    (Area, "id"): _skip,
    (Area, "actions"): _skip,
    (Action, "id"): _skip,
    (Action, "stance"): _compare_stance,
    (Action, "conditions"): _compare_items,
    (Action, "concerns"): _compare_items,
}


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def _options(hint: Any) -> list[Any]:
    if get_origin(hint) in (Union, types.UnionType):
        return [a for a in get_args(hint) if a is not type(None)]
    return [hint]


def _dataclass_of(hint: Any) -> type | None:
    for option in _options(hint):
        if isinstance(option, type) and dataclasses.is_dataclass(option):
            return option
    return None


def _is_markdown(hint: Any) -> bool:
    return any(option is model.Markdown for option in _options(hint))


def _frozen(value: Any) -> Any:
    """Lists as tuples, so records stay hashable and compare by value."""
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    return value


def as_plain(value: Any) -> Any:
    """A record or value as JSON-ready data: enums by their value, records as dicts."""
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: as_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [as_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): as_plain(v) for k, v in value.items()}
    return value
