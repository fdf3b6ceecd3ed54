"""Answers in the exchange format, as every edge writes it: no nulls except a date value's two
ends (`solieu.schema.DateValue` dumps both keys itself), compact UTF-8 JSON."""

from __future__ import annotations

from collections.abc import Iterable

from fastapi.responses import Response
from pydantic import BaseModel

from solieu.figures import figures_csv
from solieu.schema import Document

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"


def exchange_response(body: BaseModel) -> Response:
    # pydantic's own JSON writer, as the batch runner and the corpus files use: compact, UTF-8
    # unescaped, and twice as fast as a dict dump through `json.dumps`.
    return Response(body.model_dump_json(exclude_none=True), media_type="application/json")


def figures_response(docs: Iterable[Document]) -> Response:
    """The figures of `docs`, one CSV row each (`solieu.figures`), as a file to save."""
    return Response(figures_csv(docs), media_type=CSV_MEDIA_TYPE,
                    headers={"content-disposition": 'attachment; filename="figures.csv"'})
