"""doccano's JSONL, with spans and relations, to and from solieu Documents.

doccano's relation-extraction projects export one object per line:
`{"id", "text", "entities": [{"id", "label", "start_offset", "end_offset"}],
"relations": [{"id", "from_id", "to_id", "type"}]}`; its sequence-labelling
projects export `"label": [[start, end, "LABEL"], …]` instead of entities
(read too; they carry no relations). Offsets are code points of `text`.

The document id is read from `doc_id` (what `export_documents` writes and
doccano keeps as metadata on a re-import), else doccano's `id`. As with the
Label Studio import, every line is checked first and any problem fails the
import with every line named; whitespace at span edges is trimmed and counted.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from solieu.errors import CorpusError
from solieu.extraction import parse_document_date
from solieu.schema import ENTITY_LABELS, RELATION_LABELS, Document
from solieu.values import normalise


@dataclass
class DoccanoImport:
    documents: list[Document] = field(default_factory=list)
    trimmed: int = 0


def document_to_record(doc: Document) -> dict:
    """One doccano JSONL object; entity and relation ids are 1, 2, … in order."""
    numbers = {ent.id: i + 1 for i, ent in enumerate(doc.entities)}
    return {
        "doc_id": doc.id,
        "text": doc.text,
        "entities": [{"id": numbers[e.id], "label": e.label, "start_offset": e.start, "end_offset": e.end}
                     for e in doc.entities],
        "relations": [{"id": i + 1, "from_id": numbers[r.head], "to_id": numbers[r.tail], "type": r.label}
                      for i, r in enumerate(doc.relations)],
    }


def export_documents(docs: Iterable[Document], path: Path) -> int:
    n = 0
    with Path(path).open("w", encoding="utf-8") as fh:
        for doc in docs:
            fh.write(json.dumps(document_to_record(doc), ensure_ascii=False) + "\n")
            n += 1
    return n


def _spans(record: dict) -> list[tuple[str, int, int, str]] | str:
    """(entity id, start, end, label) of a record, or a problem."""
    if isinstance(record.get("entities"), list):
        out = []
        for position, ent in enumerate(record["entities"]):
            if not isinstance(ent, dict):
                return f"entities[{position}] is not an object"
            out.append((str(ent.get("id", f"#{position}")), ent.get("start_offset"), ent.get("end_offset"),
                        ent.get("label")))
        return out
    if isinstance(record.get("label"), list):
        out = []
        for position, item in enumerate(record["label"]):
            if not (isinstance(item, list) and len(item) == 3):
                return f"label[{position}] is not [start, end, label]"
            out.append((f"#{position}", item[0], item[1], item[2]))
        return out
    return []


def record_to_document(record: dict, where: str, *, report: DoccanoImport | None = None) -> Document:
    """One doccano object as a Document; raises CorpusError naming `where`."""
    report = report if report is not None else DoccanoImport()
    problems: list[str] = []
    text = record.get("text")
    if not isinstance(text, str):
        raise CorpusError([f"{where}: 'text' is missing or not a string"])
    if unicodedata.normalize("NFC", text) != text:
        raise CorpusError([f"{where}: text is not in Unicode NFC; offsets must index NFC text"])
    doc_id = str(record.get("doc_id") or record.get("id") or where)
    anchor = None
    if record.get("document_date"):
        try:
            anchor = parse_document_date(record["document_date"])
        except ValueError:
            problems.append(f"{where}: document_date {record['document_date']!r} is not YYYY-MM-DD")
    spans = _spans(record)
    if isinstance(spans, str):
        raise CorpusError([f"{where}: {spans}"])
    regions: dict[str, tuple[int, int, str]] = {}
    for ent_id, start, end, label in spans:
        at = f"{where}: entity {ent_id}"
        if label not in ENTITY_LABELS:
            problems.append(f"{at}: label {label!r} is not one of {list(ENTITY_LABELS)}")
            continue
        if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(text):
            problems.append(f"{at}: span [{start}:{end}] is out of range for a text of {len(text)} characters")
            continue
        s, e = start, end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s == e:
            problems.append(f"{at}: span [{start}:{end}] holds only whitespace")
            continue
        report.trimmed += (s, e) != (start, end)
        if ent_id in regions:
            problems.append(f"{at}: id used twice")
            continue
        regions[ent_id] = (s, e, label)
    ordered = sorted(regions, key=lambda k: regions[k][:2])
    ids = {k: f"e{i + 1}" for i, k in enumerate(ordered)}
    entities = []
    for k in ordered:
        s, e, label = regions[k]
        value = normalise(label, text[s:e], anchor)
        entities.append({"id": ids[k], "start": s, "end": e, "label": label, "text": text[s:e],
                         **({"value": value.model_dump(exclude_none=True)} if value else {})})
    relations = []
    for position, rel in enumerate(record.get("relations") or []):
        at = f"{where}: relation {rel.get('id', f'#{position}') if isinstance(rel, dict) else position}"
        if not isinstance(rel, dict):
            problems.append(f"{at}: not an object")
            continue
        head, tail = str(rel.get("from_id")), str(rel.get("to_id"))
        missing = [x for x in (head, tail) if x not in regions]
        if missing:
            problems.append(f"{at}: no entity with id {missing[0]}")
            continue
        if rel.get("type") not in RELATION_LABELS:
            problems.append(f"{at}: type {rel.get('type')!r} is not one of {list(RELATION_LABELS)}")
            continue
        relations.append({"head": ids[head], "tail": ids[tail], "label": rel["type"]})
    if problems:
        raise CorpusError(problems)
    try:
        return Document.model_validate({"id": doc_id, "text": text, "entities": entities, "relations": relations})
    except ValidationError as e:
        raise CorpusError([f"{where}: {err['msg']}" for err in e.errors()]) from e


def import_file(path: Path) -> DoccanoImport:
    """Every line of a doccano JSONL export; all problems of all lines in one CorpusError."""
    report = DoccanoImport()
    problems: list[str] = []
    seen: dict[str, str] = {}
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as e:
        raise CorpusError([f"{path}: no such file"]) from e
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            problems.append(f"{where}: not valid JSON ({e.msg}, column {e.colno})")
            continue
        if not isinstance(record, dict):
            problems.append(f"{where}: expected a JSON object")
            continue
        try:
            doc = record_to_document(record, where, report=report)
        except CorpusError as e:
            problems.extend(e.problems)
            continue
        if doc.id in seen:
            problems.append(f"{where}: document id {doc.id!r} also at {seen[doc.id]}")
            continue
        seen[doc.id] = where
        report.documents.append(doc)
    if problems:
        raise CorpusError(problems)
    return report
