"""What the service is and serves: /health, /ready, /v1/labels, /v1/model."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from solieu import __version__
from solieu.errors import WorkersBusy
from solieu.schema import (
    ENTITY_LABELS,
    LABEL_DESCRIPTIONS,
    RELATION_LABELS,
    RELATION_SIGNATURES,
    SPEC_VERSION,
)

from ..api_models import (
    HealthResponse,
    LabelInfo,
    LabelsResponse,
    ModelInfo,
    ModelResponse,
    ReadyResponse,
    RelationLabelInfo,
)
from ..deps import get_holder, get_pipeline
from ..errors import error_responses
from ..pipelines import Pipeline, PipelineHolder

router = APIRouter()


@router.get("/health", response_model=HealthResponse, tags=["ops"], summary="Liveness: the process answers")
async def health() -> HealthResponse:
    return HealthResponse(version=__version__)


@router.get("/ready", response_model=ReadyResponse, responses=error_responses(503), tags=["ops"],
            summary="Readiness: a model is loaded and a worker is free (503 otherwise)")
async def ready(request: Request, pipeline: Annotated[Pipeline, Depends(get_pipeline)]) -> ReadyResponse:
    # A saturated worker is not ready: a request sent now would wait behind the running ones.
    stats = request.app.state.limiter.statistics()
    if stats.borrowed_tokens >= stats.total_tokens:
        raise WorkersBusy(f"every inference worker is busy ({stats.borrowed_tokens} running, "
                          f"{stats.tasks_waiting} waiting); try another replica or retry shortly")
    return ReadyResponse(model=ModelInfo(name=pipeline.name, version=pipeline.version))


@router.get("/v1/labels", response_model=LabelsResponse, tags=["labels"],
            summary="The label set, with Vietnamese names and descriptions")
async def labels() -> LabelsResponse:
    return LabelsResponse(
        spec_version=SPEC_VERSION,
        entities=[LabelInfo(label=name, **LABEL_DESCRIPTIONS[name]) for name in ENTITY_LABELS],
        relations=[
            RelationLabelInfo(
                label=name, **LABEL_DESCRIPTIONS[name],
                head=sorted(RELATION_SIGNATURES[name][0]), tail=sorted(RELATION_SIGNATURES[name][1]),
            )
            for name in RELATION_LABELS
        ],
    )


def _scores(meta: dict) -> dict:
    # spaCy writes `performance`; solieu's trainer may write `metrics`.
    for key in ("metrics", "performance", "scores"):
        value = meta.get(key)
        if isinstance(value, dict):
            return value
    return {}


@router.get("/v1/model", response_model=ModelResponse, responses=error_responses(503), tags=["model"],
            summary="The served model's meta and evaluation scores")
async def model(
    pipeline: Annotated[Pipeline, Depends(get_pipeline)],
    holder: Annotated[PipelineHolder, Depends(get_holder)],
) -> ModelResponse:
    meta = dict(pipeline.meta or {})
    solieu_meta = meta.get("solieu") if isinstance(meta.get("solieu"), dict) else {}
    return ModelResponse(
        name=pipeline.name,
        version=pipeline.version,
        spec_version=str(solieu_meta.get("spec_version", SPEC_VERSION)),
        loaded_at=holder.loaded_at,
        scores=_scores(meta),
        meta=meta,
    )
