"""Extractors by name, so that CLI, benchmarks and evaluation pick one the same way.

An extractor is a callable `(text, *, doc_id, document_date) -> Document`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from solieu import __version__ as solieu_version
from solieu.errors import InputError
from solieu.schema import SPEC_VERSION, Document, DocumentInput

Extractor = Callable[..., Document]
EXTRACTOR_NAMES = ("model", "rules", "underthesea")


def check_extractor_name(name: str) -> str:
    if name not in EXTRACTOR_NAMES:
        raise InputError(f"unknown extractor {name!r}; choose one of {', '.join(EXTRACTOR_NAMES)}")
    return name


def get_extractor(name: str, *, model: str | None = None) -> Extractor:
    if name == "rules":
        from solieu.rules import extract

        return extract
    if name == "underthesea":
        from solieu.baselines import extract_underthesea

        return extract_underthesea
    if name == "model":
        from solieu.pipeline import load_pipeline

        return load_pipeline(model).extract
    raise InputError(f"unknown extractor {name!r}; choose one of {', '.join(EXTRACTOR_NAMES)}")


class PipelineInterface:
    """What every pipeline shares (see service.pipelines.Pipeline): a `meta`
    with its name and version, and `extract` as a one-document `extract_many`."""

    meta: dict

    @property
    def name(self) -> str:
        return str(self.meta.get("name", "unnamed"))

    @property
    def version(self) -> str:
        return str(self.meta.get("version", "0.0.0"))

    def extract(self, text: str, *, doc_id: str = "doc", document_date: str | None = None) -> Document:
        return next(iter(self.extract_many([DocumentInput(id=doc_id, text=text, document_date=document_date)])))

    def extract_many(self, inputs: Iterable[DocumentInput]) -> Iterator[Document]:
        raise NotImplementedError


@dataclass
class RulesPipeline(PipelineInterface):
    """The rules baseline behind the pipeline interface (no model directory)."""

    meta: dict = field(
        default_factory=lambda: {
            "name": "solieu_rules",
            "version": solieu_version,
            "description": "Rules baseline: patterns for the five labels, nearest-owner relations.",
            "solieu": {"spec_version": SPEC_VERSION},
        }
    )

    def extract(self, text: str, *, doc_id: str = "doc", document_date: str | None = None) -> Document:
        from solieu.rules import extract

        return extract(text, doc_id=doc_id, document_date=document_date)

    def extract_many(self, inputs: Iterable[DocumentInput]) -> Iterator[Document]:
        for item in inputs:
            yield self.extract(item.text, doc_id=item.id or "doc", document_date=item.document_date)
