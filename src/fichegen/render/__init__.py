"""Rendering: the fiche model to Markdown (Jinja), Markdown to Word and PDF."""
