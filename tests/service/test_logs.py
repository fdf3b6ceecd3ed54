"""The service's log lines are written off the calling thread, and none is lost."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
import time

from solieu.service import logs
from solieu.service.context import reset_request_id, set_request_id
from solieu.service.logs import configure_logging, stop_logging


class StalledStream:
    """A log stream that takes nothing until it is released, like a full pipe."""

    def __init__(self) -> None:
        self.released = threading.Event()
        self.lines: list[str] = []

    def write(self, text: str) -> None:
        self.released.wait(timeout=10)
        self.lines.append(text)

    def flush(self) -> None:
        pass


def test_a_stalled_log_stream_does_not_hold_the_caller_and_loses_no_line():
    stream = StalledStream()
    configure_logging("INFO", stream=stream)
    log = logging.getLogger("solieu.service.access")
    try:
        token = set_request_id("req-7")
        try:
            for n in range(3):
                log.info("request %d", n, extra={"event": "request", "n": n})
        finally:
            reset_request_id(token)
        # Had the caller written the lines itself, it would have waited for the stream and the
        # lines would be there by now.
        assert stream.lines == []
        stream.released.set()
    finally:
        stop_logging()
    records = [json.loads(line) for line in "".join(stream.lines).splitlines()]
    assert [r["n"] for r in records] == [0, 1, 2]
    assert {r["msg"] for r in records} == {"request 0", "request 1", "request 2"}
    # The request id is the one of the logging call, read in its thread, not the writer's.
    assert {r["request_id"] for r in records} == {"req-7"}


def test_a_traceback_is_written_as_text():
    lines: list[str] = []

    class Collecting:
        def write(self, text: str) -> None:
            lines.append(text)

        def flush(self) -> None:
            pass

    configure_logging("INFO", stream=Collecting())
    try:
        try:
            raise ValueError("the cause")
        except ValueError as e:
            logging.getLogger("solieu.service").error("failed", exc_info=e)
    finally:
        stop_logging()
    [record] = [json.loads(line) for line in "".join(lines).splitlines()]
    assert record["level"] == "ERROR" and "ValueError: the cause" in record["exc"]


def test_stopping_detaches_the_handler():
    configure_logging("INFO", stream=StalledStream())
    stop_logging()
    logger = logging.getLogger("solieu.service")
    assert logger.handlers == [] and logger.propagate
    stop_logging()  # twice is harmless


def test_lines_still_queued_at_exit_are_written():
    script = (
        "import logging\n"
        "from solieu.service.logs import configure_logging\n"
        "configure_logging('INFO')\n"
        "log = logging.getLogger('solieu.service')\n"
        "for n in range(500):\n"
        "    log.info('line %d', n)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    messages = [json.loads(line)["msg"] for line in done.stderr.splitlines()]
    assert messages == [f"line {n}" for n in range(500)]


def test_a_stream_that_takes_nothing_costs_bounded_memory_and_the_drop_is_told(monkeypatch):
    monkeypatch.setattr(logs, "QUEUED_RECORDS_MAX", 3)
    stream = StalledStream()
    configure_logging("INFO", stream=stream)
    log = logging.getLogger("solieu.service")
    [handler] = log.handlers
    try:
        for n in range(10):
            log.info("line %d", n)
        stream.released.set()
        deadline = time.monotonic() + 10
        while not handler.queue.empty() and time.monotonic() < deadline:
            time.sleep(0.01)
        log.info("after")
    finally:
        stop_logging()
    records = [json.loads(line) for line in "".join(stream.lines).splitlines()]
    kept = [r["msg"] for r in records if r.get("event") != "log_records_dropped"]
    [notice] = [r for r in records if r.get("event") == "log_records_dropped"]
    # The writer may hold one record besides the three queued: 3 or 4 kept, the rest counted.
    assert kept[:-1] == [f"line {n}" for n in range(len(kept) - 1)] and len(kept) - 1 in (3, 4)
    assert notice["dropped"] == 10 - (len(kept) - 1) and notice["level"] == "WARNING"
    assert records[-2] == notice and kept[-1] == "after"
