"""Writing a plain tree (mappings, lists, text, numbers) as YAML in the layout of positions/.

ruamel's pure-Python emitter spends half a second on one fiche; importing a
ministry's archive writes hundreds. This writer handles only what a positions
file holds and picks, per text, the style that reads back as exactly that text:
plain where YAML leaves it alone, a literal block (`|`) for prose over several
lines, double quotes for everything else.
"""

from __future__ import annotations

import json
import re
from typing import Any

_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`=~][^\n]*$")
_NOT_PLAIN = re.compile(
    r": |:$| #|\s$|[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]"
    r"|^(?:null|true|false|yes|no|on|off|y|n|<<|[-+]?\.(?:inf|nan)"
    r"|[-+]?[\d_]*\.?[\d_]*(?:e[-+]?\d+)?|0[xob][\da-f_]+|\d{4}-\d\d?-\d\d?.*"
    r"|[-+]?\d[\d_]*(?::[0-5]?\d)+(?:\.\d*)?)$",
    re.IGNORECASE,
)
_BREAKS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def dump_tree(tree: dict[str, Any], comment: str = "", spaced: tuple[str, ...] = ()) -> str:
    """The YAML text of `tree`; `comment` lines on top, a blank line before `spaced` keys."""
    lines = [f"# {line}".rstrip() for line in comment.splitlines()]
    if lines:
        lines.append("")
    for key, value in tree.items():
        if key in spaced and lines and lines[-1]:
            lines.append("")
        lines += _entry(key, value, 0)
    return "\n".join(lines) + "\n"


def _entry(key: Any, value: Any, indent: int) -> list[str]:
    pad = " " * indent
    head = f"{pad}{_scalar_key(key)}:"
    if isinstance(value, dict):
        if not value:
            return [f"{head} {{}}"]
        lines = [head]
        for inner, item in value.items():
            lines += _entry(inner, item, indent + 2)
        return lines
    if isinstance(value, list):
        if not value:
            return [f"{head} []"]
        lines = [head]
        for item in value:
            lines += _item(item, indent + 2)
        return lines
    first, rest = _scalar(value, indent + 2)
    return [f"{head} {first}", *rest]


def _item(value: Any, indent: int) -> list[str]:
    pad = " " * indent
    if isinstance(value, dict) and value:
        lines: list[str] = []
        for index, (key, item) in enumerate(value.items()):
            entry = _entry(key, item, indent + 2)
            if index == 0:
                entry[0] = f"{pad}- {entry[0][indent + 2 :]}"
            lines += entry
        return lines
    if isinstance(value, list) and value:
        lines = []
        for index, inner in enumerate(value):
            entry = _item(inner, indent + 2)
            if index == 0:
                entry[0] = f"{pad}- {entry[0][indent + 2 :]}"
            lines += entry
        return lines
    if isinstance(value, dict | list):
        return [f"{pad}- {'{}' if isinstance(value, dict) else '[]'}"]
    first, rest = _scalar(value, indent + 2)
    return [f"{pad}- {first}", *rest]


def _scalar_key(key: Any) -> str:
    text = str(key)
    return text if _plain(text) else _quoted(text)


def _scalar(value: Any, indent: int) -> tuple[str, list[str]]:
    """The first line of a value (after 'key: ') and its further lines."""
    if value is None:
        return "", []
    if isinstance(value, bool):
        return ("true" if value else "false"), []
    if isinstance(value, int | float):
        return repr(value), []
    text = str(value)
    if "\n" in text.strip("\n") and _literal(text):
        pad = " " * indent
        body = text.rstrip("\n").split("\n")
        indicator = "|" if text.endswith("\n") else "|-"
        return indicator, [f"{pad}{line}" if line else "" for line in body]
    if _plain(text):
        return text, []
    return _quoted(text), []


def _plain(text: str) -> bool:
    return bool(text) and bool(_PLAIN.match(text)) and not _NOT_PLAIN.search(text)


def _literal(text: str) -> bool:
    """Whether a literal block (`|` or `|-`) gives back exactly this text."""
    body = text.rstrip("\n")
    if text.endswith("\n\n") or not body or body[0] in " \t" or _BREAKS.search(body):
        return False
    return all(line.strip() or not line for line in body.split("\n"))


def _quoted(text: str) -> str:
    quoted = json.dumps(text, ensure_ascii=False)
    return "".join(
        ch if ch.isprintable() or ch in "\t" else f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else ch
        for ch in quoted
    )
