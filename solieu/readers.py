"""The one reader of files: .txt/.md (UTF-8), .pdf (pypdf), .docx (python-docx), from bytes with limits.

The service's uploads, `solieu extract`, `solieu batch` and the Label Studio
export all read files here, so the same file gives the same text, and so the
same entities and offsets, from every entry point. Offsets of an answer refer
to the text returned here, which the answer carries; the layout of pages and
table cells is this module's choice, and it is deterministic.
"""

from __future__ import annotations

import io
import logging
import re
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePath

from solieu.errors import (
    DocumentTooLarge,
    EncryptedFile,
    InputError,
    MissingDependency,
    UnreadableFile,
    UnsupportedFileType,
)

log = logging.getLogger("solieu.readers")

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
DOCUMENT_SUFFIXES = TEXT_SUFFIXES | {".pdf", ".docx"}
# What a file may hold when no caller sets a limit (the CLI, batch): the service sets its own.
DEFAULT_MAX_CHARS = 5_000_000
DEFAULT_MAX_UNPACKED_BYTES = 200 * 1024 * 1024

KINDS_BY_SUFFIX = {".txt": "txt", ".md": "md", ".markdown": "md", ".pdf": "pdf", ".docx": "docx"}
KINDS_BY_MEDIA_TYPE = {
    "text/plain": "txt",
    "text/markdown": "md",
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}
# C0 controls other than tab, newline, carriage return, vertical tab and form feed, DEL, and C1
# controls (usually text decoded with the wrong codec); and lone surrogates. The service refuses
# them in JSON input (service/checks.py); PDF and Word text carries them, and they are replaced
# there by a space, so that the returned text passes the same checks.
CONTROL_CLASS = r"\u0000-\u0008\u000e-\u001f\u007f-\u009f"
SURROGATE_CLASS = r"\ud800-\udfff"
_NON_TEXT = re.compile(f"[{CONTROL_CLASS}{SURROGATE_CLASS}]")


@dataclass(frozen=True)
class ExtractedText:
    text: str
    kind: str
    pages: int | None = None


def decode_text(data: bytes, where: str) -> str:
    """UTF-8 (with or without BOM) to text, in the normal form it was written in (offsets index
    the text as sent; extraction normalises inside); anything else is refused, not guessed."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{where}: not UTF-8 text (byte {e.start}: {data[e.start:e.start + 1]!r})") from e


def sniff_kind(data: bytes) -> str | None:
    """The kind the bytes themselves show, for a file named without an extension: a PDF header,
    a Word package, or UTF-8 text with no NUL byte; None for anything else."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04") and b"word/document.xml" in data:
        return "docx"
    if data and b"\x00" not in data:
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None
        return "txt"
    return None


def file_kind(filename: str | None, media_type: str | None = None, data: bytes | None = None) -> str:
    """The kind of a file by its extension; without one, by its media type, else by its bytes."""
    suffix = PurePath(filename or "").suffix.lower()
    if suffix in KINDS_BY_SUFFIX:
        return KINDS_BY_SUFFIX[suffix]
    base_type = (media_type or "").split(";")[0].strip().lower()
    if not suffix and base_type in KINDS_BY_MEDIA_TYPE:
        return KINDS_BY_MEDIA_TYPE[base_type]
    sniffed = sniff_kind(data) if not suffix and data is not None else None
    if sniffed is not None:
        return sniffed
    shown = suffix or ("no extension" + (f", media type {base_type}" if base_type else ""))
    raise UnsupportedFileType(f"{filename or 'the file'}: unsupported file type ({shown}); send .txt, .md, .pdf or .docx")


def read_path(path: Path, *, where: str | None = None, max_chars: int = DEFAULT_MAX_CHARS,
              max_unpacked_bytes: int = DEFAULT_MAX_UNPACKED_BYTES) -> ExtractedText:
    """A file on disk, read as an upload of the same name would be."""
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise UnreadableFile(f"{where or path}: cannot be read ({e.strerror})") from e
    return read_upload(data, filename=str(path), media_type=None, max_chars=max_chars,
                       max_unpacked_bytes=max_unpacked_bytes, where=where)


def read_upload(data: bytes, *, filename: str | None, media_type: str | None, max_chars: int,
                max_unpacked_bytes: int, where: str | None = None) -> ExtractedText:
    kind = file_kind(filename, media_type, data)
    where = where or filename or "the file"
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


class _Parts:
    """Text read part by part (pages, paragraphs), refused as soon as it passes the limit."""

    def __init__(self, where: str, max_chars: int, separator: int):
        self.where, self.max_chars, self.separator = where, max_chars, separator
        self.items: list[str] = []
        self.total = 0

    def add(self, text: str) -> None:
        self.total += len(text) + self.separator
        if self.total > self.max_chars:
            raise _too_long(self.where, self.max_chars)
        self.items.append(text)


# PDFium is not thread-safe, and the service reads uploads on worker threads.
_PDFIUM = threading.Lock()
# PDFium's load error codes (FPDF_ERR_*): 4 is a password, 3 a damaged or non-PDF file.
_PDFIUM_PASSWORD_ERROR = 4


def _read_pdf(data: bytes, where: str, max_chars: int) -> ExtractedText:
    """The text layer of a PDF, page by page, read by PDFium (pypdfium2): chosen by measurement over
    pypdf and pdfminer.six on Chromium-printed Vietnamese report PDFs (`benchmarks/pdf_readers.py`),
    where pypdf split words letter by letter (`đ ế n`) and lost every money figure."""
    try:
        import pypdfium2
    except ImportError as e:
        raise MissingDependency(f"{where}: reading PDF needs pypdfium2, which is not installed "
                                "(pip install pypdfium2)") from e

    if b"%PDF-" not in data[:1024]:
        raise UnreadableFile(f"{where}: not a PDF (no %PDF- header)")
    parts = _Parts(where, max_chars, separator=2)
    with _PDFIUM:
        try:
            # An empty user password is how many published PDFs restrict editing only; those open
            # as any viewer opens them.
            document = pypdfium2.PdfDocument(data, password="")
        except pypdfium2.PdfiumError as e:
            if getattr(e, "err_code", None) == _PDFIUM_PASSWORD_ERROR:
                raise EncryptedFile(f"{where}: the PDF is password-protected; send an unprotected copy") from e
            raise UnreadableFile(f"{where}: the PDF is damaged and cannot be read ({e})") from e
        try:
            for index in range(len(document)):
                page = document[index]
                textpage = page.get_textpage()
                try:
                    parts.add(textpage.get_text_bounded().replace("\r\n", "\n").replace("\r", "\n"))
                finally:
                    textpage.close()
                    page.close()
        except DocumentTooLarge:
            raise
        except Exception as e:
            # A parser of untrusted bytes fails in many ways; all of them mean the same to the caller.
            log.warning("PDF parser failed on %s", where, exc_info=e)
            raise UnreadableFile(f"{where}: the PDF is damaged and cannot be read ({type(e).__name__})") from e
        finally:
            document.close()
    text = _clean("\n\n".join(p.strip("\n") for p in parts.items))
    if not text.strip():
        raise UnreadableFile(f"{where}: the PDF has no text layer (a scan?); run OCR on it first")
    return ExtractedText(text, "pdf", pages=len(parts.items))


def _read_docx(data: bytes, where: str, max_chars: int, max_unpacked_bytes: int) -> ExtractedText:
    try:
        import docx
        from docx.table import Table
    except ImportError as e:
        raise MissingDependency(
            f"{where}: reading DOCX needs python-docx, which is not installed (pip install python-docx)") from e

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as e:
        raise UnreadableFile(f"{where}: not a .docx (not a zip archive); save it again as Word .docx") from e
    if unpacked > max_unpacked_bytes:
        raise DocumentTooLarge(f"{where}: unpacks to {unpacked} bytes, over the limit of {max_unpacked_bytes}")
    try:
        document = docx.Document(io.BytesIO(data))
        parts = _Parts(where, max_chars, separator=1)
        for block in document.iter_inner_content():
            parts.add(_table_text(block) if isinstance(block, Table) else block.text)
    except DocumentTooLarge:
        raise
    except Exception as e:
        # As for PDF: python-docx and lxml fail on damaged files with many types.
        log.warning("DOCX parser failed on %s", where, exc_info=e)
        raise UnreadableFile(f"{where}: the .docx is damaged and cannot be read ({type(e).__name__})") from e
    # Paragraphs and tables are blocks, a blank line apart (the reader's paragraph break); a
    # table's rows are lines of tab-separated cells.
    text = _clean("\n\n".join(b for b in parts.items if b.strip()))
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
