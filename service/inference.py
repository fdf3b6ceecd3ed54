"""Running a pipeline off the event loop, within a time budget, stopped when the client leaves."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

import anyio
import anyio.to_thread

from solieu.budget import Budget, work_budget
from solieu.schema import Document, DocumentInput

from .pipelines import Pipeline

_DISCONNECT_POLL_S = 0.25
# A request with more text than this is long: long requests may hold only part of a worker's
# inference threads (`long_limiter`), so that short questions always find one free.
LONG_REQUEST_CHARS = 20_000


async def extract_documents(pipeline: Pipeline, docs: list[DocumentInput], limiter: anyio.CapacityLimiter, *,
                            budget_s: float | None = None,
                            is_disconnected: Callable[[], Awaitable[bool]] | None = None,
                            long_limiter: anyio.CapacityLimiter | None = None,
                            ) -> tuple[list[Document], float]:
    """As `_extract`; a long request first waits for a place among the long ones."""
    if long_limiter is not None and sum(len(d.text) for d in docs) > LONG_REQUEST_CHARS:
        async with long_limiter:
            return await _extract(pipeline, docs, limiter, budget_s=budget_s, is_disconnected=is_disconnected)
    return await _extract(pipeline, docs, limiter, budget_s=budget_s, is_disconnected=is_disconnected)


async def _extract(pipeline: Pipeline, docs: list[DocumentInput], limiter: anyio.CapacityLimiter, *,
                   budget_s: float | None, is_disconnected: Callable[[], Awaitable[bool]] | None,
                   ) -> tuple[list[Document], float]:
    """Documents in input order and the milliseconds spent, in a worker thread
    bounded by `limiter` so the event loop keeps answering /health meanwhile.

    The work checks its budget between pieces of text: past `budget_s` it
    raises TimeBudgetExceeded, and when `is_disconnected` says the client has
    gone it raises WorkCancelled; either way the worker thread is free again.
    The budget counts from when the work starts, not from when it was queued.
    """
    budget = Budget(seconds=budget_s)

    def run() -> tuple[list[Document], float]:
        budget.started = time.monotonic()
        with work_budget(budget):
            out = list(pipeline.extract_many(docs))
        return out, (time.monotonic() - budget.started) * 1000

    if is_disconnected is None:
        return await anyio.to_thread.run_sync(run, limiter=limiter)

    async def watch() -> None:
        # The first look is a poll interval in: most requests are done by then, and each look
        # costs the event loop a cancel scope (starlette's `is_disconnected`).
        await anyio.sleep(_DISCONNECT_POLL_S)
        while not await is_disconnected():
            await anyio.sleep(_DISCONNECT_POLL_S)
        budget.cancelled.set()

    # The work's own error is raised after the watcher is stopped, as itself (not in a group),
    # so that the service maps it to its status code like any other.
    error: Exception | None = None
    async with anyio.create_task_group() as group:
        group.start_soon(watch)
        try:
            out = await anyio.to_thread.run_sync(run, limiter=limiter)
        except Exception as e:  # noqa: BLE001 - re-raised below, once the watcher has stopped
            error = e
        finally:
            group.cancel_scope.cancel()
    if error is not None:
        raise error
    return out
