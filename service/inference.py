"""Running a pipeline off the event loop."""

from __future__ import annotations

import time

import anyio.to_thread

from solieu.schema import Document, DocumentInput

from .pipelines import Pipeline


async def extract_documents(pipeline: Pipeline, docs: list[DocumentInput],
                            limiter: anyio.CapacityLimiter) -> tuple[list[Document], float]:
    """Documents in input order and the milliseconds spent, in a worker thread
    bounded by `limiter` so the event loop keeps answering /health meanwhile."""

    def run() -> tuple[list[Document], float]:
        started = time.perf_counter()
        out = list(pipeline.extract_many(docs))
        return out, (time.perf_counter() - started) * 1000

    return await anyio.to_thread.run_sync(run, limiter=limiter)
