"""The `fichegen` command: parse options, call the pipeline, print problems, pick exit codes.

Only this layer prints. Errors raised anywhere below carry their located
problems up to `_Group.invoke`, which shows each once and exits with the
error's code (1 for bad input, 2 for bad usage).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

from fichegen import __version__
from fichegen.errors import FichegenError


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except FichegenError as exc:
            for problem in exc.problems:
                click.echo(problem.format(), err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted; no output was written", err=True)
            ctx.exit(130)
        except Exception as exc:  # a bug, never the user's fault: say so in one line
            if os.environ.get("FICHEGEN_DEBUG"):
                raise
            click.echo(f"fichegen: internal error: {type(exc).__name__}: {exc}", err=True)
            click.echo("    hint: this is a bug in fichegen; run again with FICHEGEN_DEBUG=1 "
                       "and report the traceback", err=True)
            ctx.exit(3)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="fichegen")
def main() -> None:
    """Draft BNC fiches from structured YAML: check them, render them to Word or Markdown."""


@main.command()
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(["docx", "md", "pdf"]), default="docx",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Output file (default: output/<name>.<format>).")
@click.option("--reference-docx", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A .docx whose styles, page setup, header and footer the Word output takes.")
def render(source: Path, fmt: str, output: Path | None, reference_docx: Path | None) -> None:
    """Render a positions file into a fiche."""
    from fichegen.files import write_atomic
    from fichegen.pipeline import default_output, read_fiche, render_fiche

    fiche = read_fiche(source)
    target = output or default_output(source, fmt)  # type: ignore[arg-type]
    if fmt == "pdf":
        _render_pdf(render_fiche(fiche, "docx", reference=reference_docx,
                                 source_path=str(source)), target)
    else:
        write_atomic(target, render_fiche(fiche, fmt, reference=reference_docx,  # type: ignore[arg-type]
                                          source_path=str(source)))
    click.echo(f"wrote {target}", err=True)


def _render_pdf(docx: bytes, target: Path) -> None:
    from fichegen.files import write_atomic
    from fichegen.render.pdf import convert_to_pdf

    with tempfile.TemporaryDirectory(prefix="fichegen-") as folder:
        word = Path(folder) / f"{target.stem}.docx"
        word.write_bytes(docx)
        (pdf,) = convert_to_pdf([word], Path(folder))
        write_atomic(target, pdf.read_bytes())


if __name__ == "__main__":
    sys.exit(main())
