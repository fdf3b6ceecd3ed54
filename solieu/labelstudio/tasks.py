"""Reports to Label Studio tasks, with solieu's predictions pre-filled.

A task is `{"data": {"text", "doc_id", ...}, "predictions": [...]}`; each
prediction holds one region result per entity (`type: "labels"`, value with
start/end/text/labels, the entity's score) and one relation result per
relation (`type: "relation"`, `from_id`/`to_id` the region ids,
`direction: "right"` = head → tail), plus `model_version` and an overall score.

With `segments=True` every reader segment (paragraph, list item, footnote) of
a report becomes its own task: shorter tasks are easier to correct, and
tasks.py keeps `source_id`/`source_offset` so the origin stays known.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from solieu.extraction import prepare_sent
from solieu.schema import Document, DocumentInput, Entity, Relation

from .config import LABELS_NAME, TEXT_NAME
from .offsets import to_utf16

ExtractMany = Callable[[Iterable[DocumentInput]], Iterator[Document]]


def region_results(doc: Document) -> list[dict]:
    """Label Studio result items for a document's entities and relations."""
    results: list[dict] = []
    for ent in doc.entities:
        item = {
            "id": ent.id,
            "from_name": LABELS_NAME,
            "to_name": TEXT_NAME,
            "type": "labels",
            "origin": "prediction",
            "value": {
                "start": to_utf16(doc.text, ent.start),
                "end": to_utf16(doc.text, ent.end),
                "text": ent.text,
                "labels": [ent.label],
            },
        }
        if ent.score is not None:
            item["score"] = ent.score
        results.append(item)
    for rel in doc.relations:
        item = {"type": "relation", "from_id": rel.head, "to_id": rel.tail, "direction": "right",
                "labels": [rel.label]}
        if rel.score is not None:
            item["score"] = rel.score
        results.append(item)
    return results


def prediction_score(doc: Document) -> float | None:
    """The least confident score of a document's predictions: Label Studio
    sorts tasks by it, so the shakiest ones come first when asked."""
    scores = [x.score for x in [*doc.entities, *doc.relations] if x.score is not None]
    return round(min(scores), 4) if scores else None


def prediction(doc: Document, *, model_version: str) -> dict:
    out: dict = {"model_version": model_version, "result": region_results(doc)}
    score = prediction_score(doc)
    if score is not None:
        out["score"] = score
    return out


def task_data(doc_id: str, text: str, *, document_date: str | None = None, **extra) -> dict:
    data = {TEXT_NAME: text, "doc_id": doc_id, **extra}
    if document_date:
        data["document_date"] = document_date
    return data


def _slice(doc: Document, start: int, end: int, new_id: str) -> Document:
    """The part of a predicted document in [start, end), offsets shifted."""
    inside = [e for e in doc.entities if start <= e.start and e.end <= end]
    ids = {e.id for e in inside}
    entities = [Entity.model_validate({**e.model_dump(), "start": e.start - start, "end": e.end - start})
                for e in inside]
    relations = [Relation.model_validate(r.model_dump()) for r in doc.relations if r.head in ids and r.tail in ids]
    return Document(id=new_id, text=doc.text[start:end], entities=entities, relations=relations)


def segment_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the reader's segments in the text as sent, stripped of edge whitespace."""
    prepared = prepare_sent(text)
    spans = []
    for segment in prepared.read_text.segments:
        start, end = prepared.clean_to_sent(segment.start, segment.end)
        if end > start:
            spans.append((start, end))
    return spans


def build_tasks(
    inputs: list[DocumentInput],
    *,
    extract_many: ExtractMany | None,
    model_version: str,
    segments: bool = False,
) -> list[dict]:
    """Tasks for `inputs`, in order; without `extract_many`, tasks carry no predictions."""
    predicted: list[Document | None] = list(extract_many(inputs)) if extract_many else [None] * len(inputs)
    tasks: list[dict] = []
    for item, doc in zip(inputs, predicted, strict=True):
        doc_id = item.id or f"doc-{len(tasks) + 1}"
        if not segments:
            task: dict = {"data": task_data(doc_id, item.text, document_date=item.document_date)}
            if doc is not None:
                task["predictions"] = [prediction(doc, model_version=model_version)]
            tasks.append(task)
            continue
        for start, end in segment_spans(item.text):
            part_id = f"{doc_id}@{start}"
            task = {"data": task_data(part_id, item.text[start:end], document_date=item.document_date,
                                      source_id=doc_id, source_offset=start)}
            if doc is not None:
                task["predictions"] = [prediction(_slice(doc, start, end, part_id), model_version=model_version)]
            tasks.append(task)
    return tasks


def gold_tasks(docs: list[Document]) -> list[dict]:
    """Tasks whose prediction is an existing gold annotation (to review a corpus in Label Studio)."""
    return [
        {"data": task_data(doc.id, doc.text), "predictions": [prediction(doc, model_version="gold")]}
        for doc in docs
    ]
