"""A Label Studio JSON export back to solieu Documents.

Per task the latest annotation that was not cancelled is taken (by
`updated_at`, then `created_at`, then id). Every task is checked before
anything is returned: a region whose text is not `data.text[start:end]`, an
offset out of range, a label solieu does not know, a relation to a region
that is not there, or a document that breaks the schema's invariants is a
problem of that task, and any problem fails the whole import with every
task id named. Nothing is dropped and nothing is half-imported.

Two readings are made on purpose and counted in the report: whitespace an
annotator's selection took in at either edge is trimmed (the spec's spans
never start or end with whitespace), and a relation drawn without a label
gets the one label its head and tail types admit (a figure to a DATE is
AS_OF, to a PROJECT or AGENCY is BELONGS_TO); one drawn from the tail to
the figure is turned around when only that reading is valid.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from solieu.errors import CorpusError
from solieu.extraction import parse_document_date
from solieu.schema import ENTITY_LABELS, RELATION_LABELS, RELATION_SIGNATURES, Document
from solieu.values import normalise

from .config import TEXT_NAME
from .offsets import from_utf16


class LabelStudioImportError(CorpusError):
    """Tasks of a Label Studio export that cannot be imported as they are."""

    code = "invalid_labelstudio_export"

    def __init__(self, problems: list[str], task_ids: list[Any]):
        self.task_ids = task_ids
        super().__init__(problems)


@dataclass
class ImportReport:
    documents: list[Document] = field(default_factory=list)
    task_ids: list[Any] = field(default_factory=list)  # the task of each document, in order
    unannotated: list[Any] = field(default_factory=list)  # tasks with no annotation, or only cancelled ones
    trimmed: int = 0
    inferred_relation_labels: int = 0
    reversed_relations: int = 0

    def summary(self) -> str:
        parts = [f"{len(self.documents)} document(s) imported"]
        if self.unannotated:
            parts.append(f"{len(self.unannotated)} task(s) without a submitted annotation left out "
                         f"(ids {self.unannotated[:10]})")
        if self.trimmed:
            parts.append(f"{self.trimmed} span edge(s) trimmed of whitespace")
        if self.inferred_relation_labels:
            parts.append(f"{self.inferred_relation_labels} unlabelled relation(s) labelled by their types")
        if self.reversed_relations:
            parts.append(f"{self.reversed_relations} relation(s) turned head→tail")
        return "; ".join(parts)


def _sort_key(annotation: dict) -> tuple:
    return (str(annotation.get("updated_at") or annotation.get("created_at") or ""),
            str(annotation.get("created_at") or ""), str(annotation.get("id") or ""))


def latest_annotation(task: dict) -> dict | None:
    """The task's newest annotation that was not cancelled (skipped), if any."""
    annotations = task.get("annotations") or []
    if not isinstance(annotations, list):
        return None
    annotations = [a for a in annotations if isinstance(a, dict) and not a.get("was_cancelled")]
    return max(annotations, key=_sort_key) if annotations else None


class _TaskProblems(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems


def _relation_label(labels: list, head_label: str, tail_label: str) -> tuple[str | None, bool]:
    """(label, inferred) for a relation result's `labels`."""
    if len(labels) == 1 and labels[0] in RELATION_LABELS:
        return labels[0], False
    if labels:
        return None, False
    fitting = [name for name, (heads, tails) in RELATION_SIGNATURES.items()
               if head_label in heads and tail_label in tails]
    return (fitting[0], True) if len(fitting) == 1 else (None, False)


def _fits(label: str, head_label: str, tail_label: str) -> bool:
    heads, tails = RELATION_SIGNATURES[label]
    return head_label in heads and tail_label in tails


def document_from_annotation(task: dict, annotation: dict, report: ImportReport | None = None) -> Document:
    """One task's annotation as a Document; raises _TaskProblems listing what is wrong."""
    report = report if report is not None else ImportReport()
    problems: list[str] = []
    data = task.get("data") if isinstance(task.get("data"), dict) else {}
    text = data.get(TEXT_NAME)
    if not isinstance(text, str):
        raise _TaskProblems([f"data.{TEXT_NAME} is missing or not a string"])
    if unicodedata.normalize("NFC", text) != text:
        raise _TaskProblems([f"data.{TEXT_NAME} is not in Unicode NFC; export tasks with `solieu labelstudio export`"])
    doc_id = str(data.get("doc_id") or f"labelstudio-task-{task.get('id')}")
    try:
        anchor = parse_document_date(data.get("document_date"))
    except ValueError:
        problems.append(f"data.document_date {data.get('document_date')!r} is not YYYY-MM-DD")
        anchor = None

    regions: dict[str, dict] = {}
    relations: list[dict] = []
    results = annotation.get("result") or []
    if not isinstance(results, list):
        raise _TaskProblems(["the annotation's result is not a list"])
    for position, item in enumerate(results):
        if not isinstance(item, dict):
            problems.append(f"result[{position}] is not an object")
            continue
        kind = item.get("type")
        if kind == "relation":
            relations.append(item)
            continue
        where = f"result[{position}] (region {item.get('id')!r})"
        if kind != "labels":
            problems.append(f"{where}: result type {kind!r} is not one solieu reads (expected 'labels' or 'relation')")
            continue
        value = item.get("value") if isinstance(item.get("value"), dict) else {}
        labels = value.get("labels") or []
        if not isinstance(labels, list) or len(labels) != 1 or labels[0] not in ENTITY_LABELS:
            problems.append(f"{where}: labels {labels} must be exactly one of {list(ENTITY_LABELS)}")
            continue
        raw_start, raw_end = value.get("start"), value.get("end")
        if not isinstance(raw_start, int) or not isinstance(raw_end, int):
            problems.append(f"{where}: start/end {raw_start!r}/{raw_end!r} are not character offsets")
            continue
        start, end = from_utf16(text, raw_start), from_utf16(text, raw_end)
        if start is None or end is None or not 0 <= start < end <= len(text):
            problems.append(f"{where}: span [{raw_start}:{raw_end}] is out of range for a text of {len(text)} characters")
            continue
        if "text" in value and value["text"] != text[start:end]:
            problems.append(f"{where}: region text {value['text']!r} differs from text[{raw_start}:{raw_end}] = "
                            f"{text[start:end]!r}; the task text was changed after annotation")
            continue
        trimmed_start, trimmed_end = start, end
        while trimmed_start < trimmed_end and text[trimmed_start].isspace():
            trimmed_start += 1
        while trimmed_end > trimmed_start and text[trimmed_end - 1].isspace():
            trimmed_end -= 1
        if trimmed_end == trimmed_start:
            problems.append(f"{where}: span [{raw_start}:{raw_end}] holds only whitespace")
            continue
        report.trimmed += (trimmed_start, trimmed_end) != (start, end)
        region_id = str(item.get("id"))
        if region_id in regions:
            problems.append(f"{where}: region id used twice")
            continue
        regions[region_id] = {"start": trimmed_start, "end": trimmed_end, "label": labels[0],
                              "score": item.get("score")}

    ordered = sorted(regions, key=lambda rid: (regions[rid]["start"], regions[rid]["end"]))
    entity_ids = {rid: f"e{i + 1}" for i, rid in enumerate(ordered)}
    entities = []
    for rid in ordered:
        region = regions[rid]
        surface = text[region["start"]:region["end"]]
        value = normalise(region["label"], surface, anchor)
        entities.append({"id": entity_ids[rid], "start": region["start"], "end": region["end"], "label": region["label"],
                         "text": surface, **({"value": value.model_dump(exclude_none=True)} if value else {})})

    out_relations = []
    for item in relations:
        source, target = str(item.get("from_id")), str(item.get("to_id"))
        where = f"relation {source}->{target}"
        missing = [rid for rid in (source, target) if rid not in regions]
        if missing:
            problems.append(f"{where}: no region with id {missing[0]!r} in this annotation")
            continue
        direction = item.get("direction", "right")
        if direction == "left":
            source, target = target, source
        elif direction not in ("right", "bi"):
            problems.append(f"{where}: direction {direction!r} is not 'right', 'left' or 'bi'")
            continue
        head_label, tail_label = regions[source]["label"], regions[target]["label"]
        labels = item.get("labels") or []
        if not isinstance(labels, list):
            problems.append(f"{where}: labels {labels!r} is not a list")
            continue
        label, inferred = _relation_label(labels, head_label, tail_label)
        if label is not None and not _fits(label, head_label, tail_label) and _fits(label, tail_label, head_label):
            # Drawn from the owner/date to the figure: only the other way round is valid.
            source, target = target, source
            report.reversed_relations += 1
        elif label is None and not labels:
            label, inferred = _relation_label(labels, tail_label, head_label)
            if label is not None:
                source, target = target, source
                report.reversed_relations += 1
        if label is None:
            problems.append(f"{where}: labels {labels} must be one of {list(RELATION_LABELS)} "
                            f"({head_label} -> {tail_label})")
            continue
        report.inferred_relation_labels += inferred
        out_relations.append({"head": entity_ids[source], "tail": entity_ids[target], "label": label})

    if problems:
        raise _TaskProblems(problems)
    meta = {"source": "labelstudio", "task_id": task.get("id"), "annotation_id": annotation.get("id")}
    for key in ("source_id", "source_offset"):
        if key in data:
            meta[key] = data[key]
    try:
        return Document.model_validate({"id": doc_id, "text": text, "entities": entities,
                                        "relations": out_relations, "meta": meta})
    except ValidationError as e:
        raise _TaskProblems([str(err.get("msg")) for err in e.errors()]) from e


def import_tasks(tasks: list[dict]) -> ImportReport:
    """Documents of every annotated task; raises LabelStudioImportError naming each broken task."""
    if not isinstance(tasks, list):
        raise LabelStudioImportError(["the export is not a JSON list of tasks; export the project as JSON"], [])
    report = ImportReport()
    problems: list[str] = []
    broken: list[Any] = []
    seen_ids: dict[str, Any] = {}
    for position, task in enumerate(tasks):
        if not isinstance(task, dict):
            problems.append(f"task at position {position}: not a JSON object")
            broken.append(None)
            continue
        task_id = task.get("id", f"#{position}")
        annotation = latest_annotation(task)
        if annotation is None:
            report.unannotated.append(task_id)
            continue
        try:
            doc = document_from_annotation(task, annotation, report)
        except _TaskProblems as e:
            problems.extend(f"task {task_id} (annotation {annotation.get('id')}): {p}" for p in e.problems)
            broken.append(task_id)
            continue
        if doc.id in seen_ids:
            problems.append(f"task {task_id}: document id {doc.id!r} is also the id of task {seen_ids[doc.id]}")
            broken.append(task_id)
            continue
        seen_ids[doc.id] = task_id
        report.documents.append(doc)
        report.task_ids.append(task_id)
    if problems:
        raise LabelStudioImportError(problems, broken)
    return report


def read_export(path: Path) -> list[dict]:
    """A Label Studio JSON export file (Export → JSON) as a list of tasks."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise LabelStudioImportError([f"{path}: no such file"], []) from e
    except json.JSONDecodeError as e:
        raise LabelStudioImportError([f"{path}: not valid JSON ({e.msg}, line {e.lineno})"], []) from e
    return data


def import_export_file(path: Path) -> ImportReport:
    return import_tasks(read_export(path))
