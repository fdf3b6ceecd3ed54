"""Text out of the file formats a batch reads: plain text, PDF and DOCX.

PDF and DOCX need pypdf and python-docx. They are imported when the first such
file is read, so that a corpus of text files never needs them and a missing
one becomes a per-document error that says what to install.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from solieu.errors import InputError, MissingDependency
from solieu.inputs import TEXT_SUFFIXES, decode_text

PDF_SUFFIXES = frozenset({".pdf"})
DOCX_SUFFIXES = frozenset({".docx"})
DOCUMENT_SUFFIXES = TEXT_SUFFIXES | PDF_SUFFIXES | DOCX_SUFFIXES




def file_kind(path: Path) -> str | None:
    """'text', 'pdf', 'docx', or None for a suffix a batch does not read."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in PDF_SUFFIXES:
        return "pdf"
    if suffix in DOCX_SUFFIXES:
        return "docx"
    return None


def read_document_text(path: Path, kind: str, *, where: str) -> str:
    """The NFC text of one file; InputError (or MissingDependency) when it cannot be read."""
    if kind == "text":
        return decode_text(path.read_bytes(), where)
    if kind == "pdf":
        return _nfc(read_pdf_text(path, where=where))
    if kind == "docx":
        return _nfc(read_docx_text(path, where=where))
    raise InputError(f"{where}: cannot read files of kind {kind!r}")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def read_pdf_text(path: Path, *, where: str) -> str:
    try:
        import pypdf
    except ImportError as e:
        raise MissingDependency(f"{where}: reading PDF needs pypdf, which is not installed (pip install pypdf)") from e
    try:
        reader = pypdf.PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (pypdf.errors.PyPdfError, ValueError, KeyError, TypeError, OSError) as e:
        # pypdf reports broken files with its own errors and, for some damage,
        # with plain ValueError/KeyError/TypeError from its parser.
        raise InputError(f"{where}: not a readable PDF ({type(e).__name__}: {e})") from e
    text = "\n\n".join(page.strip("\n") for page in pages)
    if not text.strip():
        raise InputError(f"{where}: the PDF has no text layer ({len(pages)} page(s)); a scanned PDF needs OCR first")
    return text


def read_docx_text(path: Path, *, where: str) -> str:
    try:
        import docx
        from docx.opc.exceptions import OpcError
    except ImportError as e:
        raise MissingDependency(
            f"{where}: reading DOCX needs python-docx, which is not installed (pip install python-docx)"
        ) from e
    import zipfile

    try:
        document = docx.Document(str(path))
        blocks = list(_docx_blocks(document))
    except (OpcError, zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise InputError(f"{where}: not a readable DOCX ({type(e).__name__}: {e})") from e
    return "\n\n".join(blocks)


def _docx_blocks(document) -> list[str]:
    """Paragraphs and tables in document order; a table row becomes one tab-separated line."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(child, document).text
            if text.strip():
                blocks.append(text)
        elif tag == "tbl":
            rows = ["\t".join(cell.text.strip() for cell in row.cells) for row in Table(child, document).rows]
            if any(r.strip() for r in rows):
                blocks.append("\n".join(rows))
    return blocks
