"""The JSON Schema of positions files, generated from the dataclasses of `fichegen.model`.

Editors (VS Code with the YAML language server) use it for completion, for
hover help (each field's Dutch `doc` is its description) and to mark wrong
keys, types and values while typing. It walks the same type hints as the
validator, so it says what `fichegen check` says about the shape of a file;
the reviewer's rules (stances, footnotes, Markdown) stay in `fichegen check`.
The repository keeps a copy in `schema/fiche.schema.json`; a test fails when
that copy is stale.
"""

from __future__ import annotations

import dataclasses
import json
import types
from enum import Enum
from typing import Any, Union, get_args, get_origin

from fichegen import model
from fichegen.model import Fiche, FicheType
from fichegen.validate import ID_PATTERN, KEY_PATTERN, dutch_labels, type_hints

DRAFT = "https://json-schema.org/draft/2020-12/schema"

TEXT_PATTERN = r"^(?=[\s\S]*\S)[^\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]*$"
"""Text with something in it and no character Word cannot hold (`validate.NOT_XML`)."""


def build_schema() -> dict[str, Any]:
    """The schema as a dict: the fiche at the top, each other dataclass under `$defs`."""
    defs: dict[str, Any] = {}
    root = _record(Fiche, defs)
    branches = []
    for fiche_type in FicheType:
        restriction = _restriction(Fiche, fiche_type)
        if restriction:
            branches.append(
                {
                    "if": {
                        "properties": {"type": {"const": fiche_type.value}},
                        "required": ["type"],
                    },
                    "then": restriction,
                }
            )
    return {
        "$schema": DRAFT,
        "title": "BNC-fiche (fichegen)",
        "description": "De gegevens van één BNC-fiche, waaruit fichegen de fiche maakt. "
        "Controleer het bestand met 'fichegen check'.",
        **root,
        "allOf": branches,
        "$defs": dict(sorted(defs.items())),
    }


def schema_text() -> str:
    """The schema as the text of `schema/fiche.schema.json`."""
    return json.dumps(build_schema(), ensure_ascii=False, indent=2) + "\n"


def _record(cls: Any, defs: dict[str, Any]) -> dict[str, Any]:
    """An object with the fields of a dataclass; every field that applies somewhere is listed."""
    hints = type_hints(cls)
    properties: dict[str, Any] = {}
    required = []
    for field in dataclasses.fields(cls):
        always = model.is_required(field, None) and field.metadata.get("only") is None
        value = _value(hints[field.name], defs, required=always)
        properties[field.name] = {
            "description": field.metadata.get("doc", ""),
            **value,
            **_default(field),
        }
        if always:
            required.append(field.name)
    record: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        record["required"] = required
    record["additionalProperties"] = False
    return record


def _value(hint: Any, defs: dict[str, Any], *, required: bool) -> dict[str, Any]:
    """The schema of one value; a value that may be left empty also accepts null."""
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        (inner,) = [a for a in get_args(hint) if a is not type(None)]
        return _value(inner, defs, required=False)
    schema = _required_value(hint, defs)
    if required:
        # The validator reports an empty list or mapping in a required field as missing.
        if origin is list:
            return {**schema, "minItems": 1}
        if origin is dict:
            return {**schema, "minProperties": 1}
        return schema
    if "enum" in schema:
        return {**schema, "enum": [*schema["enum"], None]}
    if "type" in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        return {**schema, "type": [*kinds, "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def _required_value(hint: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin = get_origin(hint)
    if origin is list:
        return {"type": "array", "items": _required_value(get_args(hint)[0], defs)}
    if origin is dict:
        return {
            "type": "object",
            "propertyNames": {"pattern": KEY_PATTERN.pattern},
            "additionalProperties": _required_value(get_args(hint)[1], defs),
        }
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        name = hint.__name__
        if name not in defs:
            defs[name] = {}  # reserved before the walk, in case a type refers to itself
            defs[name] = _record(hint, defs)
        return {"$ref": f"#/$defs/{name}"}
    if isinstance(hint, type) and issubclass(hint, Enum):
        # The Dutch labels of stances and verdicts are accepted as their ids.
        return {"enum": [member.value for member in hint] + list(dutch_labels(hint).values())}
    if hint is model.Id:
        return {"type": ["string", "integer"], "pattern": ID_PATTERN.pattern, "minimum": 0}
    return {"type": "string", "pattern": TEXT_PATTERN}


def _default(field: dataclasses.Field[Any]) -> dict[str, Any]:
    if field.default_factory is not dataclasses.MISSING:
        return {}  # an empty list or mapping: nothing worth proposing
    if isinstance(field.default, Enum):
        return {"default": field.default.value}
    return {}


def _restriction(cls: Any, fiche_type: FicheType) -> dict[str, Any]:
    """What a fiche of one type adds: fields it must have, fields it must not have."""
    hints = type_hints(cls)
    properties: dict[str, Any] = {}
    required = []
    for field in dataclasses.fields(cls):
        if not model.applies(field, fiche_type):
            properties[field.name] = False
            continue
        rule: dict[str, Any] = {}
        if model.is_required(field, fiche_type) and not model.is_required(field, None):
            required.append(field.name)
            rule["not"] = {"type": "null"}
        target, in_list = _inner_record(hints[field.name])
        inner = _restriction(target, fiche_type) if target else {}
        if inner:
            rule.update({"items": inner} if in_list else inner)
        if rule:
            properties[field.name] = rule
    restriction: dict[str, Any] = {}
    if properties:
        restriction["properties"] = properties
    if required:
        restriction["required"] = required
    return restriction


def _inner_record(hint: Any) -> tuple[Any, bool]:
    """The dataclass a field holds (directly, optionally or as list items), if any."""
    if get_origin(hint) in (Union, types.UnionType):
        (hint,) = [a for a in get_args(hint) if a is not type(None)]
    in_list = get_origin(hint) is list
    if in_list:
        hint = get_args(hint)[0]
    return (hint, in_list) if dataclasses.is_dataclass(hint) else (None, False)
