"""fichegen: draft Dutch BNC fiches from structured YAML.

The pipeline, in the order data flows: `load` (YAML with locations),
`validate` (raw tree -> `model.Fiche`, every problem at once), `render`
(Markdown through Jinja templates; Word from the Markdown), `diff`.
"""

__version__ = "0.1.0"
