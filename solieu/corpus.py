"""Reading, writing and validating exchange-format JSONL corpora."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from pydantic import ValidationError

from solieu.errors import CorpusError
from solieu.schema import Document


def _format_validation_error(where: str, err: ValidationError, record: dict) -> list[str]:
    problems = []
    entities = record.get("entities") if isinstance(record, dict) else None
    for item in err.errors():
        loc = item.get("loc", ())
        label = ".".join(str(p) for p in loc)
        # Name the entity by its id, not only by its index, so it can be found.
        if len(loc) >= 2 and loc[0] == "entities" and isinstance(loc[1], int) and isinstance(entities, list):
            if loc[1] < len(entities) and isinstance(entities[loc[1]], dict):
                label += f" (entity id {entities[loc[1]].get('id')!r})"
        msg = item.get("msg", "invalid")
        problems.append(f"{where}: {label or 'document'}: {msg}")
    return problems


def parse_document_line(line: str, where: str) -> Document:
    """One JSONL line to a Document; raises CorpusError naming `where`."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as e:
        raise CorpusError([f"{where}: not valid JSON: {e.msg} at column {e.colno}"]) from e
    if not isinstance(record, dict):
        raise CorpusError([f"{where}: expected a JSON object, got {type(record).__name__}"])
    text = record.get("text")
    if isinstance(text, str) and unicodedata.normalize("NFC", text) != text:
        raise CorpusError([f"{where}: text is not in Unicode NFC; offsets must index NFC text"])
    try:
        return Document.model_validate(record)
    except ValidationError as e:
        raise CorpusError(_format_validation_error(where, e, record)) from e


def iter_documents(path: Path) -> Iterator[Document]:
    """Documents of a JSONL file, in order; the first bad line raises."""
    with Path(path).open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if line.strip():
                yield parse_document_line(line, f"{path}:{lineno}")


def read_documents(path: Path) -> list[Document]:
    return list(iter_documents(path))


def validate_files(paths: Iterable[Path]) -> tuple[int, list[str]]:
    """Check every line of every file; return (documents read, problems)."""
    problems: list[str] = []
    count = 0
    seen_ids: dict[str, str] = {}
    for path in paths:
        with Path(path).open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                where = f"{path}:{lineno}"
                try:
                    doc = parse_document_line(line, where)
                except CorpusError as e:
                    problems.extend(e.problems)
                    continue
                count += 1
                if doc.id in seen_ids:
                    problems.append(f"{where}: document id {doc.id!r} also at {seen_ids[doc.id]}")
                seen_ids[doc.id] = where
    return count, problems


def write_documents(docs: Iterable[Document], path: Path) -> int:
    n = 0
    with Path(path).open("w", encoding="utf-8") as fh:
        for doc in docs:
            fh.write(doc.model_dump_json(exclude_none=True) + "\n")
            n += 1
    return n


def expand_corpus_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, directories as their `*.jsonl` files in name order."""
    files: list[Path] = []
    for path in paths:
        path = Path(path)
        files.extend(sorted(path.rglob("*.jsonl")) if path.is_dir() else [path])
    return files
