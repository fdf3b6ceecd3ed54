"""What the service serves: an extractor of the one interface (`solieu.interface`: `extract`,
`extract_many`, `meta`, `name`, `version`), held so that a reload swaps it atomically.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from solieu.interface import PipelineInterface

# The service's name for the extractor interface, defined once in solieu.interface.
Pipeline = PipelineInterface

PipelineLoader = Callable[[Path], Pipeline]


def loader_for(extractor: str, *, entity_scores: bool) -> PipelineLoader:
    """The service's loader of `extractor` from the one registry (`solieu.extractors`): a model
    path for the model; the rules ignore it."""
    from solieu.extractors import check_extractor_name, load_extractor

    check_extractor_name(extractor)

    def load(path: Path) -> Pipeline:
        return load_extractor(extractor, model=str(path), entity_scores=entity_scores)

    return load


@dataclass
class PipelineHolder:
    """The pipeline now served. A request takes `current` once and keeps that
    object to the end, so a reload (which only rebinds `current`) never
    changes a pipeline under a request in flight."""

    current: Pipeline | None = None
    loaded_at: float | None = None
    error: str | None = None
    reloads: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def swap(self, pipeline: Pipeline) -> Pipeline | None:
        old, self.current = self.current, pipeline
        self.loaded_at = time.time()
        self.error = None
        return old
