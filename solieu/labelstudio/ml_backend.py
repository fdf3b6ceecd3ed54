"""Label Studio's ML backend protocol, as plain functions over JSON bodies.

The service's routes (solieu.service.ml_backend) call these; nothing here
knows about HTTP. What Label Studio 1.23 sends and expects:

- `GET /health`: any JSON with status 200 (the SDK answers `{"status": "UP"}`).
- `POST /setup` `{project, schema, hostname, access_token, extra_params}` →
  `{"model_version": ...}`; Label Studio stores it as the project's model version.
- `POST /predict` `{tasks, project, label_config, params}` →
  `{"results": [one prediction per task, in task order], "model_version"}`,
  each prediction `{"result": [...], "score", "model_version"}`.
- `POST /webhook`: Label Studio registers `<backend>/webhook` for all
  actions when the backend is connected, so every project event arrives
  here: `{"action": "START_TRAINING", "project": {...}}` from the "Start
  training" button, `ANNOTATION_CREATED` / `ANNOTATION_UPDATED` with
  `annotation` and `task`, `ANNOTATIONS_CREATED` with lists of both,
  `ANNOTATIONS_DELETED` with `annotations: [{id}]`, and project/task events
  this backend has no use for (acknowledged, ignored).
- `GET /versions` → `{"versions": [...]}`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from solieu.errors import InputError
from solieu.schema import Document, DocumentInput

from .config import TEXT_NAME
from .importer import _TaskProblems, document_from_annotation
from .inbox import Inbox
from .tasks import prediction

ExtractMany = Callable[[Iterable[DocumentInput]], Iterator[Document]]

TRAINING_ACTIONS = frozenset({"START_TRAINING"})
ANNOTATION_ACTIONS = frozenset({"ANNOTATION_CREATED", "ANNOTATION_UPDATED", "ANNOTATIONS_CREATED"})
DELETE_ACTIONS = frozenset({"ANNOTATIONS_DELETED"})


def model_version_of(name: str, version: str) -> str:
    """The model version string Label Studio shows and stores with predictions."""
    return f"{name}-{version}"


def task_inputs(tasks: list[dict]) -> list[DocumentInput]:
    """The documents of Label Studio tasks; a task without `data.text` is an InputError naming it."""
    if not isinstance(tasks, list):
        raise InputError("'tasks' must be a list of Label Studio tasks")
    inputs = []
    for position, task in enumerate(tasks):
        data = task.get("data") if isinstance(task, dict) else None
        task_id = task.get("id", f"#{position}") if isinstance(task, dict) else f"#{position}"
        text = data.get(TEXT_NAME) if isinstance(data, dict) else None
        if not isinstance(text, str):
            raise InputError(f"task {task_id}: data.{TEXT_NAME} is missing; the project's <Text> must read $text")
        try:
            inputs.append(DocumentInput(id=str(data.get("doc_id") or f"labelstudio-task-{task_id}"), text=text,
                                        document_date=data.get("document_date") or None))
        except ValidationError as e:
            raise InputError(f"task {task_id}: {e.errors()[0]['msg']}") from e
    return inputs


def predict(tasks: list[dict], *, extract_many: ExtractMany, model_version: str) -> dict:
    """`/predict`'s answer: one prediction per task, in the order given."""
    docs = list(extract_many(task_inputs(tasks)))
    return {"results": [prediction(doc, model_version=model_version) for doc in docs], "model_version": model_version}


def setup(payload: dict, *, model_version: str) -> dict:
    return {"model_version": model_version}


@dataclass
class EventOutcome:
    """What a webhook event asks of the service: which documents were stored
    or removed, and whether a training job should start."""

    action: str
    stored: list[str] = field(default_factory=list)
    removed: int = 0
    start_training: bool = False
    ignored: bool = False
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"action": self.action, "stored": self.stored, "removed": self.removed,
                "start_training": self.start_training, "ignored": self.ignored, "problems": self.problems}


def _pairs(payload: dict) -> list[tuple[dict, dict]]:
    """(task, annotation) pairs of an annotation event."""
    annotation, task = payload.get("annotation"), payload.get("task")
    if isinstance(annotation, dict) and isinstance(task, dict):
        return [(task, annotation)]
    if isinstance(annotation, list) and isinstance(task, list):
        tasks = {str(t.get("id")): t for t in task if isinstance(t, dict)}
        return [(tasks[str(a.get("task"))], a) for a in annotation
                if isinstance(a, dict) and str(a.get("task")) in tasks]
    return []


def handle_event(payload: dict, *, inbox: Inbox, train_on_annotation: bool = False) -> EventOutcome:
    """Store submitted annotations in the inbox (one document per task, the
    latest wins) and say whether to train. A broken annotation is reported in
    `problems` and not stored: it cannot be silently half-imported later."""
    if not isinstance(payload, dict) or not isinstance(payload.get("action"), str):
        raise InputError("a webhook event is a JSON object with an 'action'")
    action = payload["action"]
    outcome = EventOutcome(action=action)
    if action in TRAINING_ACTIONS:
        outcome.start_training = True
    elif action in ANNOTATION_ACTIONS:
        for task, annotation in _pairs(payload):
            if not isinstance(task, dict) or not isinstance(annotation, dict):
                continue
            where = f"task {task.get('id')} (annotation {annotation.get('id')})"
            if annotation.get("was_cancelled"):
                outcome.removed += inbox.remove_annotation(annotation.get("id"))
                continue
            try:
                doc = document_from_annotation(task, annotation)
            except _TaskProblems as e:
                outcome.problems.extend(f"{where}: {p}" for p in e.problems)
                continue
            inbox.put(doc)
            outcome.stored.append(doc.id)
        outcome.start_training = train_on_annotation and bool(outcome.stored)
    elif action in DELETE_ACTIONS:
        for item in payload.get("annotations") if isinstance(payload.get("annotations"), list) else []:
            if isinstance(item, dict):
                outcome.removed += inbox.remove_annotation(item.get("id"))
    else:
        outcome.ignored = True
    return outcome


def training_tasks_outcome(tasks: list[dict], *, inbox: Inbox) -> EventOutcome:
    """The legacy `/train` call (its body carries every annotated task): store them all, then train."""
    from .importer import import_tasks

    report = import_tasks(tasks)
    for doc in report.documents:
        inbox.put(doc)
    return EventOutcome(action="TRAIN", stored=[d.id for d in report.documents], start_training=True)
