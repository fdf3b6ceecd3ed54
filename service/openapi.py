"""The OpenAPI document says what the server enforces.

FastAPI writes the request schemas from the Pydantic models, which cannot know
this service's configured limits or the checks of `checks.py`; they are added
here, from the same settings and patterns the checks use, so that a client
generated from the schema (and schemathesis) never sends what the server refuses.
Ids unique within one request is the one rule JSON Schema cannot state; the
batch schema's description says it.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from solieu.schema import ISO_DAY_PATTERN

from .checks import TEXT_PATTERN
from .settings import Settings


def _document_input(schema: dict[str, Any], settings: Settings) -> None:
    props = schema["properties"]
    props["text"].update(minLength=1, maxLength=settings.max_text_chars, pattern=TEXT_PATTERN)
    for variant in props["id"].get("anyOf", [props["id"]]):
        if variant.get("type") == "string":
            variant.update(minLength=1, maxLength=settings.max_id_chars, pattern=TEXT_PATTERN)
    for variant in props["document_date"].get("anyOf", [props["document_date"]]):
        if variant.get("type") == "string":
            variant.update(format="date", pattern=ISO_DAY_PATTERN)


def install_openapi(app: FastAPI, settings: Settings) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description,
                                 routes=app.routes)
            components = schema.get("components", {}).get("schemas", {})
            for name in ("DocumentInput", "DocumentInput-Input"):
                if name in components:
                    _document_input(components[name], settings)
            batch = components.get("BatchInput")
            if batch is not None:
                batch["properties"]["documents"]["maxItems"] = settings.max_documents
                batch["description"] = (batch.get("description", "") + " Ids must be unique within the request "
                                        "(a missing id becomes doc-N, N its position from 1).").strip()
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi
