"""No request holds a worker past its time budget, and /ready says when every worker is busy."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterable, Iterator

import anyio
import pytest
from service_helpers import FakePipeline, assert_error

from solieu.budget import Budget, check_budget, work_budget
from solieu.errors import TimeBudgetExceeded, WorkCancelled
from solieu.schema import Document, DocumentInput

SAMPLE = "Tính đến ngày 14/05/2025 thu được 17.271 triệu đồng."


class SlowPipeline(FakePipeline):
    """Works in small steps that check the budget, like the real pipeline between pieces of text."""

    def __init__(self, steps: int, step_s: float, **kwargs):
        super().__init__(**kwargs)
        self.steps, self.step_s = steps, step_s
        self.stopped = threading.Event()

    def extract_many(self, inputs: Iterable[DocumentInput]) -> Iterator[Document]:
        items = list(inputs)
        if items[0].text.startswith("slow"):
            try:
                for _ in range(self.steps):
                    time.sleep(self.step_s)
                    check_budget()
            except (TimeBudgetExceeded, WorkCancelled):
                self.stopped.set()
                raise
        yield from super().extract_many(items)


def test_a_request_past_its_budget_gets_504_and_frees_the_worker(make_client):
    pipeline = SlowPipeline(steps=200, step_s=0.02)
    client = make_client(pipeline, request_timeout_s=0.3)
    started = time.monotonic()
    r = client.post("/v1/extract", json={"text": "slow " + SAMPLE})
    assert_error(r, 504, contains="time budget")
    assert time.monotonic() - started < 3, "the work was not stopped at its budget"
    assert pipeline.stopped.is_set()
    # The worker is free again: the next request is answered at once.
    ok = client.post("/v1/extract", json={"text": SAMPLE})
    assert ok.status_code == 200, ok.text


def test_ready_is_503_while_every_worker_is_busy(make_client):
    gate = threading.Event()
    pipeline = FakePipeline(gate=gate)
    client = make_client(pipeline, inference_threads=2)
    assert client.get("/ready").status_code == 200
    workers = [threading.Thread(target=lambda: client.post("/v1/extract", json={"text": SAMPLE})) for _ in range(2)]
    try:
        workers[0].start()
        assert pipeline.entered.wait(5)
        assert client.get("/ready").status_code == 200  # one of two inference threads is still free
        workers[1].start()
        deadline = time.monotonic() + 5
        while client.get("/ready").status_code == 200 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert_error(client.get("/ready"), 503, contains="busy")
    finally:
        gate.set()
        for worker in workers:
            worker.join(10)
    assert client.get("/ready").status_code == 200


def test_a_cancelled_budget_stops_the_work_at_the_next_check():
    budget = Budget()
    with work_budget(budget):
        check_budget()
        budget.cancelled.set()
        try:
            check_budget()
        except WorkCancelled:
            pass
        else:
            raise AssertionError("a cancelled budget did not stop the work")
    check_budget()  # outside any budget: nothing to stop


def test_long_requests_leave_a_thread_free_for_short_ones():
    """Two long documents on two inference threads would make a short question wait for one of
    them; long requests may hold only half of the threads."""
    from solieu.service.inference import LONG_REQUEST_CHARS, extract_documents

    pipeline = SlowPipeline(steps=60, step_s=0.02)  # each long request takes about 1.2 s
    long_doc = DocumentInput(id="long", text="slow " + "x" * LONG_REQUEST_CHARS)
    short_doc = DocumentInput(id="short", text=SAMPLE)

    async def main(long_lane: bool) -> float:
        limiter = anyio.CapacityLimiter(2)
        long_limiter = anyio.CapacityLimiter(1) if long_lane else None
        waited = 0.0
        async with anyio.create_task_group() as group:
            for _ in range(2):
                group.start_soon(lambda: extract_documents(pipeline, [long_doc], limiter, long_limiter=long_limiter))
            await anyio.sleep(0.2)
            started = time.monotonic()
            await extract_documents(pipeline, [short_doc], limiter, long_limiter=long_limiter)
            waited = time.monotonic() - started
        return waited

    assert anyio.run(main, False) > 0.6  # without the long lane the short one waits
    assert anyio.run(main, True) < 0.4


def _run_with_watcher(pipeline, text: str, is_disconnected):
    from solieu.service.inference import extract_documents

    async def main():
        out = await extract_documents(pipeline, [DocumentInput(id="d", text=text)], anyio.CapacityLimiter(1),
                                      is_disconnected=is_disconnected)
        # Nothing of the request is left running once it has answered.
        assert asyncio.all_tasks() == {asyncio.current_task()}
        return out

    return anyio.run(main)


def test_a_client_that_leaves_stops_the_work():
    pipeline = SlowPipeline(steps=200, step_s=0.02)  # 4 s if nothing stops it
    looks: list[float] = []

    async def is_disconnected() -> bool:
        looks.append(time.monotonic())
        return len(looks) >= 2  # gone at the second look

    started = time.monotonic()
    try:
        _run_with_watcher(pipeline, "slow " + SAMPLE, is_disconnected)
    except WorkCancelled:
        pass
    else:
        raise AssertionError("the work went on after the client had gone")
    assert pipeline.stopped.is_set()
    assert time.monotonic() - started < 2
    assert looks[0] - started >= 0.2, "the first look comes a poll interval in"


def test_a_quick_request_never_looks_for_its_client():
    looks: list[int] = []

    async def is_disconnected() -> bool:
        looks.append(1)
        return False

    docs, _ = _run_with_watcher(FakePipeline(), SAMPLE, is_disconnected)
    assert [d.id for d in docs] == ["d"] and looks == []


def test_an_error_of_the_watcher_is_not_swallowed():
    class Broken(RuntimeError):
        pass

    async def is_disconnected() -> bool:
        raise Broken("receive failed")

    with pytest.raises(Broken):
        _run_with_watcher(SlowPipeline(steps=20, step_s=0.02), "slow " + SAMPLE, is_disconnected)
