"""Tagging one document, the same way in every engine, and naming what tagged it."""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from importlib import metadata

import solieu
from solieu.batch.sources import SourceItem, load_item
from solieu.errors import ModelError, SolieuError
from solieu.extractors import EXTRACTOR_NAMES
from solieu.interface import ExtractFunction
from solieu.schema import SPEC_VERSION


@dataclass
class Outcome:
    """One document's result: its exchange-format line, or an error record."""

    id: str
    json: str | None = None
    error: dict | None = None
    characters: int = 0
    entities: int = 0
    relations: int = 0

    def as_document(self) -> tuple[str, str, int, int, int]:
        return (self.id, self.json or "", self.characters, self.entities, self.relations)


def process_item(
    item: SourceItem, extract: ExtractFunction, *, document_date: str | None = None, max_chars: int | None = None
) -> Outcome:
    """Read and tag one document; any failure becomes the outcome's error, never an exception.

    Errors solieu raises on purpose carry their stable code; anything else is
    a bug in a reader or an extractor, recorded with its traceback so that it
    can be reported, while the run goes on with the next document.
    """
    stage = "read"
    try:
        doc = load_item(item, max_chars=max_chars)
        stage = "extract"
        result = extract(doc.text, doc_id=item.id, document_date=doc.document_date or document_date)
        line = result.model_dump_json(exclude_none=True)
    except SolieuError as e:
        return Outcome(item.id, error=error_record(item, stage, e), characters=0)
    except Exception as e:  # a bug, not a bad input: recorded per document, with its traceback
        record = error_record(item, stage, e)
        record["traceback"] = "".join(traceback.format_exception(e))[-4000:]
        return Outcome(item.id, error=record)
    return Outcome(
        item.id, json=line, characters=len(result.text),
        entities=len(result.entities), relations=len(result.relations),
    )


def error_record(item: SourceItem, stage: str, error: BaseException | str, *, code: str | None = None) -> dict:
    if isinstance(error, BaseException):
        message = str(error) or type(error).__name__
        kind = type(error).__name__
        code = code or getattr(error, "code", None) or "internal_error"
    else:
        message, kind, code = error, "WorkerCrash", code or "worker_crashed"
    return {"id": item.id, "source": item.where, "stage": stage, "code": code, "type": kind, "error": message}


def describe_extractor(name: str, *, model: str | None = None) -> dict:
    """Name, version and path of what will tag the documents, without loading a model.

    For the model extractor this also checks, before any worker starts, that
    the directory is a model, so that a wrong path is one clear error rather
    than a failure in every worker.
    """
    if name not in EXTRACTOR_NAMES:
        raise SolieuError(f"unknown extractor {name!r}; choose one of {', '.join(EXTRACTOR_NAMES)}")
    if name == "model":
        from solieu.model_store import model_directory

        try:
            path, meta = model_directory(model)
        except ModelError as e:
            raise ModelError(f"{e}; or use --extractor rules") from e
        return {
            "name": str(meta.get("name", path.name)), "version": str(meta.get("version", "0.0.0")),
            "extractor": name, "path": str(path.resolve()),
        }
    if name == "underthesea":
        return {"name": "underthesea", "version": metadata.version("underthesea"), "extractor": name, "path": None}
    return {"name": f"solieu.{name}", "version": solieu.__version__, "extractor": name, "path": None}


def versions() -> dict:
    return {"solieu": solieu.__version__, "spec": SPEC_VERSION}
