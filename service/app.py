"""The app factory.

`create_app(settings, pipeline_loader=...)` builds the app; its lifespan
loads the pipeline once (never at import) and the routes run inference in a
bounded worker thread. `create_app_from_env` is the factory uvicorn calls in
each worker process (`solieu serve --workers N`).
"""

from __future__ import annotations

import asyncio
import logging
import os
from contextlib import asynccontextmanager
from importlib import resources

import anyio
import anyio.to_thread
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from solieu import __version__
from solieu.errors import SolieuError

from . import ml_backend
from .errors import install_error_handlers
from .inference import ConnectionSpreader
from .logs import resident_memory_mb
from .middleware import BodyLimitMiddleware, RequestContextMiddleware
from .openapi import install_openapi
from .pipelines import PipelineHolder, PipelineLoader, loader_for
from .routes import admin, extract, info, ui
from .settings import Settings

log = logging.getLogger("solieu.service")

DESCRIPTION = """\
Entities (MONEY, PERCENT, DATE, AGENCY, PROJECT) and relations (BELONGS_TO,
AS_OF) from Vietnamese socio-economic reports, in solieu's exchange format.
Errors always answer `{"error": {"code", "message", "request_id"}}`.
"""


def create_app(settings: Settings | None = None, *, pipeline_loader: PipelineLoader | None = None) -> FastAPI:
    """An app serving `pipeline_loader(settings.model_path)` (default: the
    loader of `settings.extractor`)."""
    settings = settings or Settings()
    loader = pipeline_loader or loader_for(settings.extractor, entity_scores=settings.beam_scores)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.limiter = anyio.CapacityLimiter(settings.inference_threads)
        # Long requests (service/inference.py) may hold at most half of the threads.
        app.state.long_limiter = anyio.CapacityLimiter(max(1, settings.inference_threads // 2))
        app.state.reload_lock = asyncio.Lock()
        try:
            pipeline = await anyio.to_thread.run_sync(loader, settings.model_path)
        except SolieuError as e:
            if settings.require_model:
                log.error("cannot start: %s", e)
                raise
            app.state.holder.error = str(e)
            log.error("starting without a model: %s", e)
        else:
            app.state.holder.swap(pipeline)
            # One model per worker process: its memory is what each extra worker costs.
            log.info("model loaded", extra={"event": "model_loaded", "model": pipeline.name,
                                            "model_version": pipeline.version, "pid": os.getpid(),
                                            "rss_mb": resident_memory_mb()})
        yield

    app = FastAPI(
        title="solieu",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.settings = settings
    # Spreading off is a spreader that sees one worker: it never closes a connection.
    app.state.spreader = ConnectionSpreader(workers=settings.worker_count() if settings.spread_connections else 1)
    app.state.loader = loader
    app.state.holder = PipelineHolder()

    install_error_handlers(app)
    install_openapi(app, settings)
    app.include_router(info.router)
    app.include_router(extract.router)
    app.include_router(ml_backend.router)
    if settings.admin_token:
        app.include_router(admin.router)
    app.include_router(ui.router)
    static_dir = resources.files("solieu.service") / "static"
    app.mount("/static", StaticFiles(directory=str(static_dir)), name="static")

    # Added last = outermost: the request id wraps everything, the limit
    # applies before any route reads a byte.
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_request_bytes)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "Authorization", "X-Request-ID"], expose_headers=["X-Request-ID"],
        )
    app.add_middleware(RequestContextMiddleware)
    return app


def create_app_from_env() -> FastAPI:
    """uvicorn's factory (`solieu.service.app:create_app_from_env`): settings
    from SOLIEU_* variables, JSON logs."""
    from solieu.compute import keep_torch_out, model_needs_torch
    from solieu.model_store import resolve_model_path

    from .logs import configure_logging

    settings = Settings()
    configure_logging(settings.log_level)
    if settings.extractor == "model" and not model_needs_torch(resolve_model_path(settings.model_path)):
        keep_torch_out()  # a server process, before spaCy is imported: thinc would load torch for nothing
    return create_app(settings)
