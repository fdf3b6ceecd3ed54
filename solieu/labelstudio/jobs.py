"""Training jobs started by the ML backend: a child process per job, watched
by a thread, so that a webhook request only launches it and returns.

At most one job runs at a time (one model directory is trained and promoted
at a time); asking for another while one runs returns the running one.
"""

from __future__ import annotations

import itertools
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class TrainingJob:
    id: str
    command: list[str]
    log_path: str
    status: str = "running"  # running → succeeded | failed
    reason: str = ""
    created_at: float = field(default_factory=time.time)
    finished_at: float | None = None
    returncode: int | None = None
    pid: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


class TrainingJobs:
    def __init__(self, log_dir: Path):
        self.log_dir = Path(log_dir)
        self._jobs: dict[str, TrainingJob] = {}
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._done: dict[str, threading.Event] = {}

    def running(self) -> TrainingJob | None:
        with self._lock:
            return next((job for job in self._jobs.values() if job.status == "running"), None)

    def start(self, command: Sequence[str], *, reason: str = "", env: dict[str, str] | None = None) -> tuple[TrainingJob, bool]:
        """(job, started): the new job, or the one already running and False."""
        with self._lock:
            current = next((job for job in self._jobs.values() if job.status == "running"), None)
            if current is not None:
                return current, False
            job_id = f"train-{int(time.time())}-{next(self._ids)}"
            self.log_dir.mkdir(parents=True, exist_ok=True)
            log_path = self.log_dir / f"{job_id}.log"
            job = TrainingJob(id=job_id, command=list(command), log_path=str(log_path), reason=reason)
            self._jobs[job_id] = job
            self._done[job_id] = threading.Event()
            log = log_path.open("w", encoding="utf-8")
            try:
                process = subprocess.Popen(list(command), stdout=log, stderr=subprocess.STDOUT, env=env)
            except OSError as e:
                log.write(f"cannot start {command[0]}: {e}\n")
                log.close()
                job.status, job.returncode, job.finished_at = "failed", None, time.time()
                self._done[job_id].set()
                return job, True
            job.pid = process.pid
        threading.Thread(target=self._watch, args=(job, process, log), name=f"solieu-{job_id}", daemon=True).start()
        return job, True

    def _watch(self, job: TrainingJob, process: subprocess.Popen, log) -> None:
        returncode = process.wait()
        log.close()
        with self._lock:
            job.returncode = returncode
            job.status = "succeeded" if returncode == 0 else "failed"
            job.finished_at = time.time()
        self._done[job.id].set()

    def get(self, job_id: str) -> TrainingJob | None:
        with self._lock:
            return self._jobs.get(job_id)

    def all(self) -> list[TrainingJob]:
        with self._lock:
            return sorted(self._jobs.values(), key=lambda j: j.created_at, reverse=True)

    def wait(self, job_id: str, timeout: float | None = None) -> bool:
        event = self._done.get(job_id)
        return event.wait(timeout) if event is not None else False
