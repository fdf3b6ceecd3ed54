"""A time budget and a cancel flag for one unit of work, checked where the work can stop.

The service runs extraction in a worker thread, which cannot be killed; so the
extractors check the budget between pieces of text (`check_budget()`), and a
request past its time, or whose client has gone, stops there and frees the
worker. The budget travels in a context variable, so that extractors and the
test fakes keep their plain `extract_many(inputs)` signature.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from solieu.errors import TimeBudgetExceeded, WorkCancelled


@dataclass
class Budget:
    seconds: float | None = None
    cancelled: threading.Event = field(default_factory=threading.Event)
    started: float = field(default_factory=time.monotonic)

    def check(self) -> None:
        if self.cancelled.is_set():
            raise WorkCancelled("the client went away; the work was stopped")
        if self.seconds is not None and time.monotonic() - self.started > self.seconds:
            raise TimeBudgetExceeded(
                f"extraction took longer than the time budget of {self.seconds:g} s and was stopped; "
                "send the document in smaller parts")


_CURRENT: ContextVar[Budget | None] = ContextVar("solieu_budget", default=None)


@contextmanager
def work_budget(budget: Budget) -> Iterator[Budget]:
    token = _CURRENT.set(budget)
    try:
        yield budget
    finally:
        _CURRENT.reset(token)


def check_budget() -> None:
    """Raise if the current work is past its time or cancelled; nothing when no budget is set."""
    budget = _CURRENT.get()
    if budget is not None:
        budget.check()
