"""Structured (JSON lines) logging for the service process.

Only the process entry points call `configure_logging`; building an app
never touches logging configuration.

Records are written by a thread of their own, never by the event loop: a log stream that blocks
(a full pipe to a stalled collector) would otherwise stall every request of the worker.
"""

from __future__ import annotations

import atexit
import json
import logging
import queue
import sys
from datetime import UTC, datetime
from logging.handlers import QueueHandler, QueueListener

from .context import current_request_id

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or current_request_id(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry:
                entry[key] = value
        exc = record.exc_text or (self.formatException(record.exc_info) if record.exc_info else None)
        if exc:
            entry["exc"] = exc
        return json.dumps(entry, ensure_ascii=False, default=str)


# Records waiting for a stalled stream: beyond this many, new ones are counted and dropped, so
# that a stream that never drains costs bounded memory (about 1 KB a record).
QUEUED_RECORDS_MAX = 10_000


class _HandOffHandler(QueueHandler):
    """Queues a record for the writer thread with what only the logging thread knows: the
    request id (a context variable) and the message and traceback as text, so that nothing it
    refers to can change before the line is written.

    When the queue is full the record is dropped and counted; the next record that finds room is
    preceded by a warning that says how many were dropped."""

    def __init__(self, records: queue.Queue, formatter: logging.Formatter):
        super().__init__(records)
        self._formatter = formatter
        self.dropped = 0

    def enqueue(self, record: logging.LogRecord) -> None:
        try:
            if self.dropped:
                self.queue.put_nowait(self._dropped_notice(record))
                self.dropped = 0
            self.queue.put_nowait(record)
        except queue.Full:
            self.dropped += 1

    def _dropped_notice(self, before: logging.LogRecord) -> logging.LogRecord:
        notice = logging.LogRecord(_LOGGER, logging.WARNING, __file__, 0,
                                   "%d log records dropped: the log stream took nothing while %d waited",
                                   (self.dropped, QUEUED_RECORDS_MAX), None)
        notice.created = before.created
        notice.event = "log_records_dropped"
        notice.dropped = self.dropped
        return self.prepare(notice)

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        record.request_id = getattr(record, "request_id", None) or current_request_id()
        record.msg, record.args = record.getMessage(), None
        if record.exc_info:
            record.exc_text = self._formatter.formatException(record.exc_info)
            record.exc_info = None
        return record


class _Writer(QueueListener):
    def enqueue_sentinel(self) -> None:
        # Waits for room: a full queue still has every record before the end written.
        self.queue.put(self._sentinel)


_LOGGER = "solieu.service"
_active: tuple[QueueHandler, QueueListener] | None = None


def configure_logging(level: str = "INFO", *, stream=None) -> None:
    """JSON lines on stderr (or `stream`) for the `solieu.service` loggers, written by a thread
    of their own; idempotent. Every record queued is written by `stop_logging`, which runs at
    exit."""
    global _active
    stop_logging()
    formatter = JsonFormatter()
    writer = logging.StreamHandler(stream or sys.stderr)
    writer.setFormatter(formatter)
    records: queue.Queue = queue.Queue(maxsize=QUEUED_RECORDS_MAX)
    handler = _HandOffHandler(records, formatter)
    listener = _Writer(records, writer)
    listener.start()
    logger = logging.getLogger(_LOGGER)
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
    _active = (handler, listener)
    atexit.unregister(stop_logging)  # registered once, however often this is called
    atexit.register(stop_logging)


def stop_logging() -> None:
    """Writes every record still queued and detaches the handler `configure_logging` added."""
    global _active
    if _active is None:
        return
    handler, listener = _active
    _active = None
    logger = logging.getLogger(_LOGGER)
    logger.removeHandler(handler)
    logger.setLevel(logging.NOTSET)
    logger.propagate = True
    listener.stop()


def resident_memory_mb() -> float | None:
    """This process's resident memory now (Linux /proc), in MiB; None where it cannot be read."""
    try:
        pages = int(open("/proc/self/statm", encoding="ascii").read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    import os

    return round(pages * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)
