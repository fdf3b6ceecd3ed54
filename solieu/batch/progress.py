"""How a batch shows its progress: a rich bar on a terminal, periodic log lines elsewhere.

The library only calls a `Progress`; which one, and where it writes, is the
caller's choice (the CLI picks by whether stderr is a terminal).
"""

from __future__ import annotations

import time
from typing import Protocol, TextIO


class Progress(Protocol):
    def start(self, *, total: int, done: int) -> None: ...
    def advance(self, *, documents: int, characters: int, failed: int = 0) -> None: ...
    def note(self, message: str) -> None: ...
    def close(self) -> None: ...


class NullProgress:
    def start(self, *, total: int, done: int) -> None:
        pass

    def advance(self, *, documents: int, characters: int, failed: int = 0) -> None:
        pass

    def note(self, message: str) -> None:
        pass

    def close(self) -> None:
        pass


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}h{m:02d}m{s:02d}s" if h else f"{m}m{s:02d}s"


class LogProgress:
    """One plain line every `interval_s` seconds (and at the end): counts, rate and ETA."""

    def __init__(self, stream: TextIO, *, interval_s: float = 10.0):
        self.stream = stream
        self.interval_s = interval_s
        self.total = self.done = self.before = self.failed = self.characters = 0
        self.started = self.last = time.monotonic()

    def start(self, *, total: int, done: int) -> None:
        self.total, self.done, self.before = total, done, done
        self.started = self.last = time.monotonic()
        self._line(f"{total - done} document(s) to tag ({done} of {total} already done)")

    def advance(self, *, documents: int, characters: int, failed: int = 0) -> None:
        self.done += documents
        self.failed += failed
        self.characters += characters
        now = time.monotonic()
        if now - self.last >= self.interval_s:
            self.last = now
            self._status(now)

    def note(self, message: str) -> None:
        self._line(message)

    def close(self) -> None:
        self._status(time.monotonic())

    def _status(self, now: float) -> None:
        elapsed = max(now - self.started, 1e-9)
        rate = (self.done - self.before) / elapsed
        left = self.total - self.done
        eta = _duration(left / rate) if rate > 0 else "?"
        pct = 100.0 * self.done / self.total if self.total else 100.0
        self._line(
            f"{self.done}/{self.total} documents ({pct:.1f}%), {self.failed} failed, "
            f"{rate:.1f} docs/s, {self.characters / elapsed:,.0f} chars/s, elapsed {_duration(elapsed)}, ETA {eta}"
        )

    def _line(self, text: str) -> None:
        self.stream.write(f"[solieu batch {time.strftime('%H:%M:%S')}] {text}\n")
        self.stream.flush()


class RichProgress:
    """A live bar with counts, rate and time remaining, for a terminal."""

    def __init__(self, stream: TextIO):
        from rich.console import Console

        self.console = Console(file=stream)
        self._progress = None
        self._task = None
        self.failed = 0

    def start(self, *, total: int, done: int) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._progress = Progress(
            TextColumn("[bold]tagging"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]} docs/s"),
            TextColumn("[red]{task.fields[failed]} failed"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=self.console,
        )
        self._progress.start()
        self._started = time.monotonic()
        self._before = done
        self._task = self._progress.add_task("tagging", total=total, completed=done, rate="-", failed=0)

    def advance(self, *, documents: int, characters: int, failed: int = 0) -> None:
        if self._progress is None:
            return
        self.failed += failed
        task = self._progress.tasks[0]
        rate = (task.completed + documents - self._before) / max(time.monotonic() - self._started, 1e-9)
        self._progress.update(self._task, advance=documents, rate=f"{rate:.1f}", failed=self.failed)

    def note(self, message: str) -> None:
        self.console.print(message)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()


def progress_for(stream: TextIO, *, interval_s: float = 10.0) -> Progress:
    """A rich bar when `stream` is a terminal, else periodic log lines."""
    isatty = getattr(stream, "isatty", None)
    if isatty is not None and isatty():
        return RichProgress(stream)
    return LogProgress(stream, interval_s=interval_s)
