"""Model -> Markdown through the Jinja template of the fiche's type.

Every Dutch label and stock phrase lives in `templates/`; this module only
sets up a sandboxed Jinja environment, hands it the fiche and the labels, and
tidies the blank lines the template leaves.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import fichegen
from fichegen.errors import InputError, Location, Problem
from fichegen.i18n import _
from fichegen.model import Fiche
from fichegen.render.anchors import wrap

if TYPE_CHECKING:  # Jinja is imported when a template runs: the labels alone do not need it
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    from fichegen.render.review import ReviewNotes

TEMPLATES = fichegen.TEMPLATES
"""The bundled templates: next to src/ in a checkout or an editable install."""


def render_markdown(
    fiche: Fiche,
    templates: Path | None = None,
    marks: Sequence[str] = (),
    review: ReviewNotes | None = None,
) -> str:
    """The complete fiche as Markdown, one paragraph per block, footnotes at the end.

    `templates` is a folder of the user's own templates: a file there replaces
    the bundled file of the same name (`communication.md.j2`, `_fiche.md.j2`,
    `labels.yaml`), and every other file comes from the bundle. User templates
    run in the same sandbox, and any error in them is reported with its place.
    `marks` (see `document_marks`) are written as a line above the title.
    `review` hands the co-readers' comments to the template (one is made when
    not given); afterwards it knows in which order they were written.
    """
    from fichegen.render.review import ReviewNotes

    if review is None:
        review = ReviewNotes(fiche, template_labels(templates))
    text = _render(
        f"{fiche.type.value}.md.j2", templates, fiche=fiche, marks=list(marks), review_notes=review
    )
    left_out = review.missing()
    if left_out:  # only a user's template can forget them; never drop one silently
        raise InputError(
            Problem(
                Location(str(templates or TEMPLATES)),
                _("the internal version would leave out {count} review note(s)").format(
                    count=len(left_out)
                ),
                code="internal-notes",
                hint=_(
                    "the fiche template must show them with {call}, as the bundled templates do"
                ).format(call="{{ r.review_rest() }}"),
            )
        )
    return text


def letter_template(templates: Path | None = None, **context: Any) -> str:
    """The covering letter (`letter.md.j2`) as Markdown, from the bundle or the user's folder."""
    return _render("letter.md.j2", templates, **context)


def _render(name: str, templates: Path | None, **context: Any) -> str:
    """A template rendered with the labels in force; any error in it located."""
    import jinja2

    folders = _folders(templates)
    environment = _environment(folders)
    try:
        template = environment.get_template(name)
        text = template.render(labels=load_labels(_labels_folder(folders)), **context)
    except jinja2.TemplateSyntaxError as exc:
        from fichegen.render.jinjatext import template_line

        message, hint = _explain(exc.message or "")
        line = template_line(exc.source, exc.lineno)
        if line:
            said = _("the line reads: {line}").format(line=line)
            hint = f"{hint}; {said}" if hint else said
        raise InputError(
            Problem(
                Location(exc.filename or name, exc.lineno or 0),
                _("template error: {message}").format(message=message),
                code="template",
                hint=hint,
            )
        ) from None
    except jinja2.UndefinedError as exc:
        message, hint = _explain(exc.message or "")
        raise InputError(
            Problem(
                _template_location(exc, name),
                _("template error: {message}").format(message=message),
                code="template",
                hint=hint or _("the template uses a name the fiche does not have"),
            )
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise InputError(
            Problem(
                Location(str(templates or TEMPLATES)),
                _("template '{name}' not found").format(name=exc.name),
                code="template",
            )
        ) from None
    except jinja2.TemplateError as exc:  # the sandbox refused something, mostly
        message, hint = _explain(exc.message or str(exc))
        raise InputError(
            Problem(
                _template_location(exc, name),
                _("template error: {message}").format(message=message),
                code="template",
                hint=hint,
            )
        ) from None
    except (ArithmeticError, LookupError, TypeError, ValueError, RecursionError) as exc:
        if templates is None:
            raise  # a bundled template failing is a bug in fichegen, not the user's fault
        raise InputError(
            Problem(
                _template_location(exc, name),
                _("template error: {message}").format(message=f"{type(exc).__name__}: {exc}"),
                code="template",
            )
        ) from None
    return tidy(text)


def _explain(message: str) -> tuple[str, str]:
    """Jinja's error message in the user's words, and a hint (loaded only when one occurs)."""
    from fichegen.render.jinjatext import explain

    return explain(message)


def tidy(text: str) -> str:
    """One blank line between blocks, no trailing spaces, one final newline."""
    text = "\n".join(line.rstrip(" \t") for line in text.split("\n"))  # linear, unlike a regex
    text = re.sub("\n\n\n+", "\n\n", text)  # spelled out, so re searches for the literal
    return text.strip("\n") + "\n"


@cache
def load_labels(templates: Path) -> dict[str, Any]:
    """The Dutch labels of stances, verdicts and items (`templates/labels.yaml`).

    Read like a positions file (plain data only, located errors), since a
    user's templates folder may bring its own.
    """
    from fichegen.load import read_source

    path = templates / "labels.yaml"
    labels = read_source(path).tree
    if not isinstance(labels, dict):
        raise InputError(
            Problem(
                Location(str(path), 1, 1),
                _("labels must be a mapping of keys"),
                code="template",
                hint=_("start from the bundled labels.yaml"),
            )
        )
    return labels


def template_labels(templates: Path | None = None) -> dict[str, Any]:
    """The labels in force: the user's labels.yaml when their templates folder has one."""
    return load_labels(_labels_folder(_folders(templates)))


def document_marks(fiche: Fiche, audience: str, templates: Path | None = None) -> list[str]:
    """The marks a fiche carries: CONCEPT on a draft, INTERN on the internal version.

    The words come from `marks:` in labels.yaml; a user's labels.yaml without
    them gets the bundled words, so a draft or internal fiche is never unmarked.
    """
    from fichegen.model import Status

    keys = []
    if fiche.status is Status.DRAFT:
        keys.append("draft")
    if audience == "internal":
        keys.append("internal")
    if not keys:
        return []
    words = template_labels(templates).get("marks")
    bundled = load_labels(TEMPLATES)["marks"]
    if not isinstance(words, dict):
        words = bundled
    return [str(words.get(key) or bundled[key]) for key in keys]


def stance_shading(templates: Path | None = None) -> dict[str, str]:
    """Stance label -> cell fill, for the stance table of the Word output."""
    stances = template_labels(templates)["stances"]
    return {entry["label"]: entry["shading"] for entry in stances.values()}


def _folders(templates: Path | None) -> tuple[Path, ...]:
    """Where templates are looked up, first match wins: the user's folder, then the bundle."""
    if templates is None or templates.resolve() == TEMPLATES:
        return (TEMPLATES,)
    if not templates.is_dir():
        raise InputError(
            Problem(
                Location(str(templates)),
                _("templates folder not found"),
                code="template",
                hint=_("give a folder holding e.g. communication.md.j2"),
            )
        )
    return (templates.resolve(), TEMPLATES)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs: compiling takes 40 ms, loading them 2 ms.

    Jinja keys each entry on the template's source, so an edited template is
    compiled again. Without a writable cache folder, templates compile each run.
    """
    import jinja2

    from fichegen.files import cache_folder

    folder = os.path.join(cache_folder(), f"jinja-{jinja2.__version__}")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return None

    class QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
        """A cache that cannot be written is no reason to fail a render."""

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    return QuietBytecodeCache(folder)


def _labels_folder(folders: tuple[Path, ...]) -> Path:
    return next((f for f in folders if (f / "labels.yaml").is_file()), TEMPLATES)


@cache
def _environment(folders: tuple[Path, ...]) -> SandboxedEnvironment:
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    from fichegen.render.review import word_date

    environment = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(list(folders)),
        bytecode_cache=_bytecode_cache(),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    environment.filters["prose"] = prose
    environment.filters["inline"] = inline
    environment.filters["cell"] = cell
    environment.filters["link"] = link
    environment.filters["word_date"] = word_date
    return environment


# -- keeping the user's text inside its place ----------------------------------------
#
# Prose is Markdown, so emphasis, links, lists and footnote references work.
# What must not work is text that would change the document around it: a
# heading, a thematic break or setext underline, a footnote or link
# definition, a code fence that swallows what follows, a table, raw HTML.
# Those are escaped where they start, so they print as typed.

_CONTAINERS = re.compile(r"[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+|>[ \t]?)*")
"""List markers and quote markers at a line start: a block may start after them."""

_BLOCK_START = re.compile(
    r"""\#{1,6}(?=[ \t]|$)      # ATX heading
      | `{3,} | ~{3,}          # code fence
      | \[(?:\\.|[^\]\\])*(?:\]:|\\?$)  # footnote or link definition, or its label's first line
      | (?:=+|-+)[ \t]*$       # setext underline
    """,
    re.VERBOSE,
)

_DELIMITER_ROW = re.compile(r"(?=[^|]*\|)(?=[^-]*-)[|:\t -]+$")
"""The line under a table's header row, which turns the line above into a table."""

_THEMATIC_BREAK = re.compile(r"[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$")

_HTML = re.compile(r"(?<!\\)((?:\\\\)*)<(?=[A-Za-z/!?])(?!(?:https?|mailto):[^\s<>]*>)", re.I)
"""The start of a tag, comment or declaration, not already escaped (an odd number of
backslashes before it); an autolink to a web or e-mail address (<https://...>) stays,
any other (<ms-msdt:...>) is escaped like a tag."""

_IMAGE = re.compile(r"(?<!\\)((?:\\\\)*)!\[")
"""An image: a fiche has none, so `![...](...)` prints as typed."""

_LINK_TARGET = re.compile(r"(?<!\\)((?:\\\\)*)\]\([ \t]*\n?[ \t]*<?([^\s<>)]{0,80})")
"""Where an inline link's text ends and its address starts: `](address`."""


def prose(value: Any) -> str:
    """A Markdown text as a block: no surrounding blank lines, no trailing spaces.

    Block-level Markdown and raw HTML in the text are escaped, so a value can
    never add a heading, footnote, table or section to the fiche; a link to
    an address the link policy refuses (`fichegen.links`) stays plain text. A field
    marked for the Word rendering comes out between its anchors (render/anchors.py).
    """
    return wrap(value, _prose(value))


def _prose(value: Any) -> str:
    text = str(value)
    from fichegen.prose import CACHED_TEXT  # one size for both per-process text caches

    return _escaped(text) if len(text) <= CACHED_TEXT else _escaped.__wrapped__(text)


@lru_cache(maxsize=8192)
def _escaped(value: str) -> str:
    """`_prose` of one text, kept: `serve` renders the same texts at every save."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")  # Markdown breaks lines at CR too
    lines: list[str] = []
    for line in text.strip("\n").split("\n"):
        if not (lines and lines[-1]) and _indent(line) >= 4:
            line = line.lstrip(" \t")  # after a blank line this would start a code block
        lines.append(_neutralise(line.rstrip()))
    text = "\n".join(lines).strip()
    # Each pattern opening with a look-behind is tried at every position of the text;
    # most texts lack the characters it needs, and `in` tells that at once.
    return _LINK_TARGET.sub(_link_target, text) if "](" in text else text


def _link_target(found: re.Match[str]) -> str:
    """`](address` as it is for an allowed address; else the `]` escaped, so no link forms."""
    from fichegen.links import allowed

    if allowed(found.group(2)):
        return found.group()
    return f"{found.group(1)}\\{found.group()[len(found.group(1)) :]}"


def link(url: Any, label: Any = "") -> str:
    """A link of the fiche's own fields (EUR-Lex): live for an allowed address, else text."""
    from fichegen.links import allowed, destination

    if not allowed(str(url)):  # the filter keeps '](' of a refused address from linking
        return inline(label or url) if not label else f"{inline(label)} ({inline(url)})"
    return f"[{_brackets_escaped(inline(label or url))}]({destination(str(url).strip())})"


_BRACKET = re.compile(r"(?<!\\)((?:\\\\)*)([\[\]])")


def _brackets_escaped(text: str) -> str:
    return _BRACKET.sub(r"\1\\\2", text)


def inline(value: Any) -> str:
    """A short text inside a sentence or heading: one line, escaped like prose."""
    return wrap(value, _prose(" ".join(str(value).split())))


def cell(value: Any) -> str:
    """Text for one cell of a pipe table: one line, pipes escaped."""
    return inline(value).replace("|", "\\|")


def _indent(line: str) -> int:
    """The columns of a line's indentation, a tab reaching the next multiple of four."""
    column = 0
    for character in line:
        if character == " ":
            column += 1
        elif character == "\t":
            column += 4 - column % 4
        else:
            break
    return column


def _neutralise(line: str) -> str:
    """One line of prose with a block-level start escaped by a backslash."""
    if "<" in line:
        line = _HTML.sub(r"\1\\<", line)
    if "![" in line:
        line = _IMAGE.sub(r"\1!\\[", line)
    if _THEMATIC_BREAK.match(line):
        start = len(line) - len(line.lstrip(" \t"))
        return f"{line[:start]}\\{line[start:]}"
    start = _CONTAINERS.match(line).end()  # type: ignore[union-attr]
    if _DELIMITER_ROW.match(line, start):
        start = line.index("-", start)  # breaking the first dash breaks the table
    elif not _BLOCK_START.match(line, start):
        return line
    return f"{line[:start]}\\{line[start:]}"


def _template_location(exc: Exception, name: str) -> Location:
    """The template line of an error raised while rendering, from the traceback."""
    tb = exc.__traceback__
    found = Location(name)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = Location(filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
