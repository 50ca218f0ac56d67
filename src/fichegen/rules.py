"""The rules a reviewer checks by hand, each with a short id a team can configure.

`RULES` names every problem fichegen reports. The shape rules (syntax, wrong
types, missing fields...) are fixed: without them there is no fiche to check
further. The others are small functions over the `Facts` of the walk: the
texts and every record (action, area) that could be built, so they report
even when another part of the file is wrong. A team can switch them off or
change their severity in `[tool.fichegen.check]` (see `fichegen.config`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeVar

from fichegen.errors import Problem, Severity
from fichegen.facts import Facts, Path
from fichegen.i18n import N_, _
from fichegen.model import FOOTNOTE_REF, Action, Area, Fiche, Link, SectionNotes, Stance

ERROR, WARNING = Severity.ERROR, Severity.WARNING
T = TypeVar("T")


@dataclass(frozen=True)
class Rule:
    id: str
    summary: str
    severity: Severity = ERROR
    fixed: bool = False
    """A fixed rule cannot be switched off or made a warning: the fiche cannot be read without."""


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule(
            "syntax",
            N_("the file is not valid YAML, or more than plain data (tags, anchors)"),
            fixed=True,
        ),
        Rule("encoding", N_("the file is not UTF-8"), fixed=True),
        Rule("too-large", N_("the file is larger than a fiche can be"), fixed=True),
        Rule("unreadable", N_("the file cannot be read or does not exist"), fixed=True),
        Rule("duplicate-key", N_("a key appears twice in one mapping"), fixed=True),
        Rule("unknown-key", N_("a key that the fiche format does not have"), fixed=True),
        Rule(
            "wrong-type", N_("a value of the wrong kind (text, list, mapping, number)"), fixed=True
        ),
        Rule(
            "wrong-value",
            N_("a value outside the allowed choices, or an invalid id or key"),
            fixed=True,
        ),
        Rule("missing", N_("a required field is absent or empty"), fixed=True),
        Rule("wrong-fiche-type", N_("a field that belongs to the other fiche type"), fixed=True),
        Rule("control-character", N_("a character that Word cannot hold"), fixed=True),
        Rule("config", N_("the configuration of 'fichegen check' is not valid"), fixed=True),
        Rule("duplicate-id", N_("two actions or two areas with the same id")),
        Rule("stance-conditions", N_("a stance 'support_with_conditions' without conditions")),
        Rule("stance-concerns", N_("a stance 'critical' or 'oppose' without concerns")),
        Rule("final-undecided", N_("a final fiche with an action whose stance is 'no_position'")),
        Rule("final-placeholder", N_("a final fiche with a placeholder left from 'fichegen new'")),
        Rule("placeholder", N_("a draft with a placeholder left from 'fichegen new'"), WARNING),
        Rule("footnote-undefined", N_("a footnote reference [^key] without a footnote")),
        Rule("footnote-unused", N_("a footnote that no text refers to"), WARNING),
        Rule("footnote-nested", N_("a footnote reference inside a footnote")),
        Rule("markdown-emphasis", N_("a '*', '**' or '_' that does not open or close emphasis")),
        Rule("markdown-link", N_("a '[' or ']' that is not part of a link, or a broken link")),
        Rule("markdown-heading", N_("a line in a text that would become a heading")),
        Rule("markdown-html", N_("raw HTML in a text, which the fiche shows as it is")),
        Rule("markdown-code", N_("a line indented four spaces more, which becomes a code block")),
        Rule(
            "tab-in-text", N_("a tab inside a text, which the fiche shows as a wide gap"), WARNING
        ),
        Rule("date", N_("a date that does not read like '4 december 2025'"), WARNING),
        Rule(
            "com-number", N_("a Commission number that does not look like 'COM(2026) 210'"), WARNING
        ),
        Rule("link-address", N_("a link whose address is not https, http or mailto")),
        Rule(
            "note-no-section",
            N_("an internal note on a section the fiche leaves out"),
            WARNING,
        ),
    )
}

MAX_LOCATED = 50
"""Problems of one kind listed per text; a text with thousands is not a fiche."""

PLACEHOLDER = re.compile(r"\[INVULLEN\b[^\[\]]*\]")
"""What `fichegen new` writes where the civil servant still has to write."""


def severity_of(rule: str) -> Severity:
    """The default severity of a rule (configuration may change it later)."""
    known = RULES.get(rule)
    return known.severity if known else ERROR


def iter_rule_problems(facts: Facts) -> Iterator[Problem]:
    """Every reviewer's rule, over each part of the file that has the right shape."""
    yield from _check_ids(facts)
    yield from _check_stances(facts)
    yield from _check_footnotes(facts)
    yield from _check_placeholders(facts)
    yield from _check_link_addresses(facts)
    yield from _check_section_notes(facts)
    yield from _check_dates(facts)
    yield from _check_tabs(facts)
    yield from _check_com_numbers(facts)


def _problem(facts: Facts, where: Path, message: str, rule: str, hint: str) -> Problem:
    return Problem(facts.key_at(where), message, severity_of(rule), rule, hint)


def _records(facts: Facts, kind: type[T]) -> Iterator[tuple[Path, T]]:
    for path, record in facts.records.items():
        if isinstance(record, kind):
            yield path, record


def item_word(where: Path | str) -> str:
    """What an item is called, from its path or its list's key: 'actie', 'onderdeel', 'gebied'.

    One name per fiche type in every message: an action of a communication, an
    element of a legislative proposal (Dutch: actie, onderdeel), as in the fiche.
    """
    key = where if isinstance(where, str) else _list_key(where)
    if key == "elements":
        return _("element")
    if key == "areas":
        return _("area")
    return _("action")


def _list_key(path: Path) -> str:
    keys = [part for part in path if isinstance(part, str)]
    return keys[-1] if keys else ""


def _check_ids(facts: Facts) -> Iterator[Problem]:
    yield from _check_unique(facts, Action)
    yield from _check_unique(facts, Area)


def _check_unique(facts: Facts, kind: type[Action | Area]) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    for path, record in _records(facts, kind):
        where = (*path, "id")
        noun = item_word(path)
        if record.id in seen:
            yield _problem(
                facts,
                where,
                _("{noun} id {id} is used twice (first at line {line})").format(
                    noun=noun, id=record.id, line=seen[record.id]
                ),
                "duplicate-id",
                _("give every {noun} its own id; ids are how diffs match versions").format(
                    noun=noun
                ),
            )
        else:
            seen[record.id] = facts.key_at(where).line


def _check_stances(facts: Facts) -> Iterator[Problem]:
    for path, action in _records(facts, Action):
        where = (*path, "stance")
        stance = action.stance
        item = f"{item_word(path)} {action.id}"
        if stance is Stance.SUPPORT_WITH_CONDITIONS and not action.conditions:
            yield _problem(
                facts,
                where,
                _("{item} has stance 'support_with_conditions' but no conditions").format(
                    item=item
                ),
                "stance-conditions",
                _("list them under 'conditions:', or change the stance"),
            )
        if stance in (Stance.CRITICAL, Stance.OPPOSE) and not action.concerns:
            yield _problem(
                facts,
                where,
                _("{item} has stance '{stance}' but no concerns").format(
                    item=item, stance=stance.value
                ),
                "stance-concerns",
                _("list them under 'concerns:', or change the stance"),
            )
        if facts.final and stance is Stance.NO_POSITION:
            yield _problem(
                facts,
                where,
                _("{item} has stance 'no_position', but the fiche is final").format(item=item),
                "final-undecided",
                _("decide the stance, or set 'status: draft'"),
            )


def _check_footnotes(facts: Facts) -> Iterator[Problem]:
    defined = [str(path[1]) for path in facts.keys if len(path) == 2 and path[0] == "footnotes"]
    used: set[str] = set()
    known = set(defined)
    for text in facts.texts:
        if not text.markdown or "[^" not in text.value:
            continue
        located = 0
        for match in FOOTNOTE_REF.finditer(text.value):
            key = match.group(2)
            if key in known and not text.in_footnote:
                used.add(key)
                continue
            located += 1
            if located > MAX_LOCATED:  # thousands of wrong references: the first ones will do
                used.update(defined)  # not counted further: no footnote is called unused
                break
            at = facts.locate(text, match.start(2) - 2)
            if text.in_footnote:
                yield Problem(
                    at,
                    _("footnote reference [^{key}] inside footnote '{footnote}'").format(
                        key=key, footnote=text.path[1]
                    ),
                    severity_of("footnote-nested"),
                    "footnote-nested",
                    _("Word cannot put a footnote in a footnote; write the text out"),
                )
                continue
            used.add(key)
            if key not in defined:
                import difflib  # only an undefined footnote needs it

                close = difflib.get_close_matches(key, defined, n=1)
                yield Problem(
                    at,
                    _("footnote [^{key}] is not defined").format(key=key)
                    + (_(" (did you mean '{close}'?)").format(close=close[0]) if close else ""),
                    severity_of("footnote-undefined"),
                    "footnote-undefined",
                    _("add '{key}: <text>' under 'footnotes:'").format(key=key),
                )
    for key in defined:
        if key not in used:
            yield _problem(
                facts,
                ("footnotes", key),
                _("footnote '{key}' is defined but never referenced").format(key=key),
                "footnote-unused",
                _("refer to it with [^{key}] in a text, or remove it").format(key=key),
            )


def _check_section_notes(facts: Facts) -> Iterator[Problem]:
    """A section note is shown beside its section: on a section left out, nobody sees it."""
    fiches = [record for _, record in _records(facts, Fiche)]
    if not fiches:
        return
    fiche = fiches[0]
    for path, notes in _records(facts, SectionNotes):
        for field in dataclasses.fields(notes):
            if getattr(notes, field.name) is None:
                continue
            owners = [fiche, fiche.dutch_position, fiche.grounds]
            found = [getattr(o, field.name) for o in owners if hasattr(o, field.name)]
            if found and not any(found):
                yield _problem(
                    facts,
                    (*path, field.name),
                    f"internal note for section '{field.name}', which this fiche leaves out; "
                    "it is shown nowhere",
                    "note-no-section",
                    f"write the section '{field.name}', or move the note to another section",
                )


def _check_link_addresses(facts: Facts) -> Iterator[Problem]:
    """The link fields (EUR-Lex): the link policy of `fichegen.links`, said where it applies."""
    from fichegen.links import allowed

    for path, link in _records(facts, Link):
        if not allowed(link.url) and not PLACEHOLDER.search(link.url):
            yield _problem(
                facts,
                (*path, "url"),
                f"the address {link.url[:60]!r} does not start with https://; "
                "the fiche shows it as text, not as a link",
                "link-address",
                "give the web address, starting with https://",
            )


def _check_placeholders(facts: Facts) -> Iterator[Problem]:
    final = facts.final
    rule = "final-placeholder" if final else "placeholder"
    for text in facts.texts:
        for count, match in enumerate(PLACEHOLDER.finditer(text.value)):
            if count == MAX_LOCATED:
                break
            message = (
                _("{context} still has the placeholder {placeholder}, but the fiche is final")
                if final
                else _("{context} still has the placeholder {placeholder}")
            ).format(context=text.context, placeholder=match.group())
            yield Problem(
                facts.locate(text, match.start()),
                message,
                severity_of(rule),
                rule,
                _("write the text in its place"),
            )


MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]
ENGLISH_MONTHS = {
    "january": "januari",
    "february": "februari",
    "march": "maart",
    "may": "mei",
    "june": "juni",
    "july": "juli",
    "august": "augustus",
    "october": "oktober",
}
DAY_MONTH_YEAR = re.compile(r"^(?:\d{1,2} )?(?P<month>[^\W\d_]+) \d{4}$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _check_dates(facts: Facts) -> Iterator[Problem]:
    """The date of receipt reads like '4 december 2025' (or 'december 2025')."""
    for text in facts.texts:
        if text.path != ("general", "date_received") or PLACEHOLDER.search(text.value):
            continue
        value = " ".join(text.value.split())
        match = DAY_MONTH_YEAR.match(value)
        month = match.group("month") if match else ""
        if match and month in MONTHS:
            continue
        if month.lower() in MONTHS:
            message = _("Dutch month names are written in lower case: '{month}'").format(
                month=month.lower()
            )
            fix = value.replace(month, month.lower())
        elif month.lower() in ENGLISH_MONTHS:
            dutch = ENGLISH_MONTHS[month.lower()]
            message = _("'{month}' is English; the fiche is Dutch: '{dutch}'").format(
                month=month, dutch=dutch
            )
            fix = value.replace(month, dutch)
        else:
            message = _("{context} does not read like a date: '{value}'").format(
                context=text.context, value=value
            )
            fix = "4 december 2025"
            iso = ISO_DATE.match(value)
            if iso and 1 <= int(iso.group(2)) <= 12:
                fix = f"{int(iso.group(3))} {MONTHS[int(iso.group(2)) - 1]} {iso.group(1)}"
        yield Problem(
            facts.locate(text, 0),
            message,
            severity_of("date"),
            "date",
            _("write it as: {fix}").format(fix=fix),
        )


COM_NUMBER = re.compile(r"^(COM|JOIN|SEC|SWD|C)\(\d{4}\) \d{1,4}$")
COM_LOOSE = re.compile(
    r"^(?P<kind>COM|JOIN|SEC|SWD|C)\s*\(\s*(?P<year>\d{4})\s*\)\s*(?P<number>\d{1,4})"
    r"(?:\s*(?:final|def\.?|definitief))?$",
    re.IGNORECASE,
)


def _check_com_numbers(facts: Facts) -> Iterator[Problem]:
    """A Commission number looks like 'COM(2026) 210' (or JOIN, SWD, SEC, C)."""
    for text in facts.texts:
        if len(text.path) != 3 or text.path[:2] != ("general", "com_numbers"):
            continue
        value = text.value.strip()
        if COM_NUMBER.match(value) or PLACEHOLDER.search(value):
            continue
        loose = COM_LOOSE.match(value)
        hint = (
            _("write it as: {fix}").format(
                fix=f"{loose['kind'].upper()}({loose['year']}) {loose['number']}"
            )
            if loose
            else _("write it as the Commission does, for example: COM(2026) 210")
        )
        yield Problem(
            facts.locate(text, 0),
            _("'{value}' does not look like a Commission number such as COM(2026) 210").format(
                value=value
            ),
            severity_of("com-number"),
            "com-number",
            hint,
        )


def count_placeholders(value: object) -> int:
    """How many placeholders of `fichegen new` a fiche (or any part of it) still holds."""
    if isinstance(value, str):
        return len(PLACEHOLDER.findall(value))
    if isinstance(value, list | tuple):
        return sum(count_placeholders(item) for item in value)
    if isinstance(value, dict):
        return sum(count_placeholders(item) for item in value.values())
    fields = getattr(value, "__dataclass_fields__", None)
    if fields:
        return sum(count_placeholders(getattr(value, name)) for name in fields)
    return 0


def _check_tabs(facts: Facts) -> Iterator[Problem]:
    """A tab inside a line of text (one at the start of a line is a Markdown matter)."""
    for text in facts.texts:
        position = text.value.find("\t")
        while position >= 0:
            start = text.value.rfind("\n", 0, position) + 1
            if text.value[start:position].strip():
                yield Problem(
                    facts.locate(text, position),
                    _("{context} contains a tab, which the fiche shows as a wide gap").format(
                        context=text.context
                    ),
                    severity_of("tab-in-text"),
                    "tab-in-text",
                    _("replace it with a space; tabs come along when text is pasted from Word"),
                )
                break
            position = text.value.find("\t", position + 1)
