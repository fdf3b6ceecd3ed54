"""Answers in the exchange format, as every edge writes it: no nulls except a date value's two
ends (`solieu.schema.DateValue` dumps both keys itself), compact UTF-8 JSON."""

from __future__ import annotations

from fastapi.responses import Response
from pydantic import BaseModel


def exchange_response(body: BaseModel) -> Response:
    # pydantic's own JSON writer, as the batch runner and the corpus files use: compact, UTF-8
    # unescaped, and twice as fast as a dict dump through `json.dumps`.
    return Response(body.model_dump_json(exclude_none=True), media_type="application/json")
