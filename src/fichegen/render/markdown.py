"""Model -> Markdown through the Jinja template of the fiche's type.

Every Dutch label and stock phrase lives in `templates/`; this module only
sets up a sandboxed Jinja environment, hands it the fiche and the labels, and
tidies the blank lines the template leaves.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from fichegen.errors import InputError, Location, Problem
from fichegen.model import Fiche

TEMPLATES = Path(__file__).resolve().parents[3] / "templates"
"""The bundled templates: next to src/ in a checkout or an editable install."""


def render_markdown(fiche: Fiche, templates: Path | None = None) -> str:
    """The complete fiche as Markdown, one paragraph per block, footnotes at the end."""
    environment = _environment(templates or TEMPLATES)
    name = f"{fiche.type.value}.md.j2"
    try:
        template = environment.get_template(name)
        text = template.render(fiche=fiche, labels=load_labels(templates or TEMPLATES))
    except jinja2.TemplateSyntaxError as exc:
        raise InputError(Problem(Location(exc.filename or name, exc.lineno or 0),
                                 f"template error: {exc.message}", code="template")) from None
    except jinja2.UndefinedError as exc:
        raise InputError(Problem(Location(_template_location(exc, name)),
                                 f"template error: {exc.message}", code="template",
                                 hint="the template uses a name the fiche does not have")) from None
    except jinja2.TemplateNotFound as exc:
        raise InputError(Problem(Location(str(templates or TEMPLATES)),
                                 f"template '{exc.name}' not found", code="template")) from None
    return tidy(text)


def tidy(text: str) -> str:
    """One blank line between blocks, no trailing spaces, one final newline."""
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n") + "\n"


@cache
def load_labels(templates: Path) -> dict[str, Any]:
    """The Dutch labels of stances, verdicts and items (`templates/labels.yaml`)."""
    from ruamel.yaml import YAML

    labels: dict[str, Any] = YAML(typ="safe", pure=True).load(templates / "labels.yaml")
    return labels


def stance_shading(templates: Path | None = None) -> dict[str, str]:
    """Stance label -> cell fill, for the stance table of the Word output."""
    stances = load_labels(templates or TEMPLATES)["stances"]
    return {entry["label"]: entry["shading"] for entry in stances.values()}


@cache
def _environment(templates: Path) -> SandboxedEnvironment:
    environment = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(templates),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    environment.filters["prose"] = prose
    environment.filters["cell"] = cell
    return environment


def prose(value: Any) -> str:
    """A Markdown text as a block: no surrounding blank lines, no trailing spaces."""
    lines = [line.rstrip() for line in str(value).strip("\n").split("\n")]
    return "\n".join(lines).strip()


def cell(value: Any) -> str:
    """Text for one cell of a pipe table: one line, pipes escaped."""
    return " ".join(str(value).split()).replace("|", "\\|")


def _template_location(exc: Exception, name: str) -> str:
    """The template line of an error raised while rendering, from the traceback."""
    tb = exc.__traceback__
    found = name
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found
