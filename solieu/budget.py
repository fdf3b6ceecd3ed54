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
from collections import deque
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


class Turns:
    """A first-come, first-served lock on one model, taken for one batch of text at a time.

    Requests in several threads share one pipeline by taking turns batch by batch: a long
    document lets a short request that arrived meanwhile run between two of its batches, so a
    2 000-character question waits a fraction of a second behind a 400 000-character one, not
    its whole time budget. The model itself is only ever used by one thread at a time, and
    the order is the order of arrival (a plain lock lets the thread that just released it take
    it again at once).
    """

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._waiting: deque[object] = deque()
        self._held = False

    def __enter__(self) -> Turns:
        ticket = object()
        with self._changed:
            self._waiting.append(ticket)
            while self._held or self._waiting[0] is not ticket:
                self._changed.wait()
            self._waiting.popleft()
            self._held = True
        return self

    def __exit__(self, *exc) -> None:
        with self._changed:
            self._held = False
            self._changed.notify_all()
