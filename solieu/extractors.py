"""Extractors by name, so that CLI, benchmarks and evaluation pick one the same way.

An extractor is a callable `(text, *, doc_id, document_date) -> Document`.
"""

from __future__ import annotations

from collections.abc import Callable

from solieu.errors import InputError
from solieu.schema import Document

Extractor = Callable[..., Document]
EXTRACTOR_NAMES = ("model", "rules", "underthesea")


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
