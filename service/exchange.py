"""Answers in the exchange format: no nulls, as the CLI writes it, except the
two fields the schema requires even when null.

`DateValue.start`/`end` are required but may be null (a relative period with
no document date); a plain `exclude_none` dump would write `"value": {}`,
which `Document` then refuses to read back.
"""

from __future__ import annotations

import json

from fastapi.responses import Response
from pydantic import BaseModel

from solieu.schema import DateValue, Document


def _restore_date_values(dumped_docs: list[dict], docs: list[Document]) -> None:
    for dumped, doc in zip(dumped_docs, docs, strict=True):
        for out, ent in zip(dumped["entities"], doc.entities, strict=True):
            if isinstance(ent.value, DateValue):
                out["value"] = {"start": ent.value.start, "end": ent.value.end}


def exchange_response(body: BaseModel, docs: list[Document]) -> Response:
    data = body.model_dump(mode="json", exclude_none=True)
    _restore_date_values(data["documents"], docs)
    return Response(json.dumps(data, ensure_ascii=False, separators=(",", ":")), media_type="application/json")
