"""POST /v1/extract and /v1/extract/file."""

from __future__ import annotations

import time
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, File, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from solieu.readers import read_upload
from solieu.schema import Document, DocumentInput

from ..api_models import (
    EXTRACT_OPENAPI_EXAMPLES,
    BatchInput,
    ExtractRequest,
    ExtractResponse,
    FileExtractResponse,
    FileInfo,
    ModelInfo,
    Timing,
)
from ..checks import check_document_date, check_documents, check_text
from ..deps import get_pipeline, get_settings, require_json, require_multipart
from ..errors import error_responses
from ..exchange import CSV_MEDIA_TYPE, exchange_response, figures_response
from ..inference import extract_documents
from ..pipelines import Pipeline
from ..settings import Settings

router = APIRouter(prefix="/v1", tags=["extract"])

AnswerFormat = Annotated[Literal["json", "csv"], Query(
    alias="format",
    description="`json` (the exchange format) or `csv`: one row per MONEY or PERCENT, with its value, owner, "
                "date and confidence, as `solieu extract --table` writes it (UTF-8 with a byte-order mark). "
                "Errors are JSON either way.",
)]


def _responses(model: type) -> dict:
    # The 200 answer in both formats, beside the errors, for the OpenAPI document.
    return {200: {"model": model, "content": {CSV_MEDIA_TYPE: {"schema": {"type": "string"}}}},
            **error_responses(413, 415, 422, 503, 504)}


async def _run(request: Request, pipeline: Pipeline, docs: list[DocumentInput], settings: Settings,
               started: float) -> tuple[list[Document], Timing]:
    """The checked documents through the pipeline, in this worker's threads and within the
    request's time budget, with the timing the answer reports."""
    state = request.app.state
    results, inference_ms = await extract_documents(pipeline, docs, state.limiter,
                                                    budget_s=settings.request_timeout_s,
                                                    is_disconnected=request.is_disconnected,
                                                    long_limiter=state.long_limiter)
    return results, Timing(
        total_ms=round((time.perf_counter() - started) * 1000, 3),
        inference_ms=round(inference_ms, 3),
        documents=len(results),
        characters=sum(len(d.text) for d in docs),
    )


def _answer(request: Request, body: ExtractResponse, answer_format: str) -> Response:
    # Serialised here, once: FastAPI's response_model path would validate
    # every Document a second time. `response_model` stays on the routes for
    # the OpenAPI schema.
    response = figures_response(body.documents) if answer_format == "csv" else exchange_response(body)
    # A worker with queued requests sends some clients to reconnect elsewhere (ConnectionSpreader).
    if request.app.state.spreader.should_close(request.app.state.limiter):
        response.headers["connection"] = "close"
    return response


@router.post(
    "/extract",
    response_model=ExtractResponse,
    responses=_responses(ExtractResponse),
    dependencies=[Depends(require_json)],
    summary="Extract entities and relations from one document or a batch",
)
async def extract(
    request: Request,
    body: Annotated[ExtractRequest, Body(openapi_examples=EXTRACT_OPENAPI_EXAMPLES)],
    settings: Annotated[Settings, Depends(get_settings)],
    pipeline: Annotated[Pipeline, Depends(get_pipeline)],
    answer_format: AnswerFormat = "json",
) -> Response:
    """One document (`text`, optional `id` and `document_date`) or
    `{"documents": [...]}`; the answer always lists `documents`, in request
    order, in the exchange format of LABELS.md."""
    started = time.perf_counter()
    batch = isinstance(body, BatchInput)
    inputs: list[DocumentInput] = body.documents if batch else [body]
    docs = check_documents(inputs, settings, batch=batch)
    results, timing = await _run(request, pipeline, docs, settings, started)
    return _answer(request, ExtractResponse(
        model=ModelInfo(name=pipeline.name, version=pipeline.version), timing=timing, documents=results,
    ), answer_format)


@router.post(
    "/extract/file",
    response_model=FileExtractResponse,
    responses=_responses(FileExtractResponse),
    dependencies=[Depends(require_multipart)],
    summary="Extract from an uploaded .txt, .md, .pdf or .docx file",
)
async def extract_file(
    request: Request,
    file: Annotated[UploadFile, File(description="The report: .txt or .md (UTF-8), .pdf with a text layer, or .docx.")],
    settings: Annotated[Settings, Depends(get_settings)],
    pipeline: Annotated[Pipeline, Depends(get_pipeline)],
    id: Annotated[str | None, Form(description="Id of the document in the answer (default: the file name).")] = None,
    document_date: Annotated[str | None, Form(description="YYYY-MM-DD; gives year-less dates a year.",
                                              examples=["2025-06-04"])] = None,
    answer_format: AnswerFormat = "json",
) -> Response:
    """The text is read from the file and extracted like /v1/extract; the
    answer's `documents[0].text` is that text, which the offsets refer to."""
    started = time.perf_counter()
    data = await file.read()
    filename = file.filename or "upload"
    # Parsing PDF and Word files is CPU work: off the event loop too.
    extracted = await run_in_threadpool(
        read_upload, data, filename=filename, media_type=file.content_type,
        max_chars=settings.max_text_chars, max_unpacked_bytes=settings.max_request_bytes * 20,
    )
    check_document_date(document_date, "document_date")
    text = check_text(extracted.text, "the file's text", settings)
    [doc] = check_documents([DocumentInput(id=id or filename, text=text, document_date=document_date)],
                            settings, batch=False)
    results, timing = await _run(request, pipeline, [doc], settings, started)
    return _answer(request, FileExtractResponse(
        model=ModelInfo(name=pipeline.name, version=pipeline.version), timing=timing, documents=results,
        file=FileInfo(filename=filename, kind=extracted.kind, size_bytes=len(data), pages=extracted.pages,
                      characters=len(doc.text)),
    ), answer_format)
