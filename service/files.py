"""Text out of uploaded files: .txt/.md (UTF-8), .pdf (pypdf), .docx (python-docx).

Offsets of the answer refer to the text returned here, which the answer
carries, so the extraction is free to lay out pages and table cells as it
likes; it only has to be deterministic.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from solieu.errors import (
    DocumentTooLarge,
    EncryptedFile,
    InputError,
    UnreadableFile,
    UnsupportedFileType,
)
from solieu.inputs import decode_text

log = logging.getLogger("solieu.service")

KINDS_BY_SUFFIX = {".txt": "txt", ".md": "md", ".markdown": "md", ".pdf": "pdf", ".docx": "docx"}
KINDS_BY_MEDIA_TYPE = {
    "text/plain": "txt",
    "text/markdown": "md",
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}
# Characters that PDF and Word text carries but that are not text: replaced by
# a space so that the returned text passes the same checks as JSON input.
_NON_TEXT = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


@dataclass(frozen=True)
class ExtractedText:
    text: str
    kind: str
    pages: int | None = None


def file_kind(filename: str | None, media_type: str | None) -> str:
    suffix = PurePath(filename or "").suffix.lower()
    if suffix in KINDS_BY_SUFFIX:
        return KINDS_BY_SUFFIX[suffix]
    base_type = (media_type or "").split(";")[0].strip().lower()
    if not suffix and base_type in KINDS_BY_MEDIA_TYPE:
        return KINDS_BY_MEDIA_TYPE[base_type]
    shown = suffix or ("no extension" + (f", media type {base_type}" if base_type else ""))
    raise UnsupportedFileType(f"{filename or 'the file'}: unsupported file type ({shown}); send .txt, .md, .pdf or .docx")


def read_upload(data: bytes, *, filename: str | None, media_type: str | None, max_chars: int,
                max_unpacked_bytes: int) -> ExtractedText:
    kind = file_kind(filename, media_type)
    where = filename or "the file"
    if not data:
        raise UnreadableFile(f"{where}: the file is empty")
    if kind in ("txt", "md"):
        if b"\x00" in data:
            raise InputError(f"{where}: contains NUL bytes, so it is binary, not {kind} text; "
                             "send a .pdf or .docx as such")
        return ExtractedText(decode_text(data, where), kind)
    if kind == "pdf":
        return _read_pdf(data, where, max_chars)
    return _read_docx(data, where, max_chars, max_unpacked_bytes)


def _clean(text: str) -> str:
    return _NON_TEXT.sub(" ", text)


def _too_long(where: str, max_chars: int) -> DocumentTooLarge:
    return DocumentTooLarge(f"{where}: the text is over the limit of {max_chars} characters; split the file")


def _read_pdf(data: bytes, where: str, max_chars: int) -> ExtractedText:
    import pypdf
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    if b"%PDF-" not in data[:1024]:
        raise UnreadableFile(f"{where}: not a PDF (no %PDF- header)")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # An empty user password is how many published PDFs restrict
            # editing only; those open like any viewer would open them.
            try:
                opened = reader.decrypt("")
            except Exception as e:  # pypdf raises several types here (missing crypto backend, bad keys)
                raise EncryptedFile(f"{where}: the PDF is encrypted and cannot be opened ({e})") from e
            if not opened:
                raise EncryptedFile(f"{where}: the PDF is password-protected; send an unprotected copy")
        pages: list[str] = []
        total = 0
        for page in reader.pages:
            page_text = page.extract_text() or ""
            total += len(page_text) + 2
            if total > max_chars:
                raise _too_long(where, max_chars)
            pages.append(page_text)
    except (EncryptedFile, DocumentTooLarge):
        raise
    except FileNotDecryptedError as e:
        raise EncryptedFile(f"{where}: the PDF is password-protected; send an unprotected copy") from e
    except PdfReadError as e:
        raise UnreadableFile(f"{where}: the PDF is damaged and cannot be read ({e})") from e
    except Exception as e:
        # A parser of untrusted bytes fails in many ways (KeyError, ValueError,
        # RecursionError...); all of them mean the same to the caller.
        log.warning("PDF parser failed on %s", where, exc_info=e)
        raise UnreadableFile(f"{where}: the PDF is damaged and cannot be read ({type(e).__name__})") from e
    text = _clean("\n\n".join(p.strip("\n") for p in pages))
    if not text.strip():
        raise UnreadableFile(f"{where}: the PDF has no text layer (a scan?); run OCR on it first")
    return ExtractedText(text, "pdf", pages=len(pages))


def _read_docx(data: bytes, where: str, max_chars: int, max_unpacked_bytes: int) -> ExtractedText:
    import docx
    from docx.table import Table

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as e:
        raise UnreadableFile(f"{where}: not a .docx (not a zip archive); save it again as Word .docx") from e
    if unpacked > max_unpacked_bytes:
        raise DocumentTooLarge(f"{where}: unpacks to {unpacked} bytes, over the limit of {max_unpacked_bytes}")
    try:
        document = docx.Document(io.BytesIO(data))
        blocks: list[str] = []
        total = 0
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                block_text = _table_text(block)
            else:
                block_text = block.text
            total += len(block_text) + 1
            if total > max_chars:
                raise _too_long(where, max_chars)
            blocks.append(block_text)
    except DocumentTooLarge:
        raise
    except Exception as e:
        # As for PDF: python-docx and lxml fail on damaged files with many types.
        log.warning("DOCX parser failed on %s", where, exc_info=e)
        raise UnreadableFile(f"{where}: the .docx is damaged and cannot be read ({type(e).__name__})") from e
    text = _clean("\n".join(blocks))
    if not text.strip():
        raise UnreadableFile(f"{where}: the .docx holds no text")
    return ExtractedText(text, "docx")


def _table_text(table) -> str:
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            # A merged cell appears once per grid column it spans; keep it once.
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(cell.text.replace("\n", " "))
        rows.append("\t".join(cells))
    return "\n".join(rows)
