"""Which files a batch reads, and their text: through the one reader (solieu.readers).

PDF and DOCX need pypdf and python-docx, imported when the first such file is
read, so that a corpus of text files never needs them.
"""

from __future__ import annotations

from pathlib import Path

from solieu.errors import InputError
from solieu.readers import DOCUMENT_SUFFIXES, TEXT_SUFFIXES, read_path

__all__ = ["DOCUMENT_SUFFIXES", "file_kind", "read_document_text"]


def file_kind(path: Path) -> str | None:
    """'text', 'pdf', 'docx', or None for a suffix a batch does not read."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix == ".pdf":
        return "pdf"
    if suffix == ".docx":
        return "docx"
    return None


def read_document_text(path: Path, kind: str, *, where: str) -> str:
    """The text of one file, as the service would read the same upload; InputError when it cannot be read."""
    if kind not in ("text", "pdf", "docx"):
        raise InputError(f"{where}: cannot read files of kind {kind!r}")
    return read_path(path, where=where).text
