"""Who a rendering is for: parliament (public) or the people drafting the fiche (internal).

A positions file holds what parliament must never see: negotiation margins,
which ministry still objects, open questions. Every such field is named
`internal_*`. The public version is made by removing those fields from the
model before any template, writer or diff sees it, so no later step can leak
what it was never given.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any, Literal, TypeVar, cast

from fichegen.errors import Location, Problem, UsageError
from fichegen.i18n import _
from fichegen.model import FOOTNOTE_REF, Fiche

Audience = Literal["public", "internal"]
AUDIENCES: tuple[Audience, ...] = ("public", "internal")

INTERNAL_PREFIX = "internal"
"""Every field whose name starts with this is internal, wherever it stands in the model."""

T = TypeVar("T")


def for_audience(fiche: Fiche, audience: str) -> Fiche:
    """The fiche as the audience may see it: public has no internal field left anywhere."""
    if audience == "internal":
        return fiche
    if audience == "public":
        public = public_footnotes(strip_internal(fiche))
        # By construction nothing is left; checked anyway, since a leak is the one
        # mistake this module exists to prevent.
        leftover = next(iter_internal_notes(public), None)
        if leftover is not None:  # pragma: no cover - would be a bug in strip_internal
            raise AssertionError(f"internal field {leftover[0]} survived the public filter")
        return public
    raise UsageError(
        Problem(
            Location("fichegen"),
            _("unknown audience '{audience}'").format(audience=audience),
            code="usage",
            hint=_("choose one of: {choices}").format(choices=", ".join(AUDIENCES)),
        )
    )


def strip_internal(value: T) -> T:
    """A copy of `value` with every `internal_*` field reset to its default, at any depth."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes: dict[str, Any] = {}
        for field in dataclasses.fields(value):
            current = getattr(value, field.name)
            if field.name.startswith(INTERNAL_PREFIX):
                default = _default(field)
                if current != default:
                    changes[field.name] = default
            else:
                stripped = strip_internal(current)
                if stripped is not current:
                    changes[field.name] = stripped
        return cast(T, dataclasses.replace(value, **changes)) if changes else value
    if isinstance(value, list):
        items = [strip_internal(item) for item in value]
        changed = any(new is not old for new, old in zip(items, value, strict=True))
        return cast(T, items) if changed else value
    if isinstance(value, dict):
        entries = {key: strip_internal(item) for key, item in value.items()}
        changed = any(entries[key] is not value[key] for key in value)
        return cast(T, entries) if changed else value
    return value


def public_footnotes(fiche: Fiche) -> Fiche:
    """The fiche with only the footnotes its public text refers to.

    A footnote referenced only from an internal note is as internal as the
    note: it goes with it. So does one nobody refers to (`check` warns of it).
    Footnotes referred to from a kept footnote are kept too.
    """
    if not fiche.footnotes:
        return fiche
    texts = [text for text in _iter_strings(dataclasses.replace(fiche, footnotes={}))]
    wanted = _references(texts)
    pending = list(wanted)
    while pending:  # footnotes in footnotes ('check' refuses them, a team may not)
        text = fiche.footnotes.get(pending.pop())
        for key in _references([text] if text is not None else []):
            if key not in wanted:
                wanted.add(key)
                pending.append(key)
    kept = {key: text for key, text in fiche.footnotes.items() if key in wanted}
    if len(kept) == len(fiche.footnotes):
        return fiche
    return dataclasses.replace(fiche, footnotes=kept)


def _references(texts: list[str]) -> set[str]:
    # the pattern has no fixed start to scan for; most texts have no reference at all
    return {
        match.group(2) for text in texts if "[^" in text for match in FOOTNOTE_REF.finditer(text)
    }


def _iter_strings(value: Any) -> Iterator[str]:
    """Every text in a (public) model: string fields, list items, mapping keys and values."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _iter_strings(getattr(value, field.name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _iter_strings(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _iter_strings(key)
            yield from _iter_strings(item)


def iter_internal_notes(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every internal text in `value` as (path, text), e.g. ('areas[0].internal_notes', ...)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            current = getattr(value, field.name)
            where = f"{path}.{field.name}" if path else field.name
            if field.name.startswith(INTERNAL_PREFIX):
                yield from _iter_texts(current, where)
            else:
                yield from iter_internal_notes(current, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from iter_internal_notes(item, f"{path}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from iter_internal_notes(item, f"{path}.{key}")


def _iter_texts(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """The texts inside an internal field: itself, or the values of a record of notes."""
    if value is None:
        return
    if isinstance(value, str):
        yield path, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _iter_texts(getattr(value, field.name), f"{path}.{field.name}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _iter_texts(item, f"{path}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _iter_texts(item, f"{path}.{key}")


def _default(field: dataclasses.Field[Any]) -> Any:
    if field.default is not dataclasses.MISSING:
        return field.default
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    raise TypeError(f"internal field '{field.name}' needs a default so it can be left out")
