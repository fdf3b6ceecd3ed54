"""What every extractor is: a leaf module (it imports only the schema), so that the registry,
the pipelines and the edges can all name it without importing one another.

An extractor has a `meta` (name, version, spec), `extract(text)` and
`extract_many(inputs)`; `extract` is a one-document `extract_many`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from solieu.schema import Document, DocumentInput

# `extract` of an extractor: (text, *, doc_id, document_date) -> Document.
ExtractFunction = Callable[..., Document]


class PipelineInterface:
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


class FunctionPipeline(PipelineInterface):
    """A document-at-a-time extract function (the rules, underthesea) behind the interface."""

    def __init__(self, extract: ExtractFunction, meta: dict):
        self._extract = extract
        self.meta = meta

    def extract(self, text: str, *, doc_id: str = "doc", document_date: str | None = None) -> Document:
        return self._extract(text, doc_id=doc_id, document_date=document_date)

    def extract_many(self, inputs: Iterable[DocumentInput]) -> Iterator[Document]:
        for item in inputs:
            yield self.extract(item.text, doc_id=item.id or "doc", document_date=item.document_date)
