"""Jinja's own error messages, said in the user's language with what to do about them.

Jinja words its errors in English ("'x' is undefined", "Unexpected end of
template ..."). The common kinds are recognised here by their wording and told
again through the message catalog; a message of a kind not listed stays Jinja's.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from fichegen.i18n import _

Explained = tuple[str, str]  # a message and a hint ("" when there is none)

# What Jinja calls the tokens that close a tag, as the user types them.
_TOKENS = {
    "end of print statement": "}}",
    "end of statement block": "%}",
    "end of template": "end of template",
}


def _object(text: str) -> str:
    """'fichegen.model.Fiche object' -> 'Fiche'; 'dict object' -> 'dict'."""
    text = text.strip("'").removesuffix(" object")
    return text.rsplit(".", 1)[-1]


def _end(block: str) -> str:
    return "{% end" + block + " %}"


def _token(name: str) -> str:
    return _TOKENS.get(name, name)


_KINDS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], Explained]]] = [
    (
        re.compile(r"'(?P<name>[^']+)' is undefined"),
        lambda m: (
            _("the template uses '{name}', a name that does not exist").format(name=m["name"]),
            _("check the spelling; the fiche's fields are named as in the positions file"),
        ),
    ),
    (
        re.compile(r"(?P<object>.+?) has no attribute '(?P<name>[^']+)'"),
        lambda m: (
            _("the template asks for '{name}' of '{object}', which has no such field").format(
                name=m["name"], object=_object(m["object"])
            ),
            _("check the spelling; the fiche's fields are named as in the positions file"),
        ),
    ),
    (
        re.compile(r"(?P<object>.+?) has no element (?P<name>.+)"),
        lambda m: (
            _("the template asks for item {name} of '{object}', which does not exist").format(
                name=m["name"], object=_object(m["object"])
            ),
            _("the list is shorter; check the number, or test first with 'if'"),
        ),
    ),
    (
        re.compile(
            r"Unexpected end of template\. .*The innermost block that needs to be closed is "
            r"'(?P<block>\w+)'\.?",
            re.S,
        ),
        lambda m: (
            _("the template ends while the block '{block}' is still open").format(block=m["block"]),
            _("close it with {end}").format(end=_end(m["block"])),
        ),
    ),
    (
        re.compile(
            r"Encountered unknown tag '(?P<tag>[^']+)'\. .*The innermost block that needs to be "
            r"closed is '(?P<block>\w+)'\.?",
            re.S,
        ),
        lambda m: (
            _("the tag '{tag}' comes while the block '{block}' is still open").format(
                tag=m["tag"], block=m["block"]
            ),
            _("close the block '{block}' first with {end}").format(
                block=m["block"], end=_end(m["block"])
            ),
        ),
    ),
    (
        re.compile(r"Encountered unknown tag '(?P<tag>[^']+)'\..*", re.S),
        lambda m: (
            _("unknown tag '{tag}'").format(tag=m["tag"]),
            _("tags are for example if, elif, else, endif, for, endfor, set, include"),
        ),
    ),
    (
        re.compile(r"No filter named '(?P<name>[^']+)'.*"),
        lambda m: (
            _("unknown filter '{name}'").format(name=m["name"]),
            _("check the spelling of the name after the '|'"),
        ),
    ),
    (
        re.compile(r"No test named '(?P<name>[^']+)'.*"),
        lambda m: (
            _("unknown test '{name}'").format(name=m["name"]),
            _("check the spelling of the name after 'is'"),
        ),
    ),
    (
        re.compile(r"unexpected end of template, expected '(?P<want>[^']+)'\.?"),
        lambda m: (
            _("the template ends in the middle of an expression; {want} is missing").format(
                want=repr(_token(m["want"]))
            ),
            "",
        ),
    ),
    (
        re.compile(r"expected token '(?P<want>[^']+)', got '(?P<got>[^']+)'"),
        lambda m: (
            _("'{got}' where {want} should come").format(
                got=m["got"], want=repr(_token(m["want"]))
            ),
            _("close every '{{' with '}}' and every '{%' with '%}'"),
        ),
    ),
    (
        re.compile(r"unexpected char '(?P<char>.+)' at \d+"),
        lambda m: (
            _("the character '{char}' cannot stand here").format(char=m["char"]),
            "",
        ),
    ),
    (
        re.compile(r"unexpected '(?P<char>.+)'"),
        lambda m: (
            _("unexpected '{char}'").format(char=m["char"]),
            _("close every '{{' with '}}' and every '{%' with '%}'"),
        ),
    ),
    (
        re.compile(
            r"access to attribute '(?P<name>[^']+)' of '(?P<object>[^']+)' object is unsafe\.?"
        ),
        lambda m: (
            _("the template may not use '{name}' of '{object}'").format(
                name=m["name"], object=m["object"]
            ),
            _("templates can read the fiche's fields, not Python's internals"),
        ),
    ),
]


def explain(message: str) -> Explained:
    """Jinja's `message` as a message and a hint in the user's language.

    A message of a kind not recognised comes back as it is, with no hint ("").
    """
    message = message.strip()
    for pattern, say in _KINDS:
        found = pattern.fullmatch(message)
        if found:
            return say(found)
    return message, ""


def template_line(source: str | None, line: int | None) -> str | None:
    """Line `line` (1-based) of a template's `source`, stripped, for the hint."""
    if not source or not line:
        return None
    lines = source.splitlines()
    if 0 < line <= len(lines) and lines[line - 1].strip():
        return lines[line - 1].strip()
    return None
