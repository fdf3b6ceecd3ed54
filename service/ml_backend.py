"""Label Studio's ML backend protocol on the service, plus training job status.

Connect it in Label Studio under Project → Settings → Model with the
service's base URL (`http://127.0.0.1:8000`): Label Studio then calls
`GET /health` (the service's own liveness route: Label Studio 1.23 only
needs a 200 with JSON), `POST /setup`, `POST /predict` and, for every
project event, `POST /webhook`. The protocol's bodies are handled by
solieu.labelstudio.ml_backend; this module only moves them over HTTP.

Training is off unless `SOLIEU_LABELSTUDIO_TRAINING=true`: a webhook that
asks for it then launches `python -m solieu.cli_commands.retrain …` (= `solieu retrain`) as a child
process (the service never imports training code), answers at once with
the job, and `GET /v1/training/jobs` reports it. The child promotes the
new model if it is not worse and asks this service to reload it.
"""

from __future__ import annotations

import os
import shlex
import sys
import threading
from pathlib import Path
from typing import Annotated, Any

import anyio.to_thread
from fastapi import APIRouter, Body, Depends, Request
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from starlette.exceptions import HTTPException

from solieu.labelstudio import ml_backend as protocol
from solieu.labelstudio.inbox import Inbox
from solieu.labelstudio.jobs import TrainingJobs

from .api_models import PredictRequest, TrainRequest, WebhookEvent
from .deps import get_pipeline
from .errors import error_responses
from .pipelines import Pipeline

router = APIRouter(tags=["label studio"])


class LabelStudioSettings(BaseSettings):
    """`SOLIEU_LABELSTUDIO_*`: where webhook annotations go and how training starts."""

    model_config = SettingsConfigDict(env_prefix="SOLIEU_LABELSTUDIO_", extra="ignore")

    inbox: Path = Field(default=Path("runs/labelstudio/inbox"), description="Annotations received by webhook.")
    jobs_dir: Path = Field(default=Path("runs/labelstudio/jobs"), description="Training job logs.")
    training: bool = Field(default=False, description="Let START_TRAINING (and /train) launch retraining.")
    train_on_annotation: bool = Field(default=False, description="Also retrain after each submitted annotation.")
    # The whole command, shell-split; default: retrain on the inbox, then reload this service.
    train_command: Annotated[list[str] | None, NoDecode] = None
    retrain_args: str = Field(default="", description="Extra arguments for the default retrain command.")

    @field_validator("train_command", mode="before")
    @classmethod
    def _split(cls, v: object) -> object:
        return shlex.split(v) if isinstance(v, str) else v


class LabelStudioState:
    def __init__(self, settings: LabelStudioSettings, service_url: str | None):
        self.settings = settings
        self.inbox = Inbox(settings.inbox)
        self.jobs = TrainingJobs(settings.jobs_dir)
        self.service_url = service_url  # None: no admin token, so the job cannot ask for a reload

    def train_command(self) -> list[str]:
        if self.settings.train_command:
            return list(self.settings.train_command)
        reload = ["--reload-url", self.service_url] if self.service_url else []
        return [sys.executable, "-m", "solieu.cli_commands.retrain", "--new", str(self.settings.inbox),
                *reload, *shlex.split(self.settings.retrain_args)]


_state_lock = threading.Lock()


def get_labelstudio(request: Request) -> LabelStudioState:
    """The app's Label Studio state, made on first use (settings read then)."""
    app = request.app
    with _state_lock:
        state = getattr(app.state, "labelstudio", None)
        if state is None:
            settings = getattr(app.state, "labelstudio_settings", None) or LabelStudioSettings()
            service = app.state.settings
            # The job reaches the service as a client would; it reads the token from SOLIEU_ADMIN_TOKEN.
            url = f"http://{service.host}:{service.port}" if service.admin_token else None
            state = LabelStudioState(settings, url)
            app.state.labelstudio = state
    return state


def _model_version(pipeline: Pipeline) -> str:
    return protocol.model_version_of(pipeline.name, pipeline.version)


def _start_training(state: LabelStudioState, reason: str) -> dict[str, Any]:
    if not state.settings.training:
        return {"status": "training_disabled",
                "message": "training is off on this service; start it with SOLIEU_LABELSTUDIO_TRAINING=true"}
    job, started = state.jobs.start(state.train_command(), reason=reason, env=dict(os.environ))
    return {"status": "started" if started else "already_running", "job": job.id, "job_status": job.status}


@router.post("/setup", responses=error_responses(503), summary="Label Studio ML backend: connect a project")
async def setup(
    pipeline: Annotated[Pipeline, Depends(get_pipeline)],
    payload: Annotated[dict[str, Any] | None, Body()] = None,
) -> dict[str, Any]:
    return protocol.setup(payload or {}, model_version=_model_version(pipeline))


@router.post("/predict", responses=error_responses(422, 503),
             summary="Label Studio ML backend: pre-annotations for tasks")
async def predict(
    request: Request,
    pipeline: Annotated[Pipeline, Depends(get_pipeline)],
    payload: PredictRequest,
) -> dict[str, Any]:
    tasks = payload.model_dump(mode="json", exclude_unset=True)["tasks"]
    version = _model_version(pipeline)

    def run() -> dict[str, Any]:
        return protocol.predict(tasks, extract_many=pipeline.extract_many, model_version=version)

    return await anyio.to_thread.run_sync(run, limiter=request.app.state.limiter)


@router.get("/versions", responses=error_responses(503), summary="Label Studio ML backend: model versions")
async def versions(pipeline: Annotated[Pipeline, Depends(get_pipeline)]) -> dict[str, Any]:
    return {"versions": [_model_version(pipeline)]}


@router.post("/webhook", status_code=201, responses=error_responses(422),
             summary="Label Studio ML backend: project events (annotations, START_TRAINING)")
async def webhook(
    state: Annotated[LabelStudioState, Depends(get_labelstudio)],
    event: WebhookEvent,
) -> dict[str, Any]:
    payload = event.model_dump(mode="json")

    def store():
        return protocol.handle_event(payload, inbox=state.inbox,
                                     train_on_annotation=state.settings.train_on_annotation)

    outcome = await anyio.to_thread.run_sync(store)
    answer: dict[str, Any] = outcome.as_dict()
    if outcome.start_training:
        answer["training"] = _start_training(state, reason=outcome.action)
    return answer


@router.post("/train", status_code=201, responses=error_responses(422),
             summary="Label Studio ML backend (legacy): train on the annotated tasks sent")
async def train(
    state: Annotated[LabelStudioState, Depends(get_labelstudio)],
    payload: TrainRequest,
) -> dict[str, Any]:
    tasks = payload.annotations
    outcome = await anyio.to_thread.run_sync(lambda: protocol.training_tasks_outcome(tasks, inbox=state.inbox))
    training = _start_training(state, reason="TRAIN")
    return {**outcome.as_dict(), "training": training, **({"job": training["job"]} if "job" in training else {})}


@router.post("/job_status", responses=error_responses(404), summary="Label Studio ML backend: status of a training job")
async def job_status(
    state: Annotated[LabelStudioState, Depends(get_labelstudio)],
    payload: Annotated[dict[str, Any], Body()],
) -> dict[str, Any]:
    job = state.jobs.get(str(payload.get("job")))
    if job is None:
        raise HTTPException(status_code=404, detail=f"no training job {payload.get('job')!r}")
    return job.as_dict()


@router.get("/v1/training/jobs", tags=["training"], summary="Training jobs started by Label Studio, newest first")
async def training_jobs(state: Annotated[LabelStudioState, Depends(get_labelstudio)]) -> dict[str, Any]:
    return {"jobs": [job.as_dict() for job in state.jobs.all()], "inbox_documents": len(state.inbox)}


@router.get("/v1/training/jobs/{job_id}", tags=["training"], responses=error_responses(404),
            summary="One training job")
async def training_job(job_id: str, state: Annotated[LabelStudioState, Depends(get_labelstudio)]) -> dict[str, Any]:
    job = state.jobs.get(job_id)
    if job is None:
        raise HTTPException(status_code=404, detail=f"no training job {job_id!r}")
    return job.as_dict()
