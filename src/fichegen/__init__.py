"""fichegen: draft Dutch BNC fiches from structured YAML.

The pipeline, in the order data flows: `load` (YAML with locations),
`validate` (raw tree -> `model.Fiche`, every problem at once), `render`
(Markdown through Jinja templates; Word from the Markdown), `diff`.
"""

from pathlib import Path

__version__ = "0.1.0"

TEMPLATES = (Path(__file__).parent / "templates").resolve()
"""The bundled templates and labels. In a checkout this is a link to the repository's
templates/ folder, which a ministry edits; a wheel carries a copy."""
