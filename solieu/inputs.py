"""Documents to tag, from files, directories, JSONL or stdin.

Every input is read and checked before any work starts, so that a malformed
line stops the run with its location instead of half-writing an output.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

from solieu.errors import InputError, UnsupportedFileType
from solieu.schema import DocumentInput

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})


def decode_text(data: bytes, where: str) -> str:
    """UTF-8 (with or without BOM) to text, in the normal form it was written in (offsets index
    the text as sent; extraction normalises inside); anything else is refused, not guessed."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{where}: not UTF-8 text (byte {e.start}: {data[e.start:e.start + 1]!r})") from e
    return text


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


def parse_jsonl_inputs(lines: Iterable[str], where: str) -> list[DocumentInput]:
    docs: list[DocumentInput] = []
    seen: dict[str, int] = {}
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        doc = parse_input_record(line, f"{where}:{lineno}")
        doc_id = doc.id if doc.id is not None else f"{where}:{lineno}"
        if doc_id in seen:
            raise InputError(f"{where}:{lineno}: id {doc_id!r} already used on line {seen[doc_id]}")
        seen[doc_id] = lineno
        docs.append(doc.model_copy(update={"id": doc_id}))
    return docs


def read_text_file(path: Path) -> DocumentInput:
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise UnsupportedFileType(f"{path}: unsupported file type {path.suffix or '(none)'}; expected .txt, .md or .jsonl")
    return DocumentInput(id=str(path), text=decode_text(path.read_bytes(), str(path)))


def read_inputs(source: str, *, stdin: TextIO | None = None) -> list[DocumentInput]:
    if source == "-":
        if stdin is None:
            raise InputError("reading from stdin, but no stdin was given")
        data = stdin.read()
        if data.lstrip().startswith("{"):
            return parse_jsonl_inputs(data.splitlines(), "<stdin>")
        return [DocumentInput(id="<stdin>", text=data)]
    path = Path(source)
    if not path.exists():
        raise InputError(f"{source}: no such file or directory")
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)
        if not files:
            raise InputError(f"{source}: no .txt or .md files in this directory")
        return [read_text_file(p) for p in files]
    if path.suffix.lower() == ".jsonl":
        text = decode_text(path.read_bytes(), str(path))
        return parse_jsonl_inputs(text.splitlines(), str(path))
    return [read_text_file(path)]
