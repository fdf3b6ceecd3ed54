"""Service settings, read from `SOLIEU_*` environment variables."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from solieu.model_store import default_model_path


class Settings(BaseSettings):
    """Every knob of the service; `Settings()` reads the environment."""

    model_config = SettingsConfigDict(env_prefix="SOLIEU_", extra="ignore")

    model_path: Path = Field(default_factory=default_model_path, description="Model directory to serve.")
    # `rules` serves the rules baseline (no model directory needed): for demos
    # before a model is trained, and for end-to-end tests of the service itself.
    extractor: Literal["model", "rules"] = "model"
    max_request_bytes: int = Field(default=8 * 1024 * 1024, gt=0, description="Largest request body accepted (413 above).")
    max_documents: int = Field(default=64, gt=0, description="Most documents in one /v1/extract request.")
    max_text_chars: int = Field(default=500_000, gt=0, description="Longest text of one document, in characters.")
    max_id_chars: int = Field(default=256, gt=0)
    # Requests extracted at once in each worker process. They share the worker's one model and take
    # turns on it batch by batch, first come first served (solieu.budget.Turns), so a short request
    # is answered between two batches of a long one instead of after its whole time budget.
    # /ready answers 503 while all of them are busy.
    inference_threads: int = Field(default=4, gt=0)
    # Each request's extraction stops at this many seconds (504), freeing the worker; a text that
    # needs longer should be sent in parts or through `solieu batch`.
    request_timeout_s: float = Field(default=60.0, gt=0, description="Time budget of one request's extraction.")
    # Processes that `solieu serve` starts, each with its own model (one BLAS thread each, see
    # solieu.compute): by default one per core this process may run on.
    workers: int | None = Field(default=None, gt=0, description="Worker processes (default: one per core).")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list, description="Off when empty.")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    admin_token: str | None = Field(default=None, description="Bearer token of /v1/admin/*; those are disabled when unset.")
    # A worker with requests queued for an inference thread closes a keep-alive connection now and
    # then, so that connections spread over the workers (service/inference.py, ConnectionSpreader).
    # Off when something in front balances each request itself.
    spread_connections: bool = True
    # When false, the service starts without a model (/ready answers 503 with
    # the reason) instead of refusing to start; a reload can then bring one in.
    require_model: bool = True
    # Every entity and relation carries the model's calibrated confidence (solieu.confidence) when
    # the model has one. `beam_scores` gives entities the NER's beam probability instead: a second,
    # beam-search pass (about 1.5x the extraction), poorly calibrated (benchmarks/calibration.py).
    beam_scores: bool = False

    def worker_count(self) -> int:
        if self.workers is not None:
            return self.workers
        try:
            return len(os.sched_getaffinity(0))
        except AttributeError:  # not Linux
            return os.cpu_count() or 1

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, v: object) -> object:
        # `SOLIEU_CORS_ORIGINS=https://a.example,https://b.example` or a JSON list.
        if isinstance(v, str):
            v = v.strip()
            if v.startswith("["):
                import json

                return json.loads(v)
            return [part.strip() for part in v.split(",") if part.strip()]
        return v

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, v: object) -> object:
        return v.upper() if isinstance(v, str) else v

    @field_validator("admin_token")
    @classmethod
    def _blank_is_unset(cls, v: str | None) -> str | None:
        return v if v and v.strip() else None
