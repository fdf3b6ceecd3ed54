"""Answers in the exchange format, as every edge writes it: no nulls except a date value's two
ends (`solieu.schema.DateValue` dumps both keys itself), compact UTF-8 JSON."""

from __future__ import annotations

import json

from fastapi.responses import Response
from pydantic import BaseModel


def exchange_response(body: BaseModel) -> Response:
    data = body.model_dump(mode="json", exclude_none=True)
    return Response(json.dumps(data, ensure_ascii=False, separators=(",", ":")), media_type="application/json")
