"""Administrative endpoints; mounted only when SOLIEU_ADMIN_TOKEN is set."""

from __future__ import annotations

import logging

import anyio.to_thread
from fastapi import APIRouter, Depends, Request

from solieu.errors import ModelError, SolieuError

from ..api_models import ModelInfo, ReloadResponse
from ..deps import require_admin
from ..errors import error_responses

router = APIRouter(prefix="/v1/admin", tags=["admin"], dependencies=[Depends(require_admin)])
log = logging.getLogger("solieu.service")


@router.post("/reload", response_model=ReloadResponse, responses=error_responses(401, 503),
             summary="Load the model from SOLIEU_MODEL_PATH again and swap it in")
async def reload(request: Request) -> ReloadResponse:
    """The new pipeline is loaded beside the old one, then swapped in at
    once: requests in flight finish on the old one. If loading fails, the
    old one keeps serving and the answer says why."""
    state = request.app.state
    async with state.reload_lock:
        previous = state.holder.current
        try:
            new = await anyio.to_thread.run_sync(state.loader, state.settings.model_path)
        except SolieuError as e:
            serving = f"still serving {previous.name} {previous.version}" if previous else "no model is loaded"
            raise ModelError(f"reload failed, {serving}: {e}") from e
        state.holder.swap(new)
        state.holder.reloads += 1
    log.info("model reloaded", extra={"event": "reload", "model": new.name, "model_version": new.version})
    return ReloadResponse(
        previous=ModelInfo(name=previous.name, version=previous.version) if previous is not None else None,
        model=ModelInfo(name=new.name, version=new.version),
    )
