"""The output directory of a batch, and how it stays exactly-once through any crash.

Layout of OUT_DIR:

    shards/part-*.jsonl        exchange-format documents, one per line
    errors.jsonl               every document that failed, and why (rebuilt at the end of a run)
    manifest.json              counts, extractor, timings (rewritten during and at the end of a run)
    figures.csv|.parquet       optional flat table of figures
    .state/errors/part-*.jsonl the error records, committed with their chunk
    .state/index/part-*.ids    ids and counts of each shard, so a restart need not parse the shards
    .state/runs/run-*.json     one record per run, for the manifest's timings
    .state/settings.json       what the output was made with; a restart must match it
    .state/run.lock            held by the running coordinator
    .state/workers.lock        held (shared) by every worker process

The rule that makes a run exactly-once: a document is *done* when its id is in
a committed file (a shard or an error part), and every file is committed
whole, by writing `NAME.tmp`, fsync, rename to `NAME`, fsync of the directory.
A restart lists the committed files, takes their ids as the done-set and hands
out only the rest; `.tmp` files, torn by a kill, are deleted unread. No id is
handed out twice while a file holding it exists, so it cannot be written twice.

The worker lock closes the one gap left: a worker orphaned by a killed
coordinator could still commit a chunk after a new run has read the
done-set. A new run therefore waits until it can take `workers.lock`
exclusively, which it can only once every old worker has exited.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from solieu.errors import InputError, SolieuError

SHARDS = "shards"
STATE = ".state"
_PART = re.compile(r"^part-r(\d{4,})-.+\.(jsonl|ids)$")
INDEX_FORMAT = "solieu.batch.index/1"


class OutputLocked(SolieuError):
    """Another batch run is writing to the same output directory."""

    code = "output_locked"


@dataclass
class ShardInfo:
    name: str
    documents: int
    characters: int
    entities: int
    relations: int
    bytes: int


@dataclass
class ChunkResult:
    """What a worker returns for one committed chunk: counts, not the documents."""

    name: str
    written: int = 0
    failed: int = 0
    characters: int = 0
    entities: int = 0
    relations: int = 0


@dataclass
class Scan:
    """The committed state of an output directory."""

    written: dict[str, str] = field(default_factory=dict)  # id -> shard name
    failed: dict[str, dict] = field(default_factory=dict)  # id -> error record
    shards: list[ShardInfo] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)  # ids found in more than one committed file
    failed_in: dict[str, str] = field(default_factory=dict)  # id -> error part name

    @property
    def done(self) -> set[str]:
        return set(self.written) | set(self.failed)

    def committed_by_run(self) -> dict[int, dict[str, int]]:
        """What each run committed (documents tagged or failed, failed, characters), read from the
        run number in the committed file names: a run killed before it last saved its record
        still gets what it committed."""
        out: dict[int, dict[str, int]] = {}

        def entry(name: str) -> dict[str, int] | None:
            match = _PART.match(name)
            if match is None:
                return None
            return out.setdefault(int(match.group(1)), {"documents": 0, "failed": 0, "characters": 0})

        for shard in self.shards:
            counts = entry(shard.name)
            if counts is not None:
                counts["documents"] += shard.documents
                counts["characters"] += shard.characters
        for part in self.failed_in.values():
            counts = entry(part)
            if counts is not None:
                counts["documents"] += 1
                counts["failed"] += 1
        return out


class OutputDir:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.shards = self.root / SHARDS
        self.state = self.root / STATE
        self.error_parts = self.state / "errors"
        self.index = self.state / "index"
        self.runs = self.state / "runs"

    @contextmanager
    def session(self, *, wait_for_workers_s: float = 120.0) -> Iterator[OutputDir]:
        """Hold the output for one run: lock it, wait out orphaned workers, drop torn files."""
        for directory in (self.shards, self.error_parts, self.index, self.runs):
            directory.mkdir(parents=True, exist_ok=True)
        lock_fd = os.open(self.state / "run.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as e:
                if e.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                raise OutputLocked(
                    f"{self.root}: another `solieu batch` is writing here; wait for it or stop it, then run again"
                ) from e
            self.wait_for_workers(timeout_s=wait_for_workers_s)
            self.discard_torn()
            yield self
        finally:
            os.close(lock_fd)  # closing releases the lock

    def wait_for_workers(self, *, timeout_s: float) -> None:
        """Block until no worker process holds the worker lock (see the module docstring)."""
        fd = os.open(self.state / "workers.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            deadline = time.monotonic() + timeout_s
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    fcntl.flock(fd, fcntl.LOCK_UN)
                    return
                except OSError as e:
                    if e.errno not in (errno.EAGAIN, errno.EACCES):
                        raise
                if time.monotonic() > deadline:
                    raise OutputLocked(
                        f"{self.root}: worker processes of an earlier run are still alive after {timeout_s:.0f}s; "
                        "stop them (they hold .state/workers.lock), then run again"
                    )
                time.sleep(0.1)
        finally:
            os.close(fd)

    def discard_torn(self) -> None:
        for directory in (self.shards, self.error_parts, self.index, self.runs, self.state, self.root):
            for tmp in directory.glob("*.tmp"):
                tmp.unlink(missing_ok=True)

    # -- settings -------------------------------------------------------

    def check_settings(self, settings: dict) -> None:
        """Refuse to resume an output made with other settings; record them on the first run."""
        path = self.state / "settings.json"
        if path.is_file():
            before = json.loads(path.read_text(encoding="utf-8"))
            changed = {k: (before.get(k), v) for k, v in settings.items() if before.get(k) != v}
            if changed:
                shown = "; ".join(f"{k}: was {old!r}, now {new!r}" for k, (old, new) in sorted(changed.items()))
                raise InputError(
                    f"{self.root}: this output was made with other settings ({shown}); "
                    "run with the same ones to resume, or write to a new output directory"
                )
            return
        write_atomic(path, json.dumps(settings, ensure_ascii=False, indent=2, sort_keys=True) + "\n")

    # -- the committed state ------------------------------------------

    def next_run(self) -> int:
        numbers = [0]
        for directory in (self.shards, self.error_parts, self.index):
            for p in directory.iterdir():
                m = _PART.match(p.name)
                if m:
                    numbers.append(int(m.group(1)))
        numbers += [int(p.stem.split("-")[1]) for p in self.runs.glob("run-*.json") if p.stem.split("-")[1].isdigit()]
        return max(numbers) + 1

    def scan(self) -> Scan:
        scan = Scan()
        seen: dict[str, str] = {}

        def claim(doc_id: str, where: str) -> bool:
            if doc_id in seen:
                scan.duplicates.append(doc_id)
                return False
            seen[doc_id] = where
            return True

        for shard in sorted(self.shards.glob("part-*.jsonl")):
            info, ids = self._shard_ids(shard)
            scan.shards.append(info)
            for doc_id in ids:
                if claim(doc_id, shard.name):
                    scan.written[doc_id] = shard.name
        for part in sorted(self.error_parts.glob("part-*.jsonl")):
            for record in read_jsonl(part):
                if claim(record["id"], part.name):
                    scan.failed[record["id"]] = record
                    scan.failed_in[record["id"]] = part.name
        return scan

    def _shard_ids(self, shard: Path) -> tuple[ShardInfo, list[str]]:
        """Ids of a committed shard, from its index when the index matches it, else by reading it."""
        size = shard.stat().st_size
        index = self.index / (shard.stem + ".ids")
        if index.is_file():
            lines = index.read_text(encoding="utf-8").splitlines()
            header = json.loads(lines[0]) if lines else {}
            ids = lines[1:]
            if header.get("bytes") == size and header.get("documents") == len(ids):
                return _info(shard.name, header), ids
        ids, header = [], {"documents": 0, "characters": 0, "entities": 0, "relations": 0, "bytes": size}
        for doc in read_jsonl(shard):
            ids.append(doc["id"])
            header["documents"] += 1
            header["characters"] += len(doc.get("text", ""))
            header["entities"] += len(doc.get("entities", []))
            header["relations"] += len(doc.get("relations", []))
        return _info(shard.name, header), ids

    def shard_paths(self) -> list[Path]:
        return sorted(self.shards.glob("part-*.jsonl"))

    def commit(self, name: str, documents: list[tuple[str, str, int, int, int]], errors: list[dict]) -> ChunkResult:
        return commit_chunk(self.root, name, documents, errors)


def _info(name: str, header: dict) -> ShardInfo:
    return ShardInfo(
        name=name, documents=header["documents"], characters=header["characters"],
        entities=header["entities"], relations=header["relations"], bytes=header["bytes"],
    )


def commit_chunk(
    root: Path, name: str, documents: list[tuple[str, str, int, int, int]], errors: list[dict]
) -> ChunkResult:
    """Commit one chunk: its error records, then its documents, then the shard's index.

    `documents` holds (id, exchange-format JSON line, characters, entities,
    relations). Each file appears whole or not at all; a crash between them
    leaves some of the chunk done and the rest to do, never a document twice.
    """
    out = OutputDir(root)
    result = ChunkResult(name=name, failed=len(errors))
    if errors:
        write_atomic(out.error_parts / f"{name}.jsonl", "".join(_line(record) for record in errors))
    if documents:
        body = "".join(doc_json + "\n" for _, doc_json, _, _, _ in documents)
        shard = out.shards / f"{name}.jsonl"
        write_atomic(shard, body)
        result.written = len(documents)
        result.characters = sum(d[2] for d in documents)
        result.entities = sum(d[3] for d in documents)
        result.relations = sum(d[4] for d in documents)
        header = {
            "format": INDEX_FORMAT, "documents": result.written, "characters": result.characters,
            "entities": result.entities, "relations": result.relations, "bytes": len(body.encode("utf-8")),
        }
        write_atomic(out.index / f"{name}.ids", json.dumps(header) + "\n" + "".join(d[0] + "\n" for d in documents))
    return result


def _line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` so that readers, and a restart after a crash, see all of it or nothing."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def read_jsonl(path: Path) -> Iterable[dict]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)
