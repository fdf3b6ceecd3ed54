"""A worker process whose requests queue for an inference thread closes keep-alive connections,
so that a client pool opened in a burst on one worker spreads over the others."""

from __future__ import annotations

import threading
import time

import anyio
from service_helpers import SAMPLE, FakePipeline
from solieu.service.inference import connection_should_move


def test_only_a_worker_with_queued_requests_and_somewhere_to_move_sheds():
    async def main() -> list[bool]:
        limiter = anyio.CapacityLimiter(1)
        seen = [connection_should_move(limiter, workers=2)]
        await limiter.acquire()
        seen.append(connection_should_move(limiter, workers=2))  # busy, nothing queued
        async with anyio.create_task_group() as group:
            async def wait_for_a_thread() -> None:
                async with limiter:
                    pass

            group.start_soon(wait_for_a_thread)
            while limiter.statistics().tasks_waiting == 0:
                await anyio.sleep(0.001)
            seen.append(connection_should_move(limiter, workers=2))
            seen.append(connection_should_move(limiter, workers=1))
            limiter.release()
        return seen

    assert anyio.run(main) == [False, False, True, False]


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
