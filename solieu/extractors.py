"""The one registry of extractors: every edge (CLI, service, batch, Label Studio, benchmarks)
names and loads an extractor here, with the same defaults.

    load_extractor("model")                # the shipped or promoted model
    load_extractor("model", model="DIR")   # a model directory, or a models directory with promoted.json
    load_extractor("rules")                # the rules baseline, no model directory
    load_extractor("underthesea")          # underthesea's own `ner` (ORG as AGENCY), a baseline
"""

from __future__ import annotations

from solieu import __version__ as solieu_version
from solieu.errors import InputError
from solieu.interface import FunctionPipeline, PipelineInterface
from solieu.schema import SPEC_VERSION

EXTRACTOR_NAMES = ("model", "rules", "underthesea")


def check_extractor_name(name: str) -> str:
    if name not in EXTRACTOR_NAMES:
        raise InputError(f"unknown extractor {name!r}; choose one of {', '.join(EXTRACTOR_NAMES)}")
    return name


def rules_pipeline() -> PipelineInterface:
    from solieu.rules import extract

    return FunctionPipeline(extract, {
        "name": "solieu_rules", "version": solieu_version, "solieu": {"spec_version": SPEC_VERSION},
        "description": "Rules baseline: patterns for the five labels, nearest-owner relations.",
    })


def underthesea_pipeline() -> PipelineInterface:
    from importlib.metadata import version

    from solieu.baselines import extract_underthesea

    return FunctionPipeline(extract_underthesea, {
        "name": "underthesea_ner", "version": version("underthesea"), "solieu": {"spec_version": SPEC_VERSION},
        "description": "underthesea's ner, ORG read as AGENCY; no other label, no relations.",
    })


def load_extractor(name: str = "model", *, model: str | None = None, entity_scores: bool = False) -> PipelineInterface:
    """The extractor `name`; `model` and `entity_scores` matter to the model only.
    InputError for an unknown name, ModelError for a model directory that cannot be loaded."""
    check_extractor_name(name)
    if name == "rules":
        return rules_pipeline()
    if name == "underthesea":
        return underthesea_pipeline()
    from solieu.pipeline import load_pipeline

    return load_pipeline(model, entity_scores=entity_scores)
