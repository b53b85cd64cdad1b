"""The text of a file to import: Word (.docx), PDF with a text layer, or a text file in UTF-8,
UTF-16 (with its BOM) or Windows-1258 (the Vietnamese Windows code page older editors save).

Every result is NFC, LF and free of control and invisible characters (`clean_text`), so the
importer reads one form whatever the source.
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

from portal.authoring.docx_text import docx_text
from portal.diagnostics import Diagnostic, report
from portal.load.files import clean_text

MAX_PDF_PAGES = 500  # an official document is a few pages; more is no document to import
# Windows-1258 decodes almost any bytes; a Vietnamese text in it has tone marks as combining
# characters (the code page has few precomposed letters), and no C1 or box symbols.
_CP1258_NOISE = re.compile(r"[\x80-\x9f¤¦¨¬¯°±²³´µ¶·¸¹º»¼½¾¿×÷ÿ‰‹›€ƒ†‡•˜™]")


def decode_any(raw: bytes, shown: str) -> tuple[str | None, list[Diagnostic]]:
    """A text file's text: UTF-8 (BOM or not), UTF-16 with a BOM, else Windows-1258 when it reads as
    Vietnamese; a diagnostic otherwise."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return clean_text(raw.decode("utf-16"), shown)
        except UnicodeDecodeError:
            return None, [report("unknown-encoding", shown)]
    try:
        return clean_text(raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8"), shown)
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("cp1258")
    except UnicodeDecodeError:
        return None, [report("unknown-encoding", shown)]
    decomposed = unicodedata.normalize("NFD", text)
    tones = sum(1 for char in decomposed if "\u0300" <= char <= "\u0323")
    if tones == 0 or len(_CP1258_NOISE.findall(text)) * 50 > len(text):
        return None, [report("unknown-encoding", shown)]
    return clean_text(text, shown)


def pdf_text(data: bytes, shown: str) -> tuple[str | None, list[Diagnostic]]:
    """The text layer of a PDF, page by page; a scanned PDF (pages of images) has none."""
    import pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            return None, [report("not-pdf", shown)]
        pages = [page.extract_text() or "" for page in reader.pages[:MAX_PDF_PAGES]]
    except Exception:  # noqa: BLE001 — a damaged PDF can fail anywhere inside pypdf
        return None, [report("not-pdf", shown)]
    text = "\n\n".join(page.strip("\n") for page in pages)
    if len(re.findall(r"[^\W\d_]", text)) < 20:
        return None, [report("pdf-no-text", shown)]
    return clean_text(text + "\n", shown)


def read_document(path: Path) -> tuple[str | None, list[Diagnostic]]:
    """The text of `path` by its suffix (.docx, .pdf, anything else as text)."""
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return docx_text(data, str(path))
    if suffix == ".pdf" or data.startswith(b"%PDF-"):
        return pdf_text(data, str(path))
    return decode_any(data, str(path))
