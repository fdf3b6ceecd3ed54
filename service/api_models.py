"""Request and response bodies of the HTTP API.

Documents themselves are solieu.schema's `DocumentInput` (in) and
`Document` (out, the exchange format); this module only wraps them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StrictInt,
    StrictStr,
    Tag,
    field_validator,
)

from solieu.schema import ISO_DAY_PATTERN, Document, DocumentInput, iso_day

SINGLE_EXAMPLE = {
    "id": "lang-son-2025-05",
    "text": "Tính đến hết ngày 14/05/2025 thu được 17.271 triệu đồng đạt 55,3% dự toán tỉnh giao.",
    "document_date": "2025-06-04",
}
BATCH_EXAMPLE = {
    "documents": [
        SINGLE_EXAMPLE,
        {
            "id": "doc-2",
            "text": "Sở Xây dựng giải ngân 24,023 tỷ đồng cho dự án Tuyến Cao tốc cửa khẩu Hữu Nghị - Chi Lăng.",
        },
    ]
}


class BatchInput(BaseModel):
    """Several documents in one request, answered in the same order."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [BATCH_EXAMPLE]})

    documents: list[DocumentInput] = Field(min_length=1, description="At most SOLIEU_MAX_DOCUMENTS documents.")


def _request_kind(value: Any) -> str:
    return "batch" if isinstance(value, dict) and "documents" in value else "single"


# One document or a batch; told apart by the `documents` key so that a bad
# request is reported against the shape it meant, not against both.
ExtractRequest = Annotated[
    Annotated[DocumentInput, Tag("single")] | Annotated[BatchInput, Tag("batch")],
    Discriminator(_request_kind),
]

EXTRACT_OPENAPI_EXAMPLES = {
    "single": {"summary": "One document", "value": SINGLE_EXAMPLE},
    "batch": {"summary": "Several documents", "value": BATCH_EXAMPLE},
}


class ModelInfo(BaseModel):
    name: str = Field(examples=["solieu_vi_default"])
    version: str = Field(examples=["0.1.0"])


class Timing(BaseModel):
    total_ms: float = Field(description="Time in the service for this request, checks and inference.")
    inference_ms: float = Field(description="Time spent extracting.")
    documents: int
    characters: int


class ExtractResponse(BaseModel):
    """Exchange-format documents, in request order, with the model that made them."""

    model: ModelInfo
    timing: Timing
    documents: list[Document]


class FileInfo(BaseModel):
    filename: str
    kind: Literal["txt", "md", "pdf", "docx"]
    size_bytes: int
    pages: int | None = Field(default=None, description="PDF pages read.")
    characters: int = Field(description="Length of the extracted text, which `documents[0].text` holds.")


class FileExtractResponse(ExtractResponse):
    """As /v1/extract, for the text extracted from the file; offsets refer to `documents[0].text`."""

    file: FileInfo


class LabelInfo(BaseModel):
    label: str
    vi: str = Field(description="Vietnamese name.")
    description: str


class RelationLabelInfo(LabelInfo):
    head: list[str]
    tail: list[str]


class LabelsResponse(BaseModel):
    spec_version: str
    entities: list[LabelInfo]
    relations: list[RelationLabelInfo]


class ModelResponse(BaseModel):
    name: str
    version: str
    spec_version: str | None
    loaded_at: float | None = Field(description="Unix time the pipeline was loaded.")
    scores: dict[str, Any] = Field(description="Evaluation scores recorded in the model's meta.json.")
    meta: dict[str, Any]


class HealthResponse(BaseModel):
    status: Literal["ok"] = "ok"
    version: str


class ReadyResponse(BaseModel):
    status: Literal["ready"] = "ready"
    model: ModelInfo


class ReloadResponse(BaseModel):
    status: Literal["reloaded"] = "reloaded"
    previous: ModelInfo | None
    model: ModelInfo


# --- Label Studio's ML backend protocol: the parts of its bodies this service reads. Label Studio
# sends more (project, label_config, params…), which is allowed and passed on untouched.

class _LabelStudioBody(BaseModel):
    model_config = ConfigDict(extra="allow")


class LabelStudioTaskData(_LabelStudioBody):
    text: str = Field(description="The task's text: the project's <Text> reads $text.")
    doc_id: str | None = Field(default=None, description="solieu document id (default labelstudio-task-ID).")
    document_date: str | None = Field(default=None, description="YYYY-MM-DD; gives year-less dates a year.",
                                      json_schema_extra={"format": "date", "pattern": ISO_DAY_PATTERN})

    @field_validator("document_date")
    @classmethod
    def _calendar_day(cls, v: str | None) -> str | None:
        return iso_day(v)


class LabelStudioTask(_LabelStudioBody):
    id: StrictInt | StrictStr | None = None
    data: LabelStudioTaskData


class PredictRequest(_LabelStudioBody):
    """`POST /predict`: the tasks to pre-annotate."""

    tasks: list[LabelStudioTask]


class WebhookEvent(_LabelStudioBody):
    """`POST /webhook`: a project event; annotation events carry `annotation` and `task`."""

    action: str = Field(min_length=1, examples=["ANNOTATION_CREATED", "START_TRAINING"])


class TrainRequest(_LabelStudioBody):
    """`POST /train` (legacy): every annotated task of the project."""

    annotations: list[dict[str, Any]] = Field(min_length=1)
