"""manifest.json, errors.jsonl and the per-run records that feed their timings.

All three are derived from the committed state (`state.py`), so they can be
rebuilt at any time and are rewritten whole, atomically.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field

from solieu.batch.state import OutputDir, Scan, write_atomic

MANIFEST_FORMAT = "solieu.batch.manifest/1"
ERRORS_FILE = "errors.jsonl"
MANIFEST_FILE = "manifest.json"


def now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


@dataclass
class RunRecord:
    run: int
    engine: str
    workers: int
    started_at: str
    updated_at: str
    status: str  # running, complete, interrupted, failed
    documents: int = 0  # tagged or failed in this run
    failed: int = 0
    characters: int = 0
    seconds: float = 0.0
    error: str | None = None
    _t0: float = field(default_factory=time.monotonic, repr=False)

    def touch(self, *, status: str | None = None) -> None:
        self.seconds = round(time.monotonic() - self._t0, 3)
        self.updated_at = now_iso()
        if status is not None:
            self.status = status

    def save(self, out: OutputDir) -> None:
        data = {k: v for k, v in asdict(self).items() if not k.startswith("_")}
        data["documents_per_second"] = round(self.documents / self.seconds, 2) if self.seconds else None
        data["characters_per_second"] = round(self.characters / self.seconds, 1) if self.seconds else None
        write_atomic(out.runs / f"run-{self.run:04d}.json", json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def load_runs(out: OutputDir, scan: Scan, *, current: int | None = None) -> list[dict]:
    """Each run's record; a run that did not end (killed) is `stopped` and counts what it committed,
    since it may have committed more than it last wrote into its record."""
    committed = scan.committed_by_run()
    runs = []
    for path in sorted(out.runs.glob("run-*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        if record.get("status") == "running" and record.get("run") != current:
            record["status"] = "stopped"  # killed: its last update is when it was last seen alive
            counts = committed.get(record.get("run"), {"documents": 0, "failed": 0, "characters": 0})
            record.update(counts)
            seconds = record.get("seconds") or 0.0
            record["documents_per_second"] = round(counts["documents"] / seconds, 2) if seconds else None
            record["characters_per_second"] = round(counts["characters"] / seconds, 1) if seconds else None
        runs.append(record)
    return runs


def write_errors_file(out: OutputDir, scan: Scan, *, input_ids: set[str]) -> int:
    records = [scan.failed[i] for i in sorted(scan.failed) if i in input_ids]
    write_atomic(out.root / ERRORS_FILE, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    return len(records)


def build_manifest(
    out: OutputDir, scan: Scan, *, status: str, source: str, settings: dict, extractor: dict,
    versions: dict, input_ids: set[str], ignored_files: int, current_run: int | None,
    table: str | None = None,
) -> dict:
    written = {i for i in scan.written if i in input_ids}
    failed = {i for i in scan.failed if i in input_ids}
    stale = sorted(i for i in scan.done if i not in input_ids)
    runs = load_runs(out, scan, current=current_run)
    return {
        "format": MANIFEST_FORMAT,
        "status": status,
        "versions": versions,
        "source": source,
        "extractor": extractor,
        "settings": settings,
        "documents": {
            "inputs": len(input_ids),
            "written": len(written),
            "failed": len(failed),
            "pending": len(input_ids) - len(written) - len(failed),
            "not_in_source": len(stale),
            "ignored_files": ignored_files,
            "duplicates": len(scan.duplicates),
        },
        "characters": sum(s.characters for s in scan.shards),
        "entities": sum(s.entities for s in scan.shards),
        "relations": sum(s.relations for s in scan.shards),
        "shards": [{"file": f"shards/{s.name}", "documents": s.documents, "bytes": s.bytes} for s in scan.shards],
        "errors_file": ERRORS_FILE,
        "table": table,
        "timings": {
            "first_started_at": runs[0]["started_at"] if runs else None,
            "last_updated_at": runs[-1]["updated_at"] if runs else None,
            "seconds": round(sum(r.get("seconds", 0.0) for r in runs), 3),
            "runs": runs,
        },
    }


def write_manifest(out: OutputDir, manifest: dict) -> None:
    write_atomic(out.root / MANIFEST_FILE, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
