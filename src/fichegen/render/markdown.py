"""Model -> Markdown through the Jinja template of the fiche's type.

Every Dutch label and stock phrase lives in `templates/`; this module only
sets up a sandboxed Jinja environment, hands it the fiche and the labels, and
tidies the blank lines the template leaves.
"""

from __future__ import annotations

import contextlib
import os
import re
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

import fichegen
from fichegen.errors import InputError, Location, Problem
from fichegen.model import Fiche
from fichegen.render.anchors import wrap

TEMPLATES = fichegen.TEMPLATES
"""The bundled templates: next to src/ in a checkout or an editable install."""


def render_markdown(fiche: Fiche, templates: Path | None = None) -> str:
    """The complete fiche as Markdown, one paragraph per block, footnotes at the end.

    `templates` is a folder of the user's own templates: a file there replaces
    the bundled file of the same name (`communication.md.j2`, `_fiche.md.j2`,
    `labels.yaml`), and every other file comes from the bundle. User templates
    run in the same sandbox, and any error in them is reported with its place.
    """
    folders = _folders(templates)
    environment = _environment(folders)
    name = f"{fiche.type.value}.md.j2"
    try:
        template = environment.get_template(name)
        text = template.render(fiche=fiche, labels=load_labels(_labels_folder(folders)))
    except jinja2.TemplateSyntaxError as exc:
        raise InputError(
            Problem(
                Location(exc.filename or name, exc.lineno or 0),
                f"template error: {exc.message}",
                code="template",
            )
        ) from None
    except jinja2.UndefinedError as exc:
        raise InputError(
            Problem(
                _template_location(exc, name),
                f"template error: {exc.message}",
                code="template",
                hint="the template uses a name the fiche does not have",
            )
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise InputError(
            Problem(
                Location(str(templates or TEMPLATES)),
                f"template '{exc.name}' not found",
                code="template",
            )
        ) from None
    except jinja2.TemplateError as exc:  # the sandbox refused something, mostly
        raise InputError(
            Problem(
                _template_location(exc, name),
                f"template error: {exc.message or exc}",
                code="template",
            )
        ) from None
    except (ArithmeticError, LookupError, TypeError, ValueError, RecursionError) as exc:
        if templates is None:
            raise  # a bundled template failing is a bug in fichegen, not the user's fault
        raise InputError(
            Problem(
                _template_location(exc, name),
                f"template error: {type(exc).__name__}: {exc}",
                code="template",
            )
        ) from None
    return tidy(text)


def tidy(text: str) -> str:
    """One blank line between blocks, no trailing spaces, one final newline."""
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
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
                "labels must be a mapping of keys",
                code="template",
                hint="start from the bundled labels.yaml",
            )
        )
    return labels


def template_labels(templates: Path | None = None) -> dict[str, Any]:
    """The labels in force: the user's labels.yaml when their templates folder has one."""
    return load_labels(_labels_folder(_folders(templates)))


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
                "templates folder not found",
                code="template",
                hint="give a folder holding e.g. communication.md.j2",
            )
        )
    return (templates.resolve(), TEMPLATES)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs: compiling takes 40 ms, loading them 2 ms.

    Jinja keys each entry on the template's source, so an edited template is
    compiled again. Without a writable cache folder, templates compile each run.
    """
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "fichegen", f"jinja-{jinja2.__version__}")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return None
    return _QuietBytecodeCache(folder)


class _QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
    """A cache that cannot be written is no reason to fail a render."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _labels_folder(folders: tuple[Path, ...]) -> Path:
    return next((f for f in folders if (f / "labels.yaml").is_file()), TEMPLATES)


@cache
def _environment(folders: tuple[Path, ...]) -> SandboxedEnvironment:
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
      | \[[^\]]*\]:            # footnote or link reference definition
      | (?:=+|-+)[ \t]*$       # setext underline
    """,
    re.VERBOSE,
)

_DELIMITER_ROW = re.compile(r"(?=[^|]*\|)(?=[^-]*-)[|:\t -]+$")
"""The line under a table's header row, which turns the line above into a table."""

_THEMATIC_BREAK = re.compile(r"[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$")

_HTML = re.compile(r"<(?=[A-Za-z/!?])(?![A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>)")
"""The start of a tag, comment or declaration; an autolink (<https://...>) stays."""

_IMAGE = re.compile(r"(?<!\\)!\[")
"""An image: a fiche has none, so `![...](...)` prints as typed."""


def prose(value: Any) -> str:
    """A Markdown text as a block: no surrounding blank lines, no trailing spaces.

    Block-level Markdown and raw HTML in the text are escaped, so a value can
    never add a heading, footnote, table or section to the fiche. A field
    marked for the Word rendering comes out between its anchors (render/anchors.py).
    """
    return wrap(value, _prose(value))


def _prose(value: Any) -> str:
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")  # Markdown breaks lines at CR too
    lines: list[str] = []
    for line in text.strip("\n").split("\n"):
        if not (lines and lines[-1]) and _indent(line) >= 4:
            line = line.lstrip(" \t")  # after a blank line this would start a code block
        lines.append(_neutralise(line.rstrip()))
    return "\n".join(lines).strip()


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
    line = _IMAGE.sub(r"!\\[", _HTML.sub(r"\\<", line))
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
