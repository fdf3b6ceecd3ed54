"""The local engine: worker processes on this machine, each loading the extractor once.

The coordinator cuts the pending documents into chunks and hands them to a
`ProcessPoolExecutor` (spawned processes, so that no model state is forked).
Each worker tags its chunk and commits it itself (see `state.py`), so that
documents never travel back through the coordinator; it reports per-document
progress on a queue and returns only counts.

A worker that dies (a reader that segfaults on one file, the kernel's OOM
killer) breaks the pool, and every chunk in flight is lost with it. The
coordinator then re-reads what was committed, restarts the pool, and retries
the unfinished documents one at a time, each alone in the pool, so that a
document that kills its worker is the only one that can be blamed: it is
recorded in the errors file with code `worker_crashed`, and every other
document is tagged. Workers that die before finishing anything at all (they
cannot start) stop the run with an error instead of failing every document.
"""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import queue
import signal
import sys
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from solieu.batch.progress import Progress
from solieu.batch.sources import SourceItem
from solieu.batch.state import ChunkResult, OutputDir, commit_chunk
from solieu.batch.work import error_record, process_item
from solieu.errors import SolieuError

_CRASHES_BEFORE_GIVING_UP = 3


class WorkersDied(SolieuError):
    """Worker processes die before they finish any document: they cannot start."""

    code = "workers_died"


@dataclass
class Task:
    name: str
    items: list[SourceItem]
    suspect: bool = False  # one document, retried alone after its pool broke


# -- in the worker process ------------------------------------------------

_worker: dict = {}


def _init_worker(
    extractor: str, model: str | None, root: str, parent_pid: int, progress: multiprocessing.Queue
) -> None:
    # Die with the coordinator (Linux), and hold the worker lock as long as we live.
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except OSError:
            pass
    lock_fd = os.open(Path(root) / ".state" / "workers.lock", os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(lock_fd, fcntl.LOCK_SH)
    _worker.update(lock_fd=lock_fd, root=Path(root), parent_pid=parent_pid, progress=progress)
    try:
        from solieu.extractors import load_extractor

        _worker["extract"] = load_extractor(extractor, model=model).extract
    except Exception as e:  # sent back, and raised by the coordinator
        _worker["init_error"] = e


def _run_task(
    name: str, items: list[SourceItem], document_date: str | None, max_chars: int | None, commit_interval_s: float
) -> list[ChunkResult] | BaseException:
    if "init_error" in _worker:
        return _worker["init_error"]
    extract, root, progress = _worker["extract"], _worker["root"], _worker["progress"]
    results: list[ChunkResult] = []
    documents: list[tuple[str, str, int, int, int]] = []
    errors: list[dict] = []
    last_commit = time.monotonic()

    def flush() -> None:
        nonlocal documents, errors, last_commit
        if not documents and not errors:
            return
        if os.getppid() != _worker["parent_pid"]:
            os._exit(1)  # orphaned: the coordinator is gone, a restart will redo this chunk
        results.append(commit_chunk(root, f"{name}-{len(results):02d}", documents, errors))
        documents, errors, last_commit = [], [], time.monotonic()

    for item in items:
        outcome = process_item(item, extract, document_date=document_date, max_chars=max_chars)
        if outcome.error is not None:
            errors.append(outcome.error)
        else:
            documents.append(outcome.as_document())
        progress.put((1, outcome.characters, 1 if outcome.error is not None else 0))
        # A slow model on long documents still commits now and then, to bound what a kill loses.
        if time.monotonic() - last_commit >= commit_interval_s:
            flush()
    flush()
    return results


# -- in the coordinator ---------------------------------------------------


def run_local(
    pending: list[SourceItem], out: OutputDir, *, run: int, extractor: str, model: str | None,
    n_process: int, shard_size: int, document_date: str | None, max_chars: int | None,
    commit_interval_s: float, progress: Progress,
) -> list[ChunkResult]:
    """Tag `pending` into `out`; returns one result per committed chunk."""
    tasks = deque(
        Task(f"part-r{run:04d}-t{i:06d}", pending[start : start + shard_size])
        for i, start in enumerate(range(0, len(pending), shard_size))
    )
    n_workers = max(1, min(n_process, len(tasks)))
    ctx = multiprocessing.get_context("spawn")
    progress_queue = ctx.Queue()
    results: list[ChunkResult] = []

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            n_workers, mp_context=ctx, initializer=_init_worker,
            initargs=(extractor, model, str(out.root), os.getpid(), progress_queue),
        )

    def drain() -> None:
        while True:
            try:
                docs, chars, failed = progress_queue.get_nowait()
            except queue.Empty:
                return
            progress.advance(documents=docs, characters=chars, failed=failed)

    pool = new_pool()
    in_flight: dict[Future, Task] = {}
    completed_any = False
    crashes = 0
    try:
        while tasks or in_flight:
            # A suspect runs alone, so that if the pool breaks, it is the one that broke it.
            while tasks and len(in_flight) < 2 * n_workers and not any(t.suspect for t in in_flight.values()):
                if tasks[0].suspect and in_flight:
                    break
                task = tasks.popleft()
                future = pool.submit(_run_task, task.name, task.items, document_date, max_chars, commit_interval_s)
                in_flight[future] = task
            finished, _ = wait(in_flight, timeout=0.2, return_when=FIRST_COMPLETED)
            drain()
            broken: list[Task] = []
            for future in finished:
                task = in_flight.pop(future)
                try:
                    outcome = future.result()
                except BrokenProcessPool:
                    broken.append(task)
                    continue
                if isinstance(outcome, BaseException):
                    raise outcome
                results.extend(outcome)
                completed_any = True
            if broken:
                broken += list(in_flight.values())  # the pool is gone: every chunk still out is lost
                in_flight.clear()
                pool.shutdown(wait=True, cancel_futures=True)
                crashes += 1
                if not completed_any and crashes >= _CRASHES_BEFORE_GIVING_UP:
                    raise WorkersDied(
                        f"worker processes died {crashes} times without finishing a single document: they "
                        "cannot start, or every document tried so far crashed them (see the messages above); "
                        "the run stops, and what was committed is kept"
                    )
                # Until some document has been tagged, a crash may be the workers' own, not a document's.
                retry, crashed, deferred = _after_crash(out, broken, progress, blame=completed_any)
                results.extend(crashed)
                tasks.extendleft(reversed(retry))
                tasks.extend(deferred)
                pool = new_pool()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        drain()
    return results


def _after_crash(
    out: OutputDir, broken: list[Task], progress: Progress, *, blame: bool = True
) -> tuple[list[Task], list[ChunkResult], list[Task]]:
    """Split lost chunks into single documents to retry; record a document that crashed a worker alone.

    Returns the tasks to retry first, the chunks committed for blamed
    documents, and the suspects not blamed (with `blame` false) to retry last.
    """
    out.wait_for_workers(timeout_s=60.0)
    done = out.scan().done  # some of a lost chunk may have been committed before the crash
    retry: list[Task] = []
    crashed: list[ChunkResult] = []
    deferred: list[Task] = []
    for task in broken:
        left = [item for item in task.items if item.id not in done]
        if task.suspect and left and len(broken) == 1 and not blame:
            deferred.append(task)
            continue
        if task.suspect and left and len(broken) == 1:
            item = left[0]
            record = error_record(
                item, "extract", "the worker process died while tagging this document "
                "(a crash in a reader or the extractor, or out of memory)", code="worker_crashed",
            )
            crashed.append(commit_chunk(out.root, f"{task.name}-crash", [], [record]))
            progress.advance(documents=1, characters=0, failed=1)
            progress.note(f"{item.where}: a worker died on this document; recorded in errors.jsonl")
            continue
        retry += [Task(f"{task.name}-s{i:04d}", [item], suspect=True) for i, item in enumerate(left)]
    return retry, crashed, deferred
