"""Structured (JSON lines) logging for the service process.

Only the process entry points call `configure_logging`; building an app
never touches logging configuration.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

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
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(level: str = "INFO", *, stream=None) -> None:
    """JSON lines on stderr for the `solieu.service` loggers; idempotent."""
    logger = logging.getLogger("solieu.service")
    for handler in list(logger.handlers):
        if getattr(handler, "_solieu_json", False):
            logger.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler._solieu_json = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False


def resident_memory_mb() -> float | None:
    """This process's resident memory now (Linux /proc), in MiB; None where it cannot be read."""
    try:
        pages = int(open("/proc/self/statm", encoding="ascii").read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    import os

    return round(pages * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)
