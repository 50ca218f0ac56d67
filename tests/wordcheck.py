"""The Word validity gate: a .docx is checked with openxml-audit, a port of Microsoft's validator.

Every test that produces a .docx variant (public, internal, tracked changes,
reference documents, the covering letter) passes it through `assert_valid_docx`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from openxml_audit import OpenXmlValidator  # type: ignore[import-untyped]

_VALIDATOR = OpenXmlValidator()


def docx_errors(data: bytes) -> list[str]:
    """What the Open XML validator finds wrong in the document, one line each."""
    with tempfile.TemporaryDirectory(prefix="fichegen-audit-") as folder:
        path = Path(folder) / "document.docx"
        path.write_bytes(data)
        result = _VALIDATOR.validate(str(path))
    return [str(error) for error in result.errors]


def assert_valid_docx(data: bytes) -> None:
    errors = docx_errors(data)
    assert not errors, "\n".join(errors[:20])
