"""Running a pipeline off the event loop, within a time budget, stopped when the client leaves."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import anyio
import anyio.to_thread

from solieu.budget import Budget, work_budget
from solieu.schema import Document, DocumentInput

from .pipelines import Pipeline

_DISCONNECT_POLL_S = 0.25
# A request with more text than this is long: long requests may hold only part of a worker's
# inference threads (`long_limiter`), so that short questions always find one free.
LONG_REQUEST_CHARS = 20_000


@dataclass
class ConnectionSpreader:
    """Says when an answer should close its keep-alive connection, so that the client's next
    request is accepted afresh, by whichever worker process takes it first.

    A connection stays with the worker process that accepted it, and a client pool that opens
    its connections in a burst can have them all accepted by one worker while the other cores
    idle (measured: 8 clients on 2 workers, three runs in about twenty, half the throughput). A
    worker whose requests are queued for an inference thread closes connections until they spread
    out. At most one every `min_interval_s`: when every worker is queued, closing on each answer
    would make a busy client reconnect for each request and run out of ports in TIME_WAIT. With
    one worker there is nowhere to move to.
    """

    workers: int
    min_interval_s: float = 0.1
    _last_close: float = field(default=float("-inf"), repr=False)

    def should_close(self, limiter: anyio.CapacityLimiter) -> bool:
        if self.workers <= 1 or limiter.statistics().tasks_waiting == 0:
            return False
        now = time.monotonic()
        if now - self._last_close < self.min_interval_s:
            return False
        self._last_close = now
        return True


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
        while not await is_disconnected():
            await anyio.sleep(_DISCONNECT_POLL_S)
        budget.cancelled.set()

    # The watcher task is only started a poll interval in, from a timer: most requests are done
    # by then, and a task group with a watcher task cost every request about 0.4 ms of event-loop
    # work (its start, its cancellation, the wait for it) against 20 ms of inference.
    loop = asyncio.get_running_loop()
    watcher: asyncio.Task | None = None

    def start_watching() -> None:
        nonlocal watcher
        watcher = loop.create_task(watch())

    timer = loop.call_later(_DISCONNECT_POLL_S, start_watching)
    try:
        out = await anyio.to_thread.run_sync(run, limiter=limiter)
    finally:
        timer.cancel()
        if watcher is not None:
            watcher.cancel()
            # Waited for, so that it never outlives the request; `asyncio.wait` raises neither
            # its cancellation nor its error, and still passes on a cancellation of this task.
            await asyncio.wait([watcher])
    watcher_error = watcher.exception() if watcher is not None and not watcher.cancelled() else None
    if watcher_error is not None:
        raise watcher_error
    return out
