"""Errors as HTTP answers, in one place.

Every error the service sends has the body
`{"error": {"code", "message", "request_id"}}` (plus `details` for
validation errors). solieu's error types map to status codes through
`STATUS_BY_ERROR`, looked up along the exception's class hierarchy so that a
new subtype gets its parent's status until it is given its own.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from solieu.errors import (
    AlignmentError,
    DocumentTooLarge,
    InputError,
    ModelError,
    RequestTooLarge,
    SolieuError,
    TimeBudgetExceeded,
    Unauthorized,
    UnsupportedFileType,
    WorkCancelled,
    WorkersBusy,
)

from .context import current_request_id

log = logging.getLogger("solieu.service")


STATUS_BY_ERROR: dict[type[SolieuError], int] = {
    Unauthorized: 401,
    RequestTooLarge: 413,
    DocumentTooLarge: 413,
    UnsupportedFileType: 415,
    InputError: 422,
    ModelError: 503,
    # Past the request's time budget: the work was stopped and the worker freed.
    TimeBudgetExceeded: 504,
    WorkersBusy: 503,
    # The client went away; nobody reads this answer, but the log shows why the work stopped.
    WorkCancelled: 503,
    # A model span off token boundaries is the model's fault, not the caller's.
    AlignmentError: 500,
    SolieuError: 500,
}


def status_for(error: SolieuError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return 500


class ErrorDetail(BaseModel):
    loc: list[str | int] = Field(description="Where in the request, e.g. ['body', 'documents', 0, 'text'].")
    msg: str


class ErrorInfo(BaseModel):
    code: str = Field(examples=["empty_text"])
    message: str = Field(examples=["documents[0].text: the text is empty or only whitespace"])
    request_id: str | None = Field(default=None, examples=["5f0c3a8e2b7d4c1e9a6b0d2f4e8c1a3b"])
    details: list[ErrorDetail] | None = None


class ErrorBody(BaseModel):
    """The one shape of every error answer."""

    error: ErrorInfo


def error_response(status: int, code: str, message: str, *, details: list[dict] | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"code": code, "message": message, "request_id": current_request_id()}
    if details is not None:
        body["details"] = details
    return JSONResponse({"error": body}, status_code=status, headers=headers)


# What each route may answer besides 200, for the OpenAPI schema.
def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    descriptions = {
        401: "Missing or wrong bearer token",
        404: "Not found",
        413: "Request or document too large",
        415: "Unsupported content or file type",
        422: "Invalid input",
        503: "Model not loaded, or every worker busy",
        504: "Extraction ran past the request's time budget and was stopped",
    }
    return {s: {"model": ErrorBody, "description": descriptions.get(s, "Error")} for s in statuses}


_JSON_ERRORS = {"json_invalid", "json_type"}
_SHAPE_TAGS = {"single", "batch"}


def _validation_message(errors: list[dict]) -> tuple[str, str, list[dict]]:
    details = []
    parts = []
    for err in errors[:20]:
        loc = [p if isinstance(p, int) else str(p) for p in err.get("loc", ())]
        msg = str(err.get("msg", "invalid value"))
        details.append({"loc": loc, "msg": msg})
        # 'single'/'batch' are the request-shape tags, not fields the caller wrote.
        shown = [p for p in loc[1:] if p not in _SHAPE_TAGS and not str(p).startswith("function-")]
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in shown).lstrip(".") or "body"
        parts.append(f"{where}: {msg}")
    json_errors = [e for e in errors if e.get("type") in _JSON_ERRORS]
    code = "invalid_json" if json_errors else "validation_error"
    if len(errors) == 1 and tuple(errors[0].get("loc", ())) == ("body",) and errors[0].get("type") == "missing":
        return "empty_body", "the request has no body; send a JSON object with 'text' or 'documents'", details
    message = "; ".join(parts) or "the request is invalid"
    if json_errors:
        err = json_errors[0]
        reason = str((err.get("ctx") or {}).get("error") or err.get("msg", "decode error"))
        loc = err.get("loc", ())
        at = f" at character {loc[-1]}" if loc and isinstance(loc[-1], int) else ""
        message = f"the body is not valid JSON{at}: {reason}; send a JSON object with 'text' or 'documents'"
    if len(errors) > 20:
        message += f"; … and {len(errors) - 20} more"
    return code, message, details


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(SolieuError)
    async def _solieu_error(request: Request, exc: SolieuError) -> JSONResponse:
        status = status_for(exc)
        if status >= 500:
            log.error("request failed: %s", exc, exc_info=exc)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return error_response(status, exc.code, str(exc), headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        code, message, details = _validation_message(list(exc.errors()))
        return error_response(422, code, message, details=details)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {404: "not_found", 405: "method_not_allowed", 400: "bad_request"}
        code = codes.get(exc.status_code, f"http_{exc.status_code}")
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        cause = exc.__cause__
        if exc.status_code == 400 and "multipart/" in request.headers.get("content-type", ""):
            # Starlette's answer to a body its multipart parser cannot read.
            return error_response(422, "invalid_multipart", f"the multipart body cannot be read ({message}); "
                                  "send multipart/form-data with the file in the field 'file'")
        if exc.status_code == 400 and cause is not None:
            # FastAPI turns any failure to decode a JSON body into a bare 400;
            # say what was wrong, as for malformed JSON.
            if isinstance(cause, UnicodeDecodeError):
                reason = f"not UTF-8 (byte {cause.start})"
            elif isinstance(cause, RecursionError):
                reason = "nested too deeply"
            else:
                reason = "not decodable"
            return error_response(422, "invalid_json", f"the body is not valid JSON: {reason}; "
                                  "send a UTF-8 JSON object with 'text' or 'documents'")
        if exc.status_code == 404:
            message = f"no such endpoint: {request.method} {request.url.path}; see /docs"
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        return error_response(exc.status_code, code, message, headers=getattr(exc, "headers", None))
