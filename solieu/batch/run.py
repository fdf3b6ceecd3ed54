"""`run_batch`: list the source, resume the output, tag what is left, write manifest and errors."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from solieu.batch.manifest import (
    RunRecord,
    build_manifest,
    now_iso,
    write_errors_file,
    write_manifest,
)
from solieu.batch.progress import NullProgress, Progress
from solieu.batch.sources import enumerate_source, is_glob
from solieu.batch.state import OutputDir
from solieu.batch.work import describe_extractor, versions
from solieu.errors import InputError

ENGINES = ("local", "ray")
TABLE_FORMATS = ("csv", "parquet")


@dataclass
class BatchSummary:
    out_dir: Path
    status: str
    inputs: int
    written: int
    failed: int
    pending: int
    processed: int  # by this run
    seconds: float  # of this run
    manifest: dict

    @property
    def documents_per_second(self) -> float:
        return self.processed / self.seconds if self.seconds else 0.0


class _Tracking:
    """Passes progress on, and keeps this run's record on disk up to date every few seconds."""

    def __init__(self, inner: Progress, record: RunRecord, out: OutputDir, *, every_s: float = 5.0):
        self.inner, self.record, self.out, self.every_s = inner, record, out, every_s
        self.last = time.monotonic()

    def start(self, *, total: int, done: int) -> None:
        self.inner.start(total=total, done=done)

    def advance(self, *, documents: int, characters: int, failed: int = 0) -> None:
        self.record.documents += documents
        self.record.failed += failed
        self.record.characters += characters
        self.inner.advance(documents=documents, characters=characters, failed=failed)
        if time.monotonic() - self.last >= self.every_s:
            self.last = time.monotonic()
            self.record.touch()
            self.record.save(self.out)

    def note(self, message: str) -> None:
        self.inner.note(message)

    def close(self) -> None:
        self.inner.close()


def _source_key(source: str) -> str:
    """The source as an absolute path or pattern, so that resuming from another directory still matches."""
    return os.path.abspath(source) if is_glob(source) or os.path.exists(source) else source


def run_batch(
    source: str,
    out_dir: str | Path,
    *,
    extractor: str = "model",
    model: str | None = None,
    engine: str = "local",
    n_process: int = 1,
    ray_address: str | None = None,
    shard_size: int = 64,
    commit_interval_s: float = 30.0,
    document_date: str | None = None,
    max_chars: int | None = None,
    table: str | None = None,
    progress: Progress | None = None,
) -> BatchSummary:
    """Tag every document of `source` into `out_dir`, resuming whatever an earlier run committed.

    `table` ("csv" or "parquet") also writes every figure as one row of
    `out_dir/figures.csv` (or `.parquet`) once the run is complete.

    Returns when every document is either written to a shard or recorded in
    errors.jsonl. Killing it at any point and calling it again with the same
    arguments finishes the job with each document exactly once.
    """
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if shard_size < 1 or n_process < 1:
        raise InputError("shard size and number of processes must be at least 1")
    if table is not None and table not in TABLE_FORMATS:
        raise InputError(f"unknown table format {table!r}; choose one of {', '.join(TABLE_FORMATS)}")
    if engine == "ray":
        from solieu.batch.ray_engine import import_ray

        import_ray()  # say now, not after listing an archive, that the extra is missing
    progress = progress or NullProgress()
    described = describe_extractor(extractor, model=model)
    out = OutputDir(Path(out_dir))
    listing = enumerate_source(source, exclude=out.root)
    out.root.mkdir(parents=True, exist_ok=True)
    input_ids = {item.id for item in listing.items}
    settings = {
        "source": _source_key(source),
        "extractor": extractor,
        "model_path": described["path"],
        "model_name": described["name"],
        "model_version": described["version"],
        "document_date": document_date,
        "max_chars": max_chars,
    }
    with out.session() as out:
        out.check_settings(settings)
        scan = out.scan()
        done = scan.done
        pending = [item for item in listing.items if item.id not in done]
        run = out.next_run()
        workers = n_process
        record = RunRecord(run=run, engine=engine, workers=workers, started_at=now_iso(), updated_at=now_iso(),
                           status="running")
        common = dict(
            source=source, settings=settings, extractor=described, versions=versions(),
            input_ids=input_ids, ignored_files=len(listing.ignored),
        )
        tracking = _Tracking(progress, record, out)
        if pending:
            record.save(out)
            write_manifest(out, build_manifest(out, scan, status="running", current_run=run, **common))
        tracking.start(total=len(listing.items), done=len(listing.items) - len(pending))
        status = "complete"
        try:
            if pending and engine == "local":
                from solieu.batch.local import run_local

                run_local(
                    pending, out, run=run, extractor=extractor, model=model, n_process=n_process,
                    shard_size=shard_size, document_date=document_date, max_chars=max_chars,
                    commit_interval_s=commit_interval_s, progress=tracking,
                )
            elif pending:
                from solieu.batch.ray_engine import run_ray

                run_ray(
                    pending, out, run=run, extractor=extractor, model=model, n_workers=n_process,
                    shard_size=shard_size, document_date=document_date, max_chars=max_chars,
                    address=ray_address, progress=tracking,
                )
        except KeyboardInterrupt:
            status = "interrupted"
            raise
        except BaseException as e:
            status = "failed"
            record.error = f"{type(e).__name__}: {e}"
            raise
        finally:
            tracking.close()
            scan = out.scan()
            if status == "complete" and not all(i in scan.done for i in input_ids):
                status = "incomplete"  # cannot happen unless a shard was removed during the run
            if pending:
                record.touch(status=status)
                record.save(out)
            table_name = None
            if status == "complete" and table is not None:
                from solieu.figures import export_figures

                table_name = f"figures.{table}"
                export_figures(out.shard_paths(), out.root / table_name)
            write_errors_file(out, scan, input_ids=input_ids)
            manifest = build_manifest(out, scan, status=status, current_run=None, table=table_name, **common)
            write_manifest(out, manifest)
    docs = manifest["documents"]
    return BatchSummary(
        out_dir=out.root, status=status, inputs=docs["inputs"], written=docs["written"], failed=docs["failed"],
        pending=docs["pending"], processed=record.documents, seconds=record.seconds, manifest=manifest,
    )
