"""Word -> PDF through LibreOffice, for reading a fiche the way a recipient will see it.

One `soffice --headless --convert-to pdf` process converts every file at once
(LibreOffice's start-up dominates the cost). It runs with its own throw-away
profile directory (-env:UserInstallation), so it neither collides with a
LibreOffice the user has open nor leaves state behind, and in its own process
group, so a timeout kills the whole tree (soffice is a wrapper around
soffice.bin).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import struct
import subprocess
import tempfile
import zlib
from datetime import datetime
from pathlib import Path

from fichegen.errors import InputError, Location, Problem, ToolError
from fichegen.i18n import _, os_reason

_CANDIDATES = ("soffice", "libreoffice")

# PDF/A-2b (archival) and tagged (accessible: structure tree, reading order,
# the document's language), in the JSON form of filter options LibreOffice 7.4+ reads.
_FILTER_OPTIONS = {
    "SelectPdfVersion": {"type": "long", "value": "2"},
    "UseTaggedPDF": {"type": "boolean", "value": "true"},
    "ExportBookmarks": {"type": "boolean", "value": "true"},
}
PDF_FILTER = "pdf:writer_pdf_Export:" + json.dumps(_FILTER_OPTIONS, separators=(",", ":"))


def find_soffice() -> str | None:
    """The LibreOffice binary on PATH, or None."""
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def convert_to_pdf(
    docx_paths: list[Path], outdir: Path, timeout: float = 120, *, soffice: str | None = None
) -> list[Path]:
    """Convert each .docx to outdir/<stem>.pdf with one LibreOffice run; returns the PDFs.

    `soffice` names the binary; by default "soffice" (or "libreoffice") on PATH.
    Raises ToolError when LibreOffice is missing, fails, times out or writes no PDF.
    """
    if not docx_paths:
        return []
    _check_inputs(docx_paths)
    binary = soffice or find_soffice()
    if binary is None or shutil.which(binary) is None:
        raise ToolError(
            Problem(
                Location(binary or "soffice"),
                _("LibreOffice (soffice) is not installed or not on PATH"),
                hint=_("install LibreOffice, e.g. 'apt-get install libreoffice-writer'"),
            )
        )
    outdir.mkdir(parents=True, exist_ok=True)
    targets = [outdir / (path.stem + ".pdf") for path in docx_paths]
    for target in targets:  # a stale PDF must not pass for a fresh one
        target.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="fichegen-lo-") as profile:
        command = [
            binary,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            PDF_FILTER,
            "--outdir",
            str(outdir),
            *(str(path) for path in docx_paths),
        ]
        stderr = _run(command, timeout)
    missing = [t for t in targets if not t.is_file() or t.stat().st_size == 0]
    if missing:
        raise ToolError(
            Problem(
                Location(str(docx_paths[targets.index(missing[0])])),
                _("LibreOffice wrote no PDF for {missing} of {count} file(s)").format(
                    missing=len(missing), count=len(targets)
                ),
                hint=_tail(stderr) or _("open the .docx in LibreOffice to see what is wrong"),
            )
        )
    return targets


def _check_inputs(paths: list[Path]) -> None:
    stems: dict[str, Path] = {}
    for path in paths:
        if not path.is_file():
            raise InputError(Problem(Location(str(path)), _("no such .docx file")))
        other = stems.setdefault(path.stem, path)
        if other != path:
            raise InputError(
                Problem(
                    Location(str(path)),
                    _("would overwrite the PDF of {other}: both are named '{name}'").format(
                        other=other, name=path.stem
                    ),
                    hint=_("convert them in separate runs or rename one"),
                )
            )


def _run(command: list[str], timeout: float) -> str:
    try:
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        raise ToolError(
            Problem(
                Location(command[0]),
                _("cannot start LibreOffice: {reason}").format(reason=os_reason(exc)),
            )
        ) from exc
    try:
        _out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise ToolError(
            Problem(
                Location(command[0]),
                _("LibreOffice did not finish converting within {seconds} s").format(
                    seconds=f"{timeout:g}"
                ),
                hint=_("try again with a longer timeout, or check that soffice starts at all"),
            )
        ) from exc
    text = err.decode("utf-8", "replace")
    if process.returncode != 0:
        raise ToolError(
            Problem(
                Location(command[0]),
                _("LibreOffice failed with exit code {code}").format(code=process.returncode),
                hint=_tail(text),
            )
        )
    return text


def _tail(text: str, lines: int = 3) -> str:
    return " | ".join(line.strip() for line in text.strip().splitlines()[-lines:])


def word_to_pdf(word: bytes, moment: datetime, stem: str = "fiche") -> bytes:
    """One .docx as PDF bytes: converted by LibreOffice, then made reproducible (`finish_pdf`)."""
    with tempfile.TemporaryDirectory(prefix="fichegen-") as folder:
        source = Path(folder) / f"{stem or 'fiche'}.docx"
        source.write_bytes(word)
        (pdf,) = convert_to_pdf([source], Path(folder) / "pdf")
        return finish_pdf(pdf.read_bytes(), moment)


def _dated_icc(profile: bytes, moment: datetime) -> bytes:
    """An ICC colour profile with `moment` as its creation date (LibreOffice writes the time).

    The profile id (an MD5 over the profile, bytes 84-99) is cleared, which
    the ICC specification allows and which stays valid whatever the date.
    """
    if len(profile) < 128 or profile[36:40] != b"acsp":
        return profile
    fields = (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
    date = struct.pack(">6H", *fields)
    return profile[:24] + date + profile[36:84] + bytes(16) + profile[100:]


def finish_pdf(data: bytes, moment: datetime) -> bytes:
    """The PDF with its dates set to `moment` and a file id from its content.

    LibreOffice stamps the time of conversion; with the fiche's own date (see
    `fichegen.dates`) the same fiche gives the same PDF bytes. The dates are
    set in the document information and in the XMP metadata alike, as PDF/A
    requires.
    """
    import pikepdf

    stamp = moment.strftime("D:%Y%m%d%H%M%S+00'00'")
    iso = moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
                for key in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
                    meta[key] = iso
            pdf.docinfo[pikepdf.Name.CreationDate] = stamp
            pdf.docinfo[pikepdf.Name.ModDate] = stamp
            for intent in pdf.Root.get(pikepdf.Name.OutputIntents, []):
                profile = intent.get(pikepdf.Name.DestOutputProfile)
                if isinstance(profile, pikepdf.Stream):
                    dated = _dated_icc(profile.read_bytes(), moment)
                    profile.write(zlib.compress(dated, 9), filter=pikepdf.Name.FlateDecode)
            for name in ("/DocChecksum", "/ID"):  # both computed at the conversion time
                if name in pdf.trailer:
                    del pdf.trailer[name]
            out = io.BytesIO()
            pdf.save(out, deterministic_id=True)
            return out.getvalue()
    except pikepdf.PdfError as exc:
        raise ToolError(
            Problem(
                Location("soffice"),
                _("LibreOffice wrote a PDF that cannot be read: {error}").format(error=exc),
            )
        ) from exc
