"""A worker process whose requests queue for an inference thread closes keep-alive connections,
so that a client pool opened in a burst on one worker spreads over the others."""

from __future__ import annotations

import threading
import time

import anyio
from service_helpers import SAMPLE, FakePipeline
from solieu.service.inference import ConnectionSpreader


def test_only_a_worker_with_queued_requests_and_somewhere_to_move_sheds():
    async def main() -> list[bool]:
        limiter = anyio.CapacityLimiter(1)
        two, one = ConnectionSpreader(workers=2), ConnectionSpreader(workers=1)
        seen = [two.should_close(limiter)]
        await limiter.acquire()
        seen.append(two.should_close(limiter))  # busy, nothing queued
        async with anyio.create_task_group() as group:
            async def wait_for_a_thread() -> None:
                async with limiter:
                    pass

            group.start_soon(wait_for_a_thread)
            while limiter.statistics().tasks_waiting == 0:
                await anyio.sleep(0.001)
            seen.append(two.should_close(limiter))
            seen.append(one.should_close(limiter))
            limiter.release()
        return seen

    assert anyio.run(main) == [False, False, True, False]


def test_connections_close_at_most_once_an_interval():
    """Were every answer of a queued worker to close its connection, a client keeping every
    worker busy would reconnect for each request, and leave a socket in TIME_WAIT each time."""
    class Queued:
        def statistics(self):
            return anyio.CapacityLimiterStatistics(borrowed_tokens=1, total_tokens=1, borrowers=(),
                                                   tasks_waiting=3)

    spreader = ConnectionSpreader(workers=2, min_interval_s=0.2)
    assert [spreader.should_close(Queued()) for _ in range(3)] == [True, False, False]
    time.sleep(0.25)
    assert spreader.should_close(Queued())


def _answers_while_queued(make_client, *, workers: int) -> list[str | None]:
    gate = threading.Event()
    client = make_client(FakePipeline(gate=gate), inference_threads=1, workers=workers)
    answers: list[str | None] = []

    def ask() -> None:
        r = client.post("/v1/extract", json={"text": SAMPLE})
        assert r.status_code == 200, r.text
        answers.append(r.headers.get("connection"))

    askers = [threading.Thread(target=ask) for _ in range(3)]
    for asker in askers:
        asker.start()
    limiter = client.app.state.limiter
    deadline = time.monotonic() + 10
    while limiter.statistics().tasks_waiting < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert limiter.statistics().tasks_waiting == 2
    gate.set()
    for asker in askers:
        asker.join(10)
    return answers


def test_answers_close_the_connection_while_requests_queue(make_client):
    answers = _answers_while_queued(make_client, workers=2)
    assert len(answers) == 3
    # The first answer leaves one request queued; the last leaves none and keeps its connection.
    assert answers.count("close") == 1, answers


def test_one_worker_keeps_every_connection(make_client):
    assert _answers_while_queued(make_client, workers=1) == [None, None, None]
