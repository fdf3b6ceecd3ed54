"""Documents to tag, from files, directories, JSONL or stdin.

Every input is read and checked before any work starts. What cannot be read
(a malformed line, an undecodable or empty file) is named with its location
and left out; the rest goes on, and the command says what it skipped.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

from solieu.errors import EmptyText, InputError, UnsupportedFileType
from solieu.readers import DOCUMENT_SUFFIXES, decode_text, read_path
from solieu.schema import DocumentInput


def parse_input_record(line: str, where: str, *, doc_id: str | None = None) -> DocumentInput:
    """One JSONL record as a DocumentInput, its text as sent; `doc_id` replaces the
    record's own id. Errors name `where` (FILE:LINE)."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as e:
        raise InputError(f"{where}: not valid JSON ({e.msg}, column {e.colno})") from e
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected an object with 'text', got {type(record).__name__}")
    # Exchange-format lines (with entities) may be re-tagged: only id, text and date count.
    fields = {k: record[k] for k in ("id", "text", "document_date") if k in record}
    if doc_id is not None:
        fields["id"] = doc_id
    try:
        doc = DocumentInput.model_validate(fields)
    except ValidationError as e:
        first = e.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "record"
        raise InputError(f"{where}: {field}: {first['msg']}") from e
    return doc


def check_document_date(value: str | None, where: str) -> None:
    """A document date is a calendar day written YYYY-MM-DD, at every edge."""
    if value is None:
        return
    try:
        if not value.isascii():
            raise ValueError
        date.fromisoformat(value)
    except ValueError as e:
        raise InputError(f"{where}: {value!r} is not a calendar date; expected YYYY-MM-DD such as 2025-06-04") from e


def require_text(text: str, where: str) -> str:
    """The one rule for empty input at every edge (CLI, HTTP, batch): a document needs text."""
    if not text.strip():
        raise EmptyText(f"{where}: the text is empty or only whitespace; send the report's text")
    return text


@dataclass
class InputBatch:
    """Documents read from a source, and one line for each that could not be read."""

    documents: list[DocumentInput] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _jsonl_batch(lines: Iterable[str], where: str) -> InputBatch:
    batch = InputBatch()
    seen: dict[str, int] = {}
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        here = f"{where}:{lineno}"
        try:
            doc = parse_input_record(line, here)
            doc_id = doc.id if doc.id is not None else here
            if doc_id in seen:
                raise InputError(f"{here}: id {doc_id!r} already used on line {seen[doc_id]}")
            require_text(doc.text, here)
        except InputError as e:
            batch.problems.append(str(e))
            continue
        seen[doc_id] = lineno
        batch.documents.append(doc.model_copy(update={"id": doc_id}))
    return batch


def parse_jsonl_inputs(lines: Iterable[str], where: str) -> list[DocumentInput]:
    batch = _jsonl_batch(lines, where)
    if batch.problems:
        raise InputError(batch.problems[0])
    return batch.documents


def read_text_file(path: Path) -> DocumentInput:
    """One document file (.txt, .md, .pdf, .docx) through the one reader (solieu.readers)."""
    if path.suffix.lower() not in DOCUMENT_SUFFIXES:
        raise UnsupportedFileType(f"{path}: unsupported file type {path.suffix or '(none)'}; "
                                  "expected .txt, .md, .pdf, .docx or .jsonl")
    return DocumentInput(id=str(path), text=require_text(read_path(path).text, str(path)))


def collect_inputs(source: str, *, stdin: TextIO | None = None) -> InputBatch:
    """Every document of `source` that can be read, and a line for each one that cannot.

    A source that names nothing to read (a missing path, a directory without
    documents) raises InputError: there is nothing to go on with.
    """
    if source == "-":
        if stdin is None:
            raise InputError("reading from stdin, but no stdin was given")
        data = stdin.read()
        if data.lstrip().startswith("{"):
            return _jsonl_batch(data.splitlines(), "<stdin>")
        return InputBatch(documents=[DocumentInput(id="<stdin>", text=require_text(data, "<stdin>"))])
    path = Path(source)
    if not path.exists():
        raise InputError(f"{source}: no such file or directory")
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES)
        if not files:
            raise InputError(f"{source}: no .txt, .md, .pdf or .docx files in this directory")
        batch = InputBatch()
        for file in files:
            try:
                batch.documents.append(read_text_file(file))
            except InputError as e:
                batch.problems.append(str(e))
        return batch
    if path.suffix.lower() == ".jsonl":
        return _jsonl_batch(decode_text(path.read_bytes(), str(path)).splitlines(), str(path))
    return InputBatch(documents=[read_text_file(path)])


def read_inputs(source: str, *, stdin: TextIO | None = None) -> list[DocumentInput]:
    """Like `collect_inputs`, but the first unreadable document is an InputError."""
    batch = collect_inputs(source, stdin=stdin)
    if batch.problems:
        raise InputError(batch.problems[0])
    return batch.documents
