"""What a batch reads: a directory tree, a glob, or a JSONL file, as stable document ids.

Enumerating reads no document (only JSONL lines, to find their ids), so that an
archive of hundreds of thousands of files is listed in seconds; each worker
reads its own documents with `load_item`.

Ids are what make a run resumable, so they depend only on the source and not
on where it is mounted or in what order the file system lists it:

- a file in a directory tree: its path relative to the directory, with `/`
  (`2024/lang-son/bao-cao-thang-5.pdf`);
- a file matched by a glob: its path relative to the glob's fixed part
  (`reports/*/2024-*.txt` gives `lang-son/2024-05.txt`);
- a single file: its name;
- a JSONL record: its `id`, or `FILE_NAME:LINE` when it has none.
"""

from __future__ import annotations

import glob
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from solieu.batch.readers import DOCUMENT_SUFFIXES, file_kind, read_document_text
from solieu.errors import DocumentTooLarge, InputError, UnsupportedFileType
from solieu.inputs import parse_input_record
from solieu.readers import decode_text
from solieu.schema import DocumentInput

_GLOB_MAGIC = frozenset("*?[")


@dataclass(frozen=True)
class SourceItem:
    """One document to tag, and where to read it; small enough to send to a worker."""

    id: str
    path: str
    kind: str  # "text", "pdf", "docx" or "jsonl"
    where: str  # for messages: the file, or FILE:LINE for a JSONL record
    offset: int = 0  # JSONL: byte offset and length of the record's line
    length: int = 0
    duplicate_of: int | None = None  # JSONL: the line that already used this record's id

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, data: str) -> SourceItem:
        return cls(**json.loads(data))


@dataclass
class SourceListing:
    source: str
    items: list[SourceItem]
    ignored: list[str] = field(default_factory=list)  # files whose type a batch does not read


def is_glob(source: str) -> bool:
    return any(ch in _GLOB_MAGIC for ch in source)


def enumerate_source(source: str, *, exclude: Path | None = None) -> SourceListing:
    """Every document of `source`, sorted by id; InputError when there is nothing to read.

    `exclude` (the output directory) is skipped so that a run never reads its own output.
    """
    path = Path(source)
    if path.is_dir():
        listing = _listing(source, path, sorted(_walk(path, exclude)))
    elif path.is_file():
        if path.suffix.lower() == ".jsonl":
            listing = SourceListing(source, list(_jsonl_items(path)))
        elif file_kind(path) is None:
            raise UnsupportedFileType(
                f"{source}: unsupported file type {path.suffix or '(none)'}; expected a directory, a glob, "
                f"a .jsonl file or one of {', '.join(sorted(DOCUMENT_SUFFIXES))}"
            )
        else:
            listing = _listing(source, path.parent, [path])
    elif is_glob(source):
        base = _glob_base(source)
        matched = sorted(Path(p) for p in glob.glob(source, recursive=True) if os.path.isfile(p))
        matched = [p for p in matched if exclude is None or not _inside(p, exclude)]
        if not matched:
            raise InputError(f"{source}: the pattern matches no file")
        listing = _listing(source, base, matched)
    else:
        raise InputError(f"{source}: no such file or directory, and not a glob pattern")
    if not listing.items:
        raise InputError(
            f"{source}: no documents to tag (looked for {', '.join(sorted(DOCUMENT_SUFFIXES))}"
            f"{'; ignored ' + str(len(listing.ignored)) + ' other file(s)' if listing.ignored else ''})"
        )
    return listing


def _walk(root: Path, exclude: Path | None) -> Iterator[Path]:
    excluded = exclude.resolve() if exclude is not None else None
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        if excluded is not None:
            dirnames[:] = [d for d in dirnames if (here / d).resolve() != excluded]
        dirnames.sort()
        for name in filenames:
            yield here / name


def _inside(path: Path, directory: Path) -> bool:
    return path.resolve().is_relative_to(directory.resolve())


def _listing(source: str, base: Path, files: list[Path]) -> SourceListing:
    items: list[SourceItem] = []
    ignored: list[str] = []
    for file in files:
        kind = file_kind(file)
        if kind is None:
            ignored.append(str(file))
            continue
        doc_id = file.relative_to(base).as_posix() if file.is_relative_to(base) else file.as_posix()
        items.append(SourceItem(id=doc_id, path=str(file.resolve()), kind=kind, where=str(file)))
    items.sort(key=lambda item: item.id)
    return SourceListing(source, items, ignored)


def _glob_base(pattern: str) -> Path:
    """The directory part of a pattern before its first wildcard."""
    parts = Path(pattern).parts
    fixed: list[str] = []
    for part in parts[:-1]:
        if is_glob(part):
            break
        fixed.append(part)
    return Path(*fixed) if fixed else Path(".")


def _jsonl_items(path: Path) -> Iterator[SourceItem]:
    """One item per non-blank line; a line that is not a record still gets an id and fails when read."""
    seen: dict[str, int] = {}
    offset = 0
    with path.open("rb") as fh:
        for lineno, line in enumerate(fh, start=1):
            start, offset = offset, offset + len(line)
            if not line.strip():
                continue
            doc_id = _record_id(line)
            duplicate_of = None
            if doc_id is None or doc_id in seen:
                duplicate_of = seen.get(doc_id) if doc_id is not None else None
                doc_id = f"{path.name}:{lineno}"
                while doc_id in seen:  # a record may itself be called "FILE:LINE"
                    doc_id += "+"
            seen[doc_id] = lineno
            yield SourceItem(
                id=doc_id, path=str(path.resolve()), kind="jsonl", where=f"{path}:{lineno}",
                offset=start, length=len(line), duplicate_of=duplicate_of,
            )


def _record_id(line: bytes) -> str | None:
    try:
        record = json.loads(line)
    except ValueError:  # JSONDecodeError and UnicodeDecodeError
        return None
    if isinstance(record, dict) and isinstance(record.get("id"), str) and record["id"]:
        return record["id"]
    return None


def load_item(item: SourceItem, *, max_chars: int | None = None) -> DocumentInput:
    """Read one document; InputError (or a subtype) says why it cannot be."""
    if item.kind == "jsonl":
        doc = _load_record(item)
    else:
        doc = DocumentInput(id=item.id, text=read_document_text(Path(item.path), item.kind, where=item.where))
    if max_chars is not None and len(doc.text) > max_chars:
        raise DocumentTooLarge(f"{item.where}: {len(doc.text)} characters, more than the limit of {max_chars}")
    return doc


def _load_record(item: SourceItem) -> DocumentInput:
    if item.duplicate_of is not None:
        raise InputError(f"{item.where}: its id is already used on line {item.duplicate_of}; ids must be unique")
    with open(item.path, "rb") as fh:
        fh.seek(item.offset)
        data = fh.read(item.length)
    return parse_input_record(decode_text(data, item.where), item.where, doc_id=item.id)
