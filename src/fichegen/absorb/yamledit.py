"""Edits to a positions file's text that touch only the changed values.

ruamel's composer gives every value's node with its start and end in the
text; a changed value is re-emitted in place, in the style it had (a `|`
block stays a block, a quoted string keeps its quotes), and every other byte
of the file, comments included, stays as it was.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode


class PathNotFound(Exception):
    """A field path of the document names no value in this positions file."""


@dataclass(frozen=True)
class Located:
    node: ScalarNode
    key_column: int  # where the key (or the '- ' of a list item) starts
    yaml_path: tuple[str | int, ...]


def compose(text: str) -> Node:
    """The node tree of a positions file, each node's marks indexing into `text`.

    ruamel's C parser composes a fiche in a few milliseconds, its pure-Python
    round-trip composer in about a second; comments are not needed here, since
    only the spans of values are replaced. The C marks' line and column are
    turned into indexes into the text.
    """
    yaml = YAML(typ="safe")
    if "CParser" not in yaml.Parser.__name__:  # pragma: no cover - no C extension
        node = YAML(typ="rt").compose(io.StringIO(text))
    else:
        node = yaml.compose(text)
        _reindex(node, _line_starts(text))
    if node is None:
        raise PathNotFound("empty file")
    return node


@dataclass(frozen=True)
class _Mark:
    index: int
    line: int
    column: int


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for match in re.finditer("\n", text):
        starts.append(match.end())
    return starts


def _reindex(node: Node, starts: list[int]) -> None:
    stack = [node]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        for name in ("start_mark", "end_mark"):
            mark = getattr(current, name)
            line = min(mark.line, len(starts) - 1)
            setattr(current, name, _Mark(starts[line] + mark.column, mark.line, mark.column))
        if isinstance(current, MappingNode):
            for key, value in current.value:
                stack += [key, value]
        elif isinstance(current, SequenceNode):
            stack += current.value


def locate(root: Node, path: str) -> Located:
    """The scalar at a bookmark path such as `areas_0_actions_1_summary` or `footnotes_2`."""
    node: Node = root
    rest = path
    column = 0
    yaml_path: list[str | int] = []
    while rest:
        if isinstance(node, SequenceNode):
            head, _, rest = rest.partition("_")
            if not head.isdigit() or int(head) >= len(node.value):
                raise PathNotFound(path)
            item = node.value[int(head)]
            column = max(item.start_mark.column - 2, 0)
            node = item
            yaml_path.append(int(head))
        elif isinstance(node, MappingNode):
            if yaml_path == ["footnotes"] or (len(yaml_path) == 1 and yaml_path[0] == "footnotes"):
                head, _, rest = rest.partition("_")
                if not head.isdigit() or int(head) >= len(node.value):
                    raise PathNotFound(path)
                key, value = node.value[int(head)]
                yaml_path.append(str(key.value))
                column, node = key.start_mark.column, value
                continue
            for key, value in sorted(node.value, key=lambda kv: -len(str(kv[0].value))):
                name = str(key.value)
                if rest == name or rest.startswith(name + "_"):
                    rest = rest[len(name) + 1 :]
                    column, node = key.start_mark.column, value
                    yaml_path.append(name)
                    break
            else:
                raise PathNotFound(path)
        else:
            raise PathNotFound(path)
    if not isinstance(node, ScalarNode):
        raise PathNotFound(path)
    return Located(node, column, tuple(yaml_path))


def replace_values(text: str, edits: list[tuple[Located, str]]) -> str:
    """`text` with each located value replaced by a new string, last edit first."""
    for located, value in sorted(edits, key=lambda e: -e[0].node.start_mark.index):
        node = located.node
        start, end = node.start_mark.index, node.end_mark.index
        span = text[start:end]
        if node.style in ("|", ">"):
            trailing = span[len(span.rstrip("\n ")) :]
            trailing = trailing[trailing.find("\n") :] if "\n" in trailing else "\n"
            new = emit_block(value, located.key_column + 2, span) + trailing[1:]
            # the block emitted ends with one newline; the original's blank lines follow
            text = text[:start] + new + text[end:]
        else:
            indent = located.key_column + 2
            text = text[:start] + emit_flow(value, node.style, indent) + text[end:]
    return text


def emit_block(value: str, indent: int, original: str = "|") -> str:
    header = re.match(r"[|>][-+0-9]*", original)
    head = header.group(0) if header else "|"
    if head.startswith(">"):
        head = "|" + head[1:]
    if not value.endswith("\n"):
        head = "|-" if "-" not in head else head
    pad = " " * indent
    lines = value.rstrip("\n").split("\n")
    body = "".join((pad + line if line.strip() else "") + "\n" for line in lines)
    return head + "\n" + body


def emit_flow(value: str, style: str | None, indent: int) -> str:
    """A single value as plain, quoted, or (holding a newline) a `|` block."""
    if "\n" in value.rstrip("\n") and not _needs_quotes_in_block(value):
        return emit_block(value, indent).rstrip("\n")
    yaml = YAML(typ="rt")
    yaml.width = 1_000_000
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

    scalar: Any = value
    if style == "'":
        scalar = SingleQuotedScalarString(value)
    elif style == '"':
        scalar = DoubleQuotedScalarString(value)
    stream = io.StringIO()
    yaml.dump([scalar], stream)
    dumped = stream.getvalue()
    return dumped[2:].rstrip("\n")


def _needs_quotes_in_block(value: str) -> bool:
    return bool(re.search(r"[\x00-\x08\x0b-\x1f\x7f\ufeff]", value)) or value.startswith(" ")


def append_list_items(text: str, key: str, items: list[dict[str, Any]]) -> str:
    """Items added to a top-level list `key`, created at the end of the file when missing."""
    if not items:
        return text
    yaml = YAML(typ="rt")
    yaml.width = 1_000_000
    yaml.indent(mapping=2, sequence=4, offset=2)
    stream = io.StringIO()
    yaml.dump(items, stream)
    block = stream.getvalue()
    value = _top_level(text, key, SequenceNode)
    if value is None:
        return _with_new_key(text, key, block)
    end = value.end_mark.index
    prefix = "" if text[:end].endswith("\n") else "\n"
    return text[:end] + prefix + block + text[end:]


def append_mapping_items(text: str, key: str, items: dict[str, str]) -> str:
    """Keys added at the end of a top-level mapping `key` (the footnotes), created when missing.

    A value of more than one line is written as a `|` block, one sentence per line.
    """
    if not items:
        return text
    from ruamel.yaml.scalarstring import LiteralScalarString

    yaml = YAML(typ="rt")
    yaml.width = 1_000_000
    values = {k: LiteralScalarString(v) if "\n" in v.rstrip("\n") else v for k, v in items.items()}
    stream = io.StringIO()
    yaml.dump(values, stream)
    value = _top_level(text, key, MappingNode)
    if value is None:
        return _with_new_key(text, key, _indented(stream.getvalue(), 2))
    block = _indented(stream.getvalue(), value.value[0][0].start_mark.column)
    end = len(text[: value.value[-1][1].end_mark.index].rstrip(" \t\r\n"))
    end = text.find("\n", end) + 1  # after the line the last value ends on
    if end == 0:
        text += "\n"
        end = len(text)
    return text[:end] + block + text[end:]


def _top_level(text: str, key: str, kind: type[Node]) -> Any:
    """The non-empty value of top-level `key` when it is a `kind` node, else None."""
    root = compose(text)
    if isinstance(root, MappingNode):
        for k, value in root.value:
            if str(k.value) == key and isinstance(value, kind) and value.value:
                return value
    return None


def _with_new_key(text: str, key: str, block: str) -> str:
    """`key:` and its block added at the end of the file."""
    if not text.endswith("\n"):
        text += "\n"
    return text + f"\n{key}:\n" + block


def _indented(block: str, indent: int) -> str:
    pad = " " * indent
    return "".join(pad + line if line.strip() else line for line in block.splitlines(True))


def insert_items(text: str, items: list[tuple[str, str]]) -> str:
    """New list items, each after the item at its path (`..._conditions_1`), in order."""
    if not items:
        return text
    root = compose(text)
    blocks: dict[int, list[str]] = {}
    for path, value in items:
        located = locate(root, path)
        end = len(text[: located.node.end_mark.index].rstrip(" \t\r\n"))
        end = text.find("\n", end) + 1 or len(text)
        column = located.key_column
        line = " " * column + "- " + emit_flow(value, None, column + 2) + "\n"
        blocks.setdefault(end, []).append(line)
    for end in sorted(blocks, reverse=True):
        prefix = "" if text[:end].endswith("\n") else "\n"
        text = text[:end] + prefix + "".join(blocks[end]) + text[end:]
    return text
