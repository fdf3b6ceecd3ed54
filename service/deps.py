"""FastAPI dependencies: settings, the pipeline of this request, guards.

All are `async def`: none blocks, and FastAPI runs a plain `def` dependency in its thread pool,
a hand-off per dependency per request (three on /v1/extract) that cost more than the work."""

from __future__ import annotations

import hmac

from fastapi import Request

from solieu.errors import ModelNotReady, Unauthorized, UnsupportedMediaType

from .pipelines import Pipeline, PipelineHolder
from .settings import Settings


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_holder(request: Request) -> PipelineHolder:
    return request.app.state.holder


async def get_pipeline(request: Request) -> Pipeline:
    """The pipeline this request runs on, taken once: a reload during the
    request does not change it."""
    holder: PipelineHolder = request.app.state.holder
    pipeline = holder.current
    if pipeline is None:
        reason = f": {holder.error}" if holder.error else "; it is still loading, retry shortly"
        raise ModelNotReady(f"the model is not loaded{reason}")
    return pipeline


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def require_json(request: Request) -> None:
    media_type = _media_type(request)
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise UnsupportedMediaType(
            f"the body is {media_type or 'of no declared type'}; send application/json "
            "(a file goes to /v1/extract/file as multipart/form-data)"
        )


async def require_multipart(request: Request) -> None:
    media_type = _media_type(request)
    if media_type != "multipart/form-data":
        raise UnsupportedMediaType(
            f"the body is {media_type or 'of no declared type'}; send multipart/form-data "
            "with the file in the field 'file'"
        )


async def require_admin(request: Request) -> None:
    token: str | None = request.app.state.settings.admin_token
    # The admin routes are only mounted when a token is set; this guards the
    # token itself.
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if token is None or scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise Unauthorized("this endpoint needs 'Authorization: Bearer <SOLIEU_ADMIN_TOKEN>'")
