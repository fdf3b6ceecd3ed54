"""solieu: figures out of Vietnamese socio-economic reports.

    import solieu
    nlp = solieu.load()                      # the shipped model (or solieu.load("path/to/model"), solieu.load("rules"))
    doc = nlp.extract("Tính đến ngày 14/05/2025 thu được 17.271 triệu đồng, đạt 55,3% dự toán.")
    for entity in doc.entities: print(entity.label, entity.text, entity.value)
    docs = list(nlp.extract_many([solieu.DocumentInput(id="a", text="…", document_date="2025-06-04")]))

Documents are `solieu.Document` (the exchange format of LABELS.md); offsets index the text as sent.
Nothing is loaded at import time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.5.0"

if TYPE_CHECKING:
    from solieu.interface import PipelineInterface

__all__ = ["Document", "DocumentInput", "__version__", "load"]


def load(model: str | None = None, *, entity_scores: bool = False) -> PipelineInterface:
    """A pipeline with `.extract(text)` and `.extract_many(inputs)`: a model directory (default: the
    shipped or promoted model), or "rules" for the rules baseline. ModelError when it cannot load."""
    from solieu.extractors import load_extractor

    if model in ("rules", "underthesea"):
        return load_extractor(model)
    return load_extractor("model", model=model, entity_scores=entity_scores)


def __getattr__(name: str) -> Any:
    # The schema types, importable as solieu.Document without importing pydantic models at `import solieu`.
    if name in ("Document", "DocumentInput"):
        from solieu import schema

        return getattr(schema, name)
    raise AttributeError(f"module 'solieu' has no attribute {name!r}")
